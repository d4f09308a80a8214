import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IntentClassifier } from '../../../src/nlu/intent-classifier.ts';
import { loadIntentClassifier, trainIntentClassifier } from '../../../src/nlu/load-intent-classifier.ts';
import { modelCacheFile } from '../../../src/nlu/model-cache.ts';
import {
  makeTempDir,
  messagesAt,
  recordingLogger,
  removeDir,
  smallCorpus,
  WARN,
  writeCorpusFiles,
} from './nlu-fixtures.ts';

const probes = ['hello', 'where is order b2002', 'see you', 'track it please', 'zebra', ''];

const classifyAll = (classifier: IntentClassifier) =>
  Promise.all(probes.map((text) => classifier.classify(text, 'en')));

describe('loadIntentClassifier', () => {
  let root: string;
  let intentsDir: string;
  let cacheDir: string;

  beforeEach(async () => {
    root = await makeTempDir('sb-nlu-');
    intentsDir = path.join(root, 'intents');
    cacheDir = path.join(root, 'cache');
    await writeCorpusFiles(intentsDir, { 'en/small.json': smallCorpus });
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('trains once, then loads the cached model of an unchanged corpus', async () => {
    const { logger } = recordingLogger();
    const first = await loadIntentClassifier({ intentsDir, cacheDir, logger });
    expect(first.source).toBe('trained');
    expect(first.locales).toEqual(['en']);
    expect(await readdir(cacheDir)).toEqual([`nlu-${first.corpusHash}.json`]);

    const second = await loadIntentClassifier({ intentsDir, cacheDir, logger });
    expect(second.source).toBe('cache');
    expect(second.corpusHash).toBe(first.corpusHash);
    expect(second.classifier.locales).toEqual(['en']);
    expect(await classifyAll(second.classifier)).toEqual(await classifyAll(first.classifier));
  });

  it('retrains when the corpus changes', async () => {
    const { logger } = recordingLogger();
    const first = await loadIntentClassifier({ intentsDir, cacheDir, logger });
    await writeCorpusFiles(intentsDir, {
      'en/thanks.json': { name: 'Thanks', locale: 'en-US', data: [{ intent: 'thanks', utterances: ['thank you', 'thanks a lot'] }] },
    });
    const second = await loadIntentClassifier({ intentsDir, cacheDir, logger });
    expect(second.source).toBe('trained');
    expect(second.corpusHash).not.toBe(first.corpusHash);
    expect((await second.classifier.classify('thanks so much', 'en')).top.intent).toBe('thanks');
  });

  it.each([
    ['not JSON', '{"kind":"switchboard-nlu-model","corp'],
    ['JSON that is not a model', '{"hello":"world"}'],
    ['a model envelope with a broken model', null],
  ])('logs and retrains over a corrupt cache file (%s)', async (_label, content) => {
    const { logger, lines } = recordingLogger();
    const { corpusHash } = await loadIntentClassifier({ intentsDir, cacheDir, logger });
    const file = modelCacheFile(cacheDir, corpusHash);
    const broken =
      content ?? JSON.stringify({ kind: 'switchboard-nlu-model', corpusHash, model: { format: 1, nlu: { locales: ['en'] } } });
    await writeFile(file, broken);

    const retrained = await loadIntentClassifier({ intentsDir, cacheDir, logger });
    expect(retrained.source).toBe('trained');
    expect(messagesAt(lines, WARN).join('\n')).toMatch(/cached NLU model .*retraining/);
    expect((await retrained.classifier.classify('hi there', 'en')).top.intent).toBe('hello');

    // The bad file was replaced by a good one.
    expect((await readFile(file, 'utf8')).startsWith('{"kind":"switchboard-nlu-model"')).toBe(true);
    expect((await loadIntentClassifier({ intentsDir, cacheDir, logger })).source).toBe('cache');
  });

  it('still starts when the cache directory cannot be written', async () => {
    const { logger, lines } = recordingLogger();
    const notADir = path.join(root, 'file');
    await writeFile(notADir, 'x');
    const loaded = await loadIntentClassifier({ intentsDir, cacheDir: path.join(notADir, 'cache'), logger });
    expect(loaded.source).toBe('trained');
    expect(messagesAt(lines, WARN)).toContain('NLU model not cached; the next start will train again');
  });

  it('throws invalid_corpus for a broken corpus, whatever the cache holds', async () => {
    const { logger } = recordingLogger();
    await writeCorpusFiles(intentsDir, { 'en/small.json': { ...smallCorpus, data: 'nope' } });
    await expect(loadIntentClassifier({ intentsDir, cacheDir, logger })).rejects.toMatchObject({
      code: 'invalid_corpus',
      message: expect.stringContaining('small.json') as unknown,
    });
  });
});

describe('trainIntentClassifier', () => {
  let root: string;
  beforeEach(async () => {
    root = await makeTempDir('sb-nlu-train-');
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('always trains, reports what it trained and writes the model the next start loads', async () => {
    const { logger } = recordingLogger();
    const intentsDir = path.join(root, 'intents');
    const cacheDir = path.join(root, 'cache');
    await writeCorpusFiles(intentsDir, { 'en/small.json': smallCorpus });
    await mkdir(cacheDir);

    const trained = await trainIntentClassifier({ intentsDir, cacheDir, logger });
    expect(trained.stats).toEqual([{ locale: 'en', intents: 3, utterances: 12 }]);
    expect(trained.trainingMs).toBeGreaterThanOrEqual(0);
    expect(trained.modelFile).toBe(modelCacheFile(cacheDir, trained.corpusHash));

    const again = await trainIntentClassifier({ intentsDir, logger });
    expect(again.modelFile).toBeUndefined();
    expect(again.corpusHash).toBe(trained.corpusHash);

    expect((await loadIntentClassifier({ intentsDir, cacheDir, logger })).source).toBe('cache');
  });
});
