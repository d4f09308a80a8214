import type { Logger } from '../logger.ts';
import type { EventBus, EventHandler } from './event-bus.ts';
import { callHandler, encodePayload } from './event-handlers.ts';
import { duplicateClient, type RedisClient } from './redis-connection.ts';
import { createStoreKeys, type StoreKeys } from './redis-keys.ts';

export interface RedisEventBusOptions {
  /** Publishes on this client; subscribes on a duplicate of it. */
  client: RedisClient;
  /** Prefix of every channel (default `sb`): topics travel as `<prefix>:events:<topic>`. */
  keyPrefix?: string;
  /** Where failing handlers and subscriber connection errors are reported. */
  logger: Logger;
}

interface Registration {
  handler: EventHandler;
}

interface ChannelState {
  topic: string;
  registrations: Set<Registration>;
  /** The SUBSCRIBE for this channel; every subscriber of the topic waits for it. */
  ready: Promise<unknown>;
}

/**
 * Events between hosts over Redis pub/sub. A connection in subscriber mode
 * can run no other command, so the bus opens one dedicated connection (a
 * duplicate of the given client, on the first subscribe) and publishes on
 * the shared client. One Redis subscription per topic, however many handlers
 * it has: the first handler subscribes, the last one to go unsubscribes.
 * Messages are JSON; each handler gets its own parsed copy and runs on its
 * own (see callHandler).
 *
 * Commands on one connection run in order, so a SUBSCRIBE issued after an
 * UNSUBSCRIBE of the same channel leaves it subscribed, which is what makes
 * the bookkeeping below safe when handlers come and go concurrently.
 */
export class RedisEventBus implements EventBus {
  private readonly client: RedisClient;
  private readonly keys: StoreKeys;
  private readonly logger: Logger;
  private readonly channels = new Map<string, ChannelState>();
  private subscriber: RedisClient | undefined;
  private closed = false;
  private readonly resubscribedListeners: (() => void)[] = [];
  /** The subscriber connection was ready once and lost since: its next 'ready' is a resubscription. */
  private subscriberLost = false;

  constructor(options: RedisEventBusOptions) {
    this.client = options.client;
    this.keys = createStoreKeys(options.keyPrefix);
    this.logger = options.logger.child({ component: 'event-bus' });
  }

  async publish(topic: string, payload: unknown): Promise<void> {
    this.assertOpen();
    await this.client.publish(this.keys.eventChannel(topic), encodePayload(payload));
  }

  async subscribe(topic: string, handler: EventHandler): Promise<() => Promise<void>> {
    this.assertOpen();
    const channel = this.keys.eventChannel(topic);
    const subscriber = this.connectSubscriber();
    let state = this.channels.get(channel);
    if (!state) {
      state = { topic, registrations: new Set(), ready: subscriber.subscribe(channel) };
      this.channels.set(channel, state);
    }
    const current = state;
    const registration: Registration = { handler };
    current.registrations.add(registration);

    const remove = async (): Promise<void> => {
      if (!current.registrations.delete(registration)) return;
      if (current.registrations.size > 0 || this.channels.get(channel) !== current) return;
      this.channels.delete(channel);
      if (!this.closed) await subscriber.unsubscribe(channel);
    };

    try {
      await current.ready;
    } catch (error) {
      await remove().catch(() => undefined);
      throw error;
    }
    return remove;
  }

  onResubscribed(listener: () => void): void {
    this.resubscribedListeners.push(listener);
  }

  /** Ends the subscriber connection; the shared client belongs to the caller. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.channels.clear();
    const subscriber = this.subscriber;
    this.subscriber = undefined;
    if (!subscriber) return;
    try {
      await subscriber.quit();
    } catch {
      // Not connected at the moment: nothing to say goodbye to.
      subscriber.disconnect();
    }
  }

  private connectSubscriber(): RedisClient {
    if (this.subscriber) return this.subscriber;
    const subscriber = duplicateClient(this.client);
    subscriber.on('error', (error: unknown) => {
      this.logger.error({ err: error }, 'event bus subscriber connection error');
    });
    subscriber.on('message', (channel: string, message: string) => {
      this.dispatch(channel, message);
    });
    // ioredis reconnects by itself and subscribes again to every channel it
    // had (autoResubscribe); what was published in between is gone, and the
    // listeners are told so they can make their clients catch up.
    subscriber.on('close', () => {
      if (!this.closed) this.subscriberLost = true;
    });
    subscriber.on('ready', () => {
      if (!this.subscriberLost || this.closed) return;
      this.subscriberLost = false;
      this.logger.info({ channels: this.channels.size }, 'event bus subscriber back; subscriptions restored');
      for (const listener of this.resubscribedListeners) {
        try {
          listener();
        } catch (error) {
          this.logger.error({ err: error }, 'resubscription listener failed');
        }
      }
    });
    this.subscriber = subscriber;
    return subscriber;
  }

  private dispatch(channel: string, message: string): void {
    const state = this.channels.get(channel);
    if (!state) return;
    // A snapshot: a handler that unsubscribes (itself or another) while the
    // message is delivered does not change who gets this message.
    for (const { handler } of [...state.registrations]) {
      let payload: unknown;
      try {
        payload = JSON.parse(message);
      } catch (error) {
        this.logger.warn({ err: error, topic: state.topic }, 'event is not JSON; dropped');
        return;
      }
      callHandler(handler, payload, state.topic, this.logger);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('The event bus is closed.');
  }
}
