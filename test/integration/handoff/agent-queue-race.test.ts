import { describe, expect, it } from 'vitest';
import type { AgentQueue, HandoffTicket, QueueAgent } from '../../../src/handoff/agent-queue.ts';
import { ESCALATION_REASONS } from '../../../src/handoff/escalation-reason.ts';
import { RedisAgentQueue } from '../../../src/handoff/redis-agent-queue.ts';
import { useTestRedis } from '../../support/redis.ts';

/**
 * The agent queue under real concurrency: many agents claiming at once over
 * several connections (so the server, not one client's pipeline, interleaves
 * them), then claims racing releases and reaps. Whatever the interleaving,
 * a conversation is in exactly one place, and no agent is over capacity or
 * holds a skill it lacks. Random but seeded: a failure names its seed.
 */
const redis = useTestRedis();

const T0 = 1_700_000_000_000;
const SKILLS = ['general', 'billing', 'tech', 'returns', 'vip'] as const;
/** Some conversations wait in a skill no agent has: they must still be there at the end. */
const TICKET_SKILLS = [...SKILLS, 'unstaffed'] as const;
const CONNECTIONS = 10;

/** mulberry32: small, seedable, good enough to shuffle a test. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const pick = <T>(rand: () => number, items: readonly T[]): T => {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
};

function makeTickets(rand: () => number, count: number): HandoffTicket[] {
  return Array.from({ length: count }, (_, i) => ({
    conversationId: `race-${i}`,
    channel: pick(rand, ['webchat', 'sms', 'whatsapp'] as const),
    skill: pick(rand, TICKET_SKILLS),
    priority: pick(rand, [0, 0, 0, 1, 5, 10]),
    reason: pick(rand, ESCALATION_REASONS),
    enqueuedAt: T0 + Math.floor(rand() * 60_000),
  }));
}

function makeAgents(rand: () => number, count: number, prefix: string): QueueAgent[] {
  return Array.from({ length: count }, (_, i) => {
    const skills = SKILLS.filter(() => rand() < 0.4);
    return {
      id: `${prefix}-${i}`,
      skills: skills.length > 0 ? skills : [pick(rand, SKILLS)],
      capacity: 5 + Math.floor(rand() * 36),
    };
  });
}

/** One queue per connection, as separate hosts would have. */
function hosts(prefix: string): AgentQueue[] {
  return Array.from(
    { length: CONNECTIONS },
    () => new RedisAgentQueue({ client: redis.connect(), keyPrefix: prefix }),
  );
}

/**
 * Reads the whole state back and checks that every conversation is in one
 * place only: released, held by exactly one agent (consistently with
 * holder()), or waiting; that the places add up to all of them; and that
 * every agent is within capacity and holds only its skills.
 */
async function checkInvariants(
  queue: AgentQueue,
  tickets: readonly HandoffTicket[],
  agents: readonly QueueAgent[],
  released: ReadonlySet<string>,
): Promise<{ held: number; waiting: number }> {
  const skillOf = new Map(tickets.map((t) => [t.conversationId, t.skill]));
  const place = new Map<string, string>();
  const putIn = (id: string, where: string): void => {
    const already = place.get(id);
    expect(already, `${id} is both ${already ?? ''} and ${where}`).toBeUndefined();
    place.set(id, where);
  };
  for (const id of released) putIn(id, 'released');

  let held = 0;
  for (const agent of agents) {
    const tickets = await queue.heldBy(agent.id);
    expect(tickets.length, `${agent.id} holds more than its capacity`).toBeLessThanOrEqual(agent.capacity);
    for (const ticket of tickets) {
      expect(agent.skills, `${agent.id} holds ${ticket.conversationId} of ${ticket.skill}`).toContain(ticket.skill);
      expect(ticket.skill).toBe(skillOf.get(ticket.conversationId));
      expect(await queue.holder(ticket.conversationId)).toBe(agent.id);
      putIn(ticket.conversationId, `held by ${agent.id}`);
      held += 1;
    }
  }
  const waiting = await queue.waiting(TICKET_SKILLS);
  for (const ticket of waiting) {
    expect(await queue.holder(ticket.conversationId)).toBeUndefined();
    putIn(ticket.conversationId, 'waiting');
  }
  // None lost: every conversation is somewhere, and nothing else is.
  expect(place.size).toBe(tickets.length);
  expect([...place.keys()].sort()).toEqual(tickets.map((t) => t.conversationId).sort());
  expect(released.size + held + waiting.length).toBe(tickets.length);
  return { held, waiting: waiting.length };
}

