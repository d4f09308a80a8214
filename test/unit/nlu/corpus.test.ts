import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { corpusHash, loadCorpus } from '../../../src/nlu/corpus.ts';
import { makeTempDir, removeDir, smallCorpus, writeCorpusFiles } from './nlu-fixtures.ts';

const fingerprint = { engine: { '@nlpjs/nlp': '1.0.0' }, settings: { useNoneFeature: false } };

describe('loadCorpus', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('sb-corpus-');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('merges the files of a locale folder and skips sub-folders', async () => {
    await writeCorpusFiles(dir, {
      'en/b.json': { name: 'B', locale: 'en-GB', data: [{ intent: 'hello', utterances: ['howdy'] }] },
      'en/a.json': smallCorpus,
      'en/tests/cases.json': { not: 'a corpus' },
    });
    const corpus = await loadCorpus(dir);
    expect(corpus.locales.map((locale) => locale.locale)).toEqual(['en']);
    const [en] = corpus.locales;
    expect(en?.files.map((file) => file.fileName)).toEqual(['a.json', 'b.json']);
    expect(en?.intents.find((intent) => intent.intent === 'hello')?.utterances).toEqual([
      'hello',
      'hi there',
      'good morning',
      'hey',
      'howdy',
    ]);
    expect(en?.entities.orderNumber).toEqual({ regex: ['/\\b[a-z]\\d{4}\\b/gi'], options: {}, normalize: 'uppercase' });
  });

  it.each([
    ['not JSON', '{ "name": ', /en\/bad\.json is not valid JSON/],
    ['no utterances', { name: 'x', locale: 'en', data: [{ intent: 'a', utterances: [] }] }, /en\/bad\.json.*data\[0\]\.utterances/],
    ['a blank utterance', { name: 'x', locale: 'en', data: [{ intent: 'a', utterances: ['  '] }] }, /data\[0\]\.utterances\[0\]: an utterance must not be blank/],
    ['the reserved None intent', { name: 'x', locale: 'en', data: [{ intent: 'None', utterances: ['x'] }] }, /"None" is reserved/],
    ['an unknown key', { name: 'x', locale: 'en', data: [{ intent: 'a', utterance: ['x'] }] }, /data\[0\]/],
    ['a locale of another folder', { name: 'x', locale: 'fr-FR', data: [{ intent: 'a', utterances: ['x'] }] }, /locale "fr-FR" does not belong in the "en" folder/],
    ['a regex without slashes', { name: 'x', locale: 'en', data: [{ intent: 'a', utterances: ['x'] }], entities: { n: { regex: '\\d+' } } }, /entities\.n\.regex: must be written "\/source\/flags"/],
    ['a regex matching nothing at all', { name: 'x', locale: 'en', data: [{ intent: 'a', utterances: ['x'] }], entities: { n: { regex: '/\\d*/g' } } }, /must not match the empty string/],
    ['an entity with neither regex nor options', { name: 'x', locale: 'en', data: [{ intent: 'a', utterances: ['x'] }], entities: { n: {} } }, /needs "regex" or "options"/],
  ])('names the file and the problem for %s', async (_label, content, message) => {
    await writeCorpusFiles(dir, { 'en/bad.json': content });
    await expect(loadCorpus(dir)).rejects.toThrow(message);
    await expect(loadCorpus(dir)).rejects.toMatchObject({ code: 'invalid_corpus' });
  });

  it('refuses one utterance taught as two intents', async () => {
    await writeCorpusFiles(dir, {
      'en/a.json': { name: 'a', locale: 'en', data: [{ intent: 'hello', utterances: ['Hi there'] }] },
      'en/b.json': { name: 'b', locale: 'en', data: [{ intent: 'bye', utterances: ['hi  there'] }] },
    });
    await expect(loadCorpus(dir)).rejects.toThrow(/b\.json: the utterance "hi {2}there" is taught as "bye" here and as "hello" in .*a\.json/);
  });

  it('refuses an entity declared differently in two files', async () => {
    await writeCorpusFiles(dir, {
      'en/a.json': { name: 'a', locale: 'en', data: [{ intent: 'x', utterances: ['x'] }], entities: { n: { regex: '/\\d+/' } } },
      'en/b.json': { name: 'b', locale: 'en', data: [], entities: { n: { regex: '/\\d{2}/' } } },
    });
    await expect(loadCorpus(dir)).rejects.toThrow(/b\.json: entity "n" is already declared differently in .*a\.json/);
  });

  it('refuses locale folders NLP.js cannot key a model by, and a missing or empty directory', async () => {
    await writeCorpusFiles(dir, { 'en-US/a.json': smallCorpus });
    await expect(loadCorpus(dir)).rejects.toThrow(/en-US: a locale folder must be named by a two-letter/);
    await expect(loadCorpus(path.join(dir, 'missing'))).rejects.toThrow(/Cannot read the intents directory/);
    const empty = await makeTempDir('sb-corpus-empty-');
    try {
      await expect(loadCorpus(empty)).rejects.toThrow(/has no locale folder/);
    } finally {
      await removeDir(empty);
    }
  });
});

describe('corpusHash', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('sb-hash-');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('ignores formatting but not content, engine version or settings', async () => {
    await writeCorpusFiles(dir, { 'en/a.json': smallCorpus });
    const first = corpusHash(await loadCorpus(dir), fingerprint);
    expect(first).toMatch(/^[0-9a-f]{64}$/);

    await writeCorpusFiles(dir, { 'en/a.json': JSON.stringify(smallCorpus) });
    expect(corpusHash(await loadCorpus(dir), fingerprint)).toBe(first);

    const corpus = await loadCorpus(dir);
    expect(corpusHash(corpus, { ...fingerprint, engine: { '@nlpjs/nlp': '1.0.1' } })).not.toBe(first);
    expect(corpusHash(corpus, { ...fingerprint, settings: { useNoneFeature: true } })).not.toBe(first);

    await writeCorpusFiles(dir, {
      'en/a.json': { ...smallCorpus, data: [...smallCorpus.data, { intent: 'thanks', utterances: ['thanks'] }] },
    });
    expect(corpusHash(await loadCorpus(dir), fingerprint)).not.toBe(first);
  });
});
