import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus, type Corpus } from '../../../src/nlu/corpus.ts';
import { loadTestSuites } from '../../../src/nlu/evaluation/test-suite.ts';
import { DEFAULT_LINEAR_SETTINGS, LinearIntentModel } from '../../../src/nlu/linear-model.ts';
import { readNluOutput } from '../../../src/nlu/nlpjs-answers.ts';
import { createNlp, intentModelRunner, type NlpjsNlp } from '../../../src/nlu/nlpjs-runtime.ts';
import { recordingLogger } from './nlu-fixtures.ts';

const INTENTS_DIR = path.resolve(import.meta.dirname, '../../../intents');

describe('intentModelRunner', () => {
  let corpus: Corpus;
  let nlp: NlpjsNlp;

  beforeAll(async () => {
    corpus = await loadCorpus(INTENTS_DIR);
    nlp = createNlp(corpus.locales.map((locale) => locale.locale), { useNoneFeature: false }, recordingLogger().logger, {
      name: 'LinearNlu',
      train: (samples) => LinearIntentModel.train(samples, DEFAULT_LINEAR_SETTINGS, []),
      restore: (json) => LinearIntentModel.fromJSON(json),
    });
    for (const locale of corpus.locales) {
      for (const { intent, utterances } of locale.intents) {
        for (const utterance of utterances) nlp.addDocument(locale.locale, utterance, intent);
      }
    }
    await nlp.train();
  });

  it('answers what NLP.js’s NLU manager answers, over the regression suites and the corpus', async () => {
    for (const locale of corpus.locales) {
      const runner = intentModelRunner(nlp, locale.locale);
      expect(runner, locale.locale).toBeDefined();
      const suites = await loadTestSuites(INTENTS_DIR, locale, { handoffIntents: [] });
      const texts = [
        ...(suites?.cases.map((testCase) => testCase.text) ?? []),
        ...locale.intents.flatMap((intent) => intent.utterances),
        'zzzz qqqq',
        '12345',
      ];
      expect(texts.length).toBeGreaterThan(100);
      for (const text of texts) {
        const direct = await runner?.process(text);
        const managed = readNluOutput(await nlp.nluManager.process({ locale: locale.locale, utterance: text, settings: { useNoneFeature: false } }));
        // The manager sorts best first (stable) and says None/1 for an empty answer.
        const sorted = [...(direct?.classifications ?? [])].sort((a, b) => b.score - a.score);
        expect(managed.classifications, text).toEqual(sorted.length > 0 ? sorted : [{ intent: 'None', score: 1 }]);
        expect(managed.outOfScope, text).toBe(direct?.outOfScope);
      }
    }
  });

  it('is undefined where NLP.js’s own NLU classifies', () => {
    const own = createNlp(['en'], { useNoneFeature: false }, recordingLogger().logger);
    expect(intentModelRunner(own, 'en')).toBeUndefined();
  });
});
