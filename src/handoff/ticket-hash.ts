import { z } from 'zod';
import type { HandoffTicket, HeldTicket } from './agent-queue.ts';
import { ESCALATION_REASONS } from './escalation-reason.ts';
import { CHANNEL_NAMES } from './queue-rules.ts';

/**
 * A ticket as the fields of a Redis hash (strings; numbers in decimal).
 * A hash so that the scripts change single fields (the holder, the skill)
 * without decoding JSON in Lua.
 */

/** The fields of a waiting ticket, flat as HSET takes them. */
export function ticketToHashFields(ticket: HandoffTicket): string[] {
  return [
    'conversationId', ticket.conversationId,
    'channel', ticket.channel,
    'skill', ticket.skill,
    'priority', String(ticket.priority),
    'reason', ticket.reason,
    'enqueuedAt', String(ticket.enqueuedAt),
  ];
}

// Written with String(integer), so Number() reads back what was stored.
const integer = z.string().min(1).transform(Number).pipe(z.number().int());

const hashSchema = z.object({
  conversationId: z.string().min(1),
  channel: z.enum(CHANNEL_NAMES),
  skill: z.string().min(1),
  priority: integer,
  reason: z.enum(ESCALATION_REASONS),
  enqueuedAt: integer,
  agentId: z.string().min(1).optional(),
  assignedAt: integer.optional(),
});

/**
 * The ticket in a hash: waiting, or held when it has a holder; undefined for
 * an empty hash. A malformed ticket is a bug or a foreign writer, and throws.
 */
export function ticketFromHash(hash: Record<string, string>): HandoffTicket | HeldTicket | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const parsed = hashSchema.safeParse(hash);
  if (!parsed.success) throw new Error(`Malformed handoff ticket in Redis: ${parsed.error.message}`);
  const { agentId, assignedAt, ...ticket } = parsed.data;
  if (agentId === undefined) return ticket;
  if (assignedAt === undefined) throw new Error('Malformed handoff ticket in Redis: a holder without assignedAt.');
  return { ...ticket, agentId, assignedAt };
}

export const isHeld = (ticket: HandoffTicket | HeldTicket): ticket is HeldTicket => 'agentId' in ticket;

/** The held ticket in a hash; throws when the hash is empty or not held. */
export function heldTicketFromHash(hash: Record<string, string>): HeldTicket {
  const ticket = ticketFromHash(hash);
  if (ticket === undefined || !isHeld(ticket)) throw new Error('Expected a held handoff ticket from Redis.');
  return ticket;
}

/** The waiting ticket in a hash; throws when the hash is empty or held. */
export function waitingTicketFromHash(hash: Record<string, string>): HandoffTicket {
  const ticket = ticketFromHash(hash);
  if (ticket === undefined || isHeld(ticket)) throw new Error('Expected a waiting handoff ticket from Redis.');
  return ticket;
}
