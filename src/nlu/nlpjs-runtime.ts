import { createRequire } from 'node:module';
import { format } from 'node:util';
import type { Logger } from '../logger.ts';
import type { IntentScore } from './intent-classifier.ts';
import { isRecord } from './is-record.ts';
import { SPANISH_SENTIMENT } from './spanish-sentiment.ts';
import type { TextAnalysis } from './text-features.ts';

/*
 * The only file that touches NLP.js's untyped JavaScript. Everything it hands
 * out is either one of the narrow interfaces below or `unknown` for the caller
 * to validate.
 *
 * Why not `import { Nlp, LangEn } from '@nlpjs/basic'`: importing that index
 * also loads `@nlpjs/logger`, which builds a pino 7 logger at import time and
 * prints a `prettyPrint is deprecated` warning; and its `containerBootstrap`
 * (from `@nlpjs/core-loader`) reads `.env`, `conf.json`, `pipelines.md` and
 * `./plugins` from the working directory. So the two packages the bot needs,
 * `@nlpjs/nlp` and `@nlpjs/lang-en`, are required directly, resolved from
 * `@nlpjs/basic`'s own location: they are its declared dependencies, so this
 * holds under any package layout. `new Nlp()` then builds its container with
 * `@nlpjs/core`'s side-effect-free `containerBootstrap` (an in-memory fs whose
 * writeFile rejects), and we switch off autoSave/autoLoad anyway.
 *
 * Language packages other than English (`@nlpjs/lang-es`) and the full
 * language guesser (`@nlpjs/language`) are our own dependencies, required
 * from here. The guesser is deliberately not the `@nlpjs/language-min` that
 * NLP.js's NLU manager uses: that one keeps its trigram tables in module
 * state and adds every training utterance to them, so its guesses would
 * differ between a process that trained the model and one that loaded it
 * from the cache.
 */

export interface NlpjsNluInput {
  locale: string;
  utterance: string;
  /** Per-call settings; NLP.js mutates this object, so pass a fresh one each time. */
  settings: Record<string, unknown>;
}

export interface NlpjsTextInput {
  locale: string;
  utterance: string;
}

export interface NlpjsNluManager {
  /** Resolves to `{ classifications: [{ intent, score }], intent, score, … }`. */
  process(input: NlpjsNluInput): Promise<unknown>;
  toJSON(): unknown;
  fromJSON(json: unknown): void;
}

export interface NlpjsNer {
  /** Resolves to `{ entities: [{ entity, start, end (inclusive), sourceText, option?, … }] }`. */
  process(input: NlpjsTextInput): Promise<unknown>;
}

export interface NlpjsSentimentAnalyzer {
  /** Resolves to `{ sentiment: { score, vote, … } }`. */
  process(input: NlpjsTextInput): Promise<unknown>;
}

export interface NlpjsNlp {
  readonly nluManager: NlpjsNluManager;
  readonly ner: NlpjsNer;
  readonly sentiment: NlpjsSentimentAnalyzer;
  addLanguage(locales: string[]): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  addNerRegexRule(locale: string, name: string, regex: string): void;
  addNerRuleOptionTexts(locale: string, name: string, option: string, texts: string[]): void;
  train(): Promise<unknown>;
}

interface NlpjsContainer {
  register(name: string, value: unknown, isSingleton?: boolean): void;
  registerConfiguration(tag: string, configuration: Record<string, unknown>, overwrite?: boolean): void;
  get(name: string): unknown;
}

interface NlpjsNlpInternals extends NlpjsNlp {
  readonly container: NlpjsContainer;
  use(plugin: unknown): unknown;
  useNlu(className: string, locale: string, domain: string | undefined, settings: Record<string, unknown>): void;
}

type NlpConstructor = new (settings: Record<string, unknown>) => NlpjsNlpInternals;

