import { badRequest } from '../core/errors.ts';
import type { TranscriptQuery } from './conversation-store.ts';

/**
 * A transcript query in the one shape both stores execute, so that edge
 * cases (a fractional or negative `after`, `limit: 0`) mean the same thing
 * over Redis and in memory. Entry ids start at 1.
 */
export interface NormalizedTranscriptQuery {
  /** Entries with an id greater than this; an integer >= 0. */
  after: number;
  /** At most this many entries; undefined for all of them. */
  limit: number | undefined;
}

export function normalizeTranscriptQuery(query: TranscriptQuery = {}): NormalizedTranscriptQuery {
  const { after = 0, limit } = query;
  if (Number.isNaN(after)) {
    throw badRequest('invalid_transcript_query', '`after` must be a number.');
  }
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw badRequest('invalid_transcript_query', '`limit` must be a whole number, 0 or more.');
  }
  // "greater than 2.5" is "greater than 2" for integer ids; ids are never
  // below 1; and Infinity is clamped so it survives the trip to Lua as a number.
  const whole = Math.min(Math.max(0, Math.floor(after)), Number.MAX_SAFE_INTEGER);
  return { after: whole, limit };
}
