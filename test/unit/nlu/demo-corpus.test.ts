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

/** The same, in Spanish, as Spanish customers write (with and without accents). */
const UNSEEN_ES: Record<string, string[]> = {
  greeting: ['hola hola, buenos días', 'buenas, ¿qué tal va?', 'holaa buenas tardes'],
  goodbye: ['vale, adiós', 'nos vemos otro día', 'me voy ya, chao'],
  thanks: ['gracias mil', 'muchas gracias, muy amable', 'genial, gracias!'],
  help: ['¿en qué me ayudas?', '¿qué cosas puedes hacer?', 'necesito ayuda aquí'],
  'order.status': ['donde esta mi pedido a1001', '¿ya enviaron mi paquete?', 'seguimiento del pedido Z9876 por favor'],
  'order.cancel': ['quiero cancelar el pedido Q4455', 'cancela mi compra por favor', '¿me lo cancelas?'],
  'order.return': ['¿cómo devuelvo estos pantalones?', 'quiero devolverlo y que me reembolsen', '¿política de devolución?'],
  'store.hours': ['¿a qué hora abren el sábado?', '¿abren tarde los jueves?', '¿cuándo cierra la tienda?'],
  'delivery.options': ['¿envían a Alemania?', '¿cuánto vale el envío exprés?', '¿el envío es gratuito?'],
  'agent.request': ['quiero hablar con una persona de verdad', 'déjame hablar con un agente', 'pásame con un humano ya'],
};

describe('the demo corpus (intents/en, intents/es)', () => {
  let corpus: Corpus;
  let classifier: NlpjsIntentClassifier;

  beforeAll(async () => {
    corpus = await loadCorpus(INTENTS_DIR);
    classifier = await NlpjsIntentClassifier.train(corpus, recordingLogger().logger);
  });

  it.each(['en', 'es'])('has exactly the demo intents in %s, each with at least 25 utterances, and the entities', (code) => {
    const locale = corpus.locales.find((candidate) => candidate.locale === code);
    expect(locale?.intents.map((intent) => intent.intent).sort()).toEqual([...DEMO_INTENTS].sort());
    for (const intent of locale?.intents ?? []) expect(intent.utterances.length).toBeGreaterThanOrEqual(25);
    expect(Object.keys(locale?.entities ?? {}).sort()).toEqual(['date', 'email', 'orderNumber', 'phoneNumber']);
  });

  it('the test messages are not training utterances', () => {
    const taught = new Set(
      corpus.locales.flatMap((locale) => locale.intents.flatMap((intent) => intent.utterances.map((u) => u.toLowerCase()))),
    );
    for (const text of [...Object.values(UNSEEN), ...Object.values(UNSEEN_ES)].flat()) expect(taught.has(text.toLowerCase()), text).toBe(false);
  });

  it.each(DEMO_INTENTS)('recognises %s from messages it was not trained on', async (intent) => {
    for (const text of UNSEEN[intent] ?? []) {
      const { top } = await classifier.classify(text, 'en');
      expect(top.intent, text).toBe(intent);
      expect(top.score, text).toBeGreaterThan(0.5);
    }
  });

  it.each(DEMO_INTENTS)('recognises %s in Spanish from messages it was not trained on', async (intent) => {
    for (const text of UNSEEN_ES[intent] ?? []) {
      const { top } = await classifier.classify(text, 'es');
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

  it('reads anger in Spanish, and not in an ordinary Spanish question', async () => {
    expect((await classifier.classify('qué asco de servicio, sois unos ladrones', 'es')).sentiment.score).toBeLessThanOrEqual(-0.5);
    expect((await classifier.classify('¿a qué hora abre la tienda mañana?', 'es')).sentiment.score).toBeGreaterThan(-0.5);
    expect((await classifier.classify('mi correo es josé@ejemplo.es', 'es')).sentiment.score).toBeGreaterThan(-0.5);
  });

  it('reads the sentiment', async () => {
    const angry = await classifier.classify('this is terrible, I am furious', 'en');
    expect(angry.sentiment.vote).toBe('negative');
    expect(angry.sentiment.score).toBeLessThan(0);
    expect((await classifier.classify('great, thank you so much', 'en')).sentiment.vote).toBe('positive');
  });
});