/** `@nlpjs/language`'s `Language#guess` answer: one candidate language (its best is 1, the others relative to it). */
interface NlpjsLanguageGuess {
  alpha2: string;
  score: number;
}

interface NlpjsLanguageGuesser {
  guess(utterance: string, allowList: string[], limit: number): unknown;
  addExtraSentence(locale: string, sentence: string): void;
}

type LanguageConstructor = new () => NlpjsLanguageGuesser;

/** What `@nlpjs/nlu`'s `Nlu` base class gives a subclass (the rest stays untyped). */
interface NlpjsNluBase {
  settings: Record<string, unknown>;
  container: NlpjsContainer;
}

type NluBaseConstructor = new (settings?: Record<string, unknown>, container?: unknown) => NlpjsNluBase;

interface NlpjsModules {
  Nlp: NlpConstructor;
  /** `@nlpjs/nlu`'s base class of every NLU (NeuralNlu is one), for plugins. */
  Nlu: NluBaseConstructor;
  /** Language plugins by two-letter locale. */
  languages: ReadonlyMap<string, unknown>;
  /** `@nlpjs/language`'s guesser. */
  guesser: NlpjsLanguageGuesser;
  versions: Readonly<Record<string, string>>;
}

let modules: NlpjsModules | undefined;

function loadModules(): NlpjsModules {
  if (modules) return modules;
  const requireHere = createRequire(import.meta.url);
  const basicEntry = requireHere.resolve('@nlpjs/basic');
  const requireFromBasic = createRequire(basicEntry);
  const nlpEntry = requireFromBasic.resolve('@nlpjs/nlp');
  const requireFromNlp = createRequire(nlpEntry);
  const requireFromNlu = createRequire(requireFromNlp.resolve('@nlpjs/nlu'));

  const nlpModule: unknown = requireFromBasic('@nlpjs/nlp');
  const nluModule: unknown = requireFromNlp('@nlpjs/nlu');
  const langEnModule: unknown = requireFromBasic('@nlpjs/lang-en');
  const langEsModule: unknown = requireHere('@nlpjs/lang-es');
  const languageModule: unknown = requireHere('@nlpjs/language');
  const Nlp = exportOf(nlpModule, 'Nlp', '@nlpjs/nlp');
  const Nlu = exportOf(nluModule, 'Nlu', '@nlpjs/nlu');
  const LangEn = exportOf(langEnModule, 'LangEn', '@nlpjs/lang-en');
  const LangEs = exportOf(langEsModule, 'LangEs', '@nlpjs/lang-es');
  const Language = exportOf(languageModule, 'Language', '@nlpjs/language') as LanguageConstructor;

  modules = {
    Nlp: Nlp as NlpConstructor,
    Nlu: Nlu as NluBaseConstructor,
    languages: new Map([
      ['en', LangEn],
      ['es', LangEs],
    ]),
    guesser: new Language(),
    versions: {
      '@nlpjs/basic': packageVersion(requireHere, '@nlpjs/basic'),
      '@nlpjs/nlp': packageVersion(requireFromBasic, '@nlpjs/nlp'),
      '@nlpjs/lang-en': packageVersion(requireFromBasic, '@nlpjs/lang-en'),
      '@nlpjs/lang-es': packageVersion(requireHere, '@nlpjs/lang-es'),
      '@nlpjs/nlu': packageVersion(requireFromNlp, '@nlpjs/nlu'),
      '@nlpjs/ner': packageVersion(requireFromNlp, '@nlpjs/ner'),
      '@nlpjs/sentiment': packageVersion(requireFromNlp, '@nlpjs/sentiment'),
      '@nlpjs/neural': packageVersion(requireFromNlu, '@nlpjs/neural'),
    },
  };
  return modules;
}

function exportOf(module: unknown, name: string, from: string): unknown {
  const value = isRecord(module) ? module[name] : undefined;
  if (typeof value !== 'function') throw new Error(`${from} does not export ${name}`);
  return value;
}

