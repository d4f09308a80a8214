/**
 * Live events between the parts of one host and, over Redis pub/sub, between
 * hosts: a customer connected to host A sees the reply a turn produced on
 * host B. Delivery is best effort; anything that must not be lost is in a
 * store first, and subscribers catch up from there (see the web chat stream).
 */
export type EventHandler = (payload: unknown) => void;

export interface EventBus {
  publish(topic: string, payload: unknown): Promise<void>;
  /** Resolves once the subscription is active; the returned function ends it. */
  subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
  /**
   * Called each time the bus is back after losing its connection (Redis
   * restarted, the network dropped): its subscriptions are active again, but
   * whatever was published meanwhile never arrived. Absent in memory.
   */
  onResubscribed?(listener: () => void): void;
}
