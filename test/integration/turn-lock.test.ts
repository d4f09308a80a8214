import { describe, expect, it } from 'vitest';
import { createStoreKeys } from '../../src/store/redis-keys.ts';
import { RedisTurnLock } from '../../src/store/redis-turn-lock.ts';
import { useTestRedis } from '../support/redis.ts';

const redis = useTestRedis();
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('RedisTurnLock', () => {
  it('lets one holder at a time run a conversation, across connections (hosts)', async () => {
    const keyPrefix = redis.prefix();
    const hostA = new RedisTurnLock({ client: redis.connect(), keyPrefix });
    const hostB = new RedisTurnLock({ client: redis.connect(), keyPrefix });
    const events: string[] = [];
    const turn = async (lock: RedisTurnLock, name: string) => {
      const release = await lock.acquire('c1');
      events.push(`start ${name}`);
      await tick(30);
      events.push(`end ${name}`);
      await release();
    };
    await Promise.all([turn(hostA, 'a1'), turn(hostB, 'b1'), turn(hostA, 'a2'), turn(hostB, 'b2')]);
    for (let index = 0; index < events.length; index += 2) {
      expect(events[index]?.replace('start', 'end')).toBe(events[index + 1]);
    }
  });

  it('does not hold up other conversations', async () => {
    const lock = new RedisTurnLock({ client: redis.client, keyPrefix: redis.prefix() });
    const release = await lock.acquire('busy');
    const other = await lock.acquire('free');
    await other();
    await release();
  });

  it('frees a lock whose holder died once its time is up, and the old holder cannot release the new one', async () => {
    const keyPrefix = redis.prefix();
    const dying = new RedisTurnLock({ client: redis.client, keyPrefix, ttlMs: 50 });
    const staleRelease = await dying.acquire('c2');
    const survivor = new RedisTurnLock({ client: redis.client, keyPrefix, ttlMs: 5_000 });
    const release = await survivor.acquire('c2');
    await staleRelease();
    const waiting = new RedisTurnLock({ client: redis.client, keyPrefix, waitMs: 100 });
    await expect(waiting.acquire('c2')).rejects.toMatchObject({ code: 'conversation_busy' });
    await release();
    await (await waiting.acquire('c2'))();
  });

  it('renews a held lock past its time to live, so a long turn keeps its conversation', async () => {
    const keyPrefix = redis.prefix();
    const lock = new RedisTurnLock({ client: redis.client, keyPrefix, ttlMs: 150 });
    const lease = await lock.hold('long');
    expect(lease.token).toMatch(/^[0-9a-f-]{36}$/);
    await tick(500);
    const other = new RedisTurnLock({ client: redis.connect(), keyPrefix, waitMs: 50 });
    await expect(other.acquire('long')).rejects.toMatchObject({ code: 'conversation_busy' });
    expect(lease.lost).toBe(false);
    await lease.release();
    await (await other.acquire('long'))();
  });

  it('tells a holder that stalled past its renewals that the lock may not be its own any more', async () => {
    const lock = new RedisTurnLock({ client: redis.client, keyPrefix: redis.prefix(), ttlMs: 300 });
    const lease = await lock.hold('stall');
    expect(lease.surelyHeld()).toBe(true);
    // The event loop is blocked: no renewal can run meanwhile.
    const until = Date.now() + 250;
    while (Date.now() < until) {
      // stalled
    }
    expect(lease.surelyHeld()).toBe(false);
    // Renewals run again, and the lock was not lost: sure again.
    await tick(250);
    expect(lease.surelyHeld()).toBe(true);
    await lease.release();
  });

  it('says a lease is lost once someone else holds the lock', async () => {
    const keyPrefix = redis.prefix();
    const lock = new RedisTurnLock({ client: redis.client, keyPrefix, ttlMs: 90 });
    const lease = await lock.hold('stolen');
    // What a stall past the time to live amounts to: the key is gone and another host took it.
    await redis.client.set(createStoreKeys(keyPrefix).conversationTurnLock('stolen'), 'someone-else', 'PX', 10_000);
    await tick(120);
    expect(lease.lost).toBe(true);
    await lease.release();
    expect(await redis.client.get(createStoreKeys(keyPrefix).conversationTurnLock('stolen'))).toBe('someone-else');
  });

  it("stops renewing a lease whose lock the turn's last write let go of, and sends nothing more on release", async () => {
    const keyPrefix = redis.prefix();
    const lockKey = createStoreKeys(keyPrefix).conversationTurnLock('ended');
    const lock = new RedisTurnLock({ client: redis.client, keyPrefix, ttlMs: 90 });
    const lease = await lock.hold('ended');
    // What complete-inbound.lua does with `release`; then another host takes the conversation.
    await redis.client.del(lockKey);
    lease.releasedWith();
    await redis.client.set(lockKey, 'next-holder', 'PX', 10_000);
    await tick(120);
    expect(lease.surelyHeld()).toBe(false);
    await lease.release();
    expect(await redis.client.get(lockKey)).toBe('next-holder');
  });

  it('renews a lease adopted from a claim that a store script took, like one it took itself', async () => {
    const keyPrefix = redis.prefix();
    const lockKey = createStoreKeys(keyPrefix).conversationTurnLock('adopted');
    const lock = new RedisTurnLock({ client: redis.client, keyPrefix, ttlMs: 150 });
    const claim = lock.claim();
    expect(claim).toMatchObject({ ttlMs: 150, token: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown });
    // What pending-inbound.lua does with the claim.
    await redis.client.set(lockKey, claim.token, 'PX', claim.ttlMs, 'NX');
    const lease = lock.adopt('adopted', claim);
    await tick(400);
    expect(await redis.client.get(lockKey)).toBe(claim.token);
    expect(lease.lost).toBe(false);
    await lease.release();
    expect(await redis.client.exists(lockKey)).toBe(0);
  });
});
