import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../../../src/nlu/corpus.ts';
import { NO_INTENT } from '../../../src/nlu/intent-classifier.ts';
import { NlpjsIntentClassifier } from '../../../src/nlu/nlpjs-classifier.ts';
import { makeTempDir, recordingLogger, removeDir, smallCorpus, writeCorpusFiles } from './nlu-fixtures.ts';

describe('NlpjsIntentClassifier (small corpus)', () => {
  let dir: string;
  let classifier: NlpjsIntentClassifier;

  beforeAll(async () => {
    dir = await makeTempDir('sb-nlpjs-');
    await writeCorpusFiles(dir, { 'en/small.json': smallCorpus });
    classifier = await NlpjsIntentClassifier.train(await loadCorpus(dir), recordingLogger().logger);
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('returns every candidate with its raw score, best first', async () => {
    // "there" is taught for both hello and bye: NLP.js would call this a tie
    // (None, 1.0); the raw scores say both, close to each other.
    const result = await classifier.classify('there', 'en');
    expect(result.intents.map((candidate) => candidate.intent).sort()).toEqual(['bye', 'hello']);
    expect(result.top).toEqual(result.intents[0]);
    for (const candidate of result.intents) {
      expect(candidate.score).toBeGreaterThan(0.3);
      expect(candidate.score).toBeLessThan(0.7);
    }
    const scores = result.intents.map((candidate) => candidate.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('says None with score 0 when nothing matches or the text is empty', async () => {
    for (const text of ['zebra crossing', '', '   ']) {
      const result = await classifier.classify(text, 'en');
      expect(result.intents).toEqual([{ intent: NO_INTENT, score: 0 }]);
      expect(result.top).toEqual({ intent: NO_INTENT, score: 0 });
      expect(result.entities).toEqual([]);
    }
    expect((await classifier.classify('', 'en')).sentiment).toEqual({ score: 0, vote: 'neutral' });
  });

  it('extracts regex and enum entities with normalised values and exclusive end offsets', async () => {
    const text = 'is order c1234 the big one or a0001?';
    const { entities } = await classifier.classify(text, 'en');
    expect(entities).toEqual([
      { entity: 'orderNumber', value: 'C1234', sourceText: 'c1234', start: 9, end: 14 },
      { entity: 'size', value: 'large', sourceText: 'big', start: 19, end: 22 },
      { entity: 'orderNumber', value: 'A0001', sourceText: 'a0001', start: 30, end: 35 },
    ]);
    for (const entity of entities) expect(text.slice(entity.start, entity.end)).toBe(entity.sourceText);
  });

  it('does not take longer words or numbers for order numbers', async () => {
    const { entities } = await classifier.classify('ab1234, a12345 and 1234', 'en');
    expect(entities).toEqual([]);
  });

  it('reaches a locale through its language and refuses one it was not trained for', async () => {
    expect((await classifier.classify('hello', 'en-GB')).locale).toBe('en');
    expect((await classifier.classify('hello', 'EN')).locale).toBe('en');
    await expect(classifier.classify('bonjour', 'fr')).rejects.toMatchObject({ code: 'unsupported_locale' });
  });

  it('round-trips through exportModel and restore', async () => {
    const corpus = await loadCorpus(dir);
    const restored = await NlpjsIntentClassifier.restore(
      corpus,
      JSON.parse(JSON.stringify(classifier.exportModel())) as unknown,
      recordingLogger().logger,
    );
    for (const text of ['there', 'where is my parcel c1234', 'good evening']) {
      expect(await restored.classify(text, 'en')).toEqual(await classifier.classify(text, 'en'));
    }
    await expect(NlpjsIntentClassifier.restore(corpus, { format: 99 }, recordingLogger().logger)).rejects.toThrow(
      /not a Switchboard NLP.js model/,
    );
  });

  it('leaves no trace outside itself: no model.nlp file, no patched RegExp.prototype', () => {
    classifier.exportModel();
    // NLP.js's Nlp.train() saves ./model.nlp unless autoSave is off, and its
    // Ner.toJSON() sets RegExp.prototype.toJSON for the whole process.
    expect(existsSync(path.resolve('model.nlp'))).toBe(false);
    expect(Object.prototype.hasOwnProperty.call(RegExp.prototype, 'toJSON')).toBe(false);
  });
});
