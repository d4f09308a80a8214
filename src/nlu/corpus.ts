import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SwitchboardError } from '../core/errors.ts';
import { CALIBRATION_FILE } from './calibration.ts';
import { builtinEntitySchema, builtinProblem, type BuiltinEntity } from './entities/builtin-entity.ts';
import { NO_INTENT } from './intent-classifier.ts';
import { stableJson } from './stable-json.ts';

/*
 * The training corpus: `intents/<locale>/*.json`, one folder per locale (a
 * two-letter language code, as NLP.js keys its models by it), any number of
 * files per folder. Each file is an NLP.js corpus:
 *
 *   { "name": "Orders", "locale": "en-US",
 *     "data": [{ "intent": "order.status", "utterances": ["where is my order", …] }],
 *     "entities": { "orderNumber": { "regex": "/\\b[a-z]\\d{4}\\b/gi", "normalize": "uppercase" } } }
 *
 * Files of one folder are merged: an intent may appear in several files, and
 * an entity may be declared in several files if every declaration is identical.
 * Entities are `regex` (a `/source/flags` string or a list of them) and/or
 * `options` (an enum: canonical value → synonyms), which NLP.js's NER
 * extracts, or `builtin` (`email`, `phoneNumber`, `date`: Switchboard's own
 * extractors, entities/builtin-entity.ts). `normalize` is a Switchboard
 * extension NLP.js ignores: the classifier upper- or lower-cases the value.
 * Sub-folders (e.g. `intents/en/tests/`) are not corpus and are skipped, and
 * so is `calibration.json` (the calibrated escalation threshold, see calibration.ts).
 */

export type EntityNormalization = 'uppercase' | 'lowercase';

export interface EntityDefinition {
  /** `/source/flags` strings, as NLP.js reads them. */
  regex: string[];
  /** Enum entity: canonical value → the texts that mean it. */
  options: Record<string, string[]>;
  normalize?: EntityNormalization;
  /** A built-in entity (no regex, no options): extracted by Switchboard, not NLP.js. */
  builtin?: BuiltinEntity;
}

export interface CorpusIntent {
  intent: string;
  utterances: string[];
}

export interface CorpusFile {
  fileName: string;
  /** The file's path as built from the intents directory, for messages. */
  path: string;
  document: CorpusDocument;
}

export interface LocaleCorpus {
  /** The folder name: a two-letter language code such as `en`. */
  locale: string;
  /** Sorted by file name. */
  files: CorpusFile[];
  /** Every intent of the locale, merged across files, in order of first appearance. */
  intents: CorpusIntent[];
  /** Every entity of the locale, merged across files. */
  entities: Record<string, EntityDefinition>;
}

export interface Corpus {
  intentsDir: string;
  /** Sorted by locale. */
  locales: LocaleCorpus[];
}

/** What, besides the corpus, decides the trained model: the engine's version and settings. */
export interface TrainingFingerprint {
  engine: Readonly<Record<string, string>>;
  settings: unknown;
}

const LOCALE_DIR = /^[a-z]{2}$/;
/** Folder names that look like a locale NLP.js cannot key a model by (`en-US`, `EN`, `eng`). */
const LOCALE_LIKE_DIR = /^[a-z]{2,3}([-_][a-z0-9]{2,8})*$/i;

const blankable = (what: string) =>
  z.string().refine((text) => text.trim().length > 0, `${what} must not be blank`);

const regexString = z.string().superRefine((value, ctx) => {
  const parts = /^\/(.+)\/([a-z]*)$/s.exec(value);
  if (!parts) {
    ctx.addIssue({ code: 'custom', message: `must be written "/source/flags", got ${JSON.stringify(value)}` });
    return;
  }
  let regex: RegExp;
  try {
    regex = new RegExp(parts[1] ?? '', parts[2]);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: `is not a valid regular expression: ${String(error)}` });
    return;
  }
  // NLP.js's regex extractor loops on exec() until no match: a pattern that
  // matches the empty string would never advance and hang the process.
  if (regex.test('')) {
    ctx.addIssue({ code: 'custom', message: 'must not match the empty string' });
  }
});

const customEntitySchema = z
  .strictObject({
    regex: z.union([regexString, z.array(regexString).min(1)]).optional(),
    options: z.record(z.string().min(1), z.array(blankable('an option text')).min(1)).optional(),
    normalize: z.enum(['uppercase', 'lowercase']).optional(),
  })
  .refine((entity) => entity.regex !== undefined || entity.options !== undefined, {
    message: 'an entity needs "regex" or "options"',
  });

const entitySchema = z.union([builtinEntitySchema, customEntitySchema]);

const intentSchema = z.strictObject({
  intent: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-", e.g. "order.status"')
    .refine((name) => name !== NO_INTENT, `"${NO_INTENT}" is reserved for "no intent matched"`),
  utterances: z.array(blankable('an utterance')).min(1),
});

const corpusDocumentSchema = z.strictObject({
  name: z.string().min(1),
  locale: z.string().regex(/^[a-z]{2}(-[A-Za-z0-9]{2,8})*$/i, 'must be a language tag such as "en-US"'),
  description: z.string().optional(),
  data: z.array(intentSchema),
  entities: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]*$/, 'entity names are letters, digits and "_"'), entitySchema)
    .optional(),
});

export type CorpusDocument = z.output<typeof corpusDocumentSchema>;

const corpusError = (message: string, cause?: unknown): SwitchboardError =>
  new SwitchboardError('invalid_corpus', message, 500, cause === undefined ? undefined : { cause });

/**
 * Reads and validates every locale folder of `intentsDir`. Throws a
 * SwitchboardError (`invalid_corpus`) naming the file and the field at fault.
 */
