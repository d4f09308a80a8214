import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SwitchboardError } from '../core/errors.ts';
import { isRecord } from './is-record.ts';

/*
 * The calibrated escalation threshold of one locale, written by
 * `switchboard intents calibrate` to `intents/<locale>/calibration.json`:
 *
 *   { "handoffThreshold": 0.42, "method": "best-accuracy",
 *     "measuredOn": "intents/en/tests: 101 in-scope, 20 out-of-scope", "date": "2026-11-26", … }
 *
 * The host uses it as that locale's HANDOFF_THRESHOLD when the environment
 * variable is not set (the variable, when set, applies to every locale).
 * The corpus loader skips this file. Fields other than these four are
 * information for people (the metrics at the threshold, the corpus hash).
 */

export const CALIBRATION_FILE = 'calibration.json';

const calibrationSchema = z.looseObject({
  handoffThreshold: z.number().min(0).max(1),
  method: z.string().min(1),
  measuredOn: z.string().min(1),
  date: z.string().min(1),
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

/**
 * locale → calibrated threshold on the top intent's score, for the locales
 * that have a calibration file measured on that score. A calibration measured
 * on the out-of-scope score (`"score": "oneMinusOutOfScope"`, the linear
 * classifier's) is on another scale and is not applied to the top score.
 */
export async function readCalibratedThresholds(
  intentsDir: string,
  locales: readonly string[],
): Promise<Record<string, number>> {
  const thresholds: Record<string, number> = {};
  for (const locale of locales) {
    const calibration = await readCalibration(intentsDir, locale);
    const scale = calibration?.score ?? 'topScore';
    if (calibration && scale === 'topScore') thresholds[locale] = calibration.handoffThreshold;
  }
  return thresholds;
}

export async function writeCalibration(file: string, calibration: Calibration): Promise<void> {
  await writeFile(file, `${JSON.stringify(calibration, null, 2)}\n`);
}

const invalid = (message: string, cause?: unknown) =>
  new SwitchboardError('invalid_calibration', message, 500, cause === undefined ? undefined : { cause });
