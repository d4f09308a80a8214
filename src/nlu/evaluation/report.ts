import { NO_INTENT } from '../intent-classifier.ts';
import type { BaselineComparison, Regression } from './baseline.ts';
import type { CaseResult, EscalationSummary, LocaleEvaluation } from './evaluate.ts';
import { round4, type ConfusedPair, type LabelMetrics } from './metrics.ts';
import type { LoadedSuite } from './test-suite.ts';

/*
 * The report of `switchboard intents test`: one JSON document (for tools and
 * CI artefacts), rendered as plain text for the terminal and as Markdown
 * (for a pull request or a CI summary).
 */

export type ThresholdSource = 'env' | 'calibration' | 'default';

export interface FailureEntry {
  suite?: string;
  text: string;
  expected: string;
  predicted: string;
  top: { intent: string; score: number };
  escalation?: string;
  problems: string[];
  /** Listed in the baseline's known failures. */
  known: boolean;
}

export interface LocaleReport {
  locale: string;
  handoffThreshold: { value: number; source: ThresholdSource };
  /** OOS_THRESHOLD as the locale gets it (it matters for classifiers with an out-of-scope score). */
  outOfScopeThreshold?: { value: number; source: ThresholdSource };
  suites: LoadedSuite[];
  warnings: string[];
  cases: number;
  /** The intent the bot acts on is the expected one (out-of-scope as its own class). */
  accuracy: number;
  /** In-scope cases whose top intent is right, whatever the score. */
  topIntentAccuracy: number | null;
  macroF1: number;
  weightedF1: number;
  intents: LabelMetrics[];
  confusions: ConfusedPair[];
  escalation: EscalationSummary;
  entities: { checked: number; passed: number };
  failures: FailureEntry[];
  baseline?: {
    file: string;
    found: boolean;
    updated: boolean;
    regressions: Regression[];
    newFailures: number;
    knownFailures: number;
    fixed: string[];
    notCompared: string[];
  };
}

export interface IntentsReport {
  kind: 'switchboard-intents-report';
  version: 1;
  createdAt: string;
  mode: 'suites' | 'cross-validation';
  intentsDir: string;
  corpusHash: string;
  /** Where the model came from: the cache, a fresh training, or K trainings (cross-validation). */
  model: 'cache' | 'trained' | 'cross-validation';
  crossValidation?: { folds: number; seed: number; trainingMs: number };
  settings: { nluThreshold: number; tolerance: number; allowFailures: number; minAccuracy?: number };
  locales: LocaleReport[];
  /** Locales with no suite (suites mode). */
  skippedLocales: string[];
  passed: boolean;
  /** Why it failed (empty when it passed). */
  reasons: string[];
}

export function localeReport(
  evaluation: LocaleEvaluation,
  extra: {
    handoffThreshold: LocaleReport['handoffThreshold'];
    outOfScopeThreshold?: LocaleReport['outOfScopeThreshold'];
    suites: LoadedSuite[];
    warnings: string[];
    comparison?: BaselineComparison;
    baseline?: { file: string; found: boolean; updated: boolean };
  },
): LocaleReport {
  const known = new Set(extra.comparison?.knownFailures ?? []);
  const report: LocaleReport = {
    locale: evaluation.locale,
    handoffThreshold: extra.handoffThreshold,
    ...(extra.outOfScopeThreshold ? { outOfScopeThreshold: extra.outOfScopeThreshold } : {}),
    suites: extra.suites,
    warnings: extra.warnings,
    cases: evaluation.cases,
    accuracy: round4(evaluation.metrics.accuracy),
    topIntentAccuracy: evaluation.topIntentAccuracy === null ? null : round4(evaluation.topIntentAccuracy),
    macroF1: round4(evaluation.metrics.macroF1),
    weightedF1: round4(evaluation.metrics.weightedF1),
    // Intents by name, out of scope last.
    intents: [...evaluation.metrics.labels]
      .sort((a, b) => Number(a.label === NO_INTENT) - Number(b.label === NO_INTENT))
      .map((label) => ({
      ...label,
      precision: round4(label.precision),
      recall: round4(label.recall),
      f1: round4(label.f1),
    })),
    confusions: evaluation.metrics.confusions,
    escalation: {
      ...evaluation.escalation,
      accuracy: evaluation.escalation.accuracy === null ? null : round4(evaluation.escalation.accuracy),
    },
    entities: evaluation.entities,
    failures: evaluation.failures.map((failure) => failureEntry(failure, known.has(failure))),
  };
  if (extra.baseline && extra.comparison) {
    report.baseline = {
      ...extra.baseline,
      regressions: extra.comparison.regressions,
      newFailures: extra.comparison.newFailures.length,
      knownFailures: extra.comparison.knownFailures.length,
      fixed: extra.comparison.fixed,
      notCompared: extra.comparison.notCompared,
    };
  }
  return report;
}

