import path from 'node:path';
import { createLogger } from '../../src/logger.ts';
import { loadCorpus } from '../../src/nlu/corpus.ts';
import { loadTestSuites } from '../../src/nlu/evaluation/test-suite.ts';
import { loadIntentClassifier } from '../../src/nlu/load-intent-classifier.ts';
import { summarizeLatencies, type LatencySummary } from '../support/stats.ts';

export interface NluFigures {
  /** Which model: the demo corpus with the default classifier. */
  model: string;
  locale: string;
  /** Distinct texts classified in turn (the locale's regression suites: what customers type). */
  texts: number;
  classifications: number;
  classificationsPerSecond: number;
  latencyMs: LatencySummary;
}

/**
 * The demo model's classification speed, on its own in this process with
 * nothing else running: one `classify` after another (as a host's turns
 * call it), over the texts of the intent regression suites, after a second
 * of warm-up. Uses the model cache the hosts use, so the model is loaded,
 * not trained, unless the corpus changed.
 */
export async function measureNlu(seconds: number, locale = 'en'): Promise<NluFigures> {
  const intentsDir = path.resolve('intents');
  const logger = createLogger({ level: 'silent', logContent: false });
  const { classifier } = await loadIntentClassifier({ intentsDir, cacheDir: path.resolve('.cache/switchboard'), logger });
  const corpus = (await loadCorpus(intentsDir)).locales.find((candidate) => candidate.locale === locale);
  if (!corpus) throw new Error(`no ${locale} corpus in ${intentsDir}`);
  const suites = await loadTestSuites(intentsDir, corpus, { handoffIntents: [] });
  const texts = suites?.cases.map((testCase) => testCase.text) ?? corpus.intents.flatMap((intent) => intent.utterances);

  const run = async (forMs: number): Promise<number[]> => {
    const latencies: number[] = [];
    const endsAt = performance.now() + forMs;
    for (let index = 0; performance.now() < endsAt; index += 1) {
      const startedAt = performance.now();
      await classifier.classify(texts[index % texts.length] ?? 'hello', locale);
      latencies.push(performance.now() - startedAt);
    }
    return latencies;
  };
  await run(1_000);
  const startedAt = performance.now();
  const latencies = await run(seconds * 1000);
  const elapsed = (performance.now() - startedAt) / 1000;
  return {
    model: 'demo corpus, default classifier (linear)',
    locale,
    texts: texts.length,
    classifications: latencies.length,
    classificationsPerSecond: Math.round(latencies.length / elapsed),
    latencyMs: summarizeLatencies(latencies, 3),
  };
}
