import type {
  AgentQueue,
  AssignResult,
  ClaimResult,
  ExpiredAgent,
  HandoffTicket,
  HeldTicket,
  QueueAgent,
  QueuePosition,
} from './agent-queue.ts';
import {
  byAssignment,
  byPriorityThenId,
  checkAgent,
  checkAgentId,
  checkConversationId,
  checkLease,
  checkLimit,
  checkSkill,
  checkTicket,
  compareIds,
  compareQueued,
  estimatedWait,
  nextAverageInterval,
  queueScore,
  resolveNow,
} from './queue-rules.ts';

/** A conversation in the queue: waiting when it has no holder. */
interface Entry {
  ticket: HandoffTicket;
  /** Its place in its skill's queue (meaningful while waiting). */
  score: number;
  holder?: { agentId: string; assignedAt: number };
}

interface ClaimRate {
  lastClaimAt: number;
  averageIntervalMs: number | undefined;
  /** Whether the last claim left conversations waiting in the skill. */
  backlog: boolean;
}

/**
 * The agent queue in the process's memory: the zero-setup default for one
 * host, and the reference the contract suite checks the Redis queue
 * against. It favours plainness over speed: one map of entries, and every
 * question (what waits in a skill, how many does an agent hold) answered by
 * scanning it. Every method does its work synchronously before returning,
 * so each is atomic on the event loop the way each script is in Redis.
 * Tickets are copied in and out; nothing is shared with callers.
 */
export class MemoryAgentQueue implements AgentQueue {
  private readonly entries = new Map<string, Entry>();
  private readonly lastSeen = new Map<string, number>();
  private readonly claimRates = new Map<string, ClaimRate>();

  enqueue(ticket: HandoffTicket, options: { atHead?: boolean } = {}): Promise<boolean> {
    return attempt(() => {
      checkTicket(ticket);
      if (this.entries.has(ticket.conversationId)) return false;
      this.entries.set(ticket.conversationId, {
        ticket: copyTicket(ticket),
        score: queueScore(ticket.priority, ticket.enqueuedAt, options.atHead === true),
      });
      return true;
    });
  }

  claim(agent: QueueAgent, conversationId?: string, now?: number): Promise<ClaimResult> {
    return attempt((): ClaimResult => {
      checkAgent(agent);
      if (conversationId !== undefined) checkConversationId(conversationId);
      const at = resolveNow(now);
      let entry: Entry | undefined;
      if (conversationId === undefined) {
        if (this.heldCount(agent.id) >= agent.capacity) return { outcome: 'at_capacity' };
        entry = this.waitingIn(agent.skills)[0];
        if (!entry) return { outcome: 'empty' };
      } else {
        entry = this.entries.get(conversationId);
        if (!entry) return { outcome: 'taken' };
        if (entry.holder) {
          // The agent's own: a retried claim gets the same answer again.
          return entry.holder.agentId === agent.id ? { outcome: 'claimed', ticket: held(entry) } : { outcome: 'taken' };
        }
        if (!agent.skills.includes(entry.ticket.skill)) return { outcome: 'not_eligible' };
        if (this.heldCount(agent.id) >= agent.capacity) return { outcome: 'at_capacity' };
      }
      entry.holder = { agentId: agent.id, assignedAt: at };
      this.see(agent.id, at);
      this.recordClaim(entry.ticket.skill, at);
      return { outcome: 'claimed', ticket: held(entry) };
    });
  }

  assign(conversationId: string, to: QueueAgent, fromAgentId?: string, now?: number): Promise<AssignResult> {
    return attempt((): AssignResult => {
      checkConversationId(conversationId);
      checkAgent(to);
      if (fromAgentId !== undefined) checkAgentId(fromAgentId);
      const at = resolveNow(now);
      const entry = this.entries.get(conversationId);
      if (!entry) return { outcome: 'not_found' };
      if (entry.holder) {
        if (entry.holder.agentId !== fromAgentId) return { outcome: 'not_found' };
        if (entry.holder.agentId === to.id) return { outcome: 'assigned', ticket: held(entry) };
      }
      if (this.heldCount(to.id) >= to.capacity) return { outcome: 'at_capacity' };
      entry.holder = { agentId: to.id, assignedAt: at };
      // A lease starts for an agent that had none, so that what it was
      // given goes back to the queue if it never shows up.
      if (!this.lastSeen.has(to.id)) this.lastSeen.set(to.id, at);
      return { outcome: 'assigned', ticket: held(entry) };
    });
  }

  transferToSkill(conversationId: string, agentId: string, skill: string, now?: number): Promise<boolean> {
    return attempt(() => {
      checkConversationId(conversationId);
      checkAgentId(agentId);
      checkSkill(skill);
      const at = resolveNow(now);
      const entry = this.entries.get(conversationId);
      if (entry?.holder?.agentId !== agentId) return false;
      delete entry.holder;
      entry.ticket = { ...entry.ticket, skill, enqueuedAt: at };
      entry.score = queueScore(entry.ticket.priority, at);
      return true;
    });
  }

  release(conversationId: string, agentId: string): Promise<boolean> {
    return attempt(() => {
      checkConversationId(conversationId);
      checkAgentId(agentId);
      if (this.entries.get(conversationId)?.holder?.agentId !== agentId) return false;
      this.entries.delete(conversationId);
      return true;
    });
  }

