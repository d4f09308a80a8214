/**
 * CLINC150 (Larson et al., EMNLP 2019: "An Evaluation Dataset for Intent
 * Classification and Out-of-Scope Prediction"; CC BY 3.0) under the paper's
 * threshold protocol, for NLP.js's own classifier and our linear one in one
 * run:
 *
 *   - train on `train` (the linear classifier also on `oos_train`, as an
 *     out-of-scope intent: it is the method that uses it);
 *   - pick the escalation threshold on `val` + `oos_val`: the best accuracy
 *     with out-of-scope as its own class (in-scope right when accepted with
 *     the right intent, out-of-scope right when escalated);
 *   - report once on `test` + `oos_test`: in-scope accuracy and OOS recall at
 *     that threshold, the AUROC of the out-of-scope score, the OOS recall when
 *     5% of the in-scope test queries are escalated, training seconds,
 *     classifications per second (the whole `classify()`: NLP.js's
 *     normaliser, tokeniser and stemmer, the intent classifier, NER and
 *     sentiment; one message after the other, so one core), and the time to
 *     load the model from its cache file. The machine may be shared, so
 *     times are given as wall-clock and as this process's CPU time.
 *
 * The out-of-scope score is the classification's `outOfScope` when the
 * classifier gives one (linear), else 1 − the top intent's raw score
 * (NLP.js's, the paper's "threshold on the top probability"). A message whose
 * top intent is the out-of-scope intent, or `None`, is always escalated, as
 * the escalation policy does.
 *
 *   npm run bench:nlu [-- path/to/data_full.json] [--classifiers linear,nlpjs] [--tune]
 *
 * `--tune` reports on val + oos_val instead of test (for choosing settings)
 * and writes bench/results/nlu-clinc150.tune.local.json (git-ignored).
 * Otherwise the results go to bench/results/nlu-clinc150.json. A benchmark:
 * it prints and writes figures, it never asserts them.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { z } from 'zod';
import type { Corpus } from '../src/nlu/corpus.ts';
import { NO_INTENT, type Classification } from '../src/nlu/intent-classifier.ts';
import type { LinearSettings } from '../src/nlu/linear-model.ts';
import { modelCacheFile, readCachedModel, writeCachedModel } from '../src/nlu/model-cache.ts';
import { NLU_CLASSIFIERS, NlpjsIntentClassifier, type NluClassifierKind } from '../src/nlu/nlpjs-classifier.ts';

const DEFAULT_DATA = '../shared/data/clinc150/data_full.json';
const RESULTS_DIR = path.join(import.meta.dirname, 'results');
const OOS = 'oos';
const LOCALE = 'en';

const write = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const pairs = z.array(z.tuple([z.string(), z.string()]));
const datasetSchema = z.object({
  train: pairs,
  val: pairs,
  test: pairs,
  oos_train: pairs,
  oos_val: pairs,
  oos_test: pairs,
});
type Dataset = z.output<typeof datasetSchema>;
type Example = readonly [text: string, label: string];

interface Options {
  dataFile: string;
  classifiers: NluClassifierKind[];
  tune: boolean;
  linearSettings: Partial<LinearSettings>;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { dataFile: DEFAULT_DATA, classifiers: ['nlpjs', 'linear'], tune: false, linearSettings: {} };
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--tune') options.tune = true;
    else if (arg === '--classifiers') {
      const names = (argv[(i += 1)] ?? '').split(',').filter(Boolean);
      for (const name of names) {
        if (!(NLU_CLASSIFIERS as readonly string[]).includes(name)) throw new Error(`unknown classifier "${name}"`);
      }
      options.classifiers = names as NluClassifierKind[];
    } else if (arg === '--linear') {
      // --linear key=value,key=value: a LinearSettings experiment (use with --tune).
      for (const pair of (argv[(i += 1)] ?? '').split(',').filter(Boolean)) {
        const [key, value] = pair.split('=');
        if (!key || value === undefined || !Number.isFinite(Number(value))) throw new Error(`bad --linear setting "${pair}"`);
        (options.linearSettings as Record<string, number>)[key] = Number(value);
      }
    } else if (arg.startsWith('--')) throw new Error(`unknown option ${arg}`);
    else options.dataFile = arg;
  }
  return options;
}

/** An in-memory corpus (one locale, no entities) of `examples`. */
function corpusOf(examples: readonly Example[]): Corpus {
  const byIntent = new Map<string, string[]>();
  for (const [text, intent] of examples) {
    const utterances = byIntent.get(intent) ?? [];
    utterances.push(text);
    byIntent.set(intent, utterances);
  }
  return {
    intentsDir: '(clinc150)',
    locales: [
      {
        locale: LOCALE,
        files: [],
        intents: [...byIntent].map(([intent, utterances]) => ({ intent, utterances })),
        entities: {},
      },
    ],
  };
}

