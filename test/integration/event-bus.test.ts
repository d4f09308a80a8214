import { describe, expect, it } from 'vitest';
import { MemoryEventBus } from '../../src/store/memory-event-bus.ts';
import { RedisEventBus } from '../../src/store/redis-event-bus.ts';
import { createStoreKeys } from '../../src/store/redis-keys.ts';
import { createTestLogger } from '../support/log-sink.ts';
import { useTestRedis } from '../support/redis.ts';
import { eventBusContract } from './event-bus.contract.ts';

const redis = useTestRedis();

eventBusContract('memory', () => {
  const { logger, sink } = createTestLogger();
  const bus = new MemoryEventBus({ logger });
  return { publisher: bus, subscriber: bus, sink };
});

// Two buses on two connections: how two hosts share events.
eventBusContract('redis, two hosts', () => {
  const { logger, sink } = createTestLogger();
  const keyPrefix = redis.prefix();
  return {
    publisher: new RedisEventBus({ client: redis.connect(), keyPrefix, logger }),
    subscriber: new RedisEventBus({ client: redis.connect(), keyPrefix, logger }),
    sink,
  };
});

eventBusContract('redis, one host', () => {
  const { logger, sink } = createTestLogger();
  const bus = new RedisEventBus({ client: redis.client, keyPrefix: redis.prefix(), logger });
  return { publisher: bus, subscriber: bus, sink };
});

describe('RedisEventBus specifics', () => {
  const numberOfSubscribers = async (channel: string): Promise<number> => {
    const reply = await redis.client.call('PUBSUB', 'NUMSUB', channel);
    return Array.isArray(reply) ? Number(reply[1]) : Number.NaN;
  };

  it('subscribes on its own connection, once per topic, and unsubscribes after the last handler', async () => {
    const { logger } = createTestLogger();
    const client = redis.connect();
    const keyPrefix = redis.prefix();
    const bus = new RedisEventBus({ client, keyPrefix, logger });
    const channel = createStoreKeys(keyPrefix).eventChannel('t');
    try {
      const stops = [await bus.subscribe('t', () => undefined), await bus.subscribe('t', () => undefined)];
      expect(await numberOfSubscribers(channel)).toBe(1);
      // The shared client is not in subscriber mode: it still runs commands.
      expect(await client.ping()).toBe('PONG');
      await stops[0]?.();
      expect(await numberOfSubscribers(channel)).toBe(1);
      await stops[1]?.();
      expect(await numberOfSubscribers(channel)).toBe(0);
    } finally {
      await bus.close();
    }
    expect(client.status).toBe('ready');
  });

  it('logs and drops a message that is not JSON', async () => {
    const { logger, sink } = createTestLogger();
    const keyPrefix = redis.prefix();
    const bus = new RedisEventBus({ client: redis.client, keyPrefix, logger });
    try {
      const received: unknown[] = [];
      await bus.subscribe('t', (payload) => received.push(payload));
      await redis.client.publish(createStoreKeys(keyPrefix).eventChannel('t'), 'not json');
      await bus.publish('t', 'json');
      await expect.poll(() => received).toEqual(['json']);
      expect(sink.lines.some((line) => line.msg === 'event is not JSON; dropped')).toBe(true);
    } finally {
      await bus.close();
    }
  });

  it('closes its subscriber connection on close', async () => {
    const { logger } = createTestLogger();
    const keyPrefix = redis.prefix();
    const bus = new RedisEventBus({ client: redis.client, keyPrefix, logger });
    const channel = createStoreKeys(keyPrefix).eventChannel('t');
    await bus.subscribe('t', () => undefined);
    expect(await numberOfSubscribers(channel)).toBe(1);
    await bus.close();
    await expect.poll(() => numberOfSubscribers(channel)).toBe(0);
  });
});