  remove(conversationId: string): Promise<boolean> {
    return attempt(() => {
      checkConversationId(conversationId);
      return this.entries.delete(conversationId);
    });
  }

  waiting(skills: readonly string[], limit?: number): Promise<HandoffTicket[]> {
    return attempt(() => {
      const count = checkLimit(limit);
      return this.waitingIn(skills)
        .slice(0, count)
        .map((entry) => copyTicket(entry.ticket));
    });
  }

  position(conversationId: string): Promise<QueuePosition | undefined> {
    return attempt(() => {
      checkConversationId(conversationId);
      const entry = this.entries.get(conversationId);
      if (!entry || entry.holder) return undefined;
      const { skill } = entry.ticket;
      const queue = this.waitingIn([skill]);
      const position = queue.indexOf(entry) + 1;
      return {
        skill,
        position,
        length: queue.length,
        estimatedWaitMs: estimatedWait(this.claimRates.get(skill)?.averageIntervalMs, position),
      };
    });
  }

  ticket(conversationId: string): Promise<HandoffTicket | HeldTicket | undefined> {
    return attempt(() => {
      checkConversationId(conversationId);
      const entry = this.entries.get(conversationId);
      if (!entry) return undefined;
      return entry.holder ? held(entry) : copyTicket(entry.ticket);
    });
  }

  holder(conversationId: string): Promise<string | undefined> {
    return attempt(() => {
      checkConversationId(conversationId);
      return this.entries.get(conversationId)?.holder?.agentId;
    });
  }

  heldBy(agentId: string): Promise<HeldTicket[]> {
    return attempt(() => {
      checkAgentId(agentId);
      return [...this.entries.values()]
        .filter((entry) => entry.holder?.agentId === agentId)
        .map(held)
        .sort(byAssignment);
    });
  }

  touchAgent(agentId: string, now?: number): Promise<void> {
    return attempt(() => {
      checkAgentId(agentId);
      this.see(agentId, resolveNow(now));
    });
  }

  reapExpiredAgents(leaseMs: number, now?: number): Promise<ExpiredAgent[]> {
    return attempt(() => {
      checkLease(leaseMs);
      const at = resolveNow(now);
      const cutoff = at - leaseMs;
      const expired = [...this.lastSeen]
        .filter(([, seenAt]) => seenAt < cutoff)
        .sort(([idA, seenA], [idB, seenB]) => (seenA !== seenB ? seenA - seenB : compareIds(idA, idB)));
      return expired.map(([agentId]): ExpiredAgent => {
        this.lastSeen.delete(agentId);
        const requeued: HandoffTicket[] = [];
        for (const entry of this.entries.values()) {
          if (entry.holder?.agentId !== agentId) continue;
          delete entry.holder;
          entry.ticket = { ...entry.ticket, enqueuedAt: at };
          entry.score = queueScore(entry.ticket.priority, at, true);
          requeued.push(copyTicket(entry.ticket));
        }
        return { agentId, requeued: requeued.sort(byPriorityThenId) };
      });
    });
  }

  /** The waiting entries of these skills, first served first. */
  private waitingIn(skills: readonly string[]): Entry[] {
    return [...this.entries.values()]
      .filter((entry) => !entry.holder && skills.includes(entry.ticket.skill))
      .sort((a, b) =>
        compareQueued({ score: a.score, id: a.ticket.conversationId }, { score: b.score, id: b.ticket.conversationId }),
      );
  }

  private heldCount(agentId: string): number {
    let count = 0;
    for (const entry of this.entries.values()) if (entry.holder?.agentId === agentId) count += 1;
    return count;
  }

  /** Last seen never moves back: hosts' clocks differ. */
  private see(agentId: string, at: number): void {
    this.lastSeen.set(agentId, Math.max(this.lastSeen.get(agentId) ?? at, at));
  }

  /**
   * Called once the claimed conversation left its queue. An interval
   * between claims counts only when the previous claim left conversations
   * waiting: time with an empty queue is idle time, not service time.
   */
  private recordClaim(skill: string, at: number): void {
    const backlog = this.waitingIn([skill]).length > 0;
    const rate = this.claimRates.get(skill);
    if (!rate) {
      this.claimRates.set(skill, { lastClaimAt: at, averageIntervalMs: undefined, backlog });
      return;
    }
    if (rate.backlog) {
      rate.averageIntervalMs = nextAverageInterval(rate.averageIntervalMs, Math.max(0, at - rate.lastClaimAt));
    }
    rate.lastClaimAt = Math.max(rate.lastClaimAt, at);
    rate.backlog = backlog;
  }
}

/** Only the ticket's own fields, whatever else the caller's object carries. */
const copyTicket = (ticket: HandoffTicket): HandoffTicket => ({
  conversationId: ticket.conversationId,
  channel: ticket.channel,
  skill: ticket.skill,
  priority: ticket.priority,
  reason: ticket.reason,
  enqueuedAt: ticket.enqueuedAt,
});

function held(entry: Entry): HeldTicket {
  if (!entry.holder) throw new Error(`Conversation ${entry.ticket.conversationId} is not held.`);
  return { ...copyTicket(entry.ticket), agentId: entry.holder.agentId, assignedAt: entry.holder.assignedAt };
}

/** Runs synchronous work as the async interface expects: errors reject, never throw. */
function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