function packageVersion(requireFn: NodeJS.Require, name: string): string {
  const pkg: unknown = requireFn(`${name}/package.json`);
  const version = isRecord(pkg) ? pkg.version : undefined;
  if (typeof version !== 'string') throw new Error(`${name}/package.json has no version`);
  return version;
}

/** The versions of the NLP.js packages that build and run the model (part of the model's cache key). */
export function nlpjsVersions(): Readonly<Record<string, string>> {
  return loadModules().versions;
}

/** The locales a language plugin is loaded for. */
export function nlpjsSupportedLocales(): string[] {
  return [...loadModules().languages.keys()];
}

/** Teaches the guesser a locale's sentences (NLP.js does this with every training utterance). */
export function teachLanguage(locale: string, sentences: readonly string[]): void {
  const { guesser } = loadModules();
  for (const sentence of sentences) guesser.addExtraSentence(locale, sentence);
}

/** One language `guessLanguage` considers: its two-letter code and score (the best is 1, the others relative to it). */
export interface LanguageScore {
  locale: string;
  score: number;
}

/**
 * NLP.js's language guess (`@nlpjs/language`, trigram profiles) among
 * `locales` only, best first. Empty when it has no opinion (no letters, or
 * a script none of the locales is written in).
 */
export function guessLanguage(text: string, locales: readonly string[]): LanguageScore[] {
  const answer: unknown = loadModules().guesser.guess(text, [...locales], locales.length);
  if (!Array.isArray(answer)) return [];
  return answer
    .filter((guess): guess is NlpjsLanguageGuess => isRecord(guess) && typeof guess.alpha2 === 'string' && typeof guess.score === 'number')
    .filter((guess) => locales.includes(guess.alpha2))
    .map((guess) => ({ locale: guess.alpha2, score: guess.score }));
}

/** One training utterance as an intent model plugin receives it. */
export interface AnalysedSample {
  analysis: TextAnalysis;
  intent: string;
}

/** A trained intent model: scores one analysed utterance. */
export interface IntentModel {
  /** The candidate intents with their scores, best first, and optionally an out-of-scope score in 0..1. */
  classify(analysis: TextAnalysis): { intents: IntentScore[]; outOfScope?: number };
  /** A JSON value `IntentModelPlugin.restore` accepts. */
  toJSON(): unknown;
}

/**
 * An intent classifier that runs inside NLP.js as one of its NLUs (the
 * place its own `NeuralNlu` has): NLP.js normalises, tokenises and stems
 * with the locale's language package and hands the result to `train` and to
 * the model; NER, sentiment and the NLU manager work as usual.
 */
export interface IntentModelPlugin {
  /** The class name it is registered under in the NLP.js container, e.g. `LinearNlu`. */
  readonly name: string;
  train(samples: readonly AnalysedSample[]): IntentModel;
  /** Throws when `json` is not a model `toJSON` wrote. */
  restore(json: unknown): IntentModel;
}

/** What the plugin's `process` answers; NLP.js's NLU manager passes it on as `nluAnswer`. */
export interface IntentModelAnswer {
  classifications: IntentScore[];
  outOfScope?: number;
}

interface PipelineStep {
  run(input: Record<string, unknown>): unknown;
}

/** Marks the NLP.js NLU instances built by `intentModelNlu`, whose `process` is typed. */
const INTENT_MODEL_NLU = Symbol('switchboard intent model NLU');

/** A locale's intent model plugin as NLP.js runs it: the text analysed by the locale's pipeline, then the model. */
export interface IntentModelRunner {
  process(utterance: string): Promise<IntentModelAnswer>;
}

function isIntentModelRunner(value: unknown): value is IntentModelRunner {
  return typeof value === 'object' && value !== null && INTENT_MODEL_NLU in value;
}

