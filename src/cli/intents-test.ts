import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EscalationPolicy } from '../handoff/escalation-policy.ts';
import { escalationSettings } from '../handoff/escalation-settings.ts';
import { corpusHash, loadCorpus, type Corpus } from '../nlu/corpus.ts';
import {
  baselineFile,
  baselineOf,
  compareWithBaseline,
  ESCALATION_ACCURACY,
  readBaseline,
  writeBaseline,
  type BaselineComparison,
} from '../nlu/evaluation/baseline.ts';
import { crossValidate, crossValidationItems, itemCase } from '../nlu/evaluation/cross-validation.ts';
import { runCase, runCases, summarize, type CaseResult, type EvaluationSettings, type LocaleEvaluation } from '../nlu/evaluation/evaluate.ts';
import { localeReport, renderMarkdown, renderText, type IntentsReport, type LocaleReport } from '../nlu/evaluation/report.ts';
import { loadTestSuites, type LocaleSuites } from '../nlu/evaluation/test-suite.ts';
import { NO_INTENT } from '../nlu/intent-classifier.ts';
import { loadIntentClassifier } from '../nlu/load-intent-classifier.ts';
import {
  displayPath,
  effectiveThresholds,
  loadBotIntents,
  numberOption,
  pickLocales,
  quietLogger,
  parseFlags,
  UsageError,
  writer,
  type IntentsCommandContext,
} from './intents-cli-support.ts';

export const INTENTS_TEST_USAGE = `Usage: switchboard intents test [options]

Runs the regression suites in INTENTS_DIR/<locale>/tests/*.json against the
intent model (trained, or loaded from MODEL_CACHE_DIR), with the host's
thresholds and escalation policy; prints per-intent precision, recall, F1 and
support, the most confused pairs, escalation accuracy and failed
expectations; writes report.json and report.md; compares with
tests/baseline.json. Exit code 1 when the run fails the gate, 2 on a usage error.

Options:
  --out DIR                  where report.json and report.md go (default .cache/intents-report)
  --tolerance X              largest F1 (and escalation accuracy) drop from the baseline that passes (default 0.05)
  --allow-failures N         failed expectations allowed besides the baseline's known failures (default 0)
  --min-accuracy X           also fail when a locale's accuracy is below X (0..1)
  --update-baseline          write tests/baseline.json from this run (current failures become known ones)
  --cross-validation K       no suites: K-fold stratified cross-validation over the corpus's own utterances
  --seed N                   the folds' seed (default 1)
  --locale L                 only this locale (repeatable)
  -h, --help                 this text
`;

interface TestArgs {
  out: string;
  tolerance: number;
  allowFailures: number;
  minAccuracy?: number;
  updateBaseline: boolean;
  folds?: number;
  seed: number;
  locales?: string[];
}

