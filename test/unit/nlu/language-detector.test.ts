import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/nlu/corpus.ts';
import { LanguageDetector, wordsOf } from '../../../src/nlu/language-detector.ts';
import { makeTempDir, removeDir, smallCorpus, writeCorpusFiles } from './nlu-fixtures.ts';

let detector: LanguageDetector;
beforeAll(async () => {
  detector = new LanguageDetector(await loadCorpus(path.resolve(import.meta.dirname, '../../../intents')));
});

describe('LanguageDetector', () => {
  it.each([
    ['en', '¿dónde está mi pedido? lo pedí hace una semana', 'es'],
    ['es', 'where is my order, I ordered it a week ago', 'en'],
    ['en', 'quiero hablar con una persona', 'es'],
    ['es', 'can I talk to a person please', 'en'],
  ])('switches a conversation in %s to the clear language of %j', (current, text, expected) => {
    expect(detector.detect(text, current)).toEqual({ locale: expected, reason: 'switched' });
  });

  it.each([
    ['es', 'ok'],
    ['en', 'sí'],
    ['es', 'A1001'],
    ['en', '612 34 56 78'],
    ['es', 'no'],
    ['en', '👍👍'],
    ['es', ''],
    ['en', 'gracias'],
    ['es', 'thanks'],
  ])('keeps a conversation in %s on the short %j', (current, text) => {
    expect(detector.detect(text, current)).toEqual({ locale: current, reason: 'too_short' });
  });

  it('keeps the language when the message is in it', () => {
    expect(detector.detect('where is my order', 'en')).toEqual({ locale: 'en', reason: 'same' });
    expect(detector.detect('¿dónde está mi pedido?', 'es')).toEqual({ locale: 'es', reason: 'same' });
  });

  it('reads only words: not addresses, numbers or markup', () => {
    expect(wordsOf('<b>mi correo</b> es ana@example.com, pedido A1001, tel +34 612 345 678 https://x.es/y')).toBe('mi correo es pedido tel');
  });

  it('never switches a bot with one locale', async () => {
    const dir = await makeTempDir('sb-detector-');
    try {
      await writeCorpusFiles(dir, { 'en/small.json': smallCorpus });
      expect(new LanguageDetector(await loadCorpus(dir)).detect('¿dónde está mi pedido? lo pedí ayer', 'en')).toEqual({ locale: 'en', reason: 'single_locale' });
    } finally {
      await removeDir(dir);
    }
  });
});
