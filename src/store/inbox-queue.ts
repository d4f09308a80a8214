/**
 * The durable half of the inbox: one item per accepted customer message,
 * kept until a turn runner (on any host) has finished its turn. The customer
 * message itself is already in the transcript when its item is enqueued
 * (see src/core/inbox.ts); the item says "conversation C has work up to
 * entry E" and survives the host that accepted it.
 *
 * Two implementations with one contract (test/integration/inbox-queue.contract.ts):
 * a Redis Stream read through a consumer group by every host
 * (redis-inbox-queue.ts), and an in-process queue for the zero-setup,
 * one-host default (memory-inbox-queue.ts).
 */
export interface InboxItem {
  conversationId: string;
  /** The customer message's transcript entry id. */
  entryId: number;
  /** The HTTP request that brought it, so the turn's logs join the request's. */
  requestId?: string;
}

/**
 * Runs one item's turn. Resolving means its effects are saved: the item is
 * acknowledged and never handed out again. Rejecting leaves it pending: it
 * is retried (here, or on another host once this one stops renewing its
 * claim), except after `turn_fenced`, which means another host has it.
 * Handlers must therefore be idempotent (TurnRunner.process is).
 */
export type InboxHandler = (item: InboxItem) => Promise<void>;

export interface InboxQueue {
  readonly kind: 'redis' | 'memory';
  /** Keeps the item durably; resolves once it is kept (the webhook may then answer 2xx). */
  enqueue(item: InboxItem): Promise<void>;
  /** Starts handing items (this host's and, for Redis, every host's) to `handler`. */
  start(handler: InboxHandler): void;
  /** Resolves when every item enqueued before the call, by any host, has been handled. */
  drain(): Promise<void>;
  /** Stops taking items; resolves once the items in hand are done (or left for others). */
  stop(): Promise<void>;
  /** Items kept and not yet handled (waiting or in a turn), for metrics. */
  backlog(): Promise<number>;
}

/** How a queue paces its retries of a failed item: 250 ms, doubling, at most `maxMs`. */
export function retryDelay(attempt: number, maxMs: number): number {
  return Math.min(250 * 2 ** Math.min(attempt, 10), maxMs);
}
