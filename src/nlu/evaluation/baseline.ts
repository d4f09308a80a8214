import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SwitchboardError } from '../../core/errors.ts';
import { isRecord } from '../is-record.ts';
import type { CaseResult, LocaleEvaluation } from './evaluate.ts';
import { round4 } from './metrics.ts';
import { BASELINE_FILE, normalizeText, TESTS_DIR } from './test-suite.ts';

/*
 * The committed baseline of a locale's suites, `intents/<locale>/tests/baseline.json`,
 * written by `switchboard intents test --update-baseline`:
 *
 *   { "kind": "switchboard-intents-baseline", "version": 1, "locale": "en",
 *     "accuracy": 0.83, "escalationAccuracy": 0.85,
 *     "intents": { "order.status": { "f1": 0.9, "support": 10 }, "None": { "f1": 0.5, "support": 20 } },
 *     "knownFailures": [ { "suite": "in-scope.json", "text": "hellooo", "problems": ["intent: …"] } ] }
 *
 * A run is compared with it: an intent whose F1 (or the escalation accuracy)
 * fell more than the tolerance is a regression; a failing case listed in
 * `knownFailures` is known (it failed when the baseline was taken) and does
 * not count against `--allow-failures`; a known failure that now passes is
 * reported as fixed, to be dropped with the next `--update-baseline`.
 */

const KIND = 'switchboard-intents-baseline';

const baselineSchema = z.object({
  kind: z.literal(KIND),
  version: z.literal(1),
  locale: z.string(),
  corpusHash: z.string().optional(),
  accuracy: z.number(),
  escalationAccuracy: z.number().nullable(),
  intents: z.record(z.string(), z.object({ f1: z.number(), support: z.number().int() })),
  knownFailures: z.array(
    z.object({ suite: z.string().optional(), text: z.string(), problems: z.array(z.string()) }),
  ),
});

export type Baseline = z.output<typeof baselineSchema>;

export interface Regression {
  /** An intent name, `None` (out of scope), or `escalation accuracy`. */
  what: string;
  baseline: number;
  current: number;
}

export interface BaselineComparison {
  regressions: Regression[];
  /** Failing now and not in the baseline's known failures. */
  newFailures: CaseResult[];
  /** Failing now and in the baseline's known failures. */
  knownFailures: CaseResult[];
  /** Texts of known failures that pass now (or are no longer cases). */
  fixed: string[];
  /** Intents of the baseline with no case any more: not compared. */
  notCompared: string[];
}

export const ESCALATION_ACCURACY = 'escalation accuracy';

export function baselineFile(intentsDir: string, locale: string): string {
  return path.join(intentsDir, locale, TESTS_DIR, BASELINE_FILE);
}

/** The baseline, or undefined when there is none. A malformed one throws `invalid_baseline`. */
export async function readBaseline(file: string): Promise<Baseline | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') return undefined;
    throw new SwitchboardError('invalid_baseline', `Cannot read ${file}: ${String(error)}`, 500);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SwitchboardError('invalid_baseline', `${file} is not valid JSON: ${String(error)}`, 500);
  }
  const parsed = baselineSchema.safeParse(json);
  if (!parsed.success) {
    throw new SwitchboardError(
      'invalid_baseline',
      `${file} is not a baseline (write it with --update-baseline): ${parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`,
      500,
    );
  }
  return parsed.data;
}

/** The baseline of an evaluation: every current failure becomes a known one. */
export function baselineOf(evaluation: LocaleEvaluation, corpusHash?: string): Baseline {
  const intents: Baseline['intents'] = {};
  for (const label of evaluation.metrics.labels) {
    if (label.support > 0) intents[label.label] = { f1: round4(label.f1), support: label.support };
  }
  return {
    kind: KIND,
    version: 1,
    locale: evaluation.locale,
    ...(corpusHash === undefined ? {} : { corpusHash }),
    accuracy: round4(evaluation.metrics.accuracy),
    escalationAccuracy: evaluation.escalation.accuracy === null ? null : round4(evaluation.escalation.accuracy),
    intents,
    knownFailures: evaluation.failures.map((failure) => ({
      ...(failure.suite === undefined ? {} : { suite: failure.suite }),
      text: failure.text,
      problems: failure.problems,
    })),
  };
}

/** Written with one line per intent, so a changed F1 is a one-line diff. */
export async function writeBaseline(file: string, baseline: Baseline): Promise<void> {
  const text = JSON.stringify(baseline, null, 2).replace(
    /\{\n\s+"f1": ([^,\n]+),\n\s+"support": (\d+)\n\s+\}/g,
    '{ "f1": $1, "support": $2 }',
  );
  await writeFile(file, `${text}\n`);
}

/** Compares a run with the baseline; `tolerance` is the largest F1 drop that is not a regression. */
export function compareWithBaseline(
  evaluation: LocaleEvaluation,
  baseline: Baseline | undefined,
  tolerance: number,
): BaselineComparison {
  if (!baseline) {
    return { regressions: [], newFailures: [...evaluation.failures], knownFailures: [], fixed: [], notCompared: [] };
  }
  // Rounded values are stored; compare what would be stored, with a hair of slack for float noise.
  const fell = (before: number, now: number) => round4(now) < before - tolerance - 1e-9;
  const regressions: Regression[] = [];
  const notCompared: string[] = [];
  const current = new Map(evaluation.metrics.labels.map((label) => [label.label, label]));
  for (const [intent, before] of Object.entries(baseline.intents).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const now = current.get(intent);
    if (!now || now.support === 0) {
      notCompared.push(intent);
      continue;
    }
    if (fell(before.f1, now.f1)) regressions.push({ what: intent, baseline: before.f1, current: round4(now.f1) });
  }
  const escalation = evaluation.escalation.accuracy;
  if (baseline.escalationAccuracy !== null && escalation !== null && fell(baseline.escalationAccuracy, escalation)) {
    regressions.push({ what: ESCALATION_ACCURACY, baseline: baseline.escalationAccuracy, current: round4(escalation) });
  }

  const known = new Set(baseline.knownFailures.map((failure) => normalizeText(failure.text)));
  const failing = new Set(evaluation.failures.map((failure) => normalizeText(failure.text)));
  return {
    regressions,
    newFailures: evaluation.failures.filter((failure) => !known.has(normalizeText(failure.text))),
    knownFailures: evaluation.failures.filter((failure) => known.has(normalizeText(failure.text))),
    fixed: baseline.knownFailures.filter((failure) => !failing.has(normalizeText(failure.text))).map((failure) => failure.text),
    notCompared,
  };
}
