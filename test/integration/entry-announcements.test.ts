import type { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewTranscriptEntry, TranscriptEntry } from '../../src/core/conversation.ts';
import { conversationTopic, type ConversationEvent } from '../../src/core/conversation-log.ts';
import { encodePayload } from '../../src/store/event-handlers.ts';
import { MemoryConversationStore } from '../../src/store/memory-conversation-store.ts';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.ts';
import { RedisEventBus } from '../../src/store/redis-event-bus.ts';
import { createStoreKeys } from '../../src/store/redis-keys.ts';
import { createTestLogger } from '../support/log-sink.ts';
import { useTestRedis, useTestRedisCluster } from '../support/redis.ts';
import { newWebchatConversation, startTestHost, type TestHost } from '../support/test-host.ts';

// The Redis store announces the entries record-inbound.lua and
// append-reply.lua write from inside those scripts, instead of the
// ConversationLog publishing them afterwards (one round trip less each).
// Subscribers must not see a difference: same channel, same bytes.
const redis = useTestRedis();
const cluster = useTestRedisCluster();

/** Entries whose JSON a re-encoding would change: escapes, unicode, empty arrays and objects, floats, big numbers. */
const ENTRIES: NewTranscriptEntry[] = [
  { from: 'customer', text: 'when are you open?', at: 1_712_345_678_901 },
  {
    from: 'customer',
    text: 'a/b </script> "quoted" back\\slash\nnew line\ttab \u2028\u2029 \u0000 \u007f é 中文 😀 lone \ud800 end',
    at: Date.now(),
  },
  {
    from: 'customer',
    text: 'photo',
    at: 1,
    attachments: [
      { contentType: 'image/jpeg', url: 'https://media.example/a/b.jpg?x=1&y=2' },
      { contentType: 'audio', mediaId: '123', name: '' },
    ],
  },
  { from: 'customer', text: '', at: 0, attachments: [] },
  { from: 'bot', text: 'x', at: Number.MAX_SAFE_INTEGER, nlu: { intent: 'hours', score: 0.1 + 0.2, entities: [] } },
  { from: 'bot', text: 'tiny', at: 1.5, nlu: { intent: 'i', score: 1e-7, entities: [{ entity: 'order', value: 'A1001' }] } },
  { from: 'agent', text: 'y', at: 3, agentId: 'ana', internal: true },
  { from: 'customer', text: 'STOP', at: 4, recordOnly: true, agentId: undefined },
  // Members the type does not know travel as they are, like the ones it does.
  { from: 'system', text: 'z', at: 5, extra: { empty: {}, lists: [[], {}], negativeZero: -0, big: 1e21, small: -2.5e-300 } } as NewTranscriptEntry,
  {} as NewTranscriptEntry,
];

interface Listener {
  /** Raw messages of the channel, in order of arrival. */
  readonly messages: string[];
  /** Resolves once everything published on the channel before the call has arrived. */
  settle(): Promise<void>;
}

/**
 * A subscriber on its own connection, as another host would be. `settle`
 * publishes a marker from a script on the conversation's slot, where the
 * store's scripts publish from, so it arrives after them.
 */
async function listen(publisher: Redis | Cluster, subscriber: Redis | Cluster, channel: string, slotKey: string): Promise<Listener> {
  const received: string[] = [];
  const markers = new Map<string, () => void>();
  subscriber.on('message', (from: string, message: string) => {
    if (from !== channel) return;
    const marker = markers.get(message);
    if (marker) marker();
    else received.push(message);
  });
  await subscriber.subscribe(channel);
  let count = 0;
  return {
    messages: received,
    async settle() {
      const marker = `marker-${(count += 1)}`;
      const arrived = new Promise<void>((resolve) => markers.set(marker, resolve));
      await publisher.eval("redis.call('PUBLISH', ARGV[1], ARGV[2])", 1, slotKey, channel, marker);
      await arrived;
    },
  };
}

/**
 * Each entry's announcement arrived twice, as the same bytes: once from the
 * script, once from the event bus's own publish of the entry the store
 * returned (what the TypeScript side published before). On a cluster the
 * two come from different nodes, so their order is not compared.
 */
