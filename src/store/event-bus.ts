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
}
