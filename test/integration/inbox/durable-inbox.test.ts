import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/conversation.ts';
import { createStoreKeys } from '../../../src/store/redis-keys.ts';
import { useTestRedis } from '../../support/redis.ts';
import { newWebchatConversation, startTestHost, type TestHost } from '../../support/test-host.ts';

// What a turn runner does with inbox items that come twice, late, or after a
// host died half-way through a turn (the durable inbox, README "Reliability
// and scaling"). Real Redis, the demo bot, one host standing in for several.
const redis = useTestRedis();
let host: TestHost;
beforeAll(async () => {
  host = await startTestHost({ redis: true });
});
afterAll(async () => {
  await host.stop();
});

const newConversation = (): Promise<Conversation> => newWebchatConversation(host);

const transcriptOf = async (id: string) =>
  (await host.stores.conversations.transcript(id)).filter((entry) => !entry.internal).map((entry) => `${entry.from}: ${entry.text}`);

describe('the durable inbox and the turn runner', () => {
  it('runs no turn twice when an item is delivered again', async () => {
    const conversation = await newConversation();
    const entry = await host.inbox.post(conversation, { text: 'when are you open?' });
    await host.turns.drain();
    const once = await transcriptOf(conversation.id);
    expect(once).toHaveLength(2);
    // The same item again (a host that died before acknowledging it, a claim of a slow host).
    await host.turns.process({ conversationId: conversation.id, entryId: entry.id });
    await host.stores.inbox.enqueue({ conversationId: conversation.id, entryId: entry.id });
    await host.turns.drain();
    expect(await transcriptOf(conversation.id)).toEqual(once);
  });

  it('finishes a turn whose host died after sending its reply, without sending it again', async () => {
    const conversation = await newConversation();
    const { entry } = await host.stores.conversations.recordInbound(
      conversation.id,
      { from: 'customer', text: 'when are you open?', at: Date.now() },
      { wroteAt: Date.now() },
    );
    // The first host recorded (and sent) the reply, then died: no dialog state, no completion, no ack.
    await host.stores.conversations.appendReply(conversation.id, { from: 'bot', text: 'We are open 9 to 5.', at: Date.now() }, {
      inboundId: entry.id,
      ordinal: 0,
    });
    await host.stores.inbox.enqueue({ conversationId: conversation.id, entryId: entry.id });
    await host.turns.drain();
    expect(await transcriptOf(conversation.id)).toEqual(['customer: when are you open?', 'bot: We are open 9 to 5.']);
    expect((await host.stores.conversations.pendingInbound(conversation.id, entry.id)).entries).toEqual([]);
  });

  it('answers a message whose item was lost before a later one, in order', async () => {
    const conversation = await newConversation();
    // Recorded, but the host died before its inbox item was written (and the client got no 202).
    await host.stores.conversations.recordInbound(
      conversation.id,
      { from: 'customer', text: 'where is my order?', at: Date.now() },
      { wroteAt: Date.now() },
    );
    await host.inbox.post(conversation, { text: 'A1001' });
    await host.turns.drain();
    const lines = await transcriptOf(conversation.id);
    expect(lines.slice(0, 2)).toEqual(['customer: where is my order?', 'customer: A1001']);
    expect(lines.slice(2)).toEqual([expect.stringMatching(/^bot: .*order number/), expect.stringMatching(/^bot: .*A1001 .* shipped/)]);
  });

  it('records a platform message once however often it is delivered, and answers it once', async () => {
    const message = {
      channel: 'sms' as const,
      conversationKey: `sms:+15550001111:+1555${Date.now() % 10_000_000}`,
      userId: '+15550002222',
      text: 'when are you open?',
      attachments: [],
      platformMessageId: `SM${Date.now()}`,
      timestamp: Date.now(),
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => host.inbox.receive(message, { to: '+1', from: '+2' })));
    expect(results.filter((result) => result.outcome === 'accepted')).toHaveLength(1);
    await host.turns.drain();
    const conversation = await host.stores.conversations.findByKey(message.conversationKey);
    expect(await transcriptOf(conversation?.id ?? '')).toHaveLength(2);
    expect(await host.inbox.receive(message, { to: '+1', from: '+2' })).toMatchObject({ outcome: 'duplicate' });
    await host.turns.drain();
    expect(await transcriptOf(conversation?.id ?? '')).toHaveLength(2);
  });

  it('leaves an empty stream behind: every item is acknowledged and deleted once its turn is done', async () => {
    await host.turns.drain();
    expect(await redis.client.xlen(createStoreKeys(host.keyPrefix).inboxStream())).toBe(0);
    expect(await host.stores.inbox.backlog()).toBe(0);
  });
});
