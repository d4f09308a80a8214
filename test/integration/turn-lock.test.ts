import { describe, expect, it } from 'vitest';
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
});
