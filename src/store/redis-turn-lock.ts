import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SwitchboardError } from '../core/errors.ts';
import { storeScripts } from './lua-scripts.ts';
import type { RedisClient } from './redis-connection.ts';
import { createStoreKeys, type StoreKeys } from './redis-keys.ts';
import type { LockClaim, TurnLease, TurnLock } from './turn-lock.ts';

export interface RedisTurnLockOptions {
  client: RedisClient;
  keyPrefix?: string;
  /**
   * How long a lock lives if its host dies mid-turn (TURN_LOCK_TTL_MS); a
   * live holder renews it every third of this, so a turn may be longer.
   */
  ttlMs?: number;
  /** How long to wait for a busy conversation before giving up. */
  waitMs?: number;
}

/**
 * SET NX PX with a random token; released by a script only by its owner.
 * A host that dies holding it delays that conversation by at most `ttlMs`.
 *
 * A held lock is renewed every third of its time to live (an owner-checked
 * PEXPIRE), so a turn may take longer than `ttlMs` (a slow platform API with
 * retries) without another host taking over. If a renewal finds the lock
 * gone or someone else's, the lease is marked lost; and since the scripts
 * that write a turn's effects check the token (fencing), a holder that
 * stalled past its time to live cannot write anything once another host has
 * the conversation, even before it learns that it lost it.
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

  /** The lock without renewal: it lapses `ttlMs` after it was taken if not released first. */
  async acquire(conversationId: string): Promise<() => Promise<void>> {
    const { key, token } = await this.take(conversationId);
    return async () => {
      await storeScripts(this.client).releaseLock(key, token);
    };
  }

  /** The lock, renewed while held (see the class comment). */
  async hold(conversationId: string): Promise<TurnLease> {
    const { key, token, takenAt } = await this.take(conversationId);
    return this.lease(key, token, takenAt);
  }

  /** For pending-inbound.lua, which takes the lock (SET NX PX, as `take`) with the turn's first read. */
  claim(): LockClaim {
    return { token: randomUUID(), ttlMs: this.ttlMs, madeAt: Date.now() };
  }

  /** The lease of a lock a store script took with `claim`, renewed while held like one from `hold`. */
  adopt(conversationId: string, claim: LockClaim): TurnLease {
    return this.lease(this.keys.conversationTurnLock(conversationId), claim.token, claim.madeAt);
  }

  private async take(conversationId: string): Promise<{ key: string; token: string; takenAt: number }> {
    const key = this.keys.conversationTurnLock(conversationId);
    const token = randomUUID();
    const deadline = Date.now() + this.waitMs;
    for (let attempt = 0; ; attempt += 1) {
      const sentAt = Date.now();
      if ((await this.client.set(key, token, 'PX', this.ttlMs, 'NX')) === 'OK') {
        return { key, token, takenAt: sentAt };
      }
      if (Date.now() >= deadline) {
        throw new SwitchboardError('conversation_busy', 'Another host is still running a turn of this conversation.', 503);
      }
      await sleep(Math.min(5 * 2 ** Math.min(attempt, 6), 200));
    }
  }

  private lease(key: string, token: string, takenAt: number): TurnLease {
    const scripts = storeScripts(this.client);
    let lost = false;
    // By this host's clock, counted from when the taking or renewing command was sent (never later than Redis's).
    let validUntil = takenAt + this.ttlMs;
    let renewing: Promise<void> | undefined;
    let released = false;
    const renew = setInterval(() => {
      const sentAt = Date.now();
      renewing ??= scripts
        .extendLock(key, token, this.ttlMs)
        .then(
          (held) => {
            if (held) validUntil = sentAt + this.ttlMs;
            else lost = true;
          },
          // Redis is away: the lock may expire meanwhile. The next renewal
          // (or the fenced write) tells whether it did.
          () => undefined,
        )
        .finally(() => {
          renewing = undefined;
        });
    }, Math.max(10, Math.floor(this.ttlMs / 3)));
    renew.unref();
    return {
      token,
      get lost() {
        return lost;
      },
      surelyHeld: () => !released && !lost && Date.now() + this.ttlMs / 3 < validUntil,
      release: async () => {
        clearInterval(renew);
        await renewing;
        if (!released) await scripts.releaseLock(key, token);
        released = true;
      },
      releasedWith: () => {
        clearInterval(renew);
        released = true;
      },
    };
  }
}
