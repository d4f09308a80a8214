import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../../src/core/errors.ts';
import type { HandoffTicket } from '../../../src/handoff/agent-queue.ts';
import { fromHandoffLuaError } from '../../../src/handoff/handoff-errors.ts';
import { createHandoffKeys } from '../../../src/handoff/handoff-keys.ts';
import { MemoryAgentQueue } from '../../../src/handoff/memory-agent-queue.ts';
import { RedisAgentQueue } from '../../../src/handoff/redis-agent-queue.ts';
import { RedisConversationStore } from '../../../src/store/redis-conversation-store.ts';
import { useTestRedis, useTestRedisCluster } from '../../support/redis.ts';
import { agentQueueContract } from './agent-queue.contract.ts';

const redis = useTestRedis();
const cluster = useTestRedisCluster();

/** What Redis Cluster hashes: the text between the first `{` and the next `}`, if not empty. */
function hashTag(key: string): string {
  const open = key.indexOf('{');
  const close = open === -1 ? -1 : key.indexOf('}', open + 1);
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

async function keysUnder(prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

const T0 = 1_700_000_000_000;
const ticket = (conversationId: string, overrides: Partial<HandoffTicket> = {}): HandoffTicket => ({
  conversationId,
  channel: 'whatsapp',
  skill: 'general',
  priority: 0,
  reason: 'negative_sentiment',
  enqueuedAt: T0,
  ...overrides,
});

agentQueueContract('memory', () => new MemoryAgentQueue());

agentQueueContract('redis', () => new RedisAgentQueue({ client: redis.client, keyPrefix: redis.prefix() }));

agentQueueContract('redis cluster', () => new RedisAgentQueue({ client: cluster.client, keyPrefix: cluster.prefix() }));

describe('RedisAgentQueue specifics', () => {
  it('keeps every key of the area under the one hash tag {handoff}, where the key builders say', async () => {
    const prefix = redis.prefix();
    const queue = new RedisAgentQueue({ client: redis.client, keyPrefix: prefix });
    const keys = createHandoffKeys(prefix);
    const skill = 'réclamations {vip}';
    await queue.enqueue(ticket('c-1', { skill }));
    await queue.enqueue(ticket('c-2', { skill, enqueuedAt: T0 + 1 }));
    await queue.enqueue(ticket('c-3', { skill, enqueuedAt: T0 + 2 }));
    const ann = { id: 'ann:{x}', skills: [skill], capacity: 5 };
    await queue.claim(ann, undefined, T0 + 10);
    await queue.claim(ann, 'c-2', T0 + 20);

    // The keys the scripts built from `base` are exactly those of the builders.
    expect(await keysUnder(prefix)).toEqual(
      [
        keys.queue(skill),
        keys.ticket('c-1'),
        keys.ticket('c-2'),
        keys.ticket('c-3'),
        keys.agentHeld(ann.id),
        keys.agentsSeen,
        keys.claimRate(skill),
      ].sort(),
    );
    for (const key of await keysUnder(prefix)) expect(hashTag(key)).toBe('handoff');
    expect(await redis.client.zrange(keys.queue(skill), '0', '-1')).toEqual(['c-3']);
    expect((await redis.client.smembers(keys.agentHeld(ann.id))).sort()).toEqual(['c-1', 'c-2']);
    expect(await redis.client.zscore(keys.agentsSeen, ann.id)).toBe(String(T0 + 20));
    expect(await redis.client.hgetall(keys.claimRate(skill))).toEqual({
      lastClaimAt: String(T0 + 20),
      avgIntervalMs: '10',
      backlog: '1',
    });

    // Releasing and removing leave no key behind but the agent's lease and the rate.
    await queue.release('c-1', ann.id);
    await queue.remove('c-2');
    await queue.remove('c-3');
    expect(await keysUnder(prefix)).toEqual([keys.agentsSeen, keys.claimRate(skill)].sort());
  });

  it('refuses a key prefix that would change the hash tag', () => {
    expect(() => createHandoffKeys('a{b}')).toThrow(TypeError);
    expect(() => createHandoffKeys('')).toThrow(TypeError);
    expect(createHandoffKeys().base).toBe('sb:{handoff}:');
  });

  it('shares one queue between hosts on different connections', async () => {
    const prefix = redis.prefix();
    const hostA = new RedisAgentQueue({ client: redis.client, keyPrefix: prefix });
    const hostB = new RedisAgentQueue({ client: redis.connect(), keyPrefix: prefix });
    await hostA.enqueue(ticket('shared'));
    expect(await hostB.enqueue(ticket('shared'))).toBe(false);
    const [a, b] = await Promise.all([
      hostA.claim({ id: 'ann', skills: ['general'], capacity: 1 }, 'shared', T0),
      hostB.claim({ id: 'bob', skills: ['general'], capacity: 1 }, 'shared', T0),
    ]);
    expect([a.outcome, b.outcome].sort()).toEqual(['claimed', 'taken']);
    const winner = a.outcome === 'claimed' ? 'ann' : 'bob';
    expect(await hostB.holder('shared')).toBe(winner);
    expect(await hostA.heldBy(winner)).toHaveLength(1);
  });

  it('keeps queues with different prefixes apart', async () => {
    const one = new RedisAgentQueue({ client: redis.client, keyPrefix: redis.prefix() });
    const two = new RedisAgentQueue({ client: redis.client, keyPrefix: redis.prefix() });
    await one.enqueue(ticket('same'));
    expect(await two.enqueue(ticket('same'))).toBe(true);
    await one.claim({ id: 'ann', skills: ['general'], capacity: 1 }, undefined, T0);
    expect(await two.holder('same')).toBeUndefined();
    expect(await two.waiting(['general'])).toHaveLength(1);
  });

  it('lives beside the conversation store on one client: their commands do not clash', async () => {
    const prefix = redis.prefix();
    const store = new RedisConversationStore({ client: redis.client, keyPrefix: prefix });
    const queue = new RedisAgentQueue({ client: redis.client, keyPrefix: prefix });
    const { conversation } = await store.getOrCreate({
      channel: 'webchat',
      conversationKey: 'webchat:clash',
      userId: 'u',
      address: {},
      locale: 'en',
    });
    await store.append(conversation.id, { from: 'customer', text: 'a person please', at: T0 });
    expect(await queue.enqueue(ticket(conversation.id, { channel: 'webchat' }))).toBe(true);
    expect((await queue.claim({ id: 'ann', skills: ['general'], capacity: 1 }, undefined, T0)).outcome).toBe(
      'claimed',
    );
    expect(await store.transcript(conversation.id)).toHaveLength(1);
  });

  it('turns a script’s error codes into the queue’s errors', async () => {
    const prefix = redis.prefix();
    const keys = createHandoffKeys(prefix);
    const queue = new RedisAgentQueue({ client: redis.client, keyPrefix: prefix });
    await queue.touchAgent('ann', T0);
    // A caller that bypassed the wrapper's checks: the script's own guard answers.
    const bypass: unknown = await Promise.resolve(
      Reflect.apply(Reflect.get(redis.client, 'sbqTouchAgent') as (...args: unknown[]) => Promise<unknown>, redis.client, [
        keys.agentsSeen,
        'ann',
        'not-a-number',
      ]),
    ).catch((error: unknown) => error);
    expect(bypass).toBeInstanceOf(Error);
    expect(String(bypass)).toMatch(/SBQ_BAD_ARGUMENT/);
    expect(fromHandoffLuaError(bypass)).toMatchObject({ code: 'invalid_queue_argument', status: 400 });
    const other = new Error('ECONNRESET');
    expect(fromHandoffLuaError(other)).toBe(other);

    // A held ticket someone else overwrote without a priority: a 500-class Error, not a 400.
    await queue.enqueue(ticket('corrupt'));
    await queue.claim({ id: 'ann', skills: ['general'], capacity: 1 }, 'corrupt', T0);
    await redis.client.hdel(keys.ticket('corrupt'), 'priority');
    const error: unknown = await queue.transferToSkill('corrupt', 'ann', 'tech', T0).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(SwitchboardError);
    expect((error as Error).message).toMatch(/Malformed handoff ticket/);
  });

  it('drops a queue entry whose ticket is gone and serves the next one', async () => {
    const prefix = redis.prefix();
    const keys = createHandoffKeys(prefix);
    const queue = new RedisAgentQueue({ client: redis.client, keyPrefix: prefix });
    await queue.enqueue(ticket('orphan'));
    await queue.enqueue(ticket('real', { enqueuedAt: T0 + 1 }));
    await redis.client.del(keys.ticket('orphan'));
    const result = await queue.claim({ id: 'ann', skills: ['general'], capacity: 1 }, undefined, T0 + 2);
    expect(result).toMatchObject({ outcome: 'claimed', ticket: { conversationId: 'real' } });
    expect(await redis.client.zcard(keys.queue('general'))).toBe(0);
  });
});
