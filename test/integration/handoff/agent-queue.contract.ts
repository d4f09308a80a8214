import { describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../../src/core/errors.ts';
import type { AgentQueue, HandoffTicket, HeldTicket, QueueAgent } from '../../../src/handoff/agent-queue.ts';

/** A fresh, empty queue for each call. */
export type AgentQueueFactory = () => AgentQueue;

/** A pinned clock: every `now` in these tests is explicit. */
const T0 = 1_700_000_000_000;
const SECOND = 1_000;

let sequence = 0;
/** A distinct conversation id for each call (tests share one Redis prefix per queue, not per id). */
const nextId = (label = 'conv'): string => `${label}-${(sequence += 1)}`;

const ticket = (overrides: Partial<HandoffTicket> = {}): HandoffTicket => ({
  conversationId: nextId(),
  channel: 'webchat',
  skill: 'general',
  priority: 0,
  reason: 'low_confidence',
  enqueuedAt: T0,
  ...overrides,
});

const agent = (id: string, skills: readonly string[] = ['general'], capacity = 3): QueueAgent => ({
  id,
  skills,
  capacity,
});

const ids = (tickets: readonly HandoffTicket[]): string[] => tickets.map((t) => t.conversationId);

async function expectBadRequest(promise: Promise<unknown>, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SwitchboardError);
  expect(error).toMatchObject({ code, status: 400 });
}

async function enqueueAll(queue: AgentQueue, tickets: readonly HandoffTicket[]): Promise<void> {
  for (const t of tickets) expect(await queue.enqueue(t)).toBe(true);
}

/**
 * What every AgentQueue must do, whatever keeps the data. Run from
 * agent-queue.test.ts against each implementation; the in-memory queue is
 * the reference, so where the interface leaves a choice (tie order, what a
 * retried claim answers) this suite fixes it for both.
 */
