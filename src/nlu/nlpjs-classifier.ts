import { z } from 'zod';
import { SwitchboardError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';
import type { Corpus, EntityDefinition, LocaleCorpus, TrainingFingerprint } from './corpus.ts';
import { blankSpan } from './entities/blank-span.ts';
import { BUILTIN_ENTITY_KINDS, builtinExtractor } from './entities/builtin-entity.ts';
import type { EntityExtractor } from './entities/entity-match.ts';
import { withoutOverlaps } from './entities/overlapping-entities.ts';
import {
  NO_INTENT,
  type Classification,
  type ClassifyOptions,
  type Entity,
  type IntentClassifier,
  type IntentScore,
  type LocaleDetection,
  type Sentiment,
} from './intent-classifier.ts';
import { LanguageDetector } from './language-detector.ts';
import { isRecord } from './is-record.ts';
import { DEFAULT_LINEAR_SETTINGS, LinearIntentModel, type LinearSettings } from './linear-model.ts';
import { readNerOutput, readNluOutput, readSentimentOutput, type NerEntity } from './nlpjs-answers.ts';
import { createNlp, intentModelRunner, nlpjsVersions, type IntentModelPlugin, type IntentModelRunner, type NlpjsNlp } from './nlpjs-runtime.ts';

/**
 * The intent classifiers that can run inside NLP.js: `linear` (ours, a
 * linear SVM over TF-IDF word and character n-grams, linear-model.ts, with
 * an out-of-scope score) or `nlpjs` (NLP.js's own neural NLU).
 */
export const NLU_CLASSIFIERS = ['linear', 'nlpjs'] as const;
export type NluClassifierKind = (typeof NLU_CLASSIFIERS)[number];

/** The framework's default (NLU_CLASSIFIER): better on the demo corpus and on CLINC150 (README, "NLU"). */
export const DEFAULT_NLU_CLASSIFIER: NluClassifierKind = 'linear';

export interface NlpjsClassifierOptions {
  /** Which intent classifier runs inside NLP.js; `nlpjs` (its own) unless given. */
  classifier?: NluClassifierKind;
  /**
   * Intents whose utterances are examples of what the bot does not do (the
   * bot's `outOfScopeIntents`). The linear classifier trains them like any
   * intent and reads their score as out-of-scope evidence. Ignored by `nlpjs`.
   */
  outOfScopeIntents?: readonly string[];
  /** Overrides of DEFAULT_LINEAR_SETTINGS (for experiments such as bench/nlu-clinc150.ts). */
  linearSettings?: Partial<LinearSettings>;
}

/** The name our linear classifier is registered under in NLP.js's container. */
const LINEAR_NLU = 'LinearNlu';

interface ResolvedOptions {
  classifier: NluClassifierKind;
  outOfScopeIntents: string[];
  linearSettings: LinearSettings;
}

function linearPlugin(options: ResolvedOptions): IntentModelPlugin {
  return {
    name: LINEAR_NLU,
    train: (samples) => LinearIntentModel.train(samples, options.linearSettings, options.outOfScopeIntents),
    restore: (json) => LinearIntentModel.fromJSON(json),
  };
}

function resolveOptions(options: NlpjsClassifierOptions): ResolvedOptions {
  return {
    classifier: options.classifier ?? 'nlpjs',
    outOfScopeIntents: [...new Set(options.outOfScopeIntents ?? [])].sort(),
    linearSettings: { ...DEFAULT_LINEAR_SETTINGS, ...options.linearSettings },
  };
}

/**
 * Settings of NLP.js's NLU manager that shape the trained model. Part of the
 * model's cache key: change one and every cached model is retrained.
 *
 * `useNoneFeature` stays off (NLP.js's default): with it on, NLP.js trains a
 * `None` class fed by unknown words, which in our evaluation barely moved
 * out-of-scope sentences and turned pure gibberish into `None` at 1.0, which
 * reads exactly like NLP.js's thresholded answer. Out-of-scope is left to the
 * raw scores and the escalation policy's threshold.
 */
export const NLPJS_TRAINING_SETTINGS = Object.freeze({ useNoneFeature: false });

/** Bump when the shape of what `exportModel` returns changes. */
const MODEL_FORMAT = 2;

/** What besides the corpus decides the model: for `corpusHash`. */
export function nlpjsTrainingFingerprint(options: NlpjsClassifierOptions = {}): TrainingFingerprint {
  const { classifier, outOfScopeIntents, linearSettings } = resolveOptions(options);
  return {
    engine: nlpjsVersions(),
    settings: {
      modelFormat: MODEL_FORMAT,
      nlu: NLPJS_TRAINING_SETTINGS,
      classifier,
      ...(classifier === 'linear' ? { linear: linearSettings, outOfScopeIntents } : {}),
    },
  };
}

const neutral = (): Sentiment => ({ score: 0, vote: 'neutral' });

/**
 * NLP.js (an intent classifier per locale, regex/enum entity extraction and a
 * dictionary sentiment analyser) behind `IntentClassifier`. The intent
 * classifier is NLP.js's neural NLU (`nlpjs`) or our linear one (`linear`),
 * registered in NLP.js's container as an NLU plugin: NLP.js still
 * normalises, tokenises and stems the text with the locale's language
 * package, and runs NER and sentiment.
 *
 * Scores are the intent classifier's raw output (what
 * `nluManager.process()` gives as `classifications`). NLP.js's neural NLU squares and normalises them to sum
 * to 1 over the intents the utterance activates; the linear one gives the
 * intents' probabilities (those of at least 0.001), plus `outOfScope`. NLP.js's own thresholding
 * (`Nlp.process` turns a top score under `threshold` into `None` with score 1;
 * `NluManager.checkIfIsNone` does the same for ties) is never applied.
 */
export class NlpjsIntentClassifier implements IntentClassifier {
  readonly locales: readonly string[];
  private readonly entitiesByLocale: ReadonlyMap<string, Readonly<Record<string, EntityDefinition>>>;
  /** The built-in entities of each locale (e-mail, phone number, date), by the corpus's names for them. */
  private readonly builtinsByLocale: ReadonlyMap<string, ReadonlyArray<{ entity: string; extract: EntityExtractor }>>;
  private readonly languages: LanguageDetector;
  /** The linear classifier of each locale, called directly (`classifyIntents`); none for NLP.js's own. */
  private readonly intentRunners: ReadonlyMap<string, IntentModelRunner>;

  private constructor(
    private readonly nlp: NlpjsNlp,
    corpus: Corpus,
    /** Which intent classifier runs inside NLP.js. */
    readonly classifier: NluClassifierKind,
  ) {
    this.locales = Object.freeze(corpus.locales.map((locale) => locale.locale));
    this.entitiesByLocale = new Map(corpus.locales.map((locale) => [locale.locale, locale.entities]));
    this.languages = new LanguageDetector(corpus);
    // The model is trained or restored before this runs: its NLU objects are final.
    this.intentRunners = new Map(
      classifier === 'linear'
        ? this.locales.flatMap((locale) => {
            const runner = intentModelRunner(nlp, locale);
            return runner ? [[locale, runner] as const] : [];
          })
        : [],
    );
    this.builtinsByLocale = new Map(
      corpus.locales.map((locale) => [
        locale.locale,
        Object.entries(locale.entities)
          .flatMap(([entity, definition]) =>
            definition.builtin ? [{ entity, kind: definition.builtin.builtin, extract: builtinExtractor(definition.builtin, locale.locale) }] : [],
          )
          .sort((a, b) => BUILTIN_ENTITY_KINDS.indexOf(a.kind) - BUILTIN_ENTITY_KINDS.indexOf(b.kind)),
      ]),
    );
  }

  /** Trains a model for every locale of the corpus. */
  static async train(corpus: Corpus, logger: Logger, options: NlpjsClassifierOptions = {}): Promise<NlpjsIntentClassifier> {
    const resolved = resolveOptions(options);
    const nlp = prepareNlp(corpus, logger, resolved);
    for (const locale of corpus.locales) {
      for (const { intent, utterances } of locale.intents) {
        for (const utterance of utterances) nlp.addDocument(locale.locale, utterance, intent);
      }
    }
    await nlp.train();
    return new NlpjsIntentClassifier(nlp, corpus, resolved.classifier);
  }

  /**
   * Rebuilds a classifier from `exportModel()`'s output and the same corpus
   * (entities are not part of the model: they are set up again from the
   * corpus). Throws if the model does not fit the corpus or does not work.
   */
  static async restore(
    corpus: Corpus,
    model: unknown,
    logger: Logger,
    options: NlpjsClassifierOptions = {},
  ): Promise<NlpjsIntentClassifier> {
    const resolved = resolveOptions(options);
    if (!isRecord(model) || model.format !== MODEL_FORMAT || !isRecord(model.nlu)) {
      throw new Error('not a Switchboard NLP.js model');
    }
    if (model.classifier !== resolved.classifier) {
      throw new Error(`the model is not a model of the ${resolved.classifier} classifier`);
    }
    const expected = corpus.locales.map((locale) => locale.locale);
    const locales = z.array(z.string()).safeParse(model.nlu.locales);
    if (!locales.success || [...locales.data].sort().join() !== [...expected].sort().join()) {
      throw new Error(`the model's locales do not match the corpus (${expected.join(', ')})`);
    }
    const nlp = prepareNlp(corpus, logger, resolved);
    nlp.nluManager.fromJSON(model.nlu);
    const classifier = new NlpjsIntentClassifier(nlp, corpus, resolved.classifier);
    // A model that imports but cannot classify is as bad as a corrupt file.
    for (const locale of corpus.locales) {
      await classifier.classify(locale.intents[0]?.utterances[0] ?? 'hello', locale.locale);
    }
    return classifier;
  }

  /** The trained state as a JSON value, for `restore`. Entities are not included. */
  exportModel(): unknown {
    const nlu: unknown = JSON.parse(JSON.stringify(this.nlp.nluManager.toJSON()));
    return { format: MODEL_FORMAT, classifier: this.classifier, nlu };
  }

  async classify(text: string, locale: string, options: ClassifyOptions = {}): Promise<Classification> {
    const resolved = this.resolveLocale(locale);
    if (text.trim() === '') {
      const none = { intent: NO_INTENT, score: 0 };
      const unknown = this.classifier === 'linear' ? { outOfScope: 1 } : {};
      return { locale: resolved, intents: [none], top: none, entities: [], sentiment: neutral(), ...unknown };
    }
    const input = { locale: resolved, utterance: text };
    const { classifications, outOfScope } = await this.classifyIntents(input);
    const nerEntities = readNerOutput(await this.nlp.ner.process({ ...input }));
    const entities = this.toEntities(text, resolved, nerEntities, options.referenceDate ?? new Date());
    // An e-mail address, an order or phone number carries no feeling, but its
    // pieces can look like words of a sentiment lexicon ("…@ejemplo.es" holds
    // "es"). Entities written in words ("last night") stay: they are words.
    const feeling = entities
      .filter((entity) => /[\p{N}@]/u.test(entity.sourceText))
      .reduce((rest, entity) => blankSpan(rest, entity.start, entity.end), text);
    const sentiment = readSentimentOutput(await this.nlp.sentiment.process({ locale: resolved, utterance: feeling }));

    const intents = rankIntents(classifications);
    const top = intents[0] ?? { intent: NO_INTENT, score: 0 };
    return {
      locale: resolved,
      intents: intents.length > 0 ? intents : [top],
      top,
      entities,
      sentiment: { score: sentiment.score, vote: sentiment.vote },
      ...(outOfScope === undefined ? {} : { outOfScope }),
    };
  }

  /**
   * The intent classifier's answer. The linear one is called directly, as
   * NLP.js's NLU manager would call it (see `intentModelRunner`): the same
   * answer for a fraction of the work. NLP.js's own goes through the manager.
   */
  private async classifyIntents(input: { locale: string; utterance: string }): Promise<{ classifications: IntentScore[]; outOfScope?: number }> {
    const runner = this.intentRunners.get(input.locale);
    if (runner) return runner.process(input.utterance);
    // The per-call settings must repeat the training ones: NLP.js reads
    // `useNoneFeature` from them when it turns the utterance into features.
    return readNluOutput(await this.nlp.nluManager.process({ ...input, settings: { ...NLPJS_TRAINING_SETTINGS } }));
  }

  detectLocale(text: string, current: string): LocaleDetection {
    const { locale, reason } = this.languages.detect(text, this.resolveLocale(current));
    return { locale, reason };
  }

  /** `en`, `EN`, `en-GB` and `en_GB` all reach the `en` model. */
  private resolveLocale(locale: string): string {
    const lower = locale.toLowerCase();
    const language = lower.split(/[-_]/)[0] ?? lower;
    if (this.locales.includes(lower)) return lower;
    if (this.locales.includes(language)) return language;
    throw new SwitchboardError(
      'unsupported_locale',
      `No intents are trained for locale "${locale}" (trained: ${this.locales.join(', ')}).`,
    );
  }

  private toEntities(
    text: string,
    locale: string,
    found: readonly NerEntity[],
    referenceDate: Date,
  ): Entity[] {
    const definitions = this.entitiesByLocale.get(locale) ?? {};
    const entities: Entity[] = [];
    for (const edge of found) {
      const definition = definitions[edge.entity];
      if (!definition || definition.builtin) continue;
      const end = edge.end + 1;
      const sourceText = text.slice(edge.start, end);
      entities.push({
        entity: edge.entity,
        value: normalise(edge.option ?? sourceText, definition),
        sourceText,
        start: edge.start,
        end,
      });
    }
    // After the corpus's own entities, so that they win a tie (withoutOverlaps).
    // In the order e-mail, phone number, date, each extractor sees the text
    // with what the ones before it found blanked out: the digits of an
    // e-mail address are no phone number, and "612 34 56 78 mañana" is a
    // phone number and a day, not a number and a time.
    let rest = text;
    for (const { entity, extract } of this.builtinsByLocale.get(locale) ?? []) {
      for (const match of extract(rest, { referenceDate })) {
        entities.push({ entity, value: match.value, sourceText: text.slice(match.start, match.end), start: match.start, end: match.end });
        rest = blankSpan(rest, match.start, match.end);
      }
    }
    return withoutOverlaps(entities);
  }
}

/** A pipeline with the corpus's locales, entity rules and intent classifier, not yet trained. */
function prepareNlp(corpus: Corpus, logger: Logger, options: ResolvedOptions): NlpjsNlp {
  const nlp = createNlp(
    corpus.locales.map((locale) => locale.locale),
    NLPJS_TRAINING_SETTINGS,
    logger,
    options.classifier === 'linear' ? linearPlugin(options) : undefined,
  );
  for (const locale of corpus.locales) addEntities(nlp, locale);
  return nlp;
}

function addEntities(nlp: NlpjsNlp, locale: LocaleCorpus): void {
  for (const [name, entity] of Object.entries(locale.entities)) {
    // Built-in entities are extracted after NLP.js (NlpjsIntentClassifier.toEntities).
    for (const regex of entity.regex) nlp.addNerRegexRule(locale.locale, name, regex);
    for (const [option, texts] of Object.entries(entity.options)) {
      nlp.addNerRuleOptionTexts(locale.locale, name, option, texts);
    }
  }
}

/**
 * NLP.js's classifications, best first, as candidates: without a trained
 * `None` class (`useNoneFeature` off) a `None` entry is NLP.js's placeholder
 * for "nothing activated" (score 1 by convention, not a confidence), and
 * zero-score intents are not candidates at all. Empty when nothing matched.
 */
function rankIntents(classifications: readonly IntentScore[]): IntentScore[] {
  return classifications
    .filter(({ intent, score }) => score > 0 && (intent !== NO_INTENT || NLPJS_TRAINING_SETTINGS.useNoneFeature))
    .map(({ intent, score }) => ({ intent, score }))
    .sort((a, b) => b.score - a.score);
}

function normalise(value: string, definition: EntityDefinition): string {
  switch (definition.normalize) {
    case 'uppercase':
      return value.toUpperCase();
    case 'lowercase':
      return value.toLowerCase();
    default:
      return value;
  }
}
