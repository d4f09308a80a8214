import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { calibrationFile, outOfScopeThresholdOf, writeCalibration, type Calibration } from '../nlu/calibration.ts';
import { loadCorpus } from '../nlu/corpus.ts';
import { loadTestSuites } from '../nlu/evaluation/test-suite.ts';
import {
  bestAccuracyThreshold,
  confidenceSource,
  inScopeConfidence,
  outcomeAt,
  thresholdForEscalationRate,
  type ScoredExample,
  type ThresholdOutcome,
} from '../nlu/evaluation/thresholds.ts';
import {
  DEFAULT_OOS_LABEL,
  readLabelledMessages,
  writeCorpusFromMessages,
  type LabelledMessage,
} from '../nlu/evaluation/validation-data.ts';
import { NO_INTENT, type IntentClassifier } from '../nlu/intent-classifier.ts';
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

export const INTENTS_CALIBRATE_USAGE = `Usage: switchboard intents calibrate [options]

Picks the escalation threshold (HANDOFF_THRESHOLD) of a locale from a
validation set of in-scope and out-of-scope messages, and writes it to
INTENTS_DIR/<locale>/calibration.json, where the host reads it when
HANDOFF_THRESHOLD is not set.

Validation set (default: the locale's regression suites: cases with an intent
are in scope, cases without one out of scope):
  --data FILE                   [text, label] pairs in CLINC150's format; label "oos" is out of scope
  --split NAME                  the split of FILE to use, with its oos_NAME companion (default val)
  --oos-label LABEL             the out-of-scope label (default oos)
  --train-split NAME            train the model on this split of FILE instead of INTENTS_DIR
                                (e.g. CLINC150: --train-split train); writes nothing unless --out

Method (default: CLINC150's protocol, the best accuracy with out-of-scope as its own class):
  --target-escalation-rate R    the highest threshold escalating at most R of in-scope messages (e.g. 0.05)

Output:
  --locale L                    the locale (required when INTENTS_DIR has several)
  --out FILE                    write the calibration here instead
  --dry-run                     print, write nothing
  -h, --help                    this text
`;

interface CalibrateArgs {
  data?: string;
  split?: string;
  oosLabel: string;
  trainSplit?: string;
  targetRate?: number;
  locale?: string;
  out?: string;
  dryRun: boolean;
}