export function agentQueueContract(name: string, factory: AgentQueueFactory): void {
  describe(`AgentQueue contract: ${name}`, () => {
    describe('enqueue', () => {
      it('queues a ticket that ticket(), waiting() and position() then show', async () => {
        const queue = factory();
        const t = ticket({ channel: 'sms', skill: 'billing', priority: 5, reason: 'customer_request' });
        expect(await queue.enqueue(t)).toBe(true);
        expect(await queue.ticket(t.conversationId)).toEqual(t);
        expect(await queue.holder(t.conversationId)).toBeUndefined();
        expect(await queue.waiting(['billing'])).toEqual([t]);
        expect(await queue.position(t.conversationId)).toEqual({
          skill: 'billing',
          position: 1,
          length: 1,
          estimatedWaitMs: undefined,
        });
      });

      it('is idempotent: a conversation already queued is not queued again, in any skill', async () => {
        const queue = factory();
        const t = ticket();
        expect(await queue.enqueue(t)).toBe(true);
        expect(await queue.enqueue(t)).toBe(false);
        expect(await queue.enqueue({ ...t, skill: 'billing', priority: 9, enqueuedAt: T0 + 5 })).toBe(false);
        expect(await queue.enqueue(t, { atHead: true })).toBe(false);
        expect(await queue.ticket(t.conversationId)).toEqual(t);
        expect(await queue.waiting(['general', 'billing'])).toEqual([t]);
      });

      it('refuses a conversation an agent holds, and leaves the hold alone', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann'), t.conversationId, T0 + SECOND);
        expect(await queue.enqueue(t)).toBe(false);
        expect(await queue.holder(t.conversationId)).toBe('ann');
        expect(await queue.waiting(['general'])).toEqual([]);
      });

      it('queues a conversation again once it was released or removed', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann'), t.conversationId, T0);
        await queue.release(t.conversationId, 'ann');
        expect(await queue.enqueue(t)).toBe(true);
        await queue.remove(t.conversationId);
        expect(await queue.enqueue(t)).toBe(true);
      });

      it('gives exactly one of 20 concurrent enqueues of one conversation a true', async () => {
        const queue = factory();
        const t = ticket();
        const results = await Promise.all(Array.from({ length: 20 }, () => queue.enqueue(t)));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await queue.waiting(['general'])).toEqual([t]);
      });

      it('keeps its own copy: changing the caller’s object later changes nothing', async () => {
        const queue = factory();
        const t = ticket();
        const input = { ...t, extra: 'dropped' };
        await queue.enqueue(input);
        input.priority = 99;
        expect(await queue.ticket(t.conversationId)).toEqual(t);
        const read = await queue.ticket(t.conversationId);
        if (read) read.skill = 'changed';
        expect(await queue.ticket(t.conversationId)).toEqual(t);
      });

      it('refuses malformed tickets with a 400 and queues nothing', async () => {
        const queue = factory();
        const bad: Partial<HandoffTicket>[] = [
          { conversationId: '' },
          { skill: '' },
          { priority: -1 },
          { priority: 1_001 },
          { priority: 1.5 },
          { priority: Number.NaN },
          { enqueuedAt: -1 },
          { enqueuedAt: Number.POSITIVE_INFINITY },
          { enqueuedAt: 2 ** 53 },
          { reason: 'bored' as HandoffTicket['reason'] },
          { channel: 'fax' as HandoffTicket['channel'] },
        ];
        for (const overrides of bad) {
          await expectBadRequest(queue.enqueue(ticket({ conversationId: 'bad', ...overrides })), 'invalid_ticket');
        }
        expect(await queue.ticket('bad')).toBeUndefined();
        expect(await queue.waiting(['general', ''])).toEqual([]);
      });

      it('accepts the extremes of priority (0 and 1000)', async () => {
        const queue = factory();
        const low = ticket({ priority: 0 });
        const high = ticket({ priority: 1_000, enqueuedAt: T0 + SECOND });
        await enqueueAll(queue, [low, high]);
        expect(ids(await queue.waiting(['general']))).toEqual([high.conversationId, low.conversationId]);
      });
    });

    describe('order', () => {
      it('serves by priority, then first come first served, across several skills', async () => {
        const queue = factory();
        const b1 = ticket({ skill: 'billing', priority: 0, enqueuedAt: T0 + 1 });
        const t1 = ticket({ skill: 'tech', priority: 0, enqueuedAt: T0 + 2 });
        const g1 = ticket({ skill: 'general', priority: 0, enqueuedAt: T0 });
        const b2 = ticket({ skill: 'billing', priority: 10, enqueuedAt: T0 + 50 });
        const t2 = ticket({ skill: 'tech', priority: 10, enqueuedAt: T0 + 40 });
        const g2 = ticket({ skill: 'general', priority: 5, enqueuedAt: T0 + 100 });
        const b3 = ticket({ skill: 'billing', priority: 0, enqueuedAt: T0 + 3 });
        // Enqueued out of order on purpose: the order comes from priority and time only.
        await enqueueAll(queue, [b1, t1, g1, b2, t2, g2, b3]);

        const expected = [t2, b2, g2, g1, b1, t1, b3];
        const all = ['general', 'billing', 'tech'];
        expect(await queue.waiting(all)).toEqual(expected);
        expect(ids(await queue.waiting(['billing']))).toEqual(ids([b2, b1, b3]));
        expect(ids(await queue.waiting(['tech', 'general']))).toEqual(ids([t2, g2, g1, t1]));

        const served: string[] = [];
        const everyone = agent('all', all, 100);
        for (let i = 0; i < expected.length; i += 1) {
          const result = await queue.claim(everyone, undefined, T0 + 1_000 + i);
          if (result.outcome !== 'claimed') throw new Error(`unexpected ${result.outcome}`);
          served.push(result.ticket.conversationId);
        }
        expect(served).toEqual(ids(expected));
        expect((await queue.claim(everyone, undefined, T0 + 2_000)).outcome).toBe('empty');
      });

      it('serves only the agent’s skills, in their combined order', async () => {
        const queue = factory();
        const g = ticket({ skill: 'general', enqueuedAt: T0 + 3 });
        const b = ticket({ skill: 'billing', enqueuedAt: T0 + 1 });
        const t = ticket({ skill: 'tech', enqueuedAt: T0 + 2 });
        await enqueueAll(queue, [g, b, t]);
        const techAndGeneral = agent('tg', ['tech', 'general']);
        const first = await queue.claim(techAndGeneral, undefined, T0 + 10);
        const second = await queue.claim(techAndGeneral, undefined, T0 + 11);
        expect(first).toMatchObject({ outcome: 'claimed', ticket: { conversationId: t.conversationId } });
        expect(second).toMatchObject({ outcome: 'claimed', ticket: { conversationId: g.conversationId } });
        expect(await queue.claim(techAndGeneral, undefined, T0 + 12)).toEqual({ outcome: 'empty' });
        expect(await queue.waiting(['billing'])).toEqual([b]);
      });

      it('breaks ties of priority and time by conversation id, in UTF-8 byte order', async () => {
        const queue = factory();
        // '\uFF01' sorts before '😀' by UTF-8 bytes (EF… < F0…) but after it by UTF-16 units.
        const names = ['tie-b', 'tie-😀', 'tie-a', 'tie-\uFF01', 'tie-B'];
        await enqueueAll(
          queue,
          names.map((conversationId, i) => ticket({ conversationId, skill: i % 2 === 0 ? 'x' : 'y' })),
        );
        const expected = ['tie-B', 'tie-a', 'tie-b', 'tie-\uFF01', 'tie-😀'];
        expect(ids(await queue.waiting(['x', 'y']))).toEqual(expected);
        const picker = agent('picker', ['y', 'x'], 10);
        const served: string[] = [];
        for (let i = 0; i < names.length; i += 1) {
          const result = await queue.claim(picker, undefined, T0 + i);
          if (result.outcome === 'claimed') served.push(result.ticket.conversationId);
        }
        expect(served).toEqual(expected);
      });

      it('puts an atHead ticket before all of its priority, after every higher priority', async () => {
        const queue = factory();
        const old = ticket({ priority: 3, enqueuedAt: T0 - 60 * SECOND });
        const higher = ticket({ priority: 4, enqueuedAt: T0 + 10 * SECOND });
        const lower = ticket({ priority: 2, enqueuedAt: T0 - 120 * SECOND });
        await enqueueAll(queue, [old, higher, lower]);
        const urgent = ticket({ priority: 3, enqueuedAt: T0 + 30 * SECOND });
        expect(await queue.enqueue(urgent, { atHead: true })).toBe(true);
        expect(ids(await queue.waiting(['general']))).toEqual(ids([higher, urgent, old, lower]));
        expect(await queue.ticket(urgent.conversationId)).toEqual(urgent);
      });
    });

    describe('waiting', () => {
      it('returns at most `limit` tickets, first served first, and none of those held', async () => {
        const queue = factory();
        const tickets = Array.from({ length: 6 }, (_, i) =>
          ticket({ skill: i % 2 === 0 ? 'a' : 'b', enqueuedAt: T0 + i }),
        );
        await enqueueAll(queue, tickets);
        expect(await queue.waiting(['a', 'b'], 4)).toEqual(tickets.slice(0, 4));
        expect(await queue.waiting(['a', 'b'], 1)).toEqual(tickets.slice(0, 1));
        expect(await queue.waiting(['a', 'b'], 0)).toEqual([]);
        expect(await queue.waiting(['a', 'b'], 100)).toEqual(tickets);
        expect(await queue.waiting(['b'], 2)).toEqual([tickets[1], tickets[3]]);

        await queue.claim(agent('ann', ['a']), undefined, T0 + 10);
        expect(ids(await queue.waiting(['a', 'b']))).toEqual(ids(tickets.slice(1)));
      });

      it('is empty for no skills, unknown skills, and ignores repeated skills', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        expect(await queue.waiting([])).toEqual([]);
        expect(await queue.waiting(['nobody-has-this'])).toEqual([]);
        expect(await queue.waiting(['general', 'general', 'general'])).toEqual([t]);
      });

      it('refuses a malformed limit with a 400', async () => {
        const queue = factory();
        await expectBadRequest(queue.waiting(['general'], -1), 'invalid_queue_argument');
        await expectBadRequest(queue.waiting(['general'], 2.5), 'invalid_queue_argument');
      });
    });

    describe('claim', () => {
      it('claims the next conversation: held by the agent from now, out of the queue', async () => {
        const queue = factory();
        const t = ticket({ skill: 'billing' });
        await queue.enqueue(t);
        const now = T0 + 42 * SECOND;
        const result = await queue.claim(agent('ann', ['billing']), undefined, now);
        const held: HeldTicket = { ...t, agentId: 'ann', assignedAt: now };
        expect(result).toEqual({ outcome: 'claimed', ticket: held });
        expect(await queue.ticket(t.conversationId)).toEqual(held);
        expect(await queue.holder(t.conversationId)).toBe('ann');
        expect(await queue.heldBy('ann')).toEqual([held]);
        expect(await queue.waiting(['billing'])).toEqual([]);
        expect(await queue.position(t.conversationId)).toBeUndefined();
      });

      it('answers empty when nothing waits in the agent’s skills, or it has none', async () => {
        const queue = factory();
        expect(await queue.claim(agent('ann'), undefined, T0)).toEqual({ outcome: 'empty' });
        await queue.enqueue(ticket({ skill: 'billing' }));
        expect(await queue.claim(agent('ann', ['general', 'tech']), undefined, T0)).toEqual({ outcome: 'empty' });
        expect(await queue.claim(agent('nobody', []), undefined, T0)).toEqual({ outcome: 'empty' });
      });

      it('answers at_capacity once the agent holds `capacity` conversations, counting every hold', async () => {
        const queue = factory();
        const tickets = Array.from({ length: 5 }, (_, i) => ticket({ enqueuedAt: T0 + i }));
        await enqueueAll(queue, tickets);
        const ann = agent('ann', ['general'], 2);
        expect((await queue.claim(ann, undefined, T0 + 10)).outcome).toBe('claimed');
        // A conversation handed over counts like one claimed.
        expect((await queue.assign(tickets[4]?.conversationId ?? '', ann, undefined, T0 + 11)).outcome).toBe(
          'assigned',
        );
        expect(await queue.claim(ann, undefined, T0 + 12)).toEqual({ outcome: 'at_capacity' });
        expect(await queue.claim(ann, tickets[2]?.conversationId, T0 + 12)).toEqual({ outcome: 'at_capacity' });
        expect(await queue.heldBy('ann')).toHaveLength(2);

        // Capacity is the caller's current figure: raising it allows more.
        expect((await queue.claim({ ...ann, capacity: 3 }, undefined, T0 + 13)).outcome).toBe('claimed');
        // Releasing one frees a place.
        await queue.release(tickets[0]?.conversationId ?? '', 'ann');
        expect((await queue.claim({ ...ann, capacity: 3 }, undefined, T0 + 14)).outcome).toBe('claimed');
        expect(await queue.heldBy('ann')).toHaveLength(3);
      });

      it('answers at_capacity to an agent of capacity 0, even when nothing waits', async () => {
        const queue = factory();
        expect(await queue.claim(agent('zero', ['general'], 0), undefined, T0)).toEqual({ outcome: 'at_capacity' });
        const t = ticket();
        await queue.enqueue(t);
        expect(await queue.claim(agent('zero', ['general'], 0), undefined, T0)).toEqual({ outcome: 'at_capacity' });
        expect(await queue.claim(agent('zero', ['general'], 0), t.conversationId, T0)).toEqual({
          outcome: 'at_capacity',
        });
      });

      it('claims a named waiting conversation, out of its turn', async () => {
        const queue = factory();
        const first = ticket({ enqueuedAt: T0 });
        const second = ticket({ enqueuedAt: T0 + 1, priority: 0 });
        await enqueueAll(queue, [first, second]);
        const result = await queue.claim(agent('ann'), second.conversationId, T0 + 5);
        expect(result).toEqual({ outcome: 'claimed', ticket: { ...second, agentId: 'ann', assignedAt: T0 + 5 } });
        expect(await queue.waiting(['general'])).toEqual([first]);
      });

      it('answers taken for a named conversation someone else holds, or that is gone', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann'), t.conversationId, T0);
        expect(await queue.claim(agent('bob'), t.conversationId, T0 + 1)).toEqual({ outcome: 'taken' });
        // Taken wins over the other refusals: the conversation is not there to be had.
        expect(await queue.claim(agent('bob', ['tech'], 0), t.conversationId, T0 + 1)).toEqual({ outcome: 'taken' });
        expect(await queue.claim(agent('bob'), 'never-queued', T0 + 1)).toEqual({ outcome: 'taken' });
        await queue.release(t.conversationId, 'ann');
        expect(await queue.claim(agent('bob'), t.conversationId, T0 + 2)).toEqual({ outcome: 'taken' });
        expect(await queue.heldBy('bob')).toEqual([]);
      });

      it('answers a retried claim of the agent’s own conversation with the same hold, unchanged', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        const first = await queue.claim(agent('ann', ['general'], 1), t.conversationId, T0);
        const again = await queue.claim(agent('ann', ['general'], 1), t.conversationId, T0 + 9 * SECOND);
        expect(again).toEqual(first);
        expect(await queue.heldBy('ann')).toHaveLength(1);
      });

      it('answers not_eligible for a named conversation in a skill the agent lacks, before capacity', async () => {
        const queue = factory();
        const t = ticket({ skill: 'billing' });
        await queue.enqueue(t);
        expect(await queue.claim(agent('ann', ['general', 'tech']), t.conversationId, T0)).toEqual({
          outcome: 'not_eligible',
        });
        expect(await queue.claim(agent('ann', ['general'], 0), t.conversationId, T0)).toEqual({
          outcome: 'not_eligible',
        });
        expect(await queue.waiting(['billing'])).toEqual([t]);
        expect(await queue.holder(t.conversationId)).toBeUndefined();
      });

      it('gives each of 30 conversations to one of 20 concurrent claimers, none over capacity', async () => {
        const queue = factory();
        await enqueueAll(
          queue,
          Array.from({ length: 30 }, (_, i) => ticket({ enqueuedAt: T0 + i })),
        );
        const agents = Array.from({ length: 20 }, (_, i) => agent(`racer-${i}`, ['general'], 2));
        const results = await Promise.all(
          agents.flatMap((a) => [queue.claim(a, undefined, T0 + 100), queue.claim(a, undefined, T0 + 100)]),
        );
        const claimed = results.flatMap((r) => (r.outcome === 'claimed' ? [r.ticket.conversationId] : []));
        expect(claimed).toHaveLength(30);
        expect(new Set(claimed).size).toBe(30);
        expect(results.filter((r) => r.outcome === 'empty')).toHaveLength(10);
        for (const a of agents) expect((await queue.heldBy(a.id)).length).toBeLessThanOrEqual(2);
      });

      it('refuses a malformed agent or conversation id with a 400', async () => {
        const queue = factory();
        await expectBadRequest(queue.claim(agent(''), undefined, T0), 'invalid_agent');
        await expectBadRequest(queue.claim(agent('ann', ['general'], -1), undefined, T0), 'invalid_agent');
        await expectBadRequest(queue.claim(agent('ann', ['general'], 1.5), undefined, T0), 'invalid_agent');
        await expectBadRequest(queue.claim(agent('ann', ['']), undefined, T0), 'invalid_agent');
        await expectBadRequest(queue.claim(agent('ann'), '', T0), 'invalid_queue_argument');
        await expectBadRequest(queue.claim(agent('ann'), undefined, -5), 'invalid_queue_argument');
      });

      it('uses the clock when no `now` is given', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        const before = Date.now();
        const result = await queue.claim(agent('ann'));
        const after = Date.now();
        if (result.outcome !== 'claimed') throw new Error('expected a claim');
        expect(result.ticket.assignedAt).toBeGreaterThanOrEqual(before);
        expect(result.ticket.assignedAt).toBeLessThanOrEqual(after);
      });
    });

    describe('release', () => {
      it('ends the holder’s hold and forgets the ticket', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann'), undefined, T0);
        expect(await queue.release(t.conversationId, 'ann')).toBe(true);
        expect(await queue.ticket(t.conversationId)).toBeUndefined();
        expect(await queue.holder(t.conversationId)).toBeUndefined();
        expect(await queue.heldBy('ann')).toEqual([]);
        expect(await queue.waiting(['general'])).toEqual([]);
        expect(await queue.release(t.conversationId, 'ann')).toBe(false);
      });

      it('is refused to anyone but the holder, and for waiting or unknown conversations', async () => {
        const queue = factory();
        const held = ticket();
        const waiting = ticket({ enqueuedAt: T0 + 1 });
        await enqueueAll(queue, [held, waiting]);
        await queue.claim(agent('ann'), held.conversationId, T0);
        expect(await queue.release(held.conversationId, 'bob')).toBe(false);
        expect(await queue.release(waiting.conversationId, 'ann')).toBe(false);
        expect(await queue.release('unknown', 'ann')).toBe(false);
        expect(await queue.holder(held.conversationId)).toBe('ann');
        expect(await queue.waiting(['general'])).toEqual([waiting]);
      });
    });

    describe('transferToSkill', () => {
      it('puts a held conversation in another skill’s queue, entering it now, behind its priority', async () => {
        const queue = factory();
        const t = ticket({ skill: 'general', priority: 5 });
        await queue.enqueue(t);
        await queue.claim(agent('ann'), t.conversationId, T0 + SECOND);
        const earlier = ticket({ skill: 'billing', priority: 5, enqueuedAt: T0 + 2 * SECOND });
        const lower = ticket({ skill: 'billing', priority: 4, enqueuedAt: T0 });
        await enqueueAll(queue, [earlier, lower]);

        const now = T0 + 10 * SECOND;
        expect(await queue.transferToSkill(t.conversationId, 'ann', 'billing', now)).toBe(true);
        const moved: HandoffTicket = { ...t, skill: 'billing', enqueuedAt: now };
        expect(await queue.ticket(t.conversationId)).toEqual(moved);
        expect(await queue.holder(t.conversationId)).toBeUndefined();
        expect(await queue.heldBy('ann')).toEqual([]);
        expect(await queue.waiting(['billing'])).toEqual([earlier, moved, lower]);
        expect(await queue.waiting(['general'])).toEqual([]);
        expect(await queue.position(t.conversationId)).toMatchObject({ skill: 'billing', position: 2, length: 3 });
        // A billing agent may now claim it; a general one may not.
        expect(await queue.claim(agent('gus'), t.conversationId, now + 1)).toEqual({ outcome: 'not_eligible' });
      });

      it('can send it back to the same skill, at the back of its priority', async () => {
        const queue = factory();
        const t = ticket();
        const other = ticket({ enqueuedAt: T0 + 5 });
        await enqueueAll(queue, [t, other]);
        await queue.claim(agent('ann'), t.conversationId, T0 + 6);
        expect(await queue.transferToSkill(t.conversationId, 'ann', 'general', T0 + 7)).toBe(true);
        expect(ids(await queue.waiting(['general']))).toEqual(ids([other, t]));
      });

      it('is refused to anyone but the holder, and for waiting or unknown conversations', async () => {
        const queue = factory();
        const held = ticket();
        const waiting = ticket({ enqueuedAt: T0 + 1 });
        await enqueueAll(queue, [held, waiting]);
        await queue.claim(agent('ann'), held.conversationId, T0);
        expect(await queue.transferToSkill(held.conversationId, 'bob', 'billing', T0 + 1)).toBe(false);
        expect(await queue.transferToSkill(waiting.conversationId, 'ann', 'billing', T0 + 1)).toBe(false);
        expect(await queue.transferToSkill('unknown', 'ann', 'billing', T0 + 1)).toBe(false);
        expect(await queue.holder(held.conversationId)).toBe('ann');
        expect(await queue.waiting(['billing'])).toEqual([]);
        await expectBadRequest(queue.transferToSkill(held.conversationId, 'ann', '', T0 + 1), 'invalid_skill');
        expect(await queue.holder(held.conversationId)).toBe('ann');
      });
    });

    describe('assign', () => {
      it('hands a waiting conversation to an agent, whatever its skills', async () => {
        const queue = factory();
        const t = ticket({ skill: 'billing' });
        await queue.enqueue(t);
        const result = await queue.assign(t.conversationId, agent('ann', ['general']), undefined, T0 + 3);
        const held: HeldTicket = { ...t, agentId: 'ann', assignedAt: T0 + 3 };
        expect(result).toEqual({ outcome: 'assigned', ticket: held });
        expect(await queue.heldBy('ann')).toEqual([held]);
        expect(await queue.waiting(['billing'])).toEqual([]);
      });

      it('hands a conversation from its holder to another agent', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann'), t.conversationId, T0);
        const result = await queue.assign(t.conversationId, agent('bob'), 'ann', T0 + 7);
        expect(result).toEqual({ outcome: 'assigned', ticket: { ...t, agentId: 'bob', assignedAt: T0 + 7 } });
        expect(await queue.heldBy('ann')).toEqual([]);
        expect(await queue.holder(t.conversationId)).toBe('bob');
        expect(await queue.release(t.conversationId, 'ann')).toBe(false);
        expect(await queue.release(t.conversationId, 'bob')).toBe(true);
      });

      it('takes a waiting conversation even when a `from` agent is named', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        expect((await queue.assign(t.conversationId, agent('bob'), 'ann', T0)).outcome).toBe('assigned');
      });

      it('answers not_found unless it waits or `from` holds it', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann'), t.conversationId, T0);
        expect(await queue.assign(t.conversationId, agent('bob'), 'carl', T0)).toEqual({ outcome: 'not_found' });
        expect(await queue.assign(t.conversationId, agent('bob'), undefined, T0)).toEqual({ outcome: 'not_found' });
        expect(await queue.assign('unknown', agent('bob'), undefined, T0)).toEqual({ outcome: 'not_found' });
        expect(await queue.holder(t.conversationId)).toBe('ann');
      });

      it('respects the target’s capacity and changes nothing when it is full', async () => {
        const queue = factory();
        const mine = ticket();
        const theirs = ticket({ enqueuedAt: T0 + 1 });
        const waiting = ticket({ enqueuedAt: T0 + 2 });
        await enqueueAll(queue, [mine, theirs, waiting]);
        await queue.claim(agent('ann'), mine.conversationId, T0);
        await queue.claim(agent('bob', ['general'], 1), theirs.conversationId, T0);
        const bob = agent('bob', ['general'], 1);
        expect(await queue.assign(mine.conversationId, bob, 'ann', T0 + 1)).toEqual({ outcome: 'at_capacity' });
        expect(await queue.assign(waiting.conversationId, bob, undefined, T0 + 1)).toEqual({ outcome: 'at_capacity' });
        expect(await queue.holder(mine.conversationId)).toBe('ann');
        expect(await queue.waiting(['general'])).toEqual([waiting]);
      });

      it('changes nothing when handing a conversation to the agent that holds it', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        const claimed = await queue.claim(agent('ann', ['general'], 1), t.conversationId, T0);
        if (claimed.outcome !== 'claimed') throw new Error('expected a claim');
        expect(await queue.assign(t.conversationId, agent('ann', ['general'], 1), 'ann', T0 + 5)).toEqual({
          outcome: 'assigned',
          ticket: claimed.ticket,
        });
      });

      it('starts a lease for a target never seen, so an absent target loses it', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.assign(t.conversationId, agent('ghost'), undefined, T0);
        expect(await queue.reapExpiredAgents(30 * SECOND, T0 + 30 * SECOND)).toEqual([]);
        const reaped = await queue.reapExpiredAgents(30 * SECOND, T0 + 31 * SECOND);
        expect(reaped).toEqual([{ agentId: 'ghost', requeued: [{ ...t, enqueuedAt: T0 + 31 * SECOND }] }]);
      });
    });

    describe('remove', () => {
      it('takes a conversation out of its queue', async () => {
        const queue = factory();
        const t = ticket();
        const other = ticket({ enqueuedAt: T0 + 1 });
        await enqueueAll(queue, [t, other]);
        expect(await queue.remove(t.conversationId)).toBe(true);
        expect(await queue.ticket(t.conversationId)).toBeUndefined();
        expect(await queue.waiting(['general'])).toEqual([other]);
        expect(await queue.position(other.conversationId)).toMatchObject({ position: 1, length: 1 });
        expect(await queue.remove(t.conversationId)).toBe(false);
      });

      it('takes a conversation out of its holder’s hands', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann', ['general'], 1), t.conversationId, T0);
        expect(await queue.remove(t.conversationId)).toBe(true);
        expect(await queue.heldBy('ann')).toEqual([]);
        expect(await queue.holder(t.conversationId)).toBeUndefined();
        expect(await queue.release(t.conversationId, 'ann')).toBe(false);
        // The place it held is free again.
        const next = ticket({ enqueuedAt: T0 + 1 });
        await queue.enqueue(next);
        expect((await queue.claim(agent('ann', ['general'], 1), undefined, T0 + 2)).outcome).toBe('claimed');
      });

      it('answers false for a conversation it does not know', async () => {
        expect(await factory().remove('unknown')).toBe(false);
      });
    });

    describe('position and estimated wait', () => {
      it('gives place, queue length, and undefined for held or unknown conversations', async () => {
        const queue = factory();
        const tickets = Array.from({ length: 3 }, (_, i) => ticket({ skill: 'tech', enqueuedAt: T0 + i }));
        await enqueueAll(queue, tickets);
        await queue.enqueue(ticket({ skill: 'other' }));
        for (const [i, t] of tickets.entries()) {
          expect(await queue.position(t.conversationId)).toEqual({
            skill: 'tech',
            position: i + 1,
            length: 3,
            estimatedWaitMs: undefined,
          });
        }
        const vip = ticket({ skill: 'tech', priority: 10, enqueuedAt: T0 + 10 });
        await queue.enqueue(vip);
        expect(await queue.position(tickets[0]?.conversationId ?? '')).toMatchObject({ position: 2, length: 4 });
        await queue.claim(agent('ann', ['tech']), vip.conversationId, T0 + 20);
        expect(await queue.position(vip.conversationId)).toBeUndefined();
        expect(await queue.position('unknown')).toBeUndefined();
      });

      it('estimates the wait from the moving average of intervals between claims in the skill', async () => {
        const queue = factory();
        const tickets = Array.from({ length: 8 }, (_, i) => ticket({ skill: 'tech', enqueuedAt: T0 + i }));
        await enqueueAll(queue, tickets);
        const ann = agent('ann', ['tech'], 100);
        const last = tickets[7]?.conversationId ?? '';

        await queue.claim(ann, undefined, T0 + 60 * SECOND);
        // One claim gives no interval yet.
        expect(await queue.position(last)).toMatchObject({ position: 7, estimatedWaitMs: undefined });

        await queue.claim(ann, undefined, T0 + 120 * SECOND);
        // The first interval is the average: 60 s × 6 places.
        expect(await queue.position(last)).toEqual({
          skill: 'tech',
          position: 6,
          length: 6,
          estimatedWaitMs: 360 * SECOND,
        });

        await queue.claim(ann, undefined, T0 + 130 * SECOND);
        // 0.2 × 10 s + 0.8 × 60 s = 50 s, × 5 places.
        expect(await queue.position(last)).toMatchObject({ position: 5, estimatedWaitMs: 250 * SECOND });

        // A named claim counts too: 0.2 × 20 s + 0.8 × 50 s = 44 s, × 4 places.
        await queue.claim(ann, tickets[6]?.conversationId, T0 + 150 * SECOND);
        expect(await queue.position(last)).toMatchObject({ position: 4, estimatedWaitMs: 176 * SECOND });

        // Another skill's claims do not touch this skill's rate; its own rate starts empty.
        const billing = ticket({ skill: 'billing', enqueuedAt: T0 });
        const billingNext = ticket({ skill: 'billing', enqueuedAt: T0 + 1 });
        await enqueueAll(queue, [billing, billingNext]);
        await queue.claim(agent('bob', ['billing']), billing.conversationId, T0 + 151 * SECOND);
        expect(await queue.position(billingNext.conversationId)).toMatchObject({ estimatedWaitMs: undefined });
        expect(await queue.position(last)).toMatchObject({ estimatedWaitMs: 176 * SECOND });
      });

      it('does not count the idle time after a claim that emptied the queue', async () => {
        const queue = factory();
        const ann = agent('ann', ['quiet'], 10);
        await queue.enqueue(ticket({ skill: 'quiet', enqueuedAt: T0 }));
        await queue.claim(ann, undefined, T0 + SECOND);
        // Nobody waited for ten hours; then three customers arrive.
        const later = T0 + 10 * 3_600 * SECOND;
        const tickets = Array.from({ length: 3 }, (_, i) => ticket({ skill: 'quiet', enqueuedAt: later + i }));
        await enqueueAll(queue, tickets);
        await queue.claim(ann, undefined, later + 10 * SECOND);
        // The ten idle hours are not a claim interval: still no estimate.
        expect(await queue.position(tickets[2]?.conversationId ?? '')).toMatchObject({
          position: 2,
          estimatedWaitMs: undefined,
        });
        await queue.claim(ann, undefined, later + 40 * SECOND);
        expect(await queue.position(tickets[2]?.conversationId ?? '')).toMatchObject({
          position: 1,
          estimatedWaitMs: 30 * SECOND,
        });
      });

      it('never counts a negative interval when hosts’ clocks disagree', async () => {
        const queue = factory();
        const tickets = Array.from({ length: 4 }, (_, i) => ticket({ skill: 'skew', enqueuedAt: T0 + i }));
        await enqueueAll(queue, tickets);
        const ann = agent('ann', ['skew'], 10);
        await queue.claim(ann, undefined, T0 + 100 * SECOND);
        await queue.claim(ann, undefined, T0 + 90 * SECOND);
        // Interval clamped to 0, and the later time kept as the last claim.
        expect(await queue.position(tickets[3]?.conversationId ?? '')).toMatchObject({ estimatedWaitMs: 0 });
        await queue.claim(ann, undefined, T0 + 110 * SECOND);
        // 0.2 × 10 s + 0.8 × 0 = 2 s.
        expect(await queue.position(tickets[3]?.conversationId ?? '')).toMatchObject({
          position: 1,
          estimatedWaitMs: 2 * SECOND,
        });
      });
    });

    describe('heldBy', () => {
      it('lists the agent’s tickets in the order they were assigned, and only its own', async () => {
        const queue = factory();
        const tickets = Array.from({ length: 4 }, (_, i) => ticket({ enqueuedAt: T0 + i }));
        await enqueueAll(queue, tickets);
        const [a, b, c, d] = tickets.map((t) => t.conversationId);
        await queue.claim(agent('ann', ['general'], 5), c, T0 + 30);
        await queue.claim(agent('ann', ['general'], 5), a, T0 + 10);
        await queue.claim(agent('bob'), b, T0 + 5);
        await queue.assign(d ?? '', agent('ann', ['general'], 5), undefined, T0 + 20);
        expect((await queue.heldBy('ann')).map((t) => [t.conversationId, t.assignedAt])).toEqual([
          [a, T0 + 10],
          [d, T0 + 20],
          [c, T0 + 30],
        ]);
        expect(ids(await queue.heldBy('bob'))).toEqual([b]);
        expect(await queue.heldBy('nobody')).toEqual([]);
      });
    });

    describe('leases', () => {
      it('requeues an expired agent’s conversations at the head of their queues', async () => {
        const queue = factory();
        const higher = ticket({ priority: 7, enqueuedAt: T0 + 50 * SECOND });
        const older = ticket({ priority: 5, enqueuedAt: T0 - 600 * SECOND });
        const lower = ticket({ priority: 1, enqueuedAt: T0 - 900 * SECOND });
        const olderTech = ticket({ skill: 'tech', priority: 0, enqueuedAt: T0 - 900 * SECOND });
        await enqueueAll(queue, [higher, older, lower, olderTech]);
        const mine = ticket({ priority: 5, enqueuedAt: T0 });
        const mineTech = ticket({ skill: 'tech', priority: 0, enqueuedAt: T0 + 1 });
        const mineToo = ticket({ priority: 5, enqueuedAt: T0 + 2 });
        await enqueueAll(queue, [mine, mineTech, mineToo]);
        const ann = agent('ann', ['general', 'tech'], 5);
        for (const t of [mine, mineTech, mineToo]) await queue.claim(ann, t.conversationId, T0 + 10 * SECOND);
        await queue.touchAgent('ann', T0 + 20 * SECOND);

        const lease = 30 * SECOND;
        expect(await queue.reapExpiredAgents(lease, T0 + 50 * SECOND)).toEqual([]);
        const now = T0 + 50 * SECOND + 1;
        const reaped = await queue.reapExpiredAgents(lease, now);
        const requeued = (t: HandoffTicket): HandoffTicket => ({ ...t, enqueuedAt: now });
        // Highest priority first, then by id (how tickets requeued together are served).
        const sameTime = [mine, mineToo].sort((x, y) =>
          Buffer.compare(Buffer.from(x.conversationId), Buffer.from(y.conversationId)),
        );
        expect(reaped).toEqual([{ agentId: 'ann', requeued: [...sameTime, mineTech].map(requeued) }]);

        expect(await queue.heldBy('ann')).toEqual([]);
        expect(await queue.holder(mine.conversationId)).toBeUndefined();
        expect(await queue.waiting(['general'])).toEqual([higher, ...sameTime.map(requeued), older, lower]);
        expect(await queue.waiting(['tech'])).toEqual([requeued(mineTech), olderTech]);
        expect(await queue.position(mineTech.conversationId)).toMatchObject({ position: 1, length: 2 });
        // The agent is forgotten: nothing more to reap, and its old holds are not its own.
        expect(await queue.reapExpiredAgents(lease, now + 1)).toEqual([]);
        expect(await queue.release(mine.conversationId, 'ann')).toBe(false);
      });

      it('keeps the lease of an agent that keeps touching, and never moves it back', async () => {
        const queue = factory();
        const t = ticket();
        await queue.enqueue(t);
        await queue.claim(agent('ann'), t.conversationId, T0);
        const lease = 30 * SECOND;
        await queue.touchAgent('ann', T0 + 25 * SECOND);
        expect(await queue.reapExpiredAgents(lease, T0 + 50 * SECOND)).toEqual([]);
        await queue.touchAgent('ann', T0 + 50 * SECOND);
        // An older time (another host's clock) does not shorten the lease.
        await queue.touchAgent('ann', T0 + 5 * SECOND);
        expect(await queue.reapExpiredAgents(lease, T0 + 80 * SECOND)).toEqual([]);
        expect(await queue.holder(t.conversationId)).toBe('ann');
        expect(await queue.reapExpiredAgents(lease, T0 + 80 * SECOND + 1)).toMatchObject([{ agentId: 'ann' }]);
      });

      it('counts claiming as being seen', async () => {
        const queue = factory();
        const first = ticket();
        const second = ticket({ enqueuedAt: T0 + 1 });
        await enqueueAll(queue, [first, second]);
        await queue.touchAgent('ann', T0);
        await queue.claim(agent('ann'), undefined, T0 + 20 * SECOND);
        expect(await queue.reapExpiredAgents(30 * SECOND, T0 + 40 * SECOND)).toEqual([]);
      });

      it('reports expired agents that held nothing, once, and keeps live ones', async () => {
        const queue = factory();
        await queue.touchAgent('idle', T0);
        await queue.touchAgent('older', T0 - SECOND);
        await queue.touchAgent('live', T0 + 60 * SECOND);
        const reaped = await queue.reapExpiredAgents(30 * SECOND, T0 + 60 * SECOND);
        expect(reaped).toEqual([
          { agentId: 'older', requeued: [] },
          { agentId: 'idle', requeued: [] },
        ]);
        expect(await queue.reapExpiredAgents(30 * SECOND, T0 + 60 * SECOND)).toEqual([]);
        expect(await queue.reapExpiredAgents(0, T0 + 60 * SECOND + 1)).toEqual([{ agentId: 'live', requeued: [] }]);
      });

      it('reaps each agent once when several hosts reap at the same time', async () => {
        const queue = factory();
        const tickets = Array.from({ length: 10 }, (_, i) => ticket({ enqueuedAt: T0 + i }));
        await enqueueAll(queue, tickets);
        for (let i = 0; i < 5; i += 1) {
          const a = agent(`gone-${i}`, ['general'], 2);
          await queue.claim(a, undefined, T0 + SECOND);
          await queue.claim(a, undefined, T0 + SECOND);
        }
        const results = await Promise.all(
          Array.from({ length: 8 }, () => queue.reapExpiredAgents(10 * SECOND, T0 + 60 * SECOND)),
        );
        const agentsReaped = results.flat().map((e) => e.agentId);
        expect(agentsReaped.sort()).toEqual(['gone-0', 'gone-1', 'gone-2', 'gone-3', 'gone-4']);
        const requeued = results.flat().flatMap((e) => ids(e.requeued));
        expect(requeued.sort()).toEqual(ids(tickets).sort());
        expect(await queue.waiting(['general'])).toHaveLength(10);
      });

      it('refuses a malformed lease or agent id with a 400', async () => {
        const queue = factory();
        await expectBadRequest(queue.reapExpiredAgents(-1, T0), 'invalid_queue_argument');
        await expectBadRequest(queue.reapExpiredAgents(Number.NaN, T0), 'invalid_queue_argument');
        await expectBadRequest(queue.touchAgent('', T0), 'invalid_agent');
        await expectBadRequest(queue.heldBy(''), 'invalid_agent');
      });
    });

    describe('unicode', () => {
      it('handles skill names and conversation ids in any script, with spaces, colons and braces', async () => {
        const queue = factory();
        const skills = ['facturación', '請求', '🛠️ support', 'a:b {x} }{'];
        const tickets = skills.map((skill, i) =>
          ticket({ conversationId: `${nextId('💬')}-ünï-{tag}:${skill}`, skill, priority: i, enqueuedAt: T0 + i }),
        );
        await enqueueAll(queue, tickets);
        expect(await queue.waiting(skills)).toEqual([...tickets].reverse());
        for (const t of tickets) {
          expect(await queue.position(t.conversationId)).toEqual({
            skill: t.skill,
            position: 1,
            length: 1,
            estimatedWaitMs: undefined,
          });
        }
        const agentId = 'agënt-😀:{1}';
        const polyglot = agent(agentId, skills, 10);
        const first = await queue.claim(polyglot, undefined, T0 + 100);
        expect(first).toEqual({ outcome: 'claimed', ticket: { ...tickets[3], agentId, assignedAt: T0 + 100 } });
        const named = tickets[0]?.conversationId ?? '';
        expect((await queue.claim(polyglot, named, T0 + 101)).outcome).toBe('claimed');
        expect(ids(await queue.heldBy(agentId))).toEqual([tickets[3]?.conversationId, named]);
        expect(await queue.holder(named)).toBe(agentId);
        expect(await queue.transferToSkill(named, agentId, '請求', T0 + 102)).toBe(true);
        expect(await queue.position(named)).toMatchObject({ skill: '請求', position: 2, length: 2 });
        const reaped = await queue.reapExpiredAgents(1, T0 + 200);
        expect(reaped).toEqual([
          { agentId, requeued: [{ ...tickets[3], enqueuedAt: T0 + 200 }] },
        ]);
        expect(await queue.remove(named)).toBe(true);
        expect(ids(await queue.waiting(skills))).toEqual(ids([...tickets].reverse().slice(0, 3)));
      });
    });
  });
}
