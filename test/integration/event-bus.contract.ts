import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus } from '../../src/store/event-bus.ts';
import type { LogSink } from '../support/log-sink.ts';

/**
 * Two buses that must see each other's events: for Redis two instances on
 * two connections (two hosts); in memory, the same instance twice. `sink`
 * receives the buses' log lines.
 */
export interface EventBusPair {
  publisher: EventBus;
  subscriber: EventBus;
  sink: LogSink;
}

export type EventBusFactory = () => EventBusPair | Promise<EventBusPair>;

let topicCounter = 0;
const newTopic = (): string => `conversation:${(topicCounter += 1)}:events`;

/** Collects a topic's events; `next()` waits for the next one. */
class Recorder {
  readonly events: unknown[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];

  readonly handler = (payload: unknown): void => {
    this.events.push(payload);
    this.waiters = this.waiters.filter((waiter) => {
      if (this.events.length < waiter.count) return true;
      waiter.resolve();
      return false;
    });
  };

  /** Resolves once `count` events in all have arrived. */
  async received(count: number): Promise<unknown[]> {
    if (this.events.length < count) {
      await new Promise<void>((resolve) => this.waiters.push({ count, resolve }));
    }
    return this.events;
  }
}

/**
 * What every EventBus must do. Negative checks ("this handler got nothing")
 * publish a marker on another topic afterwards and wait for it: one
 * publisher's messages arrive in order, so no sleeping is needed.
 */