export async function loadCorpus(intentsDir: string): Promise<Corpus> {
  const entries = await readdir(intentsDir, { withFileTypes: true }).catch((error: unknown) => {
    throw corpusError(`Cannot read the intents directory ${intentsDir}: ${errorMessage(error)}`, error);
  });
  const localeDirs = entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .filter((name) => {
      if (LOCALE_DIR.test(name)) return true;
      if (LOCALE_LIKE_DIR.test(name)) {
        throw corpusError(
          `${path.join(intentsDir, name)}: a locale folder must be named by a two-letter lower-case language code (e.g. "en"), as NLP.js keys its models by it`,
        );
      }
      return false;
    })
    .sort();
  if (localeDirs.length === 0) {
    throw corpusError(`${intentsDir} has no locale folder (e.g. ${path.join(intentsDir, 'en')}/)`);
  }
  const locales: LocaleCorpus[] = [];
  for (const locale of localeDirs) locales.push(await loadLocale(intentsDir, locale));
  return { intentsDir, locales };
}

async function loadLocale(intentsDir: string, locale: string): Promise<LocaleCorpus> {
  const dir = path.join(intentsDir, locale);
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: unknown) => {
    throw corpusError(`Cannot read ${dir}: ${errorMessage(error)}`, error);
  });
  const fileNames = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && entry.name !== CALIBRATION_FILE)
    .map((entry) => entry.name)
    .sort();
  if (fileNames.length === 0) throw corpusError(`${dir} has no *.json corpus file`);

  const files: CorpusFile[] = [];
  for (const fileName of fileNames) {
    files.push(await loadFile(path.join(dir, fileName), fileName, locale));
  }
  const corpus = { locale, files, intents: mergeIntents(files), entities: mergeEntities(files) };
  if (corpus.intents.length === 0) throw corpusError(`${dir} defines no intent`);
  return corpus;
}

async function loadFile(filePath: string, fileName: string, locale: string): Promise<CorpusFile> {
  const text = await readFile(filePath, 'utf8').catch((error: unknown) => {
    throw corpusError(`Cannot read ${filePath}: ${errorMessage(error)}`, error);
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw corpusError(`${filePath} is not valid JSON: ${errorMessage(error)}`, error);
  }
  const parsed = corpusDocumentSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`);
    throw corpusError(`${filePath} is not a valid corpus file: ${problems.join('; ')}`);
  }
  const language = parsed.data.locale.slice(0, 2).toLowerCase();
  if (language !== locale) {
    throw corpusError(
      `${filePath}: locale "${parsed.data.locale}" does not belong in the "${locale}" folder`,
    );
  }
  return { fileName, path: filePath, document: parsed.data };
}

function mergeIntents(files: readonly CorpusFile[]): CorpusIntent[] {
  const intents = new Map<string, CorpusIntent>();
  /** Normalised utterance → where it was first seen, to catch one sentence taught as two intents. */
  const seen = new Map<string, { intent: string; file: string }>();
  for (const file of files) {
    for (const { intent, utterances } of file.document.data) {
      let merged = intents.get(intent);
      if (!merged) {
        merged = { intent, utterances: [] };
        intents.set(intent, merged);
      }
      for (const utterance of utterances) {
        const key = utterance.trim().toLowerCase().replace(/\s+/g, ' ');
        const earlier = seen.get(key);
        if (earlier && earlier.intent !== intent) {
          throw corpusError(
            `${file.path}: the utterance ${JSON.stringify(utterance)} is taught as "${intent}" here and as "${earlier.intent}" in ${earlier.file}`,
          );
        }
        seen.set(key, { intent, file: file.path });
        merged.utterances.push(utterance);
      }
    }
  }
  return [...intents.values()];
}

function mergeEntities(files: readonly CorpusFile[]): Record<string, EntityDefinition> {
  const merged: Record<string, EntityDefinition> = {};
  const declaredIn: Record<string, string> = {};
  for (const file of files) {
    for (const [name, entity] of Object.entries(file.document.entities ?? {})) {
      const definition: EntityDefinition =
        'builtin' in entity
          ? { regex: [], options: {}, builtin: entity }
          : {
              regex: entity.regex === undefined ? [] : [entity.regex].flat(),
              options: entity.options ?? {},
              ...(entity.normalize ? { normalize: entity.normalize } : {}),
            };
      const problem = definition.builtin && builtinProblem(definition.builtin, file.document.locale);
      if (problem) throw corpusError(`${file.path}: entity "${name}": ${problem}`);
      const earlier = merged[name];
      if (earlier && stableJson(earlier) !== stableJson(definition)) {
        throw corpusError(
          `${file.path}: entity "${name}" is already declared differently in ${declaredIn[name] ?? 'another file'}`,
        );
      }
      merged[name] = definition;
      declaredIn[name] ??= file.path;
    }
  }
  return merged;
}

/**
 * A stable sha256 of everything that decides the trained model: each locale's
 * files in name order (their parsed content, so reformatting a file does not
 * count as a change) plus the engine's version and training settings.
 */
export function corpusHash(corpus: Corpus, fingerprint: TrainingFingerprint): string {
  const payload = {
    hashVersion: 1,
    engine: fingerprint.engine,
    settings: fingerprint.settings,
    locales: corpus.locales.map((locale) => ({
      locale: locale.locale,
      files: locale.files.map((file) => ({ fileName: file.fileName, document: file.document })),
    })),
  };
  return createHash('sha256').update(stableJson(payload)).digest('hex');
}

function formatPath(issuePath: readonly PropertyKey[]): string {
  let out = '';
  for (const key of issuePath) {
    out += typeof key === 'number' ? `[${key}]` : `${out === '' ? '' : '.'}${String(key)}`;
  }
  return out === '' ? '(file)' : out;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
