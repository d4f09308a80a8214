/**
 * How many transcript entries a conversation keeps: the oldest go first.
 * Bounded because a transcript is read whole by agents and the web chat, and
 * a conversation can run for months. Matches TRANSCRIPT_LIMIT's default.
 */
export const DEFAULT_TRANSCRIPT_CAP = 500;

/** The cap, checked: a cap of 0 or a fraction is a configuration bug. */
export function checkTranscriptCap(cap: number = DEFAULT_TRANSCRIPT_CAP): number {
  if (!Number.isInteger(cap) || cap < 1) {
    throw new RangeError(`transcriptCap must be a whole number, 1 or more (got ${cap}).`);
  }
  return cap;
}
