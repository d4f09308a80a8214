import type { ChannelName } from '../core/messages.ts';
import type { HandoffTicket, HeldTicket, QueueAgent } from './agent-queue.ts';
import { invalidAgent, invalidQueueArgument, invalidSkill, invalidTicket } from './handoff-errors.ts';
import { ESCALATION_REASONS, type EscalationReason } from './escalation-reason.ts';

/**
 * The rules both AgentQueue implementations share: what a valid ticket and
 * agent look like, the order of a skill's queue, and the claim-rate
 * average. The Redis scripts compute the same things in Lua from the
 * constants passed to them as ARGV, so the numbers live here only.
 */

/** Priorities run from 0 (the default, lowest) to this, highest first. */
export const MAX_PRIORITY = 1000;

/**
 * Width of one priority's band of scores, and the bound on timestamps.
 * 2^42 ms reaches the year 2109 (2^41 would end in 2039), and
 * (MAX_PRIORITY + 1) × 2^42 ≈ 4.4e15 stays below 2^53, so every score is an
 * exact integer in a double, in JavaScript, in Lua and in a Redis zset.
 */
export const PRIORITY_BAND = 2 ** 42;

/**
 * Weight of the newest interval in the moving average of the time between
 * two claims in a skill: 0.2 follows a change of pace within ~10 claims
 * without jumping at every single one. An interval counts only when the
 * previous claim left conversations waiting in the skill; otherwise it
 * measures idle time (a quiet night), not how fast agents take customers.
 */
export const CLAIM_RATE_ALPHA = 0.2;

/**
 * A ticket's place in its skill's queue: priority first (higher is smaller),
 * then arrival; a ticket put `atHead` scores as if it had arrived at the
 * epoch, so it comes before every other ticket of its priority and after
 * every ticket of a higher one. Ties are broken by conversation id, compared
 * as UTF-8 bytes (which is what a Redis sorted set does).
 */
export function queueScore(priority: number, enqueuedAt: number, atHead = false): number {
  return (MAX_PRIORITY - priority) * PRIORITY_BAND + (atHead ? 0 : enqueuedAt);
}

/** Orders (score, conversation id) pairs the way the Redis queues do. */
export function compareQueued(a: { score: number; id: string }, b: { score: number; id: string }): number {
  if (a.score !== b.score) return a.score < b.score ? -1 : 1;
  return compareIds(a.id, b.id);
}

/** Byte-wise comparison of UTF-8, i.e. Redis's memcmp order (not JS's UTF-16 order). */
export function compareIds(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/** Held tickets in the order they were assigned (then by id): how heldBy lists them. */
export const byAssignment = (a: HeldTicket, b: HeldTicket): number =>
  a.assignedAt !== b.assignedAt ? a.assignedAt - b.assignedAt : compareIds(a.conversationId, b.conversationId);

/**
 * Highest priority first, then by id: the order in which tickets requeued
 * at the head together will be served, and how reapExpiredAgents lists them.
 */
export const byPriorityThenId = (a: HandoffTicket, b: HandoffTicket): number =>
  a.priority !== b.priority ? b.priority - a.priority : compareIds(a.conversationId, b.conversationId);

/** The next moving average after a claim `intervalMs` after the previous one. */
export function nextAverageInterval(previous: number | undefined, intervalMs: number): number {
  return previous === undefined ? intervalMs : CLAIM_RATE_ALPHA * intervalMs + (1 - CLAIM_RATE_ALPHA) * previous;
}

/** Expected wait for the ticket at `position`, from the skill's average interval between claims. */
export function estimatedWait(averageIntervalMs: number | undefined, position: number): number | undefined {
  return averageIntervalMs === undefined ? undefined : Math.round(averageIntervalMs * position);
}

// Records, not arrays, so that adding a channel fails to compile here until
// the queue knows it too (same pattern as store/conversation-hash.ts).
const CHANNELS: Record<ChannelName, true> = {
  webchat: true,
  sms: true,
  messenger: true,
  whatsapp: true,
  botframework: true,
};
export const CHANNEL_NAMES = Object.keys(CHANNELS) as [ChannelName, ...ChannelName[]];

const isChannel = (value: unknown): value is ChannelName =>
  typeof value === 'string' && Object.hasOwn(CHANNELS, value);

const isReason = (value: unknown): value is EscalationReason =>
  typeof value === 'string' && (ESCALATION_REASONS as readonly string[]).includes(value);

const isTimestamp = (value: unknown): value is number =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 && value < PRIORITY_BAND;

const isName = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** Throws invalid_ticket unless the ticket can be queued as it is. */
export function checkTicket(ticket: HandoffTicket): void {
  if (!isName(ticket.conversationId)) throw invalidTicket('conversationId must be a non-empty string.');
  if (!isChannel(ticket.channel)) throw invalidTicket(`channel must be one of ${CHANNEL_NAMES.join(', ')}.`);
  if (!isName(ticket.skill)) throw invalidTicket('skill must be a non-empty string.');
  if (!Number.isInteger(ticket.priority) || ticket.priority < 0 || ticket.priority > MAX_PRIORITY) {
    throw invalidTicket(`priority must be an integer from 0 to ${MAX_PRIORITY}.`);
  }
  if (!isReason(ticket.reason)) throw invalidTicket(`reason must be one of ${ESCALATION_REASONS.join(', ')}.`);
  if (!isTimestamp(ticket.enqueuedAt)) throw invalidTicket('enqueuedAt must be a timestamp in ms since the epoch.');
}

/** Throws invalid_agent unless the agent has an id, a capacity and a list of skills. */
export function checkAgent(agent: QueueAgent): void {
  if (!isName(agent.id)) throw invalidAgent('id must be a non-empty string.');
  if (!Number.isSafeInteger(agent.capacity) || agent.capacity < 0) {
    throw invalidAgent('capacity must be an integer >= 0.');
  }
  if (!Array.isArray(agent.skills) || !agent.skills.every(isName)) {
    throw invalidAgent('skills must be a list of non-empty strings.');
  }
}

export function checkAgentId(agentId: string): void {
  if (!isName(agentId)) throw invalidAgent('agent id must be a non-empty string.');
}

export function checkConversationId(conversationId: string): void {
  if (!isName(conversationId)) throw invalidQueueArgument('conversationId must be a non-empty string.');
}

export function checkSkill(skill: string): void {
  if (!isName(skill)) throw invalidSkill();
}

/** `now` as given, or the clock; refused unless it is a timestamp in ms. */
export function resolveNow(now: number | undefined): number {
  const value = now ?? Date.now();
  if (!isTimestamp(value)) throw invalidQueueArgument('now must be a timestamp in ms since the epoch.');
  return value;
}

/** The limit as a count, or undefined for no limit. */
export function checkLimit(limit: number | undefined): number | undefined {
  if (limit === undefined) return undefined;
  if (!Number.isSafeInteger(limit) || limit < 0) throw invalidQueueArgument('limit must be an integer >= 0.');
  return limit;
}

export function checkLease(leaseMs: number): void {
  if (!Number.isSafeInteger(leaseMs) || leaseMs < 0) throw invalidQueueArgument('leaseMs must be an integer >= 0.');
}

/** Skills without repeats, in the order given (a repeated skill would be a repeated key). */
export const distinctSkills = (skills: readonly string[]): string[] => [...new Set(skills)];