function parseTestArgs(args: readonly string[]): TestArgs | 'help' {
  const values = parseFlags(args, {
    out: { type: 'string' },
    tolerance: { type: 'string' },
    'allow-failures': { type: 'string' },
    'min-accuracy': { type: 'string' },
    'update-baseline': { type: 'boolean' },
    'cross-validation': { type: 'string' },
    seed: { type: 'string' },
    locale: { type: 'string', multiple: true },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  const folds = numberOption('cross-validation', values['cross-validation'], { min: 2, max: 100, integer: true });
  if (folds !== undefined && values['update-baseline']) {
    throw new UsageError('--update-baseline records the suites; it does not go with --cross-validation');
  }
  const parsed: TestArgs = {
    out: path.resolve(values.out ?? '.cache/intents-report'),
    tolerance: numberOption('tolerance', values.tolerance, { min: 0, max: 1 }) ?? 0.05,
    allowFailures: numberOption('allow-failures', values['allow-failures'], { min: 0, integer: true }) ?? 0,
    updateBaseline: values['update-baseline'] ?? false,
    seed: numberOption('seed', values.seed, { min: 0, max: 2 ** 32 - 1, integer: true }) ?? 1,
  };
  const minAccuracy = numberOption('min-accuracy', values['min-accuracy'], { min: 0, max: 1 });
  if (minAccuracy !== undefined) parsed.minAccuracy = minAccuracy;
  if (folds !== undefined) parsed.folds = folds;
  if (values.locale) parsed.locales = values.locale;
  return parsed;
}

/** `switchboard intents test`: returns the exit code. */
export async function intentsTest(args: readonly string[], context: IntentsCommandContext): Promise<number> {
  const write = writer(context);
  let parsed: TestArgs | 'help';
  try {
    parsed = parseTestArgs(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    write(`${error.message}\n\n${INTENTS_TEST_USAGE}`);
    return 2;
  }
  if (parsed === 'help') {
    write(INTENTS_TEST_USAGE);
    return 0;
  }
  try {
    const report = await runIntentsTest(parsed, context);
    await mkdir(parsed.out, { recursive: true });
    await writeFile(path.join(parsed.out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
    await writeFile(path.join(parsed.out, 'report.md'), renderMarkdown(report));
    write(renderText(report));
    write(`report: ${displayPath(path.join(parsed.out, 'report.json'))} and report.md\n`);
    return report.passed ? 0 : 1;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    write(`${error.message}\n`);
    return 2;
  }
}

async function runIntentsTest(args: TestArgs, context: IntentsCommandContext): Promise<IntentsReport> {
  const { config } = context;
  const intentsDir = path.resolve(config.intentsDir);
  const fullCorpus = await loadCorpus(intentsDir);
  const locales = pickLocales(
    fullCorpus.locales.map((locale) => locale.locale),
    args.locales,
  );
  const corpus: Corpus = { ...fullCorpus, locales: fullCorpus.locales.filter((locale) => locales.includes(locale.locale)) };
  const bot = await loadBotIntents(context);
  const thresholds = await effectiveThresholds(config, intentsDir, locales);
  const settings: EvaluationSettings = {
    nluThreshold: config.nluThreshold,
    policy: new EscalationPolicy(escalationSettings(config, bot, thresholds.calibrated)),
  };
  const base = {
    kind: 'switchboard-intents-report' as const,
    version: 1 as const,
    createdAt: new Date().toISOString(),
    intentsDir: displayPath(intentsDir),
    corpusHash: corpusHash(corpus, { engine: {}, settings: {} }),
    settings: {
      nluThreshold: config.nluThreshold,
      tolerance: args.tolerance,
      allowFailures: args.allowFailures,
      ...(args.minAccuracy === undefined ? {} : { minAccuracy: args.minAccuracy }),
    },
  };
  const logger = quietLogger(context.logger);

  if (args.folds !== undefined) {
    const handoff = new Set(bot.handoffIntents ?? []);
    const results = new Map<string, CaseResult[]>(locales.map((locale) => [locale, []]));
    const { trainingMs } = await crossValidate({
      corpus,
      folds: args.folds,
      seed: args.seed,
      logger,
      onFold: async ({ classifier, heldOut }) => {
        for (const item of heldOut) {
          results.get(item.locale)?.push(await runCase(classifier, item.locale, itemCase(item, handoff), settings));
        }
      },
    });
    const reports = locales.map((locale) => {
      const items = crossValidationItems({ ...corpus, locales: corpus.locales.filter((l) => l.locale === locale) });
      const sparse = sparseIntents(items.map((item) => item.intent), args.folds ?? 2);
      return localeReport(summarize(locale, results.get(locale) ?? []), {
        handoffThreshold: thresholds.of(locale),
        outOfScopeThreshold: thresholds.outOfScopeOf(locale),
        suites: [],
        warnings:
          sparse.length === 0
            ? []
            : [`fewer distinct utterances than folds, so some folds test them untaught: ${sparse.join(', ')}`],
      });
    });
    const reasons = accuracyReasons(reports, args.minAccuracy);
    return {
      ...base,
      mode: 'cross-validation',
      model: 'cross-validation',
      crossValidation: { folds: args.folds, seed: args.seed, trainingMs },
      locales: reports,
      skippedLocales: [],
      passed: reasons.length === 0,
      reasons,
    };
  }

  const suitesByLocale: LocaleSuites[] = [];
  const skippedLocales: string[] = [];
  for (const locale of corpus.locales) {
    const suites = await loadTestSuites(intentsDir, locale, { handoffIntents: bot.handoffIntents ?? [] });
    if (suites) suitesByLocale.push(suites);
    else skippedLocales.push(locale.locale);
  }
  if (suitesByLocale.length === 0) {
    throw new UsageError(
      `No regression suite in ${displayPath(intentsDir)}/<locale>/tests/*.json. Write one (see the README), or run with --cross-validation 5.`,
    );
  }
  const loaded = await loadIntentClassifier({
    intentsDir,
    cacheDir: path.resolve(config.modelCacheDir),
    classifier: config.nluClassifier,
    logger,
  });

  const reports: LocaleReport[] = [];
  let newFailures = 0;
  const reasons: string[] = [];
  for (const suites of suitesByLocale) {
    const evaluation = summarize(suites.locale, await runCases(loaded.classifier, suites.locale, suites.cases, settings));
    const file = baselineFile(intentsDir, suites.locale);
    const { comparison, found } = await baselineStep(evaluation, file, args, base.corpusHash);
    newFailures += comparison.newFailures.length;
    for (const regression of comparison.regressions) {
      const what =
        regression.what === ESCALATION_ACCURACY
          ? regression.what
          : `${regression.what === NO_INTENT ? '(out of scope)' : regression.what} F1`;
      reasons.push(`${suites.locale} ${what} ${regression.baseline} → ${regression.current} (tolerance ${args.tolerance})`);
    }
    reports.push(
      localeReport(evaluation, {
        handoffThreshold: thresholds.of(suites.locale),
        outOfScopeThreshold: thresholds.outOfScopeOf(suites.locale),
        suites: suites.suites,
        warnings: suites.warnings,
        comparison,
        baseline: { file: displayPath(file), found, updated: args.updateBaseline },
      }),
    );
  }
  if (newFailures > args.allowFailures) {
    reasons.unshift(`${newFailures} failed expectation(s) not in the baseline (allowed: ${args.allowFailures})`);
  }
  reasons.push(...accuracyReasons(reports, args.minAccuracy));
  return {
    ...base,
    mode: 'suites',
    model: loaded.source,
    locales: reports,
    skippedLocales,
    passed: reasons.length === 0,
    reasons,
  };
}

/** Compares with the baseline, or writes it (then everything failing now is known). */
async function baselineStep(
  evaluation: LocaleEvaluation,
  file: string,
  args: TestArgs,
  hash: string,
): Promise<{ comparison: BaselineComparison; found: boolean }> {
  if (args.updateBaseline) {
    const baseline = baselineOf(evaluation, hash);
    await writeBaseline(file, baseline);
    return { comparison: compareWithBaseline(evaluation, baseline, args.tolerance), found: true };
  }
  const baseline = await readBaseline(file);
  return { comparison: compareWithBaseline(evaluation, baseline, args.tolerance), found: baseline !== undefined };
}

function accuracyReasons(reports: readonly LocaleReport[], minAccuracy: number | undefined): string[] {
  if (minAccuracy === undefined) return [];
  return reports
    .filter((report) => report.accuracy < minAccuracy)
    .map((report) => `${report.locale} accuracy ${report.accuracy} is under --min-accuracy ${minAccuracy}`);
}

/** Intents with fewer distinct utterances than folds. */
function sparseIntents(intents: readonly string[], folds: number): string[] {
  const counts = new Map<string, number>();
  for (const intent of intents) counts.set(intent, (counts.get(intent) ?? 0) + 1);
  return [...counts].filter(([, n]) => n < folds).map(([intent]) => intent).sort();
}