export function eventBusContract(name: string, factory: EventBusFactory): void {
  describe(`EventBus contract: ${name}`, () => {
    const opened: EventBus[] = [];
    const open = async (): Promise<EventBusPair> => {
      const pair = await factory();
      opened.push(pair.publisher, pair.subscriber);
      return pair;
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((bus) => bus.close()));
    });

    /** Publishes a marker and waits until the subscriber side has it. */
    const barrier = async ({ publisher, subscriber }: EventBusPair): Promise<void> => {
      const topic = newTopic();
      const marker = new Recorder();
      const stop = await subscriber.subscribe(topic, marker.handler);
      await publisher.publish(topic, 'marker');
      await marker.received(1);
      await stop();
    };

    it('delivers a published payload, as JSON, to a subscriber of the topic', async () => {
      const pair = await open();
      const topic = newTopic();
      const recorder = new Recorder();
      await pair.subscriber.subscribe(topic, recorder.handler);
      const payload = { type: 'reply', text: 'Hé 👋 "ok"', n: 1.5, list: [1, null], nested: { at: 1_700_000_000_000 } };
      await pair.publisher.publish(topic, payload);
      expect(await recorder.received(1)).toEqual([payload]);
    });

    it('delivers in publish order', async () => {
      const pair = await open();
      const topic = newTopic();
      const recorder = new Recorder();
      await pair.subscriber.subscribe(topic, recorder.handler);
      for (let i = 0; i < 20; i += 1) await pair.publisher.publish(topic, i);
      expect(await recorder.received(20)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    });

    it('delivers what JSON makes of it: Dates become strings, undefined becomes null', async () => {
      const pair = await open();
      const topic = newTopic();
      const recorder = new Recorder();
      await pair.subscriber.subscribe(topic, recorder.handler);
      await pair.publisher.publish(topic, { at: new Date(0), gone: undefined });
      await pair.publisher.publish(topic, undefined);
      expect(await recorder.received(2)).toEqual([{ at: '1970-01-01T00:00:00.000Z' }, null]);
    });

    it('keeps topics apart', async () => {
      const pair = await open();
      const [topicA, topicB] = [newTopic(), newTopic()];
      const [a, b] = [new Recorder(), new Recorder()];
      await pair.subscriber.subscribe(topicA, a.handler);
      await pair.subscriber.subscribe(topicB, b.handler);
      await pair.publisher.publish(topicA, 'for a');
      await pair.publisher.publish(topicB, 'for b');
      expect(await b.received(1)).toEqual(['for b']);
      expect(await a.received(1)).toEqual(['for a']);
    });

    it('calls every handler of a topic, each with its own copy', async () => {
      const pair = await open();
      const topic = newTopic();
      const [first, second] = [new Recorder(), new Recorder()];
      await pair.subscriber.subscribe(topic, first.handler);
      await pair.subscriber.subscribe(topic, second.handler);
      await pair.publisher.publish(topic, { n: 1 });
      const [fromFirst] = await first.received(1);
      const [fromSecond] = await second.received(1);
      expect(fromFirst).toEqual({ n: 1 });
      expect(fromSecond).toEqual({ n: 1 });
      expect(fromFirst).not.toBe(fromSecond);
    });

    it('stops delivering to an unsubscribed handler and keeps the others', async () => {
      const pair = await open();
      const topic = newTopic();
      const [leaving, staying] = [new Recorder(), new Recorder()];
      const stop = await pair.subscriber.subscribe(topic, leaving.handler);
      await pair.subscriber.subscribe(topic, staying.handler);
      await stop();
      await stop(); // twice is harmless
      await pair.publisher.publish(topic, 'after');
      expect(await staying.received(1)).toEqual(['after']);
      expect(leaving.events).toEqual([]);
    });

    it('delivers nothing once the last handler of a topic is gone, and resubscribes', async () => {
      const pair = await open();
      const topic = newTopic();
      const recorder = new Recorder();
      const stop = await pair.subscriber.subscribe(topic, recorder.handler);
      await stop();
      await pair.publisher.publish(topic, 'nobody listens');
      await barrier(pair);
      expect(recorder.events).toEqual([]);

      const again = new Recorder();
      await pair.subscriber.subscribe(topic, again.handler);
      await pair.publisher.publish(topic, 'back');
      expect(await again.received(1)).toEqual(['back']);
    });

    it('keeps one subscription per registration: the same handler twice, once removed, still hears', async () => {
      const pair = await open();
      const topic = newTopic();
      const recorder = new Recorder();
      const stopFirst = await pair.subscriber.subscribe(topic, recorder.handler);
      await pair.subscriber.subscribe(topic, recorder.handler);
      await stopFirst();
      await pair.publisher.publish(topic, 'once');
      expect(await recorder.received(1)).toEqual(['once']);
      await barrier(pair);
      expect(recorder.events).toEqual(['once']);
    });

    it('survives concurrent subscribes and unsubscribes on one topic', async () => {
      const pair = await open();
      const topic = newTopic();
      const recorders = Array.from({ length: 10 }, () => new Recorder());
      const stops = await Promise.all(recorders.map((r) => pair.subscriber.subscribe(topic, r.handler)));
      await Promise.all(stops.slice(0, 9).map((stop) => stop()));
      const late = new Recorder();
      await Promise.all([pair.subscriber.subscribe(topic, late.handler), stops[9]?.()]);
      await pair.publisher.publish(topic, 'still here');
      expect(await late.received(1)).toEqual(['still here']);
      await barrier(pair);
      for (const recorder of recorders) expect(recorder.events).toEqual([]);
    });

    it('isolates handlers: one that throws or rejects does not stop the others or the publisher', async () => {
      const pair = await open();
      const topic = newTopic();
      const recorder = new Recorder();
      await pair.subscriber.subscribe(topic, () => {
        throw new Error('handler bug');
      });
      // eslint-disable-next-line @typescript-eslint/no-misused-promises -- an async handler that rejects is the point
      await pair.subscriber.subscribe(topic, () => Promise.reject(new Error('async handler bug')));
      await pair.subscriber.subscribe(topic, recorder.handler);
      await pair.publisher.publish(topic, 1);
      await pair.publisher.publish(topic, 2);
      expect(await recorder.received(2)).toEqual([1, 2]);
      await barrier(pair);
      const failures = pair.sink.lines.filter((line) => line.msg === 'event handler failed');
      expect(failures.length).toBeGreaterThanOrEqual(4);
      expect(failures[0]).toMatchObject({ topic, level: 50 });
    });

    it('publishes to a topic nobody listens to without error', async () => {
      const pair = await open();
      await expect(pair.publisher.publish(newTopic(), { lost: true })).resolves.toBeUndefined();
    });

    it('refuses to publish or subscribe once closed', async () => {
      const pair = await open();
      await pair.subscriber.close();
      await expect(pair.subscriber.subscribe(newTopic(), () => undefined)).rejects.toThrow(/closed/);
      await expect(pair.subscriber.publish(newTopic(), 1)).rejects.toThrow(/closed/);
      await pair.subscriber.close(); // twice is harmless
    });
  });
}
