import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { SwitchboardError } from '../../core/errors.ts';
import { NO_INTENT } from '../intent-classifier.ts';
import { normalizeText } from './test-suite.ts';

/*
 * Labelled messages in CLINC150's format (Larson et al. 2019): `[text, label]`
 * pairs, where the label `oos` marks an out-of-scope message. A file is
 * either one array of pairs, or an object of named splits of pairs
 * (`{ "train": [...], "val": [...], "oos_val": [...], ... }`): split `val`
 * is then `val` plus `oos_val` when there is one.
 */

export const DEFAULT_OOS_LABEL = 'oos';

export interface LabelledMessage {
  text: string;
  /** The expected intent; `None` (NO_INTENT) for an out-of-scope message. */
  intent: string;
}

const pairsSchema = z.array(z.tuple([z.string(), z.string().min(1)]));
const fileSchema = z.union([pairsSchema, z.record(z.string(), pairsSchema)]);

const dataError = (message: string) => new SwitchboardError('invalid_validation_data', message, 400);

/**
 * The messages of `split` (default `val`) with its `oos_<split>` companion
 * or, for a file that is a single array, all of them (`split` must then be
 * undefined).
 */
export async function readLabelledMessages(
  file: string,
  split: string | undefined,
  oosLabel = DEFAULT_OOS_LABEL,
): Promise<{ messages: LabelledMessage[]; description: string }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw dataError(`Cannot read ${file} as JSON: ${String(error)}`);
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    throw dataError(`${file}: expected an array of [text, label] pairs, or an object of such arrays (CLINC150's format)`);
  }
  let pairs: Array<[string, string]>;
  let description = path.basename(file);
  if (Array.isArray(parsed.data)) {
    if (split !== undefined) throw dataError(`${file} is a single list of pairs: it has no split "${split}"`);
    pairs = parsed.data;
  } else {
    const splits = parsed.data;
    const name = split ?? ('val' in splits ? 'val' : undefined);
    if (name === undefined) throw dataError(`${file} has splits (${Object.keys(splits).join(', ')}): choose one with --split`);
    const main = splits[name];
    if (!main) throw dataError(`${file} has no split "${name}" (it has ${Object.keys(splits).join(', ')})`);
    const companion = splits[`oos_${name}`];
    pairs = [...main, ...(companion ?? [])];
    description += companion ? ` ${name} + oos_${name}` : ` ${name}`;
  }
  const messages = pairs
    .filter(([text]) => text.trim() !== '')
    .map(([text, label]) => ({ text, intent: label === oosLabel ? NO_INTENT : label }));
  return { messages, description };
}

/**
 * Writes the in-scope messages as an intents folder (`<intentsDir>/<locale>/data.json`)
 * to train a model on: one intent per label, duplicates dropped, and a text
 * labelled two ways kept only under its first label. Returns how many
 * utterances were dropped as conflicting.
 */
export async function writeCorpusFromMessages(
  messages: readonly LabelledMessage[],
  intentsDir: string,
  locale: string,
  name: string,
): Promise<{ utterances: number; intents: number; conflicting: number }> {
  const byIntent = new Map<string, string[]>();
  const labelOf = new Map<string, string>();
  let conflicting = 0;
  let utterances = 0;
  for (const { text, intent } of messages) {
    if (intent === NO_INTENT) continue;
    const key = normalizeText(text);
    const earlier = labelOf.get(key);
    if (earlier !== undefined) {
      if (earlier !== intent) conflicting += 1;
      continue;
    }
    labelOf.set(key, intent);
    const list = byIntent.get(intent) ?? [];
    list.push(text);
    byIntent.set(intent, list);
    utterances += 1;
  }
  const data = [...byIntent].map(([intent, texts]) => ({ intent, utterances: texts }));
  const dir = path.join(intentsDir, locale);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'data.json'), JSON.stringify({ name, locale, data }));
  return { utterances, intents: data.length, conflicting };
}
