import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OOS_THRESHOLD } from '../../../src/handoff/escalation-policy.ts';
import { loadCorpus, type Corpus } from '../../../src/nlu/corpus.ts';
import { NO_INTENT } from '../../../src/nlu/intent-classifier.ts';
import { DEFAULT_LINEAR_SETTINGS, LinearIntentModel } from '../../../src/nlu/linear-model.ts';
import { loadIntentClassifier } from '../../../src/nlu/load-intent-classifier.ts';
import { modelCacheFile } from '../../../src/nlu/model-cache.ts';
import { NlpjsIntentClassifier } from '../../../src/nlu/nlpjs-classifier.ts';
import { countTerms } from '../../../src/nlu/text-features.ts';
import { makeTempDir, recordingLogger, removeDir, writeCorpusFiles } from './nlu-fixtures.ts';

/** A small pizzeria: five intents, a few ways to say each, one order-number entity. */
const pizzeria = {
  name: 'Pizzeria',
  locale: 'en-US',
  data: [
    {
      intent: 'greet',
      utterances: ['hello', 'hi there', 'good morning', 'hey', 'good evening', 'hello, anyone there?'],
    },
    {
      intent: 'pizza.order',
      utterances: [
        'I would like to order a pizza',
        'can I get a large margherita',
        'order two pepperoni pizzas please',
        'I want a pizza delivered',
        'one vegetarian pizza for delivery',
        'get me a pizza with extra cheese',
      ],
    },
    {
      intent: 'pizza.track',
      utterances: [
        'where is my pizza',
        'how long until my order arrives',
        'track order P1234',
        'is my delivery on its way',
        'my pizza has not arrived yet',
        'what is the status of my order',
      ],
    },
    {
      intent: 'hours',
      utterances: [
        'when are you open',
        'what are your opening hours',
        'are you open on sunday',
        'what time do you close tonight',
        'opening times please',
        'until when are you open today',
      ],
    },
    {
      intent: 'thanks',
      utterances: ['thank you', 'thanks a lot', 'many thanks', 'cheers, thanks', 'thank you so much', 'great, thanks'],
    },
  ],
  entities: { orderNumber: { regex: '/\\b[a-z]\\d{4}\\b/gi', normalize: 'uppercase' } },
};

/** Things a pizzeria is not for, taught as the bot's out-of-scope intent. */
const chitchat = {
  name: 'Out of scope',
  locale: 'en-US',
  data: [
    {
      intent: 'chitchat',
      utterances: [
        'what is the weather tomorrow',
        'tell me a joke',
        'who won the football match',
        'what is the capital of france',
        'play some music',
        'how tall is mount everest',
      ],
    },
  ],
};

const gibberish = ['zxqv blorf wibble', 'qwpoeiru asdkjh', 'flurbo grimble snorf'];