function parseCalibrateArgs(args: readonly string[]): CalibrateArgs | 'help' {
  const values = parseFlags(args, {
    data: { type: 'string' },
    split: { type: 'string' },
    'oos-label': { type: 'string' },
    'train-split': { type: 'string' },
    'target-escalation-rate': { type: 'string' },
    locale: { type: 'string' },
    out: { type: 'string' },
    'dry-run': { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) return 'help';
  if (values.data === undefined) {
    for (const flag of ['split', 'oos-label', 'train-split'] as const) {
      if (values[flag] !== undefined) throw new UsageError(`--${flag} needs --data`);
    }
  }
  const parsed: CalibrateArgs = { oosLabel: values['oos-label'] ?? DEFAULT_OOS_LABEL, dryRun: values['dry-run'] ?? false };
  const targetRate = numberOption('target-escalation-rate', values['target-escalation-rate'], { min: 0, max: 0.99 });
  if (targetRate !== undefined) parsed.targetRate = targetRate;
  if (values.data !== undefined) parsed.data = path.resolve(values.data);
  if (values.split !== undefined) parsed.split = values.split;
  if (values['train-split'] !== undefined) parsed.trainSplit = values['train-split'];
  if (values.locale !== undefined) parsed.locale = values.locale;
  if (values.out !== undefined) parsed.out = path.resolve(values.out);
  return parsed;
}

/** `switchboard intents calibrate`: returns the exit code. */
export async function intentsCalibrate(args: readonly string[], context: IntentsCommandContext): Promise<number> {
  const write = writer(context);
  let parsed: CalibrateArgs | 'help';
  try {
    parsed = parseCalibrateArgs(args);
    if (parsed === 'help') {
      write(INTENTS_CALIBRATE_USAGE);
      return 0;
    }
    const result = await calibrate(parsed, context);
    write(result.text);
    return 0;
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    write(`${error.message}\n\n${INTENTS_CALIBRATE_USAGE}`);
    return 2;
  }
}

export interface CalibrationResult {
  calibration: Calibration;
  /** The file written, when one was. */
  file?: string;
  chosen: ThresholdOutcome;
  current: ThresholdOutcome & { source: string };
  text: string;
}

/** The model and what it knows, for the locale being calibrated. */
interface Subject {
  locale: string;
  classifier: IntentClassifier;
  intents: ReadonlySet<string>;
  outOfScopeIntents: ReadonlySet<string>;
  modelHash: string;
  /** Where the calibration goes by default (undefined: nowhere unless --out). */
  defaultFile?: string;
  /** The thresholds the host would use now, and why: on the top score (HANDOFF_THRESHOLD) and on the out-of-scope score (OOS_THRESHOLD). */
  current: { handoff: { value: number; source: string }; outOfScope: { value: number; source: string } };
  describe: string;
  cleanup?: () => Promise<void>;
}

export async function calibrate(args: CalibrateArgs, context: IntentsCommandContext): Promise<CalibrationResult> {
  const subject = args.trainSplit !== undefined ? await dataSubject(args, context) : await corpusSubject(args, context);
  try {
    const { messages, measuredOn } = await validationSet(args, subject, context);
    const unknown = [...new Set(messages.filter((m) => m.intent !== NO_INTENT && !subject.intents.has(m.intent)).map((m) => m.intent))];
    if (unknown.length > 0) {
      throw new UsageError(
        `${unknown.length} label(s) of the validation set are not intents of the model (${subject.describe}): ${unknown.slice(0, 8).join(', ')}${unknown.length > 8 ? ', …' : ''}. ` +
          'Calibrate on data labelled with the corpus\'s intents, or train on the data itself with --train-split.',
      );
    }
    const inScope = messages.filter((m) => m.intent !== NO_INTENT).length;
    if (inScope === 0) throw new UsageError('the validation set has no in-scope message');
    if (args.targetRate === undefined && inScope === messages.length) {
      throw new UsageError('the best-accuracy protocol needs out-of-scope messages too (or use --target-escalation-rate)');
    }

    const examples: ScoredExample[] = [];
    let source: ReturnType<typeof confidenceSource> = 'topScore';
    for (const message of messages) {
      const nlu = await subject.classifier.classify(message.text, subject.locale);
      source = confidenceSource(nlu);
      examples.push({
        confidence: inScopeConfidence(nlu, subject.outOfScopeIntents),
        inScope: message.intent !== NO_INTENT,
        correct: message.intent !== NO_INTENT && nlu.top.intent === message.intent,
      });
    }
    const chosen =
      args.targetRate === undefined ? bestAccuracyThreshold(examples) : thresholdForEscalationRate(examples, args.targetRate);
    // Now, on the scale calibrated: OOS_THRESHOLD t escalates below 1 − t on the 1 − outOfScope scale.
    const now =
      source === 'oneMinusOutOfScope'
        ? { value: outOfScopeThresholdOf(subject.current.outOfScope.value), source: `${subject.current.outOfScope.source}, OOS ${subject.current.outOfScope.value}` }
        : subject.current.handoff;
    const current = { ...outcomeAt(examples, now.value), source: now.source };
    const method = args.targetRate === undefined ? 'best-accuracy' : 'target-escalation-rate';
    const calibration: Calibration = {
      handoffThreshold: chosen.threshold,
      method,
      ...(args.targetRate === undefined ? {} : { targetEscalationRate: args.targetRate }),
      measuredOn: `${measuredOn}: ${chosen.inScope} in-scope, ${chosen.outOfScope} out-of-scope`,
      date: new Date().toISOString().slice(0, 10),
      score: source,
      ...(source === 'oneMinusOutOfScope' ? { outOfScopeThreshold: outOfScopeThresholdOf(chosen.threshold) } : {}),
      modelHash: subject.modelHash,
      atThreshold: rounded(chosen),
    };

    const file = args.dryRun ? undefined : (args.out ?? subject.defaultFile);
    if (file !== undefined) await writeCalibration(file, calibration);
    const text = renderCalibration({ calibration, chosen, current, subject, file, context });
    return { calibration, chosen, current, text, ...(file === undefined ? {} : { file }) };
  } finally {
    await subject.cleanup?.();
  }
}

async function corpusSubject(args: CalibrateArgs, context: IntentsCommandContext): Promise<Subject> {
  const { config } = context;
  const intentsDir = path.resolve(config.intentsDir);
  const corpus = await loadCorpus(intentsDir);
  const all = corpus.locales.map((locale) => locale.locale);
  if (args.locale === undefined && all.length > 1) {
    throw new UsageError(`${displayPath(intentsDir)} has several locales (${all.join(', ')}): choose one with --locale`);
  }
  const [locale] = pickLocales(all, args.locale === undefined ? undefined : [args.locale]);
  const localeCorpus = corpus.locales.find((entry) => entry.locale === locale);
  if (locale === undefined || !localeCorpus) throw new UsageError('no locale to calibrate');
  const bot = await loadBotIntents(context);
  const loaded = await loadIntentClassifier({
    intentsDir,
    cacheDir: path.resolve(config.modelCacheDir),
    classifier: config.nluClassifier,
    logger: quietLogger(context.logger),
  });
  const thresholds = await effectiveThresholds(config, intentsDir, [locale]);
  return {
    locale,
    classifier: loaded.classifier,
    intents: new Set(localeCorpus.intents.map((intent) => intent.intent)),
    outOfScopeIntents: new Set(bot.outOfScopeIntents ?? []),
    modelHash: loaded.corpusHash,
    defaultFile: calibrationFile(intentsDir, locale),
    current: { handoff: thresholds.of(locale), outOfScope: thresholds.outOfScopeOf(locale) },
    describe: `${displayPath(intentsDir)}/${locale}`,
  };
}

async function dataSubject(args: CalibrateArgs, context: IntentsCommandContext): Promise<Subject> {
  if (args.data === undefined || args.trainSplit === undefined) throw new UsageError('--train-split needs --data');
  const locale = args.locale ?? 'en';
  if (!/^[a-z]{2}$/.test(locale)) throw new UsageError(`--locale must be a two-letter code, got "${locale}"`);
  const { messages: training } = await readLabelledMessages(args.data, args.trainSplit, args.oosLabel);
  const dir = await mkdtemp(path.join(tmpdir(), 'switchboard-calibrate-'));
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const written = await writeCorpusFromMessages(training, dir, locale, `${path.basename(args.data)} ${args.trainSplit}`);
    if (written.conflicting > 0) {
      context.logger.warn({ conflicting: written.conflicting }, 'training texts labelled two ways: kept under their first label');
    }
    const loaded = await loadIntentClassifier({
      intentsDir: dir,
      cacheDir: path.resolve(context.config.modelCacheDir),
      classifier: context.config.nluClassifier,
      logger: quietLogger(context.logger),
    });
    const corpus = await loadCorpus(dir);
    return {
      locale,
      classifier: loaded.classifier,
      intents: new Set(corpus.locales[0]?.intents.map((intent) => intent.intent) ?? []),
      outOfScopeIntents: new Set(),
      modelHash: loaded.corpusHash,
      current: {
        handoff: { value: context.config.handoff.threshold, source: context.config.handoff.thresholdFromEnv ? 'env' : 'default' },
        outOfScope: {
          value: context.config.handoff.outOfScopeThreshold,
          source: context.config.handoff.outOfScopeThresholdFromEnv ? 'env' : 'default',
        },
      },
      describe: `${path.basename(args.data)} ${args.trainSplit} (${written.intents} intents, ${written.utterances} utterances; model ${loaded.source === 'cache' ? 'from the cache' : 'trained'})`,
      cleanup,
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}

async function validationSet(
  args: CalibrateArgs,
  subject: Subject,
  context: IntentsCommandContext,
): Promise<{ messages: LabelledMessage[]; measuredOn: string }> {
  if (args.data !== undefined) {
    const { messages, description } = await readLabelledMessages(args.data, args.split, args.oosLabel);
    return { messages, measuredOn: description };
  }
  const intentsDir = path.resolve(context.config.intentsDir);
  const corpus = await loadCorpus(intentsDir);
  const localeCorpus = corpus.locales.find((locale) => locale.locale === subject.locale);
  const bot = await loadBotIntents(context);
  const suites = localeCorpus && (await loadTestSuites(intentsDir, localeCorpus, { handoffIntents: bot.handoffIntents ?? [] }));
  if (!suites) {
    throw new UsageError(
      `${displayPath(intentsDir)}/${subject.locale}/tests has no suite to calibrate on: write one, or give a validation file with --data`,
    );
  }
  return {
    messages: suites.cases.map((testCase) => ({ text: testCase.text, intent: testCase.intent })),
    measuredOn: `${displayPath(suites.dir)} (${suites.suites.map((suite) => suite.file).join(', ')})`,
  };
}

function rounded(outcome: ThresholdOutcome): Record<string, number | null> {
  const r = (value: number | null) => (value === null ? null : Math.round(value * 10_000) / 10_000);
  return {
    accuracy: r(outcome.accuracy),
    inScopeAccuracy: r(outcome.inScopeAccuracy),
    oosRecall: r(outcome.oosRecall),
    escalationRate: r(outcome.escalationRate),
  };
}

function renderCalibration(input: {
  calibration: Calibration;
  chosen: ThresholdOutcome;
  current: ThresholdOutcome & { source: string };
  subject: Subject;
  file: string | undefined;
  context: IntentsCommandContext;
}): string {
  const { calibration, chosen, current, subject, file, context } = input;
  const pct = (value: number | null) => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
  const row = (label: string, outcome: ThresholdOutcome) =>
    `  ${label.padEnd(26)}${String(outcome.threshold).padEnd(11)}${pct(outcome.accuracy).padEnd(10)}${pct(outcome.inScopeAccuracy).padEnd(11)}${pct(outcome.oosRecall).padEnd(12)}${pct(outcome.escalationRate)}`;
  const lines = [
    `intents calibrate: ${subject.describe}, locale ${subject.locale}`,
    `validation: ${calibration.measuredOn}`,
    `method: ${calibration.method === 'best-accuracy' ? "CLINC150's protocol (best accuracy, out-of-scope as its own class)" : `at most ${String(calibration.targetEscalationRate)} of in-scope messages escalated`}`,
    `score: ${calibration.score === 'topScore' ? 'the top intent\'s raw score' : '1 − the classifier\'s out-of-scope score'}`,
    '',
    `  ${''.padEnd(26)}threshold  accuracy  in-scope   OOS recall  in-scope escalated`,
    row(`now (${current.source})`, current),
    row('calibrated', chosen),
    '',
  ];
  if (file !== undefined) {
    lines.push(`written: ${displayPath(file)}`);
    const outOfScope = calibration.score === 'oneMinusOutOfScope';
    if (outOfScope) lines.push(`the host reads it as this locale's OOS_THRESHOLD: ${outOfScopeThresholdOf(calibration.handoffThreshold)}`);
    if (outOfScope ? context.config.handoff.outOfScopeThresholdFromEnv : context.config.handoff.thresholdFromEnv) {
      lines.push(`note: ${outOfScope ? 'OOS_THRESHOLD' : 'HANDOFF_THRESHOLD'} is set, and wins over the file while it is`);
    }
  } else {
    lines.push(subject.defaultFile === undefined ? 'nothing written (use --out FILE to keep it)' : 'dry run: nothing written');
  }
  return `${lines.join('\n')}\n`;
}