async function expectTwiceEach(listener: Listener, entries: readonly TranscriptEntry[]): Promise<void> {
  await expect.poll(() => listener.messages.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(entries.length * 2);
  await listener.settle();
  const expected = entries.flatMap((entry) => {
    const payload = encodePayload({ type: 'message', entry });
    return [payload, payload];
  });
  expect([...listener.messages].sort()).toEqual(expected.sort());
}

const setups = [
  { name: 'redis', client: () => redis.client, subscriber: () => redis.connect(), prefix: () => redis.prefix() },
  { name: 'redis cluster', client: () => cluster.client, subscriber: () => cluster.connect(), prefix: () => cluster.prefix() },
];

describe.each(setups)('entries announced by the scripts that store them ($name)', (setup) => {
  async function conversationWithListener() {
    const prefix = setup.prefix();
    const client = setup.client();
    const store = new RedisConversationStore({ client, keyPrefix: prefix });
    const { logger } = createTestLogger();
    const bus = new RedisEventBus({ client, keyPrefix: prefix, logger });
    const { conversation } = await store.getOrCreate({
      channel: 'sms',
      conversationKey: `sms:${prefix}`,
      userId: 'u',
      address: { to: '+15550001111' },
      locale: 'en',
    });
    const keys = createStoreKeys(prefix);
    const listener = await listen(
      client,
      setup.subscriber(),
      keys.eventChannel(conversationTopic(conversation.id)),
      keys.conversationRecord(conversation.id),
    );
    return { store, bus, id: conversation.id, listener };
  }

  it('says so (announcesEntries), where the in-memory store does not', () => {
    expect(new RedisConversationStore({ client: setup.client(), keyPrefix: setup.prefix() }).announcesEntries).toBe(true);
    expect(new MemoryConversationStore().announcesEntries).toBe(false);
  });

  it('announces a recorded customer message byte for byte as the event bus published it', async () => {
    const { store, bus, id, listener } = await conversationWithListener();
    const recorded: TranscriptEntry[] = [];
    for (const [index, entry] of ENTRIES.entries()) {
      const { entry: stored, fresh } = await store.recordInbound(id, entry, { idempotencyKey: `sms:SM${index}`, wroteAt: 1 });
      expect(fresh).toBe(true);
      recorded.push(stored);
      // What the inbox had the ConversationLog publish before, on the same channel.
      await bus.publish(conversationTopic(id), { type: 'message', entry: stored });
    }
    await expectTwiceEach(listener, recorded);
    const transcript = await store.transcript(id);
    for (const [index, stored] of recorded.entries()) {
      expect(JSON.parse(encodePayload({ type: 'message', entry: stored }))).toEqual({ type: 'message', entry: transcript[index] });
    }
    await bus.close();
  });

  it('announces an appended reply byte for byte as the event bus published it', async () => {
    const { store, bus, id, listener } = await conversationWithListener();
    const { entry: inbound } = await store.recordInbound(id, { from: 'customer', text: 'hi', at: 1 }, { wroteAt: 1 });
    await listener.settle();
    listener.messages.length = 0;
    const replies: TranscriptEntry[] = [];
    for (const [ordinal, entry] of ENTRIES.entries()) {
      const stored = await store.appendReply(id, entry, { inboundId: inbound.id, ordinal });
      if (!stored) throw new Error('the reply was not appended');
      replies.push(stored);
      await bus.publish(conversationTopic(id), { type: 'message', entry: stored });
    }
    await expectTwiceEach(listener, replies);
    await bus.close();
  });

  it('reaches event bus subscribers as the entry the store returned', async () => {
    const { store, bus, id } = await conversationWithListener();
    const events: unknown[] = [];
    const unsubscribe = await bus.subscribe(conversationTopic(id), (payload) => events.push(payload));
    const photo: NewTranscriptEntry = { from: 'customer', text: 'photo', at: 1, attachments: [{ contentType: 'image/png', url: 'https://m.example/1.png' }] };
    const { entry: inbound } = await store.recordInbound(id, photo, { wroteAt: 1 });
    const reply = await store.appendReply(id, { from: 'bot', text: 'nice photo', at: 2 }, { inboundId: inbound.id, ordinal: 0 });
    if (!reply) throw new Error('the reply was not appended');
    const expected: ConversationEvent[] = [
      { type: 'message', entry: inbound },
      { type: 'message', entry: reply },
    ];
    await expect.poll(() => events, { timeout: 5_000 }).toHaveLength(2);
    expect(events).toEqual(expected);
    await unsubscribe();
    await bus.close();
  });

  it('announces nothing for a redelivery, a reply appended before, a fenced reply', async () => {
    const { store, id, listener } = await conversationWithListener();
    const options = { idempotencyKey: 'sms:SMonce', wroteAt: 1 };
    const first = await store.recordInbound(id, { from: 'customer', text: 'once', at: 1 }, options);
    const again = await store.recordInbound(id, { from: 'customer', text: 'once', at: 1 }, options);
    expect(again).toMatchObject({ fresh: false, entry: { id: first.entry.id } });
    const guard = { inboundId: first.entry.id, ordinal: 0 };
    const reply = await store.appendReply(id, { from: 'bot', text: 'once too', at: 2 }, guard);
    expect(await store.appendReply(id, { from: 'bot', text: 'once too', at: 2 }, guard)).toBeUndefined();
    await expect(
      store.appendReply(id, { from: 'bot', text: 'late', at: 3 }, { inboundId: first.entry.id, ordinal: 1, fence: 'not-the-holder' }),
    ).rejects.toMatchObject({ code: 'turn_fenced' });
    await listener.settle();
    expect(listener.messages).toEqual([
      encodePayload({ type: 'message', entry: first.entry }),
      encodePayload({ type: 'message', entry: reply }),
    ]);
  });
});

describe.each([
  { name: 'redis', redis: true },
  { name: 'memory', redis: false },
])('a host announces each customer message and reply once ($name)', ({ redis: useRedis }) => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ redis: useRedis });
  });
  afterAll(async () => {
    await host.stop();
  });

  it('in the order of their ids', async () => {
    const conversation = await newWebchatConversation(host);
    const ids: number[] = [];
    const unsubscribe = await host.stores.events.subscribe(conversationTopic(conversation.id), (payload) => {
      const event = payload as ConversationEvent;
      if (event.type === 'message') ids.push(event.entry.id);
    });
    const customer = await host.inbox.post(conversation, { text: 'when are you open?' });
    await host.turns.drain();
    const transcript = await host.stores.conversations.transcript(conversation.id);
    const bot = transcript.filter((entry) => entry.from === 'bot');
    expect(bot).toHaveLength(1);
    await expect.poll(() => ids.length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    // A marker published on the same server after everything else: once it is
    // here, a second announcement of either entry would have been too.
    let markerArrived = (): void => undefined;
    const marker = new Promise<void>((resolve) => {
      markerArrived = resolve;
    });
    const unsubscribeMarker = await host.stores.events.subscribe(`marker:${conversation.id}`, () => markerArrived());
    await host.stores.events.publish(`marker:${conversation.id}`, {});
    await marker;
    expect(ids).toEqual([customer.id, bot[0]?.id]);
    await unsubscribe();
    await unsubscribeMarker();
  });
});
