import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type Corpus } from '../../../src/nlu/corpus.ts';
import { NO_INTENT } from '../../../src/nlu/intent-classifier.ts';
import { NlpjsIntentClassifier } from '../../../src/nlu/nlpjs-classifier.ts';
import { recordingLogger } from './nlu-fixtures.ts';

const INTENTS_DIR = path.resolve(import.meta.dirname, '../../../intents');

const DEMO_INTENTS = [
  'greeting',
  'goodbye',
  'thanks',
  'help',
  'order.status',
  'order.cancel',
  'order.return',
  'store.hours',
  'delivery.options',
  'agent.request',
];

/** Customer messages written for this test: none of them is a training utterance. */
const UNSEEN: Record<string, string[]> = {
  greeting: ['hello hello', 'hey, good morning to you', 'good evening folks'],
  goodbye: ['ok, bye then', 'see you soon', 'I am off now, goodbye'],
  thanks: ['thanks heaps', 'thank you, very kind', 'great help, thanks!'],
  help: ['what can you help with', 'what sort of things can you do?', 'I need some help here'],
  'order.status': ['where is my order a1001', 'has my parcel been shipped?', 'track order Z9876 please'],
  'order.cancel': ['I want to cancel order Q4455', 'please cancel my purchase', 'can you cancel it for me'],
  'order.return': ['how can I return these jeans', 'I want to send this back and get a refund', 'return policy?'],
  'store.hours': ['what time do you open on saturday', 'are you open late on thursdays', 'when does the store close'],
  'delivery.options': ['do you ship to germany', 'how much is express delivery', 'is shipping free'],
  'agent.request': ['I want to speak to a real person', 'let me talk to an agent', 'get me a human now'],
};

describe('the demo corpus (intents/en)', () => {
  let corpus: Corpus;
  let classifier: NlpjsIntentClassifier;

  beforeAll(async () => {
    corpus = await loadCorpus(INTENTS_DIR);
    classifier = await NlpjsIntentClassifier.train(corpus, recordingLogger().logger);
  });

  it('has exactly the demo intents, each with at least 25 utterances', () => {
    const en = corpus.locales.find((locale) => locale.locale === 'en');
    expect(en?.intents.map((intent) => intent.intent).sort()).toEqual([...DEMO_INTENTS].sort());
    for (const intent of en?.intents ?? []) expect(intent.utterances.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(en?.entities ?? {}).sort()).toEqual(['email', 'orderNumber']);
  });

  it('the test messages are not training utterances', () => {
    const taught = new Set(
      corpus.locales.flatMap((locale) => locale.intents.flatMap((intent) => intent.utterances.map((u) => u.toLowerCase()))),
    );
    for (const text of Object.values(UNSEEN).flat()) expect(taught.has(text.toLowerCase()), text).toBe(false);
  });

  it.each(DEMO_INTENTS)('recognises %s from messages it was not trained on', async (intent) => {
    for (const text of UNSEEN[intent] ?? []) {
      const { top } = await classifier.classify(text, 'en');
      expect(top.intent, text).toBe(intent);
      expect(top.score, text).toBeGreaterThan(0.5);
    }
  });

  it('gives gibberish a raw score below 1, not NLP.js\'s None at 1.0', async () => {
    const { top, intents } = await classifier.classify('purple elephant quantum', 'en');
    expect(top.score).toBeLessThan(1);
    expect(top).toEqual(intents[0]);
    expect(top).not.toEqual({ intent: NO_INTENT, score: 1 });
  });

  it('keeps a top score under NLP.js\'s 0.5 threshold instead of replacing it', async () => {
    const { top } = await classifier.classify('what is the weather in paris', 'en');
    expect(top.intent).not.toBe(NO_INTENT);
    expect(top.score).toBeGreaterThan(0);
    expect(top.score).toBeLessThan(0.5);
  });

  it('extracts the order number, upper-cased, and an e-mail address', async () => {
    const { entities } = await classifier.classify('where is my order a1001', 'en');
    expect(entities).toEqual([{ entity: 'orderNumber', value: 'A1001', sourceText: 'a1001', start: 18, end: 23 }]);
    const withEmail = await classifier.classify('please email jo.doe+shop@example.co.uk about it', 'en');
    expect(withEmail.entities.map((entity) => [entity.entity, entity.value])).toEqual([
      ['email', 'jo.doe+shop@example.co.uk'],
    ]);
  });

  it('reads the sentiment', async () => {
    const angry = await classifier.classify('this is terrible, I am furious', 'en');
    expect(angry.sentiment.vote).toBe('negative');
    expect(angry.sentiment.score).toBeLessThan(0);
    expect((await classifier.classify('great, thank you so much', 'en')).sentiment.vote).toBe('positive');
  });
});
