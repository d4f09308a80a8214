/**
 * The events the business's systems can subscribe to (EVENT_WEBHOOKS or
 * POST /api/event-subscriptions). Names are stable: receivers switch on them.
 */
export const OUTBOUND_EVENTS = [
  'conversation.escalated',
  'conversation.claimed',
  'conversation.released',
  'conversation.closed',
  'csat.received',
] as const;

export type OutboundEventType = (typeof OUTBOUND_EVENTS)[number];

/** The JSON body of one delivery; the signature covers exactly its bytes. */
export interface OutboundEvent {
  /** Unique per event; the same on every retry of its delivery (use it to drop duplicates). */
  id: string;
  type: OutboundEventType;
  /** ISO 8601, when it happened. */
  occurredAt: string;
  data: Record<string, unknown>;
}
