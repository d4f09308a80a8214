import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/nlu/corpus.ts';
import { NlpjsIntentClassifier } from '../../../src/nlu/nlpjs-classifier.ts';
import { recordingLogger } from './nlu-fixtures.ts';

// The demo corpus's entities, through the whole classifier (NLP.js's regex
// NER for order numbers, then e-mail, phone and date), in both languages,
// with the ugly input customers send.
const INTENTS_DIR = path.resolve(import.meta.dirname, '../../../intents');
// Thursday 26 November 2026, noon.
const referenceDate = new Date(2026, 10, 26, 12);

let classifier: NlpjsIntentClassifier;
beforeAll(async () => {
  classifier = await NlpjsIntentClassifier.train(await loadCorpus(INTENTS_DIR), recordingLogger().logger, { classifier: 'linear' });
});

const entities = async (text: string, locale: string) =>
  (await classifier.classify(text, locale, { referenceDate })).entities.map(({ entity, value }) => [entity, value]);

describe('demo entities', () => {
  it.each([
    ['en', 'where is A1001? my email is jane.doe@example.com', [['orderNumber', 'A1001'], ['email', 'jane.doe@example.com']]],
    ['es', '¿dónde está el a1001? mi correo es josé.núñez@correo.es', [['orderNumber', 'A1001'], ['email', 'josé.núñez@correo.es']]],
    ['en', 'call me back on 07911 123456 tomorrow', [['phoneNumber', '+447911123456'], ['date', '2026-11-27']]],
    ['es', 'llamadme al 612 34 56 78 el próximo viernes', [['phoneNumber', '+34612345678'], ['date', '2026-12-04']]],
    ['en', 'collect it on 12/03/2027 please', [['date', '2027-03-12']]],
    ['es', 'que pasen a recogerlo el 25 de diciembre', [['date', '2026-12-25']]],
    ['en', '+34 612 345 678 is my Spanish number', [['phoneNumber', '+34612345678']]],
  ])('%s: %j', async (locale, text, expected) => {
    expect(await entities(text, locale)).toEqual(expected);
  });

  it.each([
    ['en', '<b>order A1001</b> <script>alert(1)</script> ana@example.com', [['orderNumber', 'A1001'], ['email', 'ana@example.com']]],
    ['es', '📦 pedido A1001 🙏 📧 ana@example.com 📞 +34 699 111 222 🎉', [['orderNumber', 'A1001'], ['email', 'ana@example.com'], ['phoneNumber', '+34699111222']]],
    ['en', 'my order number is A1001 612 and my email a1001@shop.com', [['orderNumber', 'A1001'], ['email', 'a1001@shop.com']]],
    ['es', 'pedido 612345678', [['phoneNumber', '+34612345678']]],
    ['en', 'order 12345', []],
    ['en', '👍👍👍', []],
    ['es', '', []],
    ['en', '   ', []],
  ])('ugly input, %s: %j', async (locale, text, expected) => {
    expect(await entities(text, locale)).toEqual(expected);
  });

  it('gives each entity its offsets in the message, as written', async () => {
    const text = '🙂 <i>mail</i>: Ana@Example.COM';
    const [email] = (await classifier.classify(text, 'en', { referenceDate })).entities;
    expect(email).toMatchObject({ entity: 'email', value: 'Ana@example.com', sourceText: 'Ana@Example.COM' });
    expect(text.slice(email?.start, email?.end)).toBe('Ana@Example.COM');
  });

  it('resolves relative dates from the day the message was written', async () => {
    const later = await classifier.classify('tomorrow', 'en', { referenceDate: new Date(2027, 0, 31, 12) });
    expect(later.entities.map((entity) => entity.value)).toEqual(['2027-02-01']);
  });
});
