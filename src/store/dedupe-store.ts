/**
 * Remembers keys for a while, answering "is this the first time?" atomically:
 * platform message ids (a redelivered webhook does nothing), once-only
 * notices (the "nobody is free yet" message), and the like.
 */
export interface DedupeStore {
  /** True for exactly one caller per key within `ttlMs`, across every host sharing the store. */
  firstSeen(key: string, ttlMs: number): Promise<boolean>;
  /** Forgets a key, so the next `firstSeen` for it is true again (e.g. the work it guarded failed). */
  forget(key: string): Promise<void>;
}
