import type { ChannelName } from '../core/messages.ts';
import type { EscalationReason } from './escalation-reason.ts';

/** A conversation waiting for, or held by, a person. */
export interface HandoffTicket {
  conversationId: string;
  channel: ChannelName;
  /** The queue it waits in: customers are routed by skill (default `general`). */
  skill: string;
  /** Higher is served first; within a priority, first come first served. */
  priority: number;
  reason: EscalationReason;
  /** When it entered its current queue (ms since the epoch); waiting time counts from here. */
  enqueuedAt: number;
}

/** A ticket in someone's hands. */
export interface HeldTicket extends HandoffTicket {
  agentId: string;
  assignedAt: number;
}

/** Who is claiming: the queue needs only these facts about an agent. */
export interface QueueAgent {
  id: string;
  skills: readonly string[];
  /** How many conversations the agent may hold at once. */
  capacity: number;
}

export type ClaimResult =
  | { outcome: 'claimed'; ticket: HeldTicket }
  /** The named conversation is held by someone else, or is not waiting any more. */
  | { outcome: 'taken' }
  /** Nothing waits in the agent's skills. */
  | { outcome: 'empty' }
  | { outcome: 'at_capacity' }
  /** The named conversation waits in a skill the agent does not have. */
  | { outcome: 'not_eligible' };

export type AssignResult =
  | { outcome: 'assigned'; ticket: HeldTicket }
  | { outcome: 'at_capacity' }
  /** Not waiting and not held by `fromAgentId`. */
  | { outcome: 'not_found' };

export interface QueuePosition {
  skill: string;
  /** 1 for the next to be served in that skill. */
  position: number;
  /** Of the skill's queue as a whole. */
  length: number;
  /** Expected wait in ms from the skill's recent claim rate × position, or undefined without data. */
  estimatedWaitMs: number | undefined;
}

/** An agent whose lease ran out, and the conversations that went back to the queue. */
export interface ExpiredAgent {
  agentId: string;
  requeued: HandoffTicket[];
}

/**
 * The agent queue: one queue per skill ordered by priority then arrival, and
 * who holds what. Every operation that reads and changes state is atomic
 * (one Lua script on Redis): no conversation is ever held by two agents, and
 * no agent goes over its capacity, whatever the concurrency.
 * Implementations: redis-agent-queue.ts and memory-agent-queue.ts, checked by
 * test/integration/handoff/agent-queue.contract.ts.
 */
export interface AgentQueue {
  /**
   * Puts a conversation in its skill's queue. `atHead` puts it before every
   * other ticket of its priority (used when an agent disappears). Returns
   * false and changes nothing if the conversation is already queued or held.
   */
  enqueue(ticket: HandoffTicket, options?: { atHead?: boolean }): Promise<boolean>;
  /** Takes the named waiting conversation, or the next one in the agent's skills. */
  claim(agent: QueueAgent, conversationId?: string, now?: number): Promise<ClaimResult>;
  /**
   * Hands a conversation straight to `to` (transfer to an agent): it must be
   * waiting, or held by `fromAgentId`; `to`'s capacity is respected.
   */
  assign(conversationId: string, to: QueueAgent, fromAgentId?: string, now?: number): Promise<AssignResult>;
  /** Moves a held conversation back to a skill's queue. False unless `agentId` holds it. */
  transferToSkill(conversationId: string, agentId: string, skill: string, now?: number): Promise<boolean>;
  /** Ends the agent's hold (back to the bot). False unless `agentId` holds it. */
  release(conversationId: string, agentId: string): Promise<boolean>;
  /** Takes a conversation out of the queue or out of an agent's hands (e.g. the customer left). */
  remove(conversationId: string): Promise<boolean>;

  /** Waiting tickets in any of these skills, in the order they will be served. */
  waiting(skills: readonly string[], limit?: number): Promise<HandoffTicket[]>;
  position(conversationId: string): Promise<QueuePosition | undefined>;
  /** The waiting or held ticket of a conversation. */
  ticket(conversationId: string): Promise<HandoffTicket | HeldTicket | undefined>;
  holder(conversationId: string): Promise<string | undefined>;
  heldBy(agentId: string): Promise<HeldTicket[]>;

  /** Records that the agent is alive (a live connection or any request). */
  touchAgent(agentId: string, now?: number): Promise<void>;
  /**
   * Agents not seen for `leaseMs` lose what they hold: each conversation goes
   * back to the head of its skill's queue. Safe to run on every host at once.
   */
  reapExpiredAgents(leaseMs: number, now?: number): Promise<ExpiredAgent[]>;
}
