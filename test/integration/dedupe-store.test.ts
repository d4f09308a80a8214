import { describe, expect, it } from 'vitest';
import type { DedupeStore } from '../../src/store/dedupe-store.ts';
import { MemoryDedupeStore } from '../../src/store/memory-dedupe-store.ts';
import { RedisDedupeStore } from '../../src/store/redis-dedupe-store.ts';
import { useTestRedis } from '../support/redis.ts';

const redis = useTestRedis();

describe.each([
  { name: 'memory', create: (): DedupeStore => new MemoryDedupeStore() },
  { name: 'redis', create: (): DedupeStore => new RedisDedupeStore({ client: redis.client, keyPrefix: redis.prefix() }) },
])('DedupeStore ($name)', ({ create }) => {
  it('says "first" once per key', async () => {
    const store = create();
    expect(await store.firstSeen('SM123', 60_000)).toBe(true);
    expect(await store.firstSeen('SM123', 60_000)).toBe(false);
    expect(await store.firstSeen('SM124', 60_000)).toBe(true);
    expect(await store.firstSeen('wamid.🙂', 60_000)).toBe(true);
  });

  it('gives exactly one winner among concurrent callers', async () => {
    const store = create();
    const results = await Promise.all(Array.from({ length: 50 }, () => store.firstSeen('race', 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a key on request', async () => {
    const store = create();
    expect(await store.firstSeen('again', 60_000)).toBe(true);
    await store.forget('again');
    expect(await store.firstSeen('again', 60_000)).toBe(true);
  });

  it('forgets a key after its time to live', async () => {
    const store = create();
    expect(await store.firstSeen('short', 30)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await store.firstSeen('short', 30)).toBe(true);
  });
});