interface Scored {
  inScope: boolean;
  /** In scope, and the top intent (an in-scope one) is the expected one. */
  correct: boolean;
  /** The top intent is `None` or the out-of-scope intent: escalated whatever the threshold. */
  forced: boolean;
  /** Higher = more out of scope. */
  score: number;
}

function scored(classification: Classification, label: string): Scored {
  const { top } = classification;
  const forced = top.intent === NO_INTENT || top.intent === OOS;
  const score = classification.outOfScope ?? (top.intent === NO_INTENT ? 1 : 1 - top.score);
  const inScope = label !== OOS;
  return { inScope, correct: inScope && !forced && top.intent === label, forced, score };
}

const escalated = (example: Scored, threshold: number): boolean => example.forced || example.score >= threshold;

interface Outcome {
  threshold: number;
  accuracy: number;
  inScopeAccuracy: number;
  oosRecall: number;
}

function outcomeAt(examples: readonly Scored[], threshold: number): Outcome {
  let inScope = 0;
  let accepted = 0;
  let oos = 0;
  let caught = 0;
  for (const example of examples) {
    const up = escalated(example, threshold);
    if (example.inScope) {
      inScope += 1;
      if (!up && example.correct) accepted += 1;
    } else {
      oos += 1;
      if (up) caught += 1;
    }
  }
  return {
    threshold,
    accuracy: (accepted + caught) / examples.length,
    inScopeAccuracy: accepted / inScope,
    oosRecall: caught / oos,
  };
}

/**
 * The paper's protocol: the threshold with the best accuracy with OOS as its
 * own class. Candidates are the midpoints between consecutive distinct
 * scores; among equally good ones, the middle of the run.
 */
function bestThreshold(examples: readonly Scored[]): Outcome {
  const scores = [...new Set(examples.map((example) => example.score))].sort((a, b) => a - b);
  const candidates = [
    (scores[0] ?? 0) - 1e-9,
    ...scores.slice(1).map((score, i) => ((scores[i] ?? score) + score) / 2),
    (scores.at(-1) ?? 1) + 1e-9,
  ];
  const outcomes = candidates.map((threshold) => outcomeAt(examples, threshold));
  const best = Math.max(...outcomes.map((outcome) => outcome.accuracy));
  const first = outcomes.findIndex((outcome) => outcome.accuracy === best);
  let last = first;
  while (last + 1 < outcomes.length && outcomes[last + 1]?.accuracy === best) last += 1;
  return outcomes[Math.floor((first + last) / 2)] as Outcome;
}

/** Area under the ROC curve of the score, OOS as positive (ties count half). */
function auroc(examples: readonly Scored[]): number {
  const ranked = examples.map((example) => ({ score: example.score, positive: !example.inScope })).sort((a, b) => a.score - b.score);
  let positives = 0;
  let rankSum = 0;
  for (let i = 0; i < ranked.length; ) {
    let j = i;
    while (j < ranked.length && ranked[j]?.score === ranked[i]?.score) j += 1;
    const averageRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k += 1) {
      if (ranked[k]?.positive) {
        positives += 1;
        rankSum += averageRank;
      }
    }
    i = j;
  }
  const negatives = ranked.length - positives;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/** OOS recall at the lowest threshold that escalates at most 5% of the in-scope queries (by the score alone). */
function recallAtInScopeRate(examples: readonly Scored[], rate: number): number {
  const inScope = examples.filter((example) => example.inScope).map((example) => example.score).sort((a, b) => b - a);
  const allowed = Math.floor(rate * inScope.length + 1e-9);
  // Escalate scores strictly above the (allowed + 1)-th highest in-scope score.
  const cut = inScope[allowed] ?? -Infinity;
  const oos = examples.filter((example) => !example.inScope);
  return oos.filter((example) => example.score > cut).length / oos.length;
}

/** This process's CPU time (user + system), in seconds. */
const cpuSeconds = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

interface Timed {
  /** Wall-clock seconds. */
  seconds: number;
  /** CPU seconds of this process (on a shared machine, what the work itself took). */
  cpuSeconds: number;
}

async function timed<T>(work: () => Promise<T>): Promise<T & Timed> {
  const cpu = cpuSeconds();
  const started = performance.now();
  const result = await work();
  return { ...result, seconds: (performance.now() - started) / 1_000, cpuSeconds: cpuSeconds() - cpu };
}

