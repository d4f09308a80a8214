import { findPhoneNumbersInText } from 'libphonenumber-js';
import { describe, expect, it } from 'vitest';
import { phoneExtractor } from '../../../../src/nlu/entities/phone-extractor.ts';

describe('phoneExtractor', () => {
  const spanish = phoneExtractor('ES');
  const british = phoneExtractor('GB');
  const none = phoneExtractor(undefined);

  it.each([
    [spanish, 'mi número es 612 34 56 78', '+34612345678'],
    [spanish, 'tel: 612-345-678', '+34612345678'],
    [spanish, '📞+34612345678', '+34612345678'],
    [spanish, '<b>+34 612 345 678</b>', '+34612345678'],
    [spanish, 'llámame al 0034 699 111 222', '+34699111222'],
    [british, 'call me on 07911 123456', '+447911123456'],
    [british, 'my number: +44 (0)7700 900102', '+447700900102'],
    [british, 'or my US one, +1 (415) 555-0100', '+14155550100'],
    [none, 'call +34 612 345 678 please', '+34612345678'],
  ])('reads %#: %j as E.164', (extract, text, value) => {
    expect(extract(text).map((found) => found.value)).toEqual([value]);
  });

  it('takes a national number only when the corpus names its country', () => {
    expect(none('mi número es 612 34 56 78')).toEqual([]);
  });

  it.each(['', '👍', 'order A1001', 'where is order 12345', 'the 12/03/2026 delivery', 'pedido A1001 612', 'A1001A1002', 'where is order 5551234', 'invalid 07700 900101'])(
    'finds no phone number in %j',
    (text) => {
      expect(spanish(text)).toEqual([]);
      expect(british(text)).toEqual([]);
    },
  );

  it('gives the offsets of the number as written', () => {
    const text = 'call 612 34 56 78 now';
    const [found] = spanish(text);
    expect(text.slice(found?.start, found?.end)).toBe('612 34 56 78');
  });

  it('reads numbers written in the digits libphonenumber-js knows besides ASCII', () => {
    expect(spanish('mi número es ６１２ ３４ ５６ ７８').map((found) => found.value)).toEqual(['+34612345678']);
    expect(none('+٣٤ ٦١٢ ٣٤٥ ٦٧٨').map((found) => found.value)).toEqual(['+34612345678']);
  });

  it('answers as the library would for a text without a digit, where it skips the library', () => {
    const texts = ['', 'hello there', 'call me on seven seven', '+ ( ) - .', 'my number is +', 'tel: +', '☎️ later', 'llámame mañana'];
    for (const text of texts) {
      expect(findPhoneNumbersInText(text, { defaultCountry: 'ES', extended: true })).toEqual([]);
      expect(spanish(text)).toEqual([]);
      expect(none(text)).toEqual([]);
    }
  });
});