describe('the linear classifier inside NLP.js (small synthetic corpus)', () => {
  let dir: string;
  let corpus: Corpus;
  let classifier: NlpjsIntentClassifier;
  const logger = recordingLogger().logger;

  beforeAll(async () => {
    dir = await makeTempDir('sb-linear-');
    await writeCorpusFiles(dir, { 'en/pizzeria.json': pizzeria });
    corpus = await loadCorpus(dir);
    classifier = await NlpjsIntentClassifier.train(corpus, logger, { classifier: 'linear' });
  });
  afterAll(async () => {
    await removeDir(dir);
  });

  it('trains deterministically: the same corpus gives the same model, byte for byte', async () => {
    const again = await NlpjsIntentClassifier.train(corpus, logger, { classifier: 'linear' });
    expect(again.classifier).toBe('linear');
    expect(JSON.stringify(again.exportModel())).toBe(JSON.stringify(classifier.exportModel()));
  });

  it.each([
    ['hi, good afternoon', 'greet'],
    ['I need a pizza with mushrooms', 'pizza.order'],
    ['where is my order P9876', 'pizza.track'],
    ['are you open on monday evening', 'hours'],
    ['thanks so much', 'thanks'],
  ])('ranks the right intent first for "%s"', async (text, intent) => {
    const result = await classifier.classify(text, 'en');
    expect(result.top).toEqual(result.intents[0]);
    expect(result.top.intent).toBe(intent);
    expect(result.top.score).toBeGreaterThan(0.5);
    const scores = result.intents.map((candidate) => candidate.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(scores.reduce((sum, score) => sum + score, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  it('scores gibberish as out of scope and training-like text as known', async () => {
    for (const text of gibberish) {
      const { outOfScope, top } = await classifier.classify(text, 'en');
      expect(outOfScope, text).toBeGreaterThan(0.8);
      expect(top.intent, text).not.toBe(NO_INTENT); // top.score stays the top intent's own score
    }
    // Below the default escalation threshold, with room to spare.
    for (const text of ['hello there', 'what are your opening hours today', 'track order P1111', 'thank you very much']) {
      expect((await classifier.classify(text, 'en')).outOfScope, text).toBeLessThan(DEFAULT_OOS_THRESHOLD / 1.5);
    }
    expect(await classifier.classify('   ', 'en')).toMatchObject({ top: { intent: NO_INTENT, score: 0 }, outOfScope: 1 });
  });

  it('keeps NLP.js for entities and sentiment', async () => {
    const result = await classifier.classify('track order p1234', 'en');
    expect(result.entities).toEqual([{ entity: 'orderNumber', value: 'P1234', sourceText: 'p1234', start: 12, end: 17 }]);
    expect((await classifier.classify('this is terrible, I am furious', 'en')).sentiment.vote).toBe('negative');
  });

  it('round-trips through exportModel and restore, and refuses a model of the other classifier', async () => {
    const exported = JSON.parse(JSON.stringify(classifier.exportModel())) as unknown;
    const restored = await NlpjsIntentClassifier.restore(corpus, exported, logger, { classifier: 'linear' });
    for (const text of ['hi there', 'pizza with olives', 'when do you close', ...gibberish]) {
      expect(await restored.classify(text, 'en')).toEqual(await classifier.classify(text, 'en'));
    }
    await expect(NlpjsIntentClassifier.restore(corpus, exported, logger, { classifier: 'nlpjs' })).rejects.toThrow(
      /not a model of the nlpjs classifier/,
    );
  });

  it('reads a trained out-of-scope intent as out-of-scope evidence', async () => {
    const withChitchat = path.join(dir, 'with-chitchat');
    await writeCorpusFiles(withChitchat, { 'en/pizzeria.json': pizzeria, 'en/chitchat.json': chitchat });
    const trained = await NlpjsIntentClassifier.train(await loadCorpus(withChitchat), logger, {
      classifier: 'linear',
      outOfScopeIntents: ['chitchat'],
    });
    const weather = await trained.classify('what will the weather be like on friday', 'en');
    expect(weather.top.intent).toBe('chitchat');
    expect(weather.outOfScope).toBeGreaterThan(0.8);
    expect((await trained.classify('I would like to order a pizza', 'en')).outOfScope).toBeLessThan(0.1);
  });
});

describe('loadIntentClassifier with the linear classifier', () => {
  let root: string;
  beforeAll(async () => {
    root = await makeTempDir('sb-linear-cache-');
    await writeCorpusFiles(path.join(root, 'intents'), { 'en/pizzeria.json': pizzeria });
  });
  afterAll(async () => {
    await removeDir(root);
  });

  it('caches the model and loads it back with the same answers; the classifier is part of the cache key', async () => {
    const { logger } = recordingLogger();
    const options = { intentsDir: path.join(root, 'intents'), cacheDir: path.join(root, 'cache'), logger };
    const first = await loadIntentClassifier({ ...options, classifier: 'linear' });
    expect(first.source).toBe('trained');
    const second = await loadIntentClassifier({ ...options, classifier: 'linear' });
    expect(second.source).toBe('cache');
    expect(second.corpusHash).toBe(first.corpusHash);
    for (const text of ['hello', 'order a pizza', 'where is P1234', ...gibberish, '']) {
      expect(await second.classifier.classify(text, 'en')).toEqual(await first.classifier.classify(text, 'en'));
    }
    const file = JSON.parse(await readFile(modelCacheFile(options.cacheDir, first.corpusHash), 'utf8')) as { model: unknown };
    expect(file.model).toMatchObject({ classifier: 'linear' });

    const stock = await loadIntentClassifier({ ...options, classifier: 'nlpjs' });
    expect(stock.corpusHash).not.toBe(first.corpusHash);
    expect((await stock.classifier.classify('hello', 'en')).outOfScope).toBeUndefined();
    const designated = await loadIntentClassifier({ ...options, classifier: 'linear', outOfScopeIntents: ['chitchat'] });
    expect(designated.corpusHash).not.toBe(first.corpusHash);
  });
});

describe('LinearIntentModel', () => {
  const sample = (text: string, intent: string) => {
    const tokens = text.split(' ');
    return { analysis: { tokens, stems: tokens }, intent };
  };
  const samples = [
    sample('red apple', 'fruit'),
    sample('green pear', 'fruit'),
    sample('fast car', 'vehicle'),
    sample('slow truck', 'vehicle'),
  ];

  it('hashes the same terms the same way, and words apart from characters', () => {
    const analysis = { tokens: ['red', 'apples'], stems: ['red', 'appl'] };
    const terms = countTerms(analysis, DEFAULT_LINEAR_SETTINGS);
    expect(countTerms(analysis, DEFAULT_LINEAR_SETTINGS)).toEqual(terms);
    // 2 unigrams + 3 bigrams (with the sentence boundaries); character 3–5-grams of " red " and " apples ".
    expect(terms.words.counts.reduce((a, b) => a + b, 0)).toBe(5);
    expect(terms.chars.counts.reduce((a, b) => a + b, 0)).toBe(3 + 2 + 1 + 6 + 5 + 4);
    // Every bucket once, in the hash space.
    expect(new Set(terms.chars.buckets).size).toBe(terms.chars.buckets.length);
    for (const bucket of [...terms.words.buckets, ...terms.chars.buckets]) expect(bucket).toBeLessThan(2 ** 18);
  });

  it('counts the terms of a long message (more than its scratch table first holds)', () => {
    const tokens = Array.from({ length: 400 }, (_, i) => `w${i.toString(36)}x`);
    const terms = countTerms({ tokens, stems: tokens }, DEFAULT_LINEAR_SETTINGS);
    expect(terms.words.counts.reduce((a, b) => a + b, 0)).toBe(400 + 401);
    const grams = tokens.reduce((sum, token) => sum + [3, 4, 5].reduce((n, size) => n + token.length + 3 - size, 0), 0);
    expect(terms.chars.counts.reduce((a, b) => a + b, 0)).toBe(grams);
    expect(countTerms({ tokens, stems: tokens }, DEFAULT_LINEAR_SETTINGS)).toEqual(terms);
  });

  it('refuses an inconsistent or foreign model', () => {
    const json = LinearIntentModel.train(samples).toJSON();
    expect(LinearIntentModel.fromJSON(JSON.parse(JSON.stringify(json))).classify({ tokens: ['apple'], stems: ['apple'] }).intents[0]?.intent).toBe(
      'fruit',
    );
    expect(() => LinearIntentModel.fromJSON({ ...json, bias: '' })).toThrow(/inconsistent/);
    expect(() => LinearIntentModel.fromJSON({ ...json, format: 'something-else' })).toThrow();
    expect(() => LinearIntentModel.fromJSON({ ...json, weights: { ...json.weights, values: 'AAAA' } })).toThrow(/inconsistent/);
  });
});
