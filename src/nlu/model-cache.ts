import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from '../logger.ts';
import { isRecord } from './is-record.ts';

/*
 * Trained models on disk, one file per corpus hash: `<cacheDir>/nlu-<hash>.json`
 * holding `{ kind, corpusHash, createdAt, model }`. The hash covers the corpus,
 * the NLP.js versions and the training settings, so a file either fits or is
 * never looked at. Files of older corpora are left in place.
 */

const KIND = 'switchboard-nlu-model';

export function modelCacheFile(cacheDir: string, corpusHash: string): string {
  return path.join(cacheDir, `nlu-${corpusHash}.json`);
}

/**
 * The cached model for `corpusHash`, or undefined when there is none or it
 * cannot be used (unreadable, not JSON, not ours, another hash): those are
 * logged as warnings and the caller retrains. Never throws.
 */
export async function readCachedModel(
  cacheDir: string,
  corpusHash: string,
  logger: Logger,
): Promise<unknown> {
  const file = modelCacheFile(cacheDir, corpusHash);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isRecord(error) && error.code === 'ENOENT') {
      logger.debug({ file }, 'no cached NLU model');
    } else {
      logger.warn({ err: error, file }, 'cached NLU model unreadable; retraining');
    }
    return undefined;
  }
  let envelope: unknown;
  try {
    envelope = JSON.parse(text);
  } catch (error) {
    logger.warn({ err: error, file }, 'cached NLU model is corrupt (not JSON); retraining');
    return undefined;
  }
  if (!isRecord(envelope) || envelope.kind !== KIND || envelope.corpusHash !== corpusHash || !('model' in envelope)) {
    logger.warn({ file }, 'cached NLU model is not a model of this corpus; retraining');
    return undefined;
  }
  return envelope.model;
}

/**
 * Writes the model for `corpusHash` atomically (a temporary file in the same
 * directory, flushed, then renamed over the target), so a reader sees the old
 * file, no file or the whole new one. Returns the file's path.
 */
export async function writeCachedModel(cacheDir: string, corpusHash: string, model: unknown): Promise<string> {
  const file = modelCacheFile(cacheDir, corpusHash);
  const temporary = path.join(cacheDir, `.nlu-${corpusHash}.${String(process.pid)}.${randomUUID()}.tmp`);
  const envelope = { kind: KIND, corpusHash, createdAt: new Date().toISOString(), model };
  await mkdir(cacheDir, { recursive: true });
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify(envelope));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return file;
}
