import type { RedisClient } from '../store/redis-connection.ts';
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
import { createHandoffKeys, type HandoffKeys } from './handoff-keys.ts';
import { handoffScripts, type HandoffScripts } from './handoff-scripts.ts';
import {
  CLAIM_RATE_ALPHA,
  MAX_PRIORITY,
  PRIORITY_BAND,
  checkAgent,
  checkAgentId,
  checkConversationId,
  checkLease,
  checkLimit,
  checkSkill,
  checkTicket,
  byAssignment,
  byPriorityThenId,
  distinctSkills,
  estimatedWait,
  queueScore,
  resolveNow,
} from './queue-rules.ts';
import { heldTicketFromHash, ticketFromHash, ticketToHashFields, waitingTicketFromHash } from './ticket-hash.ts';

export interface RedisAgentQueueOptions {
  client: RedisClient;
  /** Prefix of every key (default `sb`); see handoff-keys.ts for the layout. */
  keyPrefix?: string;
}

/**
 * The agent queue in Redis, shared by any number of hosts: every operation
 * that reads and changes state is one Lua script (src/handoff/lua/), and all
 * keys share the `{handoff}` hash tag so the scripts run unchanged on Redis
 * Cluster (see handoff-keys.ts for the layout and the trade-off).
 *
 * Beyond the interface's doc comments: claiming counts as the agent being
 * seen (its lease restarts), an agent given a conversation by `assign`
 * starts a lease if it had none, and reapExpiredAgents reports every
 * expired agent, including those that held nothing.
 */
export class RedisAgentQueue implements AgentQueue {
  private readonly client: RedisClient;
  private readonly keys: HandoffKeys;
  private readonly scripts: HandoffScripts;

  constructor(options: RedisAgentQueueOptions) {
    this.client = options.client;
    this.keys = createHandoffKeys(options.keyPrefix);
    this.scripts = handoffScripts(options.client);
  }

  async enqueue(ticket: HandoffTicket, options: { atHead?: boolean } = {}): Promise<boolean> {
    checkTicket(ticket);
    return this.scripts.enqueue(
      this.keys.ticket(ticket.conversationId),
      this.keys.queue(ticket.skill),
      ticket.conversationId,
      queueScore(ticket.priority, ticket.enqueuedAt, options.atHead === true),
      ticketToHashFields(ticket),
    );
  }

  async claim(agent: QueueAgent, conversationId?: string, now?: number): Promise<ClaimResult> {
    checkAgent(agent);
    if (conversationId !== undefined) checkConversationId(conversationId);
    const at = resolveNow(now);
    const skills = distinctSkills(agent.skills);
    const reply =
      conversationId === undefined
        ? await this.scripts.claimNext(
            {
              held: this.keys.agentHeld(agent.id),
              seen: this.keys.agentsSeen,
              queues: skills.map((skill) => this.keys.queue(skill)),
            },
            { base: this.keys.base, agentId: agent.id, capacity: agent.capacity, now: at, alpha: CLAIM_RATE_ALPHA },
          )
        : await this.scripts.claimNamed(
            {
              ticket: this.keys.ticket(conversationId),
              held: this.keys.agentHeld(agent.id),
              seen: this.keys.agentsSeen,
            },
            {
              base: this.keys.base,
              conversationId,
              agentId: agent.id,
              capacity: agent.capacity,
              now: at,
              alpha: CLAIM_RATE_ALPHA,
              skills,
            },
          );
    if (reply.outcome === 'claimed') return { outcome: 'claimed', ticket: heldTicketFromHash(reply.ticket) };
    return { outcome: reply.outcome };
  }

