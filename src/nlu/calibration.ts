import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SwitchboardError } from '../core/errors.ts';
import { isRecord } from './is-record.ts';

/*
 * The calibrated escalation threshold of one locale, written by
 * `switchboard intents calibrate` to `intents/<locale>/calibration.json`:
 *
 *   { "handoffThreshold": 0.42, "method": "best-accuracy", "score": "topScore",
 *     "measuredOn": "intents/en/tests: 101 in-scope, 20 out-of-scope", "date": "2026-11-26", … }
 *
 * `score` says which score the threshold was measured on, and so which of
 * the host's thresholds it becomes for that locale:
 *
 * - `topScore` (or absent): the top intent's raw score. It is the locale's
 *   HANDOFF_THRESHOLD (low_confidence below it).
 * - `oneMinusOutOfScope`: 1 − the linear classifier's out-of-scope score.
 *   Escalating below h on that scale is escalating at an out-of-scope score
 *   of 1 − h or more, so 1 − h is the locale's OOS_THRESHOLD (out_of_scope),
 *   also written to the file as `outOfScopeThreshold`, for people.
 *
 * A threshold set in the environment (HANDOFF_THRESHOLD, OOS_THRESHOLD)
 * applies to every locale and wins over the files; the caller leaves the
 * files' thresholds of that kind out. The corpus loader skips this file.
 * Fields other than these are information for people (the metrics at the
 * threshold, the corpus hash).
 */

export const CALIBRATION_FILE = 'calibration.json';

const calibrationSchema = z.looseObject({
  handoffThreshold: z.number().min(0).max(1),
  method: z.string().min(1),
  measuredOn: z.string().min(1),
  date: z.string().min(1),
  score: z.enum(['topScore', 'oneMinusOutOfScope']).optional(),
});

export type Calibration = z.output<typeof calibrationSchema>;

export function calibrationFile(intentsDir: string, locale: string): string {
  return path.join(intentsDir, locale, CALIBRATION_FILE);
}

/**
 * The locale's calibration, or undefined when it has none. A file that is
 * there but unreadable or malformed throws `invalid_calibration` naming it:
 * a threshold silently ignored would change who gets a person.
 */
export async function readCalibration(intentsDir: string, locale: string): Promise<Calibration | undefined> {
  const file = calibrationFile(intentsDir, locale);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') return undefined;
    throw invalid(`Cannot read ${file}: ${String(error)}`, error);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw invalid(`${file} is not valid JSON: ${String(error)}`, error);
  }
  const parsed = calibrationSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(file)'}: ${issue.message}`);
    throw invalid(`${file} is not a valid calibration file: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** The calibrated thresholds of the locales that have a calibration file, by the score each was measured on. */
export interface CalibratedThresholds {
  /** locale → threshold on the top intent's raw score (HANDOFF_THRESHOLD's scale). */
  handoff: Record<string, number>;
  /** locale → threshold on the out-of-scope score (OOS_THRESHOLD's scale). */
  outOfScope: Record<string, number>;
}

export const NO_CALIBRATION: CalibratedThresholds = Object.freeze({ handoff: {}, outOfScope: {} });

/** The out-of-scope threshold a calibration on `1 − outOfScope` stands for (see the module comment). */
export const outOfScopeThresholdOf = (oneMinusOutOfScope: number): number => Number((1 - oneMinusOutOfScope).toFixed(8));

/** Each locale's calibration, as the threshold it is on its own scale (see the module comment). */
export async function readCalibratedThresholds(intentsDir: string, locales: readonly string[]): Promise<CalibratedThresholds> {
  const thresholds: CalibratedThresholds = { handoff: {}, outOfScope: {} };
  for (const locale of locales) {
    const calibration = await readCalibration(intentsDir, locale);
    if (!calibration) continue;
    if (calibration.score === 'oneMinusOutOfScope') thresholds.outOfScope[locale] = outOfScopeThresholdOf(calibration.handoffThreshold);
    else thresholds.handoff[locale] = calibration.handoffThreshold;
  }
  return thresholds;
}

export async function writeCalibration(file: string, calibration: Calibration): Promise<void> {
  await writeFile(file, `${JSON.stringify(calibration, null, 2)}\n`);
}

const invalid = (message: string, cause?: unknown) =>
  new SwitchboardError('invalid_calibration', message, 500, cause === undefined ? undefined : { cause });
