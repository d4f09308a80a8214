import { describe, expect, it } from 'vitest';
import { extractEmails } from '../../../../src/nlu/entities/email-extractor.ts';

describe('extractEmails', () => {
  it.each([
    ['my email is jane.doe@example.com', 'jane.doe@example.com'],
    ['mi correo es josé.núñez@correo.es', 'josé.núñez@correo.es'],
    ['用户@例子.广告', '用户@例子.广告'],
    ['write to Sam+Shop@Mail.Co.UK.', 'Sam+Shop@mail.co.uk'],
    ['<b>ana@example.com</b>', 'ana@example.com'],
    ['mailto:ana@example.com', 'ana@example.com'],
    ['(ana@example.com) 👍', 'ana@example.com'],
    ['📧ana@example.com📧', 'ana@example.com'],
  ])('finds the address in %j', (text, value) => {
    const [found, ...rest] = extractEmails(text);
    expect(rest).toEqual([]);
    expect(found?.value).toBe(value);
    expect(text.slice(found?.start, found?.end).toLowerCase()).toBe(value.toLowerCase());
  });

  it.each(['', '   ', 'no address here', 'ana@example', '@example.com', 'ana@@example.com', 'ana@.com', 'order A1001'])(
    'finds nothing in %j',
    (text) => {
      expect(extractEmails(text)).toEqual([]);
    },
  );

  it('finds two', () => {
    expect(extractEmails('a@b.co or c.d@e.org').map((found) => found.value)).toEqual(['a@b.co', 'c.d@e.org']);
  });
});