function failureEntry(result: CaseResult, known: boolean): FailureEntry {
  return {
    ...(result.suite === undefined ? {} : { suite: result.suite }),
    text: result.text,
    expected: result.expected,
    predicted: result.predicted,
    top: { intent: result.top.intent, score: round4(result.top.score) },
    ...(result.escalation === undefined ? {} : { escalation: result.escalation }),
    problems: result.problems,
    known,
  };
}

export const labelName = (label: string): string => (label === NO_INTENT ? '(out of scope)' : label);
const fixed3 = (value: number): string => value.toFixed(3);
const percent = (value: number | null): string => (value === null ? 'n/a' : `${(value * 100).toFixed(1)}%`);
const count = (part: number, whole: number): string => `${part}/${whole}`;

function escalationLine(escalation: EscalationSummary): string {
  const parts = [`escalation accuracy ${percent(escalation.accuracy)} (${count(escalation.correct, escalation.checked)})`];
  if (escalation.outOfScope > 0) {
    parts.push(`out of scope escalated ${count(escalation.outOfScopeEscalated, escalation.outOfScope)}`);
  }
  if (escalation.shouldStay > 0) {
    parts.push(`escalated unnecessarily ${count(escalation.escalatedUnnecessarily, escalation.shouldStay)}`);
  }
  return parts.join(' · ');
}

function headline(report: IntentsReport): string {
  const mode =
    report.mode === 'cross-validation' && report.crossValidation
      ? `${report.crossValidation.folds}-fold cross-validation (seed ${report.crossValidation.seed}, ${report.crossValidation.trainingMs} ms of training)`
      : `regression suites, model ${report.model === 'cache' ? 'loaded from the cache' : 'trained'}`;
  return `intents test: ${report.intentsDir} · ${mode} · corpus ${report.corpusHash.slice(0, 12)}`;
}

/** The terminal rendering. */
export function renderText(report: IntentsReport, maxFailures = 40): string {
  const lines: string[] = [headline(report), ''];
  for (const locale of report.locales) {
    const suites = locale.suites.map((suite) => `${suite.file} (${suite.cases})`).join(', ');
    lines.push(
      `[${locale.locale}] ${locale.cases} cases${suites === '' ? '' : `: ${suites}`}`,
      `  thresholds: NLU_THRESHOLD ${report.settings.nluThreshold} · HANDOFF_THRESHOLD ${locale.handoffThreshold.value} (${locale.handoffThreshold.source})${outOfScopeNote(locale)}`,
    );
    for (const warning of locale.warnings) lines.push(`  warning: ${warning}`);
    lines.push('');
    const width = Math.max(16, ...locale.intents.map((label) => labelName(label.label).length)) + 2;
    lines.push(`  ${'intent'.padEnd(width)}precision  recall  f1     support  predicted`);
    for (const label of locale.intents) {
      lines.push(
        `  ${labelName(label.label).padEnd(width)}${fixed3(label.precision).padEnd(11)}${fixed3(label.recall).padEnd(8)}${fixed3(label.f1).padEnd(7)}${String(label.support).padEnd(9)}${label.predicted}`,
      );
    }
    lines.push(
      '',
      `  accuracy ${percent(locale.accuracy)} (as the bot acts on it) · top intent alone ${percent(locale.topIntentAccuracy)} of in-scope · macro F1 ${fixed3(locale.macroF1)}`,
      `  ${escalationLine(locale.escalation)}`,
    );
    if (locale.entities.checked > 0) lines.push(`  entities ${count(locale.entities.passed, locale.entities.checked)} cases right`);
    if (locale.confusions.length > 0) {
      lines.push('', '  most confused (expected → acted on):');
      for (const pair of locale.confusions) {
        lines.push(
          `    ${labelName(pair.expected)} → ${labelName(pair.predicted)}: ${pair.count}  e.g. ${pair.examples.map((text) => JSON.stringify(text)).join(', ')}`,
        );
      }
    }
    if (locale.failures.length > 0) {
      const known = locale.failures.filter((failure) => failure.known).length;
      lines.push('', `  failed expectations: ${locale.failures.length}${locale.baseline?.found ? ` (${known} known in the baseline, ${locale.failures.length - known} new)` : ''}`);
      const ordered = [...locale.failures].sort((a, b) => Number(a.known) - Number(b.known));
      const marked = locale.baseline?.found === true;
      for (const failure of ordered.slice(0, maxFailures)) {
        const mark = marked ? (failure.known ? 'known ' : 'NEW   ') : '';
        lines.push(`    ${mark}${JSON.stringify(failure.text)}${failure.suite ? ` (${failure.suite})` : ''}`);
        for (const problem of failure.problems) lines.push(`    ${' '.repeat(mark.length)}  ${problem}`);
      }
      if (ordered.length > maxFailures) lines.push(`    … ${ordered.length - maxFailures} more in the report`);
    }
    if (locale.baseline) lines.push('', ...baselineLines(locale.baseline, report.settings.tolerance).map((line) => `  ${line}`));
    lines.push('');
  }
  for (const locale of report.skippedLocales) lines.push(`[${locale}] no regression suite (intents/${locale}/tests/*.json): not tested`);
  lines.push(report.passed ? 'PASS' : `FAIL: ${report.reasons.join('; ')}`);
  return `${lines.join('\n')}\n`;
}