describe('AgentQueue on Redis under concurrency', () => {
  it('gives 1,000 conversations to 50 agents claiming at once on 10 connections without a double or a loss', async () => {
    const seed = 20_240_601;
    const rand = random(seed);
    const prefix = redis.prefix();
    const queues = hosts(prefix);
    const tickets = makeTickets(rand, 1_000);
    const agents = makeAgents(rand, 50, 'agent');
    const setup = new RedisAgentQueue({ client: redis.client, keyPrefix: prefix });
    const enqueued = await Promise.all(tickets.map((t) => setup.enqueue(t)));
    expect(enqueued.every(Boolean)).toBe(true);

    const claimedBy = new Map<string, string[]>();
    const lastOutcome = new Map<string, string>();
    await Promise.all(
      agents.map(async (agent, i) => {
        const queue = queues[i % CONNECTIONS] as AgentQueue;
        for (;;) {
          const result = await queue.claim(agent, undefined, T0 + 120_000);
          if (result.outcome !== 'claimed') {
            lastOutcome.set(agent.id, result.outcome);
            return;
          }
          const holders = claimedBy.get(result.ticket.conversationId) ?? [];
          claimedBy.set(result.ticket.conversationId, [...holders, agent.id]);
        }
      }),
    );

    // No conversation assigned twice, as the claimers saw it.
    const doubles = [...claimedBy].filter(([, holders]) => holders.length > 1);
    expect(doubles, `seed ${seed}`).toEqual([]);
    for (const agent of agents) expect(['empty', 'at_capacity']).toContain(lastOutcome.get(agent.id));

    const { held, waiting } = await checkInvariants(setup, tickets, agents, new Set());
    expect(held).toBe(claimedBy.size);
    expect(held + waiting).toBe(1_000);
    expect(await setup.waiting(['unstaffed'])).toHaveLength(tickets.filter((t) => t.skill === 'unstaffed').length);
    // And as the store has it: each agent holds exactly what it was told it claimed.
    for (const agent of agents) {
      const mine = [...claimedBy].flatMap(([id, holders]) => (holders[0] === agent.id ? [id] : []));
      expect((await setup.heldBy(agent.id)).map((t) => t.conversationId).sort()).toEqual(mine.sort());
      // An agent that stopped on `empty` left nothing waiting in its skills.
      if (lastOutcome.get(agent.id) === 'empty') expect(await setup.waiting(agent.skills)).toEqual([]);
    }
  });

  it('keeps every conversation in one place while claims race releases and reaps', async () => {
    const seed = 7_041_977;
    const rand = random(seed);
    const prefix = redis.prefix();
    const queues = hosts(prefix);
    const tickets = makeTickets(rand, 600);
    // Steady agents are seen at T0 + 50 s; flaky ones only ever at T0, so
    // every reap (lease 30 s at T0 + 60 s) takes what they hold, while they
    // keep claiming it back.
    const steady = makeAgents(rand, 20, 'steady');
    const flaky = makeAgents(rand, 10, 'flaky');
    const agents = [...steady, ...flaky];
    const setup = new RedisAgentQueue({ client: redis.client, keyPrefix: prefix });
    await Promise.all(tickets.map((t) => setup.enqueue(t)));

    const released = new Set<string>();
    const releasedTwice: string[] = [];
    const requeuedBy = new Map<string, number>();

    const agentLoop = async (agent: QueueAgent, i: number, seenAt: number): Promise<void> => {
      const queue = queues[i % CONNECTIONS] as AgentQueue;
      const mine: string[] = [];
      for (let step = 0; step < 60; step += 1) {
        if (mine.length > 0 && rand() < 0.35) {
          const id = mine.splice(Math.floor(rand() * mine.length), 1)[0] ?? '';
          // False when a reap took it first: then it is back in the queue.
          if (await queue.release(id, agent.id)) {
            if (released.has(id)) releasedTwice.push(id);
            released.add(id);
          }
        } else {
          const result = await queue.claim(agent, undefined, seenAt);
          if (result.outcome === 'claimed') mine.push(result.ticket.conversationId);
        }
      }
    };
    const reaperLoop = async (i: number): Promise<void> => {
      const queue = queues[i % CONNECTIONS] as AgentQueue;
      for (let round = 0; round < 40; round += 1) {
        for (const expired of await queue.reapExpiredAgents(30_000, T0 + 60_000)) {
          expect(expired.agentId.startsWith('flaky-'), `${expired.agentId} reaped, seed ${seed}`).toBe(true);
          requeuedBy.set(expired.agentId, (requeuedBy.get(expired.agentId) ?? 0) + expired.requeued.length);
        }
        await new Promise((resolve) => setImmediate(resolve));
      }
    };

    await Promise.all([
      ...steady.map((agent, i) => agentLoop(agent, i, T0 + 50_000)),
      ...flaky.map((agent, i) => agentLoop(agent, steady.length + i, T0)),
      ...Array.from({ length: 4 }, (_, i) => reaperLoop(i)),
    ]);

    expect(releasedTwice, `seed ${seed}`).toEqual([]);
    await checkInvariants(setup, tickets, agents, released);
    // The race did happen: reaps took conversations from flaky agents.
    expect([...requeuedBy.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);

    // A last reap hands everything flaky agents still hold back to the queue.
    await setup.reapExpiredAgents(30_000, T0 + 60_000);
    for (const agent of flaky) expect(await setup.heldBy(agent.id)).toEqual([]);
    await checkInvariants(setup, tickets, agents, released);
  });
});
