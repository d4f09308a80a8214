import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import { withLuaErrors } from './lua-errors.ts';
import { storeScripts, type StoreScripts } from './lua-scripts.ts';
import type { RedisClient } from './redis-connection.ts';
import { createStoreKeys, type StoreKeys } from './redis-keys.ts';

export interface RedisDialogStorageOptions {
  client: RedisClient;
  /** Prefix of every key (default `sb`); items live at `<prefix>:dialog:<storage key>`. */
  keyPrefix?: string;
  /**
   * Seconds an item lives after it was last read or written; unset or 0
   * keeps it until deleted. Dialog state of a conversation that has been
   * idle this long is dropped, and its next turn starts afresh.
   */
  ttlSeconds?: number;
}

/**
 * botbuilder dialog and conversation state in Redis, with the semantics of
 * botbuilder's own MemoryStorage (the in-memory implementation):
 *
 * - read returns the items that exist, each with its current `eTag`; missing
 *   keys are simply absent from the result;
 * - write stores each item with a new eTag. An item whose eTag is set, is not
 *   `*`, and differs from the stored one is refused with
 *   `Storage: error writing "<key>" due to eTag conflict.` (code
 *   `etag_conflict`); writing over a missing item always succeeds. Like
 *   MemoryStorage, the other items of the same write are still written and
 *   the call then rejects;
 * - delete removes the items; missing keys are fine.
 *
 * Each item is checked and written by one script (see write-dialog-state.lua),
 * so concurrent writers on many hosts cannot both win. Items of one call may
 * live in different cluster slots, so a call issues one command per item
 * rather than a multi-key command. eTags are random, so an eTag read before a
 * delete can never match an item created after it.
 */
export class RedisDialogStorage implements Storage {
  private readonly keys: StoreKeys;
  private readonly scripts: StoreScripts;
  private readonly client: RedisClient;
  private readonly ttlSeconds: number;

  constructor(options: RedisDialogStorageOptions) {
    const ttl = options.ttlSeconds ?? 0;
    if (!Number.isInteger(ttl) || ttl < 0) {
      throw new RangeError(`ttlSeconds must be a whole number of seconds, 0 or more (got ${ttl}).`);
    }
    this.client = options.client;
    this.keys = createStoreKeys(options.keyPrefix);
    this.scripts = storeScripts(options.client);
    this.ttlSeconds = ttl;
  }

  async read(keys: string[]): Promise<StoreItems> {
    const found = await Promise.all(
      keys.map(async (key) => {
        const item = await this.scripts.readDialogState(this.keys.dialogState(key), this.ttlSeconds);
        return item && ([key, item] as const);
      }),
    );
    const items: StoreItems = {};
    for (const entry of found) {
      if (!entry) continue;
      const [key, { eTag, json }] = entry;
      // Written by write() below: a JSON object without its eTag.
      items[key] = { ...(JSON.parse(json) as Record<string, unknown>), eTag };
    }
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    const results = await Promise.allSettled(
      Object.entries(changes).map(([key, item]: [string, unknown]) => this.writeItem(key, item)),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure) throw failure.reason;
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.client.unlink(this.keys.dialogState(key))));
  }

  private async writeItem(key: string, item: unknown): Promise<void> {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw new TypeError(`Storage: the item for "${key}" must be an object.`);
    }
    // The caller's object is left untouched (as MemoryStorage does): the new
    // eTag reaches it on the next read.
    const { eTag, ...data } = item as Record<string, unknown>;
    const expected = typeof eTag === 'string' ? eTag : '';
    await withLuaErrors(key, () =>
      this.scripts.writeDialogState(
        this.keys.dialogState(key),
        expected,
        randomUUID(),
        JSON.stringify(data),
        this.ttlSeconds,
      ),
    );
  }
}
