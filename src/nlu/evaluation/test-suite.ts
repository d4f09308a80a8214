import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SwitchboardError } from '../../core/errors.ts';
import type { LocaleCorpus } from '../corpus.ts';
import { NO_INTENT } from '../intent-classifier.ts';
import { isRecord } from '../is-record.ts';

/*
 * Intent regression suites: `intents/<locale>/tests/*.json` (every file but
 * `baseline.json`), each one
 *
 *   { "name": "Orders", "description": "optional",
 *     "cases": [
 *       { "text": "where's order a1001 now?", "intent": "order.status", "entities": { "orderNumber": "A1001" } },
 *       { "text": "I want to return A1001 and B2002", "intent": "order.return", "entities": { "orderNumber": ["A1001", "B2002"] } },
 *       { "text": "where is order 12345", "intent": "order.status", "entities": { "orderNumber": null } },
 *       { "text": "get me a human", "intent": "agent.request", "escalate": true },
 *       { "text": "what's the weather like tomorrow" } ] }
 *
 * - `intent`: the intent the bot should act on. Leave it out for a message
 *   the bot has no intent for (out of scope).
 * - `escalate`: whether the host hands the message to a person before the
 *   dialogs run (any reason of the escalation policy: out_of_scope,
 *   low_confidence, customer_request, negative_sentiment). Default: true for
 *   an out-of-scope case and for an intent in the bot's `handoffIntents`,
 *   false otherwise.
 * - `entities`: entity name → the value the dialogs should see (normalised,
 *   e.g. upper-cased), a list of values (in any order), or null for "none".
 *   Entities not named are not checked.
 * - `note`: free text for the reader.
 *
 * A suite may set `referenceDate` (`YYYY-MM-DD`): its messages are read as
 * if written at noon that day, so "tomorrow" has one right answer whatever
 * the day the suite runs.
 *
 * Texts are unique within a locale (case and spacing aside); intents and
 * entities must exist in the locale's corpus.
 */

export const TESTS_DIR = 'tests';
export const BASELINE_FILE = 'baseline.json';

const nonBlank = z.string().refine((text) => text.trim().length > 0, 'must not be blank');

const caseSchema = z.strictObject({
  text: nonBlank,
  intent: nonBlank
    .refine((name) => name !== NO_INTENT, `leave "intent" out for an out-of-scope message instead of "${NO_INTENT}"`)
    .optional(),
  escalate: z.boolean().optional(),
  entities: z.record(z.string().min(1), z.union([nonBlank, z.array(nonBlank).min(1), z.null()])).optional(),
  note: z.string().optional(),
});

const suiteSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  referenceDate: z.iso.date().optional(),
  cases: z.array(caseSchema).min(1),
});

export type SuiteDocument = z.output<typeof suiteSchema>;

/** One case, with its defaults applied. */
export interface TestCase {
  /** The suite's file name (e.g. `orders.json`); absent for cross-validation items. */
  suite?: string;
  text: string;
  /** The expected intent; `None` (NO_INTENT) for an out-of-scope message. */
  intent: string;
  /** Whether the host should hand the message to a person; undefined: not checked. */
  escalate?: boolean;
  /** Entity name → expected values (sorted), or [] for "none". */
  entities?: Record<string, string[]>;
  /** The suite's `referenceDate` (YYYY-MM-DD): the day relative dates count from. */
  referenceDate?: string;
}

export interface LoadedSuite {
  file: string;
  name: string;
  cases: number;
}

export interface LocaleSuites {
  locale: string;
  dir: string;
  suites: LoadedSuite[];
  cases: TestCase[];
  /** Not failures: things a suite author should know (e.g. cases that are training utterances). */
  warnings: string[];
}

export interface SuiteDefaults {
  /** The bot's handoff intents: their cases are expected to escalate unless they say otherwise. */
  handoffIntents: readonly string[];
}

const suiteError = (message: string, cause?: unknown) =>
  new SwitchboardError('invalid_test_suite', message, 500, cause === undefined ? undefined : { cause });

/** The case-and-spacing-insensitive form texts are compared in. */
export const normalizeText = (text: string): string => text.trim().toLowerCase().replace(/\s+/g, ' ');

