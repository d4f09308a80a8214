import { describe, expect, it } from 'vitest';
import { MemoryConversationStore } from '../../src/store/memory-conversation-store.ts';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.ts';
import { createStoreKeys } from '../../src/store/redis-keys.ts';
import { RedisTurnLock } from '../../src/store/redis-turn-lock.ts';
import { useTestRedis, useTestRedisCluster } from '../support/redis.ts';
import { conversationStoreContract } from './conversation-store.contract.ts';

const redis = useTestRedis();
const cluster = useTestRedisCluster();

/** What Redis Cluster hashes: the text between the first `{` and the next `}`, if not empty. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

conversationStoreContract('memory', (options) => new MemoryConversationStore(options));

conversationStoreContract(
  'redis',
  (options) => new RedisConversationStore({ client: redis.client, keyPrefix: redis.prefix(), ...options }),
);

conversationStoreContract(
  'redis cluster',
  (options) => new RedisConversationStore({ client: cluster.client, keyPrefix: cluster.prefix(), ...options }),
);

describe('RedisConversationStore specifics', () => {
  it('keeps both keys of a conversation under one hash tag, so in one cluster slot', async () => {
    const prefix = redis.prefix();
    const store = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    const { conversation } = await store.getOrCreate({
      channel: 'webchat',
      conversationKey: 'webchat:slot-check',
      userId: 'u',
      address: {},
      locale: 'en',
    });
    await store.append(conversation.id, { from: 'customer', text: 'hi', at: 1 });
    const keys = createStoreKeys(prefix);
    const record = keys.conversationRecord(conversation.id);
    const transcript = keys.conversationTranscript(conversation.id);
    expect(hashTag(record)).toBe(`conv:${conversation.id}`);
    expect(hashTag(transcript)).toBe(hashTag(record));
    expect(await redis.client.exists(record, transcript)).toBe(2);
  });

  it('creates the record lazily when a host died between claiming the key and creating it', async () => {
    const prefix = redis.prefix();
    const keys = createStoreKeys(prefix);
    const orphanId = 'c0ffee00-0000-4000-8000-000000000000';
    // The state a crash after step 1 of getOrCreate leaves behind.
    await redis.client.set(keys.conversationKeyIndex('sms:orphan'), orphanId);
    const store = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    expect(await store.findByKey('sms:orphan')).toBeUndefined();

    const { conversation, created } = await store.getOrCreate({
      channel: 'sms',
      conversationKey: 'sms:orphan',
      userId: '+1555',
      address: { to: '+1', from: '+2' },
      locale: 'en',
    });
    expect(created).toBe(true);
    expect(conversation.id).toBe(orphanId);
    expect(await store.findByKey('sms:orphan')).toEqual(conversation);
  });

  it('shares conversations between hosts on different connections', async () => {
    const prefix = redis.prefix();
    const hostA = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    const hostB = new RedisConversationStore({ client: redis.connect(), keyPrefix: prefix });
    const init = { channel: 'whatsapp', conversationKey: 'wa:1:2', userId: '2', address: {}, locale: 'pt-BR' } as const;
    const [a, b] = await Promise.all([hostA.getOrCreate(init), hostB.getOrCreate(init)]);
    expect(a.conversation.id).toBe(b.conversation.id);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    const entry = await hostA.append(a.conversation.id, { from: 'customer', text: 'olá', at: 1 });
    expect(await hostB.transcript(b.conversation.id)).toEqual([entry]);
  });

  it('fences replies and completions: only the holder of the turn lock writes them', async () => {
    const prefix = redis.prefix();
    const store = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    const keys = createStoreKeys(prefix);
    const { conversation } = await store.getOrCreate({ channel: 'sms', conversationKey: 'sms:fence', userId: 'u', address: {}, locale: 'en' });
    const { entry } = await store.recordInbound(conversation.id, { from: 'customer', text: 'hi', at: 1 }, { wroteAt: 1 });
    const lockKey = keys.conversationTurnLock(conversation.id);
    await redis.client.set(lockKey, 'token-of-b', 'PX', 10_000);
    const reply = { from: 'bot' as const, text: 'hello', at: 2 };
    await expect(store.appendReply(conversation.id, reply, { inboundId: entry.id, ordinal: 0, fence: 'token-of-a' })).rejects.toMatchObject({
      code: 'turn_fenced',
    });
    await expect(store.completeInbound(conversation.id, entry.id, 'token-of-a')).rejects.toMatchObject({ code: 'turn_fenced' });
    expect(await store.appendReply(conversation.id, reply, { inboundId: entry.id, ordinal: 0, fence: 'token-of-b' })).toMatchObject({ text: 'hello' });
    await store.completeInbound(conversation.id, entry.id, 'token-of-b');
    expect((await store.pendingInbound(conversation.id, entry.id)).entries).toEqual([]);
    // The idempotency key lives in the conversation's slot.
    await store.recordInbound(conversation.id, { from: 'customer', text: 'x', at: 3 }, { idempotencyKey: 'sms:SMx', wroteAt: 3 });
    expect(hashTag(keys.conversationInbound(conversation.id, 'sms:SMx'))).toBe(`conv:${conversation.id}`);
    expect(await redis.client.pttl(keys.conversationInbound(conversation.id, 'sms:SMx'))).toBeGreaterThan(7 * 24 * 3600_000);
  });

  it("lets go of the turn lock with the turn's completion when asked, and only for its holder", async () => {
    const prefix = redis.prefix();
    const store = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    const keys = createStoreKeys(prefix);
    const { conversation } = await store.getOrCreate({ channel: 'sms', conversationKey: 'sms:release', userId: 'u', address: {}, locale: 'en' });
    const { entry } = await store.recordInbound(conversation.id, { from: 'customer', text: 'hi', at: 1 }, { wroteAt: 1 });
    const lockKey = keys.conversationTurnLock(conversation.id);
    await redis.client.set(lockKey, 'token-of-b', 'PX', 10_000);
    // Someone else's lock: neither marked nor released.
    await expect(store.completeInbound(conversation.id, entry.id, 'token-of-a', true)).rejects.toMatchObject({ code: 'turn_fenced' });
    expect(await redis.client.get(lockKey)).toBe('token-of-b');
    expect((await store.pendingInbound(conversation.id, entry.id)).entries).toHaveLength(1);
    // Without asking, the lock stays.
    expect(await store.completeInbound(conversation.id, entry.id, 'token-of-b')).toEqual({ lockReleased: false });
    expect(await redis.client.get(lockKey)).toBe('token-of-b');
    const next = (await store.recordInbound(conversation.id, { from: 'customer', text: 'again', at: 2 }, { wroteAt: 2 })).entry;
    expect(await store.completeInbound(conversation.id, next.id, 'token-of-b', true)).toEqual({ lockReleased: true });
    expect(await redis.client.exists(lockKey)).toBe(0);
    expect((await store.pendingInbound(conversation.id, next.id)).entries).toEqual([]);
    // No token (one host, no lock): nothing to release.
    expect(await store.completeInbound(conversation.id, next.id, undefined, true)).toEqual({ lockReleased: false });
  });

  it('takes the turn lock with the first read of a turn, or reads nothing when another holder has it', async () => {
    const prefix = redis.prefix();
    const store = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    const lock = new RedisTurnLock({ client: redis.client, keyPrefix: prefix, ttlMs: 5_000 });
    const keys = createStoreKeys(prefix);
    const lockKey = (id: string) => keys.conversationTurnLock(id);
    const { conversation } = await store.getOrCreate({ channel: 'sms', conversationKey: 'sms:claim', userId: 'u', address: {}, locale: 'en' });
    const { entry } = await store.recordInbound(conversation.id, { from: 'customer', text: 'hi', at: 1 }, { wroteAt: 1 });
    const first = lock.claim();
    const pending = await store.pendingInbound(conversation.id, entry.id, first);
    expect(pending?.entries.map((pendingEntry) => pendingEntry.text)).toEqual(['hi']);
    expect(await redis.client.get(lockKey(conversation.id))).toBe(first.token);
    expect(await redis.client.pttl(lockKey(conversation.id))).toBeGreaterThan(4_000);
    // Held: nothing read, nothing taken.
    expect(await store.pendingInbound(conversation.id, entry.id, lock.claim())).toBeUndefined();
    expect(await redis.client.get(lockKey(conversation.id))).toBe(first.token);
    // The adopted lease is the holder's like one from hold(): its completion can release it.
    const lease = lock.adopt(conversation.id, first);
    expect(lease.token).toBe(first.token);
    expect(await store.completeInbound(conversation.id, entry.id, lease.token, true)).toEqual({ lockReleased: true });
    lease.releasedWith();
    await lease.release();
    // A conversation that is not there takes no lock.
    const missing = '00000000-0000-4000-8000-00000000c1a1';
    await expect(store.pendingInbound(missing, 1, lock.claim())).rejects.toMatchObject({ code: 'conversation_not_found' });
    expect(await redis.client.exists(lockKey(missing))).toBe(0);
  });

  it('starts the inbound bookkeeping of a record older than it at its first new message', async () => {
    const prefix = redis.prefix();
    const store = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    const keys = createStoreKeys(prefix);
    const { conversation } = await store.getOrCreate({ channel: 'sms', conversationKey: 'sms:legacy', userId: 'u', address: {}, locale: 'en' });
    // History written before the inbox existed: no watermark on the record.
    await store.append(conversation.id, { from: 'customer', text: 'old question', at: 1 });
    await store.append(conversation.id, { from: 'bot', text: 'old answer', at: 2 });
    await redis.client.hdel(keys.conversationRecord(conversation.id), 'inboundDone');
    const { entry } = await store.recordInbound(conversation.id, { from: 'customer', text: 'new question', at: 3 }, { wroteAt: 3 });
    expect((await store.pendingInbound(conversation.id, entry.id)).entries.map((pending) => pending.text)).toEqual(['new question']);
  });

  it('keeps stores with different prefixes apart', async () => {
    const one = new RedisConversationStore({ client: redis.client, keyPrefix: redis.prefix() });
    const two = new RedisConversationStore({ client: redis.client, keyPrefix: redis.prefix() });
    const init = { channel: 'sms', conversationKey: 'sms:same', userId: 'u', address: {}, locale: 'en' } as const;
    const a = await one.getOrCreate(init);
    const b = await two.getOrCreate(init);
    expect(b.created).toBe(true);
    expect(a.conversation.id).not.toBe(b.conversation.id);
    expect(await two.get(a.conversation.id)).toBeUndefined();
  });
});
