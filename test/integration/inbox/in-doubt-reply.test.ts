import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Conversation } from '../../../src/core/conversation.ts';
import { FakeTwilioApi } from '../../support/fake-twilio-api.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';

// A host recorded a reply and died: did its send go out? The next host asks
// the platform (Twilio's Messages list) instead of guessing, so the customer
// gets the reply exactly once either way.
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const OUR_NUMBER = '+14155550123';

let fake: FakeTwilioApi;
let host: TestHost;
beforeAll(async () => {
  fake = await FakeTwilioApi.start(ACCOUNT_SID, AUTH_TOKEN);
  host = await startTestHost({
    redis: true,
    env: { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN, TWILIO_API_BASE_URL: fake.url, PUBLIC_BASE_URL: 'https://sms.example.test' },
  });
});
afterAll(async () => {
  await host.stop();
  await fake.stop();
});

let customers = 0;
/** A conversation whose customer asked something, and whose first turn died right after recording its reply. */
async function diedAfterRecordingReply(reply: string): Promise<{ conversation: Conversation; customer: string; entryId: number }> {
  const customer = `+1555020${String((customers += 1)).padStart(4, '0')}`;
  const { conversation } = await host.stores.conversations.getOrCreate({
    channel: 'sms',
    conversationKey: `sms:${OUR_NUMBER}:${customer}`,
    userId: customer,
    address: { to: customer, from: OUR_NUMBER },
    locale: 'en',
  });
  const { entry } = await host.stores.conversations.recordInbound(
    conversation.id,
    { from: 'customer', text: 'when are you open?', at: Date.now() },
    { wroteAt: Date.now() },
  );
  // Recorded a minute ago: old enough to be asked about at once (a reply just recorded waits a few seconds first).
  await host.stores.conversations.appendReply(conversation.id, { from: 'bot', text: reply, at: Date.now() - 60_000 }, { inboundId: entry.id, ordinal: 0 });
  return { conversation, customer, entryId: entry.id };
}

/** Sends an SMS through the fake as the dying host would have. */
async function sentByTheDeadHost(to: string, body: string): Promise<void> {
  const response = await fetch(`${fake.url}/2010-04-01/Accounts/${ACCOUNT_SID}/Messages.json`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${ACCOUNT_SID}:${AUTH_TOKEN}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ To: to, From: OUR_NUMBER, Body: body }).toString(),
  });
  expect(response.status).toBe(201);
}

describe('a reply in doubt (recorded by a host that died)', () => {
  it('is sent when the platform does not have it', async () => {
    const { conversation, customer, entryId } = await diedAfterRecordingReply('We are open 9 to 5.');
    await host.turns.process({ conversationId: conversation.id, entryId });
    expect(fake.to(customer).map((sms) => sms.body)).toEqual(['We are open 9 to 5.']);
    const bot = (await host.stores.conversations.transcript(conversation.id)).filter((entry) => entry.from === 'bot');
    expect(bot.map((entry) => entry.text)).toEqual(['We are open 9 to 5.']);
    // Done: it is not sent again.
    await host.turns.process({ conversationId: conversation.id, entryId });
    expect(fake.to(customer)).toHaveLength(1);
  });

  it('is not sent again when the platform has it', async () => {
    const { conversation, customer, entryId } = await diedAfterRecordingReply('We are open 10 to 6.');
    await sentByTheDeadHost(customer, 'We are open 10 to 6.');
    await host.turns.process({ conversationId: conversation.id, entryId });
    expect(fake.to(customer).map((sms) => sms.body)).toEqual(['We are open 10 to 6.']);
  });

  it('is not fooled by an identical earlier reply: it counts them', async () => {
    const { conversation, customer, entryId } = await diedAfterRecordingReply('Sorry, could you put that another way?');
    // The first one went out and its turn completed…
    await sentByTheDeadHost(customer, 'Sorry, could you put that another way?');
    await host.stores.conversations.completeInbound(conversation.id, entryId);
    // …then the customer wrote again, and the same answer was recorded, but never sent.
    const { entry: second } = await host.stores.conversations.recordInbound(
      conversation.id,
      { from: 'customer', text: 'blorp', at: Date.now() },
      { wroteAt: Date.now() },
    );
    await host.stores.conversations.appendReply(
      conversation.id,
      { from: 'bot', text: 'Sorry, could you put that another way?', at: Date.now() - 55_000 },
      { inboundId: second.id, ordinal: 0 },
    );
    await host.turns.process({ conversationId: conversation.id, entryId: second.id });
    // Settled before the turn runs again: whatever the dialogs decide the second time ("blorp" goes to a person).
    expect(fake.to(customer).map((sms) => sms.body).slice(0, 2)).toEqual([
      'Sorry, could you put that another way?',
      'Sorry, could you put that another way?',
    ]);
  });

  it('asks Twilio with its Messages list: To, newest first, Basic auth', async () => {
    const { conversation, customer, entryId } = await diedAfterRecordingReply('We are open 8 to 4.');
    const before = fake.calls.length;
    await host.turns.process({ conversationId: conversation.id, entryId });
    expect(fake.to(customer)).toHaveLength(1);
    // One send: the list request is not a send.
    expect(fake.calls.slice(before).filter((call) => call.form.get('To') === customer)).toHaveLength(1);
  });
});