/**
 * The plugin NLU that NLP.js's NLU manager would end up calling for
 * `locale`, or undefined when there is none (NLP.js's own NLU, or NLP.js
 * internals not as expected). The manager adds nothing to its answer here:
 * the domain manager's stem dictionary and by-domain training are off
 * (`createNlp`), so `process(utterance)` on it answers what
 * `nluManager.process` would, without the manager's settings merges,
 * language fill-in and two pipelines per message.
 */
export function intentModelRunner(nlp: NlpjsNlp, locale: string): IntentModelRunner | undefined {
  const managers: unknown = isRecord(nlp.nluManager) ? nlp.nluManager.domainManagers : undefined;
  const manager: unknown = isRecord(managers) ? managers[locale.slice(0, 2).toLowerCase()] : undefined;
  const domains: unknown = isRecord(manager) ? manager.domains : undefined;
  const nlu: unknown = isRecord(domains) ? domains[MASTER_DOMAIN] : undefined;
  return isIntentModelRunner(nlu) ? nlu : undefined;
}

/** The domain NLP.js's domain manager classifies with when it does not train by domain. */
const MASTER_DOMAIN = 'master_domain';

/**
 * The NLP.js class of `plugin`: a subclass of `@nlpjs/nlu`'s `Nlu` that
 * keeps its training pipeline (`nlu-??-train`: prepareCorpus →
 * addNoneFeature → innerTrain) and replaces each step, and whose `process`
 * answers `{ classifications, outOfScope }` with the model's candidates.
 */
function intentModelNlu(Base: NluBaseConstructor, plugin: IntentModelPlugin): NluBaseConstructor {
  return class IntentModelNlu extends Base {
    readonly [INTENT_MODEL_NLU] = true;
    model: IntentModel | undefined;
    private steps: { normalize: PipelineStep; tokenize: PipelineStep; stem: PipelineStep } | undefined;

    /** The locale's normaliser, tokeniser and stemmer, as NLP.js's own NLU prepares text (stopwords kept). */
    async analyse(text: string): Promise<TextAnalysis> {
      this.steps ??= {
        normalize: pipelineStep(this.container.get('normalize'), 'normalize'),
        tokenize: pipelineStep(this.container.get('tokenize'), 'tokenize'),
        stem: pipelineStep(this.container.get('stem'), 'stem'),
      };
      const locale = typeof this.settings.locale === 'string' ? this.settings.locale : 'en';
      const normalized: unknown = await this.steps.normalize.run({ locale, text });
      const normalizedText = isRecord(normalized) && typeof normalized.text === 'string' ? normalized.text : '';
      const tokenized: unknown = await this.steps.tokenize.run({ locale, text: normalizedText });
      const tokens = stringsOf(isRecord(tokenized) ? tokenized.tokens : undefined, 'tokenize');
      const stemmed: unknown = await this.steps.stem.run({ locale, tokens: [...tokens] });
      const stems = stringsOf(isRecord(stemmed) ? stemmed.tokens : undefined, 'stem');
      return { tokens, stems };
    }

    /** Training step 1: every `{ utterance, intent }` of the corpus, analysed. */
    async prepareCorpus(input: Record<string, unknown>): Promise<Record<string, unknown>> {
      const corpus = Array.isArray(input.corpus) ? (input.corpus as unknown[]) : [];
      const samples: AnalysedSample[] = [];
      for (const item of corpus) {
        if (!isRecord(item) || typeof item.utterance !== 'string' || typeof item.intent !== 'string') continue;
        samples.push({ analysis: await this.analyse(item.utterance), intent: item.intent });
      }
      input.corpus = samples;
      return input;
    }

    /** Training step 2: NLP.js's `None` feature has no meaning here. */
    addNoneFeature(input: Record<string, unknown>): Record<string, unknown> {
      return input;
    }

    /** Training step 3. */
    innerTrain(input: Record<string, unknown>): Record<string, unknown> {
      const samples = (Array.isArray(input.corpus) ? input.corpus : []) as AnalysedSample[];
      this.model = plugin.train(samples);
      input.status = { samples: samples.length };
      return input;
    }

    async process(utterance: unknown): Promise<IntentModelAnswer> {
      if (!this.model || typeof utterance !== 'string') return { classifications: [{ intent: 'None', score: 1 }] };
      const { intents, outOfScope } = this.model.classify(await this.analyse(utterance));
      return outOfScope === undefined ? { classifications: intents } : { classifications: intents, outOfScope };
    }

    toJSON(): Record<string, unknown> {
      const settings: Record<string, unknown> = { ...this.settings };
      delete settings.container;
      return { settings, model: this.model?.toJSON() };
    }

    fromJSON(json: unknown): void {
      if (!isRecord(json)) throw new Error(`not a ${plugin.name} model`);
      if (isRecord(json.settings)) {
        for (const [key, value] of Object.entries(json.settings)) this.settings[key] ??= value;
      }
      this.model = json.model === undefined ? undefined : plugin.restore(json.model);
    }
  };
}