  async assign(conversationId: string, to: QueueAgent, fromAgentId?: string, now?: number): Promise<AssignResult> {
    checkConversationId(conversationId);
    checkAgent(to);
    if (fromAgentId !== undefined) checkAgentId(fromAgentId);
    const reply = await this.scripts.assign(
      { ticket: this.keys.ticket(conversationId), held: this.keys.agentHeld(to.id), seen: this.keys.agentsSeen },
      {
        base: this.keys.base,
        conversationId,
        agentId: to.id,
        capacity: to.capacity,
        now: resolveNow(now),
        fromAgentId: fromAgentId ?? '',
      },
    );
    if (reply.outcome === 'assigned') return { outcome: 'assigned', ticket: heldTicketFromHash(reply.ticket) };
    return { outcome: reply.outcome };
  }

  async transferToSkill(conversationId: string, agentId: string, skill: string, now?: number): Promise<boolean> {
    checkConversationId(conversationId);
    checkAgentId(agentId);
    checkSkill(skill);
    return this.scripts.transferToSkill(
      { ticket: this.keys.ticket(conversationId), held: this.keys.agentHeld(agentId), queue: this.keys.queue(skill) },
      { conversationId, agentId, skill, now: resolveNow(now), maxPriority: MAX_PRIORITY, band: PRIORITY_BAND },
    );
  }

  async release(conversationId: string, agentId: string): Promise<boolean> {
    checkConversationId(conversationId);
    checkAgentId(agentId);
    return this.scripts.release(this.keys.ticket(conversationId), this.keys.agentHeld(agentId), conversationId, agentId);
  }

  async remove(conversationId: string): Promise<boolean> {
    checkConversationId(conversationId);
    return this.scripts.remove(this.keys.ticket(conversationId), this.keys.base, conversationId);
  }

  async waiting(skills: readonly string[], limit?: number): Promise<HandoffTicket[]> {
    const count = checkLimit(limit);
    const queues = distinctSkills(skills).map((skill) => this.keys.queue(skill));
    // No keys, no slot to send the script to; and nothing to read anyway.
    if (queues.length === 0 || count === 0) return [];
    const hashes = await this.scripts.waiting(queues, this.keys.base, count ?? -1);
    return hashes.map(waitingTicketFromHash);
  }

  async position(conversationId: string): Promise<QueuePosition | undefined> {
    checkConversationId(conversationId);
    const reply = await this.scripts.position(this.keys.ticket(conversationId), this.keys.base, conversationId);
    if (!reply) return undefined;
    return {
      skill: reply.skill,
      position: reply.position,
      length: reply.length,
      estimatedWaitMs: estimatedWait(reply.averageIntervalMs, reply.position),
    };
  }

  async ticket(conversationId: string): Promise<HandoffTicket | HeldTicket | undefined> {
    checkConversationId(conversationId);
    return ticketFromHash(await this.client.hgetall(this.keys.ticket(conversationId)));
  }

  async holder(conversationId: string): Promise<string | undefined> {
    checkConversationId(conversationId);
    return (await this.client.hget(this.keys.ticket(conversationId), 'agentId')) ?? undefined;
  }

  async heldBy(agentId: string): Promise<HeldTicket[]> {
    checkAgentId(agentId);
    const hashes = await this.scripts.heldBy(this.keys.agentHeld(agentId), this.keys.base, agentId);
    return hashes.map(heldTicketFromHash).sort(byAssignment);
  }

  async touchAgent(agentId: string, now?: number): Promise<void> {
    checkAgentId(agentId);
    await this.scripts.touchAgent(this.keys.agentsSeen, agentId, resolveNow(now));
  }

  async reapExpiredAgents(leaseMs: number, now?: number): Promise<ExpiredAgent[]> {
    checkLease(leaseMs);
    const at = resolveNow(now);
    const expired = await this.scripts.reapExpiredAgents(this.keys.agentsSeen, {
      base: this.keys.base,
      cutoff: at - leaseMs,
      now: at,
      maxPriority: MAX_PRIORITY,
      band: PRIORITY_BAND,
    });
    return expired.map(({ agentId, requeued }) => ({
      agentId,
      requeued: requeued.map(waitingTicketFromHash).sort(byPriorityThenId),
    }));
  }
}
