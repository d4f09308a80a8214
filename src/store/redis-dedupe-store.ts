import type { DedupeStore } from './dedupe-store.ts';
import type { RedisClient } from './redis-connection.ts';

export interface RedisDedupeStoreOptions {
  client: RedisClient;
  /** Prefix of every key (default `sb`): keys are `<prefix>:seen:<key>`. */
  keyPrefix?: string;
}

/** SET NX PX: the first writer wins and the key expires by itself. */
export class RedisDedupeStore implements DedupeStore {
  private readonly client: RedisClient;
  private readonly prefix: string;

  constructor(options: RedisDedupeStoreOptions) {
    this.client = options.client;
    this.prefix = options.keyPrefix ?? 'sb';
  }

  async firstSeen(key: string, ttlMs: number): Promise<boolean> {
    const reply = await this.client.set(this.key(key), '1', 'PX', Math.max(1, Math.round(ttlMs)), 'NX');
    return reply === 'OK';
  }

  async forget(key: string): Promise<void> {
    await this.client.del(this.key(key));
  }

  private key(key: string): string {
    return `${this.prefix}:seen:${key}`;
  }
}