function pipelineStep(value: unknown, name: string): PipelineStep {
  if (!isRecord(value) || typeof value.run !== 'function') throw new Error(`the NLP.js container has no "${name}" step`);
  return value as unknown as PipelineStep;
}

function stringsOf(value: unknown, step: string): string[] {
  if (!Array.isArray(value)) throw new Error(`NLP.js's ${step} step returned no tokens`);
  return value.filter((token): token is string => typeof token === 'string');
}

/**
 * A fresh NLP.js pipeline for `locales` with nothing on disk and no console:
 * its logger writes to ours (component `nlpjs`), autoSave/autoLoad are off and
 * the per-epoch training log is off. `nluSettings` go to NLP.js's NLU manager.
 * With `plugin`, every locale's intents are classified by it (registered in
 * the container under `plugin.name`, NLP.js's exact-match stem dictionary
 * off) instead of NLP.js's neural NLU.
 */
export function createNlp(
  locales: readonly string[],
  nluSettings: Readonly<Record<string, unknown>>,
  logger: Logger,
  plugin?: IntentModelPlugin,
): NlpjsNlp {
  const { Nlp, Nlu, languages } = loadModules();
  const nlp = new Nlp({
    autoSave: false,
    autoLoad: false,
    calculateSentiment: false,
    nlu: { ...nluSettings, log: false },
  });
  nlp.container.register('logger', nlpjsLogger(logger.child({ component: 'nlpjs' })));
  for (const locale of locales) {
    const language = languages.get(locale);
    if (language === undefined) {
      throw new Error(
        `No NLP.js language package is loaded for locale "${locale}"; supported: ${[...languages.keys()].join(', ')}`,
      );
    }
    nlp.use(language);
  }
  // Replaces the lexicon @nlpjs/lang-es registered (see spanish-sentiment.ts).
  if (locales.includes('es')) nlp.container.register('sentiment-es', SPANISH_SENTIMENT);
  if (plugin) {
    nlp.container.register(plugin.name, intentModelNlu(Nlu, plugin), false);
    for (const locale of locales) {
      // The domain manager's configuration for this locale (it replaces the
      // `domain-manager-??` defaults): no stem dictionary, whose exact
      // matches would bypass the model with a score of 1.
      nlp.container.registerConfiguration(`domain-manager-${locale}`, { trainByDomain: false, useStemDict: false });
      nlp.useNlu(plugin.name, locale, undefined, {});
    }
  }
  nlp.addLanguage([...locales]);
  return nlp;
}

/** NLP.js's logger interface (console-like) on top of pino. */
function nlpjsLogger(logger: Logger) {
  const to =
    (level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal') =>
    (...args: unknown[]): void => {
      logger[level](format(...args));
    };
  return {
    name: 'logger',
    trace: to('trace'),
    debug: to('debug'),
    info: to('info'),
    log: to('info'),
    warn: to('warn'),
    error: to('error'),
    fatal: to('fatal'),
  };
}