/**
 * Reads `intents/<locale>/tests/*.json` and checks each case against the
 * locale's corpus. Undefined when the locale has no tests folder or no suite
 * in it. Throws `invalid_test_suite` naming the file and case at fault.
 */
export async function loadTestSuites(
  intentsDir: string,
  corpus: LocaleCorpus,
  defaults: SuiteDefaults,
): Promise<LocaleSuites | undefined> {
  const dir = path.join(intentsDir, corpus.locale, TESTS_DIR);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') return undefined;
    throw suiteError(`Cannot read ${dir}: ${String(error)}`, error);
  }
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && entry.name !== BASELINE_FILE)
    .map((entry) => entry.name)
    .sort();
  if (files.length === 0) return undefined;

  const suites: LoadedSuite[] = [];
  const documents: Array<{ file: string; document: SuiteDocument }> = [];
  for (const file of files) {
    const document = await readSuite(path.join(dir, file));
    documents.push({ file, document });
    suites.push({ file, name: document.name, cases: document.cases.length });
  }
  const { cases, warnings } = resolveCases(documents, corpus, defaults, dir);
  return { locale: corpus.locale, dir, suites, cases, warnings };
}

async function readSuite(file: string): Promise<SuiteDocument> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw suiteError(`${file} cannot be read as JSON: ${String(error)}`, error);
  }
  const parsed = suiteSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw suiteError(`${file} is not a valid test suite: ${problems.join('; ')}`);
  }
  return parsed.data;
}

/** Applies the defaults and checks the cases against the corpus and each other. */
export function resolveCases(
  documents: ReadonlyArray<{ file: string; document: SuiteDocument }>,
  corpus: LocaleCorpus,
  defaults: SuiteDefaults,
  dir = '',
): { cases: TestCase[]; warnings: string[] } {
  const intents = new Set(corpus.intents.map((intent) => intent.intent));
  const entities = new Set(Object.keys(corpus.entities));
  const handoff = new Set(defaults.handoffIntents);
  const taught = new Set(corpus.intents.flatMap((intent) => intent.utterances.map(normalizeText)));
  const seen = new Map<string, string>();
  const problems: string[] = [];
  const inTraining: string[] = [];
  const cases: TestCase[] = [];

  for (const { file, document } of documents) {
    document.cases.forEach((raw, index) => {
      const where = `${path.join(dir, file)} cases[${index}] (${JSON.stringify(raw.text)})`;
      if (raw.intent !== undefined && !intents.has(raw.intent)) {
        problems.push(`${where}: "${raw.intent}" is not an intent of the ${corpus.locale} corpus`);
      }
      for (const name of Object.keys(raw.entities ?? {})) {
        if (!entities.has(name)) problems.push(`${where}: "${name}" is not an entity of the ${corpus.locale} corpus`);
      }
      const key = normalizeText(raw.text);
      const earlier = seen.get(key);
      if (earlier !== undefined) problems.push(`${where}: the same text is already a case in ${earlier}`);
      seen.set(key, file);
      if (taught.has(key)) inTraining.push(raw.text);

      const intent = raw.intent ?? NO_INTENT;
      const testCase: TestCase = {
        suite: file,
        text: raw.text,
        intent,
        escalate: raw.escalate ?? (raw.intent === undefined || handoff.has(raw.intent)),
      };
      if (document.referenceDate !== undefined) testCase.referenceDate = document.referenceDate;
      if (raw.entities) {
        testCase.entities = Object.fromEntries(
          Object.entries(raw.entities).map(([name, value]) => [name, value === null ? [] : [value].flat().sort()]),
        );
      }
      cases.push(testCase);
    });
  }
  if (problems.length > 0) throw suiteError(problems.join('\n'));
  const warnings =
    inTraining.length === 0
      ? []
      : [
          `${inTraining.length} case(s) are training utterances, which tests memory rather than understanding: ${inTraining
            .slice(0, 5)
            .map((text) => JSON.stringify(text))
            .join(', ')}${inTraining.length > 5 ? ', …' : ''}`,
        ];
  return { cases, warnings };
}

function formatPath(issuePath: readonly PropertyKey[]): string {
  let out = '';
  for (const key of issuePath) out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  return out === '' ? '(file)' : out;
}
