import { createRequire } from 'node:module';
import { format } from 'node:util';
import type { Logger } from '../logger.ts';
import { isRecord } from './is-record.ts';

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
}

interface NlpjsNlpInternals extends NlpjsNlp {
  readonly container: NlpjsContainer;
  use(plugin: unknown): unknown;
}

type NlpConstructor = new (settings: Record<string, unknown>) => NlpjsNlpInternals;

interface NlpjsModules {
  Nlp: NlpConstructor;
  /** Language plugins by two-letter locale. */
  languages: ReadonlyMap<string, unknown>;
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
  const langEnModule: unknown = requireFromBasic('@nlpjs/lang-en');
  const Nlp = exportOf(nlpModule, 'Nlp', '@nlpjs/nlp');
  const LangEn = exportOf(langEnModule, 'LangEn', '@nlpjs/lang-en');

  modules = {
    Nlp: Nlp as NlpConstructor,
    languages: new Map([['en', LangEn]]),
    versions: {
      '@nlpjs/basic': packageVersion(requireHere, '@nlpjs/basic'),
      '@nlpjs/nlp': packageVersion(requireFromBasic, '@nlpjs/nlp'),
      '@nlpjs/lang-en': packageVersion(requireFromBasic, '@nlpjs/lang-en'),
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

/**
 * A fresh NLP.js pipeline for `locales` with nothing on disk and no console:
 * its logger writes to ours (component `nlpjs`), autoSave/autoLoad are off and
 * the per-epoch training log is off. `nluSettings` go to NLP.js's NLU manager.
 */
export function createNlp(
  locales: readonly string[],
  nluSettings: Readonly<Record<string, unknown>>,
  logger: Logger,
): NlpjsNlp {
  const { Nlp, languages } = loadModules();
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