/** Classifies one message after the other (one core), as the host does per turn. */
function classifyAll(classifier: NlpjsIntentClassifier, examples: readonly Example[]): Promise<{ scored: Scored[] } & Timed> {
  return timed(async () => {
    const result: Scored[] = [];
    for (const [text, label] of examples) result.push(scored(await classifier.classify(text, LOCALE), label));
    return { scored: result };
  });
}

interface ClassifierResult {
  classifier: NluClassifierKind;
  trainUtterances: number;
  /** Reported on test + oos_test (or val + oos_val with --tune), at the threshold picked on val + oos_val. */
  inScopeAccuracy: number;
  oosRecall: number;
  oosAuroc: number;
  oosRecallAt5pct: number;
  trainSeconds: number;
  trainCpuSeconds: number;
  /** Classifications per CPU second of the (sequential) classifying loop. */
  classifyPerSecond: number;
  /** Classifications per wall-clock second of the same loop. */
  classifyPerSecondWall: number;
  cacheLoadSeconds: number;
  modelBytes: number;
  threshold: number;
  valAccuracy: number;
  valInScopeAccuracy: number;
  valOosRecall: number;
  /** In-scope accuracy of the top intent with no threshold at all (report split). */
  rawInScopeAccuracy: number;
}

async function runClassifier(kind: NluClassifierKind, data: Dataset, options: Options): Promise<ClassifierResult> {
  const logger = pino({ level: 'warn' });
  const usesOosTrain = kind === 'linear';
  const training: Example[] = usesOosTrain ? [...data.train, ...data.oos_train] : [...data.train];
  const corpus = corpusOf(training);
  const classifierOptions = {
    classifier: kind,
    ...(usesOosTrain ? { outOfScopeIntents: [OOS] } : {}),
    ...(kind === 'linear' ? { linearSettings: options.linearSettings } : {}),
  };
  write(`${kind}: training on ${training.length} utterances…`);
  const trainingRun = await timed(async () => ({ trained: await NlpjsIntentClassifier.train(corpus, logger, classifierOptions) }));
  const { trained, seconds: trainSeconds, cpuSeconds: trainCpuSeconds } = trainingRun;

  // The model as the host caches it, and the time to load it back.
  const cacheDir = await mkdtemp(path.join(tmpdir(), 'sb-bench-nlu-'));
  let classifier: NlpjsIntentClassifier;
  let cacheLoadSeconds: number;
  let modelBytes: number;
  try {
    await writeCachedModel(cacheDir, 'bench', trained.exportModel());
    modelBytes = (await stat(modelCacheFile(cacheDir, 'bench'))).size;
    const loadStarted = performance.now();
    const cached = await readCachedModel(cacheDir, 'bench', logger);
    classifier = await NlpjsIntentClassifier.restore(corpus, cached, logger, classifierOptions);
    cacheLoadSeconds = (performance.now() - loadStarted) / 1_000;
  } finally {
    await rm(cacheDir, { recursive: true, force: true });
  }

  write(`${kind}: trained in ${trainSeconds.toFixed(1)} s; classifying val…`);
  const val = await classifyAll(classifier, [...data.val, ...data.oos_val]);
  const chosen = bestThreshold(val.scored);
  const reportSet: Example[] = options.tune ? [...data.val, ...data.oos_val] : [...data.test, ...data.oos_test];
  write(`${kind}: classifying ${options.tune ? 'val (tuning)' : 'test'}…`);
  const report = options.tune ? val : await classifyAll(classifier, reportSet);
  const atThreshold = outcomeAt(report.scored, chosen.threshold);
  const inScope = report.scored.filter((example) => example.inScope);
  return {
    classifier: kind,
    trainUtterances: training.length,
    inScopeAccuracy: atThreshold.inScopeAccuracy,
    oosRecall: atThreshold.oosRecall,
    oosAuroc: auroc(report.scored),
    oosRecallAt5pct: recallAtInScopeRate(report.scored, 0.05),
    trainSeconds,
    trainCpuSeconds,
    classifyPerSecond: reportSet.length / report.cpuSeconds,
    classifyPerSecondWall: reportSet.length / report.seconds,
    cacheLoadSeconds,
    modelBytes,
    threshold: chosen.threshold,
    valAccuracy: chosen.accuracy,
    valInScopeAccuracy: chosen.inScopeAccuracy,
    valOosRecall: chosen.oosRecall,
    rawInScopeAccuracy: inScope.filter((example) => example.correct).length / inScope.length,
  };
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;
const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function printTable(results: readonly ClassifierResult[], split: string): void {
  const rows: Array<[string, (result: ClassifierResult) => string]> = [
    [`in-scope accuracy (${split}, val threshold)`, (r) => percent(r.inScopeAccuracy)],
    [`OOS recall (${split}, val threshold)`, (r) => percent(r.oosRecall)],
    ['OOS AUROC', (r) => percent(r.oosAuroc)],
    ['OOS recall at 5% in-scope escalated', (r) => percent(r.oosRecallAt5pct)],
    ['training seconds (wall / CPU)', (r) => `${r.trainSeconds.toFixed(1)} / ${r.trainCpuSeconds.toFixed(1)}`],
    ['classifications per CPU second (1 core)', (r) => Math.round(r.classifyPerSecond).toLocaleString('en-US')],
    ['classifications per wall second', (r) => Math.round(r.classifyPerSecondWall).toLocaleString('en-US')],
    ['model load from cache, seconds', (r) => r.cacheLoadSeconds.toFixed(2)],
    ['model file, MB', (r) => (r.modelBytes / 1e6).toFixed(1)],
    ['threshold (out-of-scope score)', (r) => r.threshold.toFixed(4)],
    ['in-scope accuracy, no threshold', (r) => percent(r.rawInScopeAccuracy)],
  ];
  const header = ['metric', ...results.map((r) => r.classifier)];
  const table = [header, ...rows.map(([name, cell]) => [name, ...results.map(cell)])];
  const widths = header.map((_, column) => Math.max(...table.map((row) => (row[column] ?? '').length)));
  for (const [index, row] of table.entries()) {
    write(`| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join(' | ')} |`);
    if (index === 0) write(`| ${widths.map((width, column) => (column === 0 ? '-'.repeat(width) : `${'-'.repeat(width - 1)}:`)).join(' | ')} |`);
  }
}

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const dataFile = path.resolve(options.dataFile);
  const data = datasetSchema.parse(JSON.parse(readFileSync(dataFile, 'utf8')));
  const split = options.tune ? 'val' : 'test';
  write(`CLINC150 ${path.basename(dataFile)}: ${data.train.length} train, ${data.val.length}+${data.oos_val.length} val, ${data.test.length}+${data.oos_test.length} test`);
  const loadBefore = loadavg();
  const results: ClassifierResult[] = [];
  for (const kind of options.classifiers) results.push(await runClassifier(kind, data, options));
  const loadAfter = loadavg();
  write();
  printTable(results, split);

  const output = {
    bench: 'nlu-clinc150',
    date: new Date().toISOString(),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    cpuCount: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    // The machine is shared: its load average (1, 5, 15 min) before and after the run.
    loadAverage: { before: loadBefore.map((value) => round(value, 2)), after: loadAfter.map((value) => round(value, 2)) },
    timing:
      'trainSeconds and classifyPerSecondWall are wall-clock; trainCpuSeconds and classifyPerSecond are this process\'s CPU time (user + system, GC threads included), one message after the other',
    dataset: path.basename(dataFile),
    protocol:
      'train on train (linear: + oos_train as an out-of-scope intent); threshold with the best accuracy (OOS as its own class) on val + oos_val; reported once on test + oos_test',
    reportedOn: options.tune ? 'val + oos_val (tuning run)' : 'test + oos_test',
    ...(Object.keys(options.linearSettings).length > 0 ? { linearSettings: options.linearSettings } : {}),
    classifiers: Object.fromEntries(
      results.map((result) => [
        result.classifier,
        {
          inScopeAccuracy: round(result.inScopeAccuracy, 4),
          oosRecall: round(result.oosRecall, 4),
          oosAuroc: round(result.oosAuroc, 4),
          oosRecallAt5pct: round(result.oosRecallAt5pct, 4),
          trainSeconds: round(result.trainSeconds, 2),
          trainCpuSeconds: round(result.trainCpuSeconds, 2),
          classifyPerSecond: Math.round(result.classifyPerSecond),
          classifyPerSecondWall: Math.round(result.classifyPerSecondWall),
          cacheLoadSeconds: round(result.cacheLoadSeconds, 3),
          modelBytes: result.modelBytes,
          trainUtterances: result.trainUtterances,
          threshold: round(result.threshold, 6),
          val: {
            accuracy: round(result.valAccuracy, 4),
            inScopeAccuracy: round(result.valInScopeAccuracy, 4),
            oosRecall: round(result.valOosRecall, 4),
          },
          rawInScopeAccuracy: round(result.rawInScopeAccuracy, 4),
        },
      ]),
    ),
  };
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, options.tune ? 'nlu-clinc150.tune.local.json' : 'nlu-clinc150.json');
  writeFileSync(file, `${JSON.stringify(output, null, 2)}\n`);
  write();
  write(`written to ${path.relative(process.cwd(), file)}`);
}

await main();
