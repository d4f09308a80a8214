import { ConversationState, MemoryStorage, TestAdapter, type TurnContext } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { RedisDialogStorage } from '../../src/store/redis-dialog-storage.ts';
import { createStoreKeys } from '../../src/store/redis-keys.ts';
import { useTestRedis, useTestRedisCluster } from '../support/redis.ts';
import { dialogStorageContract } from './dialog-storage.contract.ts';

const redis = useTestRedis();
const cluster = useTestRedisCluster();

// botbuilder's own in-memory storage is the reference the Redis one matches.
dialogStorageContract('botbuilder MemoryStorage', () => new MemoryStorage());

dialogStorageContract('redis', () => new RedisDialogStorage({ client: redis.client, keyPrefix: redis.prefix() }));

dialogStorageContract('redis cluster', () => new RedisDialogStorage({ client: cluster.client, keyPrefix: cluster.prefix() }));

describe('RedisDialogStorage specifics', () => {
  it('keeps items under <prefix>:dialog:<storage key>, without expiry by default', async () => {
    const prefix = redis.prefix();
    const storage = new RedisDialogStorage({ client: redis.client, keyPrefix: prefix });
    await storage.write({ 'webchat/conversations/abc': { v: 1 } });
    const key = createStoreKeys(prefix).dialogState('webchat/conversations/abc');
    expect(await redis.client.exists(key)).toBe(1);
    expect(await redis.client.ttl(key)).toBe(-1);
  });

  it('expires idle items after the TTL, restarted by reads and writes', async () => {
    const prefix = redis.prefix();
    const storage = new RedisDialogStorage({ client: redis.client, keyPrefix: prefix, ttlSeconds: 3600 });
    const key = createStoreKeys(prefix).dialogState('webchat/conversations/idle');
    await storage.write({ 'webchat/conversations/idle': { v: 1 } });
    expect(await redis.client.ttl(key)).toBeGreaterThan(3500);

    await redis.client.expire(key, 10);
    await storage.read(['webchat/conversations/idle']);
    expect(await redis.client.ttl(key)).toBeGreaterThan(3500);

    await redis.client.pexpire(key, 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await storage.read(['webchat/conversations/idle'])).toEqual({});
  });

  it('rejects a negative or fractional TTL', () => {
    expect(() => new RedisDialogStorage({ client: redis.client, ttlSeconds: -1 })).toThrow(RangeError);
    expect(() => new RedisDialogStorage({ client: redis.client, ttlSeconds: 1.5 })).toThrow(RangeError);
  });

  it('reports an eTag conflict as a SwitchboardError with code etag_conflict', async () => {
    const storage = new RedisDialogStorage({ client: redis.client, keyPrefix: redis.prefix() });
    await storage.write({ 'a/b': { v: 1 } });
    await expect(storage.write({ 'a/b': { v: 2, eTag: 'stale' } })).rejects.toMatchObject({
      code: 'etag_conflict',
      status: 409,
    });
  });

  it('carries botbuilder ConversationState from one host to the next turn on another', async () => {
    const prefix = redis.prefix();
    const hosts = [redis.client, redis.connect()].map((client) => {
      const state = new ConversationState(new RedisDialogStorage({ client, keyPrefix: prefix }));
      const count = state.createProperty<number>('count');
      // TestAdapter gives every turn the same conversation, as one customer writing twice.
      return new TestAdapter(async (context: TurnContext) => {
        const next = (await count.get(context, 0)) + 1;
        await count.set(context, next);
        await state.saveChanges(context);
        await context.sendActivity(`count ${next}`);
      });
    });
    const [hostA, hostB] = hosts as [TestAdapter, TestAdapter];
    await hostA.send('one').assertReply('count 1');
    await hostB.send('two').assertReply('count 2');
    await hostA.send('three').assertReply('count 3');
  });
});