function baselineLines(baseline: NonNullable<LocaleReport['baseline']>, tolerance: number): string[] {
  if (baseline.updated) return [`baseline written: ${baseline.file}`];
  if (!baseline.found) return [`no baseline (${baseline.file}): write one with --update-baseline`];
  const lines = [
    baseline.regressions.length === 0
      ? `baseline: no F1 fell more than ${tolerance}`
      : `baseline: ${baseline.regressions.map((r) => `${labelName(r.what)} ${fixed3(r.baseline)} → ${fixed3(r.current)}`).join(', ')} (tolerance ${tolerance})`,
  ];
  if (baseline.fixed.length > 0) {
    lines.push(
      `fixed since the baseline (drop them with --update-baseline): ${baseline.fixed.map((text) => JSON.stringify(text)).join(', ')}`,
    );
  }
  if (baseline.notCompared.length > 0) lines.push(`not compared (no case any more): ${baseline.notCompared.join(', ')}`);
  return lines;
}

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The Markdown rendering. */
export function renderMarkdown(report: IntentsReport): string {
  const lines: string[] = [
    `# Intent regression report`,
    '',
    `${headline(report)}  `,
    `${report.createdAt} · **${report.passed ? 'PASS' : 'FAIL'}**${report.passed ? '' : `: ${report.reasons.map(cell).join('; ')}`}`,
    '',
  ];
  for (const locale of report.locales) {
    lines.push(
      `## ${locale.locale}`,
      '',
      `${locale.cases} cases${locale.suites.length > 0 ? ` in ${locale.suites.map((suite) => `\`${suite.file}\` (${suite.cases})`).join(', ')}` : ''}. ` +
        `NLU_THRESHOLD ${report.settings.nluThreshold}, HANDOFF_THRESHOLD ${locale.handoffThreshold.value} (${locale.handoffThreshold.source})${outOfScopeNote(locale, ',')}.`,
      '',
      `| metric | value |`,
      `| --- | --- |`,
      `| accuracy (as the bot acts on it, out of scope as its own class) | ${percent(locale.accuracy)} |`,
      `| top intent alone, in-scope cases | ${percent(locale.topIntentAccuracy)} |`,
      `| macro F1 / weighted F1 | ${fixed3(locale.macroF1)} / ${fixed3(locale.weightedF1)} |`,
      `| escalation accuracy | ${percent(locale.escalation.accuracy)} (${count(locale.escalation.correct, locale.escalation.checked)}) |`,
      `| out of scope escalated | ${count(locale.escalation.outOfScopeEscalated, locale.escalation.outOfScope)} |`,
      `| escalated unnecessarily | ${count(locale.escalation.escalatedUnnecessarily, locale.escalation.shouldStay)} |`,
      `| entity cases right | ${count(locale.entities.passed, locale.entities.checked)} |`,
      '',
      `| intent | precision | recall | F1 | support | predicted |`,
      `| --- | ---: | ---: | ---: | ---: | ---: |`,
      ...locale.intents.map(
        (label) =>
          `| ${cell(labelName(label.label))} | ${fixed3(label.precision)} | ${fixed3(label.recall)} | ${fixed3(label.f1)} | ${label.support} | ${label.predicted} |`,
      ),
      '',
    );
    for (const warning of locale.warnings) lines.push(`> ${cell(warning)}`, '');
    if (locale.confusions.length > 0) {
      lines.push(`### Most confused`, '', `| expected | acted on | count | examples |`, `| --- | --- | ---: | --- |`);
      for (const pair of locale.confusions) {
        lines.push(
          `| ${cell(labelName(pair.expected))} | ${cell(labelName(pair.predicted))} | ${pair.count} | ${pair.examples.map((text) => cell(JSON.stringify(text))).join(', ')} |`,
        );
      }
      lines.push('');
    }
    if (locale.failures.length > 0) {
      const marked = locale.baseline?.found === true;
      lines.push(`### Failed expectations (${locale.failures.length})`, '', `| | text | suite | problems |`, `| --- | --- | --- | --- |`);
      for (const failure of [...locale.failures].sort((a, b) => Number(a.known) - Number(b.known))) {
        const mark = marked ? (failure.known ? 'known' : '**new**') : '';
        lines.push(
          `| ${mark} | ${cell(JSON.stringify(failure.text))} | ${cell(failure.suite ?? '')} | ${failure.problems.map(cell).join('<br>')} |`,
        );
      }
      lines.push('');
    }
    if (locale.baseline) lines.push(`### Baseline`, '', ...baselineLines(locale.baseline, report.settings.tolerance).map((line) => `- ${cell(line)}`), '');
  }
  for (const locale of report.skippedLocales) lines.push(`_${locale}: no regression suite, not tested._`, '');
  return `${lines.join('\n')}\n`;
}

function outOfScopeNote(locale: LocaleReport, separator = ' ·'): string {
  const threshold = locale.outOfScopeThreshold;
  return threshold ? `${separator} OOS_THRESHOLD ${threshold.value} (${threshold.source})` : '';
}
