import type { Logger } from '../logger.ts';
import { corpusHash, loadCorpus, type Corpus } from './corpus.ts';
import type { IntentClassifier } from './intent-classifier.ts';
import { readCachedModel, writeCachedModel } from './model-cache.ts';
import {
  DEFAULT_NLU_CLASSIFIER,
  NlpjsIntentClassifier,
  nlpjsTrainingFingerprint,
  type NlpjsClassifierOptions,
  type NluClassifierKind,
} from './nlpjs-classifier.ts';

/** Which classifier (NLU_CLASSIFIER) and which intents are out-of-scope examples; part of the model's cache key. */
export interface ClassifierChoice {
  /** `linear` or `nlpjs`; DEFAULT_NLU_CLASSIFIER (`linear`) unless given. */
  classifier?: NluClassifierKind;
  /** The bot's out-of-scope intents (see NlpjsClassifierOptions). */
  outOfScopeIntents?: readonly string[];
}

export interface LoadIntentClassifierOptions extends ClassifierChoice {
  /** The folder holding one sub-folder per locale, e.g. `intents`. */
  intentsDir: string;
  /** Where trained models are kept between runs, e.g. `.cache/switchboard`. */
  cacheDir: string;
  logger: Logger;
}

export interface LoadedIntentClassifier {
  classifier: IntentClassifier;
  /** `cache` when an unchanged corpus's model was loaded, `trained` otherwise. */
  source: 'trained' | 'cache';
  corpusHash: string;
  locales: string[];
}

export interface TrainIntentClassifierOptions extends ClassifierChoice {
  intentsDir: string;
  /** When given, the model is written there (and a failure to write is an error). */
  cacheDir?: string;
  logger: Logger;
}

export interface CorpusStats {
  locale: string;
  intents: number;
  utterances: number;
}

export interface TrainedIntentClassifier {
  classifier: IntentClassifier;
  corpusHash: string;
  locales: string[];
  stats: CorpusStats[];
  trainingMs: number;
  /** The model file written, when a cacheDir was given. */
  modelFile?: string;
}

/**
 * The start-up path: reads and validates the corpus, then loads the model
 * cached for exactly this corpus (and NLP.js version, classifier and settings) or trains
 * one and caches it. A missing, corrupt or unusable cache file and a cache
 * directory that cannot be written are logged, never fatal; an invalid corpus
 * throws `invalid_corpus`.
 */
export async function loadIntentClassifier(options: LoadIntentClassifierOptions): Promise<LoadedIntentClassifier> {
  const logger = options.logger.child({ component: 'nlu' });
  const choice = classifierOptions(options);
  const corpus = await loadCorpus(options.intentsDir);
  const hash = corpusHash(corpus, nlpjsTrainingFingerprint(choice));
  const locales = corpus.locales.map((locale) => locale.locale);

  const cached = await readCachedModel(options.cacheDir, hash, logger);
  if (cached !== undefined) {
    try {
      const classifier = await NlpjsIntentClassifier.restore(corpus, cached, logger, choice);
      logger.info({ corpusHash: hash, locales, classifier: choice.classifier }, 'NLU model loaded from cache');
      return { classifier, source: 'cache', corpusHash: hash, locales };
    } catch (error) {
      logger.warn({ err: error, corpusHash: hash }, 'cached NLU model cannot be used; retraining');
    }
  }

  const { classifier } = await train(corpus, hash, logger, choice);
  try {
    const file = await writeCachedModel(options.cacheDir, hash, classifier.exportModel());
    logger.debug({ file }, 'NLU model cached');
  } catch (error) {
    logger.warn({ err: error, cacheDir: options.cacheDir }, 'NLU model not cached; the next start will train again');
  }
  return { classifier, source: 'trained', corpusHash: hash, locales };
}

/**
 * Always trains (for `switchboard intents train`), and writes the model to
 * `cacheDir` when given so the next start loads it.
 */
export async function trainIntentClassifier(options: TrainIntentClassifierOptions): Promise<TrainedIntentClassifier> {
  const logger = options.logger.child({ component: 'nlu' });
  const choice = classifierOptions(options);
  const corpus = await loadCorpus(options.intentsDir);
  const hash = corpusHash(corpus, nlpjsTrainingFingerprint(choice));
  const { classifier, trainingMs } = await train(corpus, hash, logger, choice);
  const result: TrainedIntentClassifier = {
    classifier,
    corpusHash: hash,
    locales: corpus.locales.map((locale) => locale.locale),
    stats: corpusStats(corpus),
    trainingMs,
  };
  if (options.cacheDir !== undefined) {
    result.modelFile = await writeCachedModel(options.cacheDir, hash, classifier.exportModel());
  }
  return result;
}

async function train(
  corpus: Corpus,
  hash: string,
  logger: Logger,
  choice: NlpjsClassifierOptions,
): Promise<{ classifier: NlpjsIntentClassifier; trainingMs: number }> {
  const startedAt = performance.now();
  const classifier = await NlpjsIntentClassifier.train(corpus, logger, choice);
  const trainingMs = Math.round(performance.now() - startedAt);
  logger.info(
    { corpusHash: hash, classifier: choice.classifier, stats: corpusStats(corpus), trainingMs },
    'NLU model trained',
  );
  return { classifier, trainingMs };
}

function classifierOptions(choice: ClassifierChoice): NlpjsClassifierOptions {
  return {
    classifier: choice.classifier ?? DEFAULT_NLU_CLASSIFIER,
    ...(choice.outOfScopeIntents ? { outOfScopeIntents: choice.outOfScopeIntents } : {}),
  };
}

function corpusStats(corpus: Corpus): CorpusStats[] {
  return corpus.locales.map((locale) => ({
    locale: locale.locale,
    intents: locale.intents.length,
    utterances: locale.intents.reduce((sum, intent) => sum + intent.utterances.length, 0),
  }));
}
