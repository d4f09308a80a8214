import type { OutboundEvent, OutboundEventType } from './event-types.ts';

/** Where the business wants events: a URL, the HMAC secret, and which events (all when absent). */
export interface WebhookSubscription {
  id: string;
  url: string;
  secret: string;
  events?: OutboundEventType[];
  /** `config`: from EVENT_WEBHOOKS (read-only); `api`: made with POST /api/event-subscriptions. */
  source: 'config' | 'api';
  createdAt?: number;
}

/** One event on its way to one subscription, until it is delivered or given up. */
export interface PendingDelivery {
  /** Unique per (event, subscription); the `X-Switchboard-Delivery` header. */
  id: string;
  subscriptionId: string;
  event: OutboundEvent;
  /** Attempts made so far. */
  attempts: number;
  /** When the first attempt was due (for the give-up log line). */
  createdAt: number;
}

/**
 * The subscriptions made through the API and the deliveries not yet made,
 * kept so that a restart (or another host) picks them up. Redis
 * (redis-webhook-store.ts) or memory (memory-webhook-store.ts).
 */
export interface WebhookStore {
  subscriptions(): Promise<WebhookSubscription[]>;
  addSubscription(subscription: WebhookSubscription): Promise<void>;
  /** False when there was no such subscription. */
  removeSubscription(id: string): Promise<boolean>;
  /** Due at once. */
  enqueue(delivery: PendingDelivery, dueAt: number): Promise<void>;
  /**
   * At most `limit` deliveries due by `now`, each hidden from other callers
   * until `leaseUntil` (so two hosts never send one at once, and a host that
   * dies mid-delivery leaves it to be tried again after the lease).
   */
  claimDue(now: number, leaseUntil: number, limit: number): Promise<PendingDelivery[]>;
  /** Delivered or given up: forget it. */
  complete(id: string): Promise<void>;
  /** Try again at `dueAt`, with the attempt count updated; false if it was completed meanwhile. */
  reschedule(delivery: PendingDelivery, dueAt: number): Promise<boolean>;
  /** Deliveries waiting (for the gauge). */
  pendingCount(): Promise<number>;
}
