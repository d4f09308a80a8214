import { EventEmitter } from 'node:events';
import type { Logger } from '../logger.ts';
import type { EventBus, EventHandler } from './event-bus.ts';
import { callHandler, encodePayload } from './event-handlers.ts';

export interface MemoryEventBusOptions {
  /** Where failing handlers are reported. */
  logger: Logger;
}

/**
 * Events within one process. Payloads go through JSON like on Redis, and
 * every handler is called on its own (see callHandler). Delivery is
 * synchronous, inside publish.
 */
export class MemoryEventBus implements EventBus {
  private readonly emitter = new EventEmitter();
  private readonly logger: Logger;
  private closed = false;

  constructor(options: MemoryEventBusOptions) {
    this.logger = options.logger;
    // One listener per open web chat stream on a topic is normal, not a leak.
    this.emitter.setMaxListeners(0);
  }

  publish(topic: string, payload: unknown): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The event bus is closed.'));
    const message = encodePayload(payload);
    this.emitter.emit(topic, message);
    return Promise.resolve();
  }

  subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>> {
    if (this.closed) return Promise.reject(new Error('The event bus is closed.'));
    // A listener of its own per subscription, so that subscribing one handler
    // twice and unsubscribing once leaves one subscription, as on Redis.
    const listener = (message: string): void => {
      callHandler(handler, JSON.parse(message), topic, this.logger);
    };
    this.emitter.on(topic, listener);
    return Promise.resolve(() => {
      this.emitter.off(topic, listener);
      return Promise.resolve();
    });
  }

  close(): Promise<void> {
    this.closed = true;
    this.emitter.removeAllListeners();
    return Promise.resolve();
  }
}
