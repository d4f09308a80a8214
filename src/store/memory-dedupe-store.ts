import type { DedupeStore } from './dedupe-store.ts';

/** Prune expired keys after this many writes, so memory stays bounded without a timer. */
const PRUNE_EVERY = 1_000;

export class MemoryDedupeStore implements DedupeStore {
  private readonly expiries = new Map<string, number>();
  private writes = 0;

  constructor(private readonly now: () => number = Date.now) {}

  firstSeen(key: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const expiry = this.expiries.get(key);
    if (expiry !== undefined && expiry > now) return Promise.resolve(false);
    this.expiries.set(key, now + ttlMs);
    if (++this.writes % PRUNE_EVERY === 0) this.prune(now);
    return Promise.resolve(true);
  }

  forget(key: string): Promise<void> {
    this.expiries.delete(key);
    return Promise.resolve();
  }

  private prune(now: number): void {
    for (const [key, expiry] of this.expiries) if (expiry <= now) this.expiries.delete(key);
  }
}
