import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SwitchboardError } from '../core/errors.ts';
import { storeScripts } from './lua-scripts.ts';
import type { RedisClient } from './redis-connection.ts';
import { createStoreKeys, type StoreKeys } from './redis-keys.ts';
import type { TurnLock } from './turn-lock.ts';

export interface RedisTurnLockOptions {
  client: RedisClient;
  keyPrefix?: string;
  /** How long a lock lives if its host dies mid-turn (a turn is far shorter). */
  ttlMs?: number;
  /** How long to wait for a busy conversation before giving up. */
  waitMs?: number;
}

/**
 * SET NX PX with a random token; released by a script only by its owner.
 * A host that dies holding it delays that conversation by at most `ttlMs`.
 * (Ordering across hosts under failures is the durable inbox's job.)
 */
export class RedisTurnLock implements TurnLock {
  private readonly client: RedisClient;
  private readonly keys: StoreKeys;
  private readonly ttlMs: number;
  private readonly waitMs: number;

  constructor(options: RedisTurnLockOptions) {
    this.client = options.client;
    this.keys = createStoreKeys(options.keyPrefix);
    this.ttlMs = options.ttlMs ?? 30_000;
    this.waitMs = options.waitMs ?? 30_000;
  }

  async acquire(conversationId: string): Promise<() => Promise<void>> {
    const key = this.keys.conversationTurnLock(conversationId);
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt += 1) {
      if ((await this.client.set(key, token, 'PX', this.ttlMs, 'NX')) === 'OK') {
        return async () => {
          await storeScripts(this.client).releaseLock(key, token);
        };
      }
      if (Date.now() >= deadline) {
        throw new SwitchboardError('conversation_busy', 'Another host is still running a turn of this conversation.', 503);
      }
      await sleep(Math.min(5 * 2 ** Math.min(attempt, 6), 200));
    }
  }
}
