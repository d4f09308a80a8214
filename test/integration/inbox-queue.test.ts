import { describe, expect, it } from 'vitest';
import type { InboxItem } from '../../src/store/inbox-queue.ts';
import { MemoryInboxQueue } from '../../src/store/memory-inbox-queue.ts';
import { INBOX_GROUP, RedisInboxQueue } from '../../src/store/redis-inbox-queue.ts';
import { createStoreKeys } from '../../src/store/redis-keys.ts';
import { createTestLogger } from '../support/log-sink.ts';
import { useTestRedis, useTestRedisCluster } from '../support/redis.ts';
import { inboxQueueContract } from './inbox-queue.contract.ts';

const redis = useTestRedis();
const cluster = useTestRedisCluster();
const logger = createTestLogger('silent').logger;
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

inboxQueueContract('memory', ({ concurrency }) => new MemoryInboxQueue({ logger, ...(concurrency ? { concurrency } : {}) }));

inboxQueueContract(
  'redis',
  ({ concurrency }) =>
    new RedisInboxQueue({ client: redis.client, keyPrefix: redis.prefix(), logger, blockMs: 100, ...(concurrency ? { concurrency } : {}) }),
);

inboxQueueContract(
  'redis cluster',
  ({ concurrency }) =>
    new RedisInboxQueue({ client: cluster.client, keyPrefix: cluster.prefix(), logger, blockMs: 100, ...(concurrency ? { concurrency } : {}) }),
);

/** A promise and the function that resolves it. */
function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve = () => {};
  const promise = new Promise<void>((done) => {
    resolve = done;
  });
  return { promise, resolve };
}

describe('RedisInboxQueue specifics', () => {
  it('keeps the stream under its own hash tag, and deletes entries once handled', async () => {
    const keyPrefix = redis.prefix();
    const queue = new RedisInboxQueue({ client: redis.client, keyPrefix, logger, blockMs: 100 });
    const stream = createStoreKeys(keyPrefix).inboxStream();
    expect(stream).toBe(`${keyPrefix}:{inbox}:stream`);
    await queue.enqueue({ conversationId: 'c', entryId: 1 });
    expect(await redis.client.xlen(stream)).toBe(1);
    queue.start(() => Promise.resolve());
    await queue.drain();
    expect(await redis.client.xlen(stream)).toBe(0);
    await queue.stop();
  });

  it('hands the entries of a host that died to a live one after the claim idle time', async () => {
    const keyPrefix = redis.prefix();
    const dyingClient = redis.connect();
    const dying = new RedisInboxQueue({ client: dyingClient, keyPrefix, logger, claimIdleMs: 600, blockMs: 100, consumer: 'dying' });
    const stuck = deferred();
    const taken: InboxItem[] = [];
    dying.start((received) => {
      taken.push(received);
      return stuck.promise;
    });
    await dying.enqueue({ conversationId: 'c', entryId: 1 });
    for (let tries = 0; taken.length === 0 && tries < 100; tries += 1) await tick(10);
    expect(taken).toHaveLength(1);
    // The host dies: no more claim renewals, no acknowledgement.
    dyingClient.disconnect();

    const handled: InboxItem[] = [];
    const survivor = new RedisInboxQueue({ client: redis.client, keyPrefix, logger, claimIdleMs: 600, blockMs: 100, consumer: 'survivor' });
    const startedAt = Date.now();
    survivor.start((received) => {
      handled.push(received);
      return Promise.resolve();
    });
    await survivor.drain();
    expect(handled).toEqual([{ conversationId: 'c', entryId: 1 }]);
    expect(Date.now() - startedAt).toBeGreaterThanOrEqual(300);
    stuck.resolve();
    await survivor.stop();
    await dying.stop();
  });

  it('does not take an entry from a live host whose turn is slow (its claim is renewed)', async () => {
    const keyPrefix = redis.prefix();
    const slowHost = new RedisInboxQueue({ client: redis.connect(), keyPrefix, logger, claimIdleMs: 500, blockMs: 100 });
    const otherHost = new RedisInboxQueue({ client: redis.connect(), keyPrefix, logger, claimIdleMs: 500, blockMs: 100 });
    const handledBy: string[] = [];
    slowHost.start(async () => {
      handledBy.push('slow');
      await tick(1_800);
    });
    await slowHost.enqueue({ conversationId: 'c', entryId: 1 });
    for (let tries = 0; handledBy.length === 0 && tries < 100; tries += 1) await tick(10);
    otherHost.start(() => {
      handledBy.push('other');
      return Promise.resolve();
    });
    await slowHost.drain();
    expect(handledBy).toEqual(['slow']);
    await Promise.all([slowHost.stop(), otherHost.stop()]);
  });

  it('recreates its consumer group when Redis lost it (restarted without its data)', async () => {
    const keyPrefix = redis.prefix();
    const queue = new RedisInboxQueue({ client: redis.client, keyPrefix, logger, blockMs: 100 });
    const handled: number[] = [];
    queue.start((received) => {
      handled.push(received.entryId);
      return Promise.resolve();
    });
    await queue.enqueue({ conversationId: 'c', entryId: 1 });
    await queue.drain();
    await redis.client.del(createStoreKeys(keyPrefix).inboxStream());
    await queue.enqueue({ conversationId: 'c', entryId: 2 });
    await queue.drain();
    expect(handled).toEqual([1, 2]);
    const groups = (await redis.client.xinfo('GROUPS', createStoreKeys(keyPrefix).inboxStream())) as unknown[][];
    expect(groups.map((group) => group[1])).toEqual([INBOX_GROUP]);
    await queue.stop();
  });
});
