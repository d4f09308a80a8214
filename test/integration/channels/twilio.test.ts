import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TwilioConnector } from '../../../src/channels/twilio/twilio-connector.ts';
import type { Conversation, TranscriptEntry } from '../../../src/core/conversation.ts';
import { conversationTopic, type ConversationEvent } from '../../../src/core/conversation-log.ts';
import { TURN_TEXT } from '../../../src/core/turn-text.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { FakeTwilioApi } from '../../support/fake-twilio-api.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';

// The SMS channel over real HTTP and real Redis: Twilio's real-shaped form
// webhooks, signed with the twilio helper library's own function, posted to
// the real app; replies go to a fake Twilio REST API on loopback.
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const PUBLIC_BASE_URL = 'https://sms.example.test';
const OUR_NUMBER = '+14155550199';
const sam = testAgent('sam', ['general'], 3);

let fake: FakeTwilioApi;
let host: TestHost;
let env: Record<string, string>;

beforeAll(async () => {
  fake = await FakeTwilioApi.start(ACCOUNT_SID, AUTH_TOKEN);
  env = {
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: fake.url,
    PUBLIC_BASE_URL,
    AGENTS: agentsEnv([sam]),
    HANDOFF_AUTO_ASSIGN: 'false',
  };
  host = await startTestHost({ redis: true, env });
});
afterAll(async () => {
  await host.stop();
  await fake.stop();
});

let customers = 0;
/** A new customer's phone number, so tests do not share conversations. */
const newCustomer = (): string => `+1555010${String((customers += 1)).padStart(4, '0')}`;
const newSid = (prefix = 'SM'): string => `${prefix}${randomBytes(16).toString('hex')}`;

/** An inbound message as Twilio posts it (field set of a real webhook). */
function inboundParams(from: string, body: string, extra: Record<string, string> = {}): Record<string, string> {
  const sid = newSid();
  return {
    ToCountry: 'US',
    ToState: 'CA',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: 'SAN FRANCISCO',
    FromZip: '94105',
    SmsSid: sid,
    FromState: 'CA',
    SmsStatus: 'received',
    FromCity: 'SAN FRANCISCO',
    Body: body,
    FromCountry: 'US',
    To: OUR_NUMBER,
    ToZip: '94105',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    ApiVersion: '2010-04-01',
    ...extra,
  };
}

interface PostOptions {
  /** Path and query on our host (default the inbound route). */
  path?: string;
  /** The URL the signature is computed for (default PUBLIC_BASE_URL + path). */
  signedUrl?: string;
  /** A signature to send instead of the right one; null sends none. */
  signature?: string | null;
  contentType?: string;
  /** A body to send instead of the signed parameters. */
  rawBody?: string;
}

/** Posts a webhook signed exactly as Twilio signs it (twilio-node's reference function). */
function postTwilio(params: Record<string, string>, options: PostOptions = {}): Promise<Response> {
  const path = options.path ?? '/webhooks/twilio';
  const signature =
    options.signature === undefined
      ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, options.signedUrl ?? `${PUBLIC_BASE_URL}${path}`, params)
      : options.signature;
  return fetch(`${host.url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': options.contentType ?? 'application/x-www-form-urlencoded',
      ...(signature === null ? {} : { 'x-twilio-signature': signature }),
    },
    body: options.rawBody ?? new URLSearchParams(params).toString(),
  });
}

/** A customer texts us; Twilio gets its empty TwiML answer. */
async function text(from: string, body: string, extra: Record<string, string> = {}): Promise<void> {
  const response = await postTwilio(inboundParams(from, body, extra));
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/xml/);
  expect(await response.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
}

const conversationOf = (from: string): Promise<Conversation | undefined> =>
  host.stores.conversations.findByKey(`sms:${OUR_NUMBER}:${from}`);

async function requireConversation(from: string): Promise<Conversation> {
  const conversation = await conversationOf(from);
  if (!conversation) throw new Error(`no conversation for ${from}`);
  return conversation;
}

const transcriptOf = async (from: string): Promise<TranscriptEntry[]> =>
  host.stores.conversations.transcript((await requireConversation(from)).id);

async function errorCode(response: Response): Promise<string> {
  expect(response.headers.get('content-type')).toMatch(/^application\/json/);
  return ((await response.json()) as { error: { code: string; message: string } }).error.code;
}

describe('Twilio SMS channel', () => {
  it("answers a customer's text through Twilio's Messages API, with Basic auth and a status callback", async () => {
    const customer = newCustomer();
    await text(customer, 'where is my order A1001?');
    const [reply] = await fake.waitFor(customer, 1);
    const conversation = await requireConversation(customer);
    expect(reply).toMatchObject({
      to: customer,
      from: OUR_NUMBER,
      messagingServiceSid: undefined,
      body: expect.stringMatching(/A1001 .* shipped/) as unknown,
      statusCallback: `${PUBLIC_BASE_URL}/webhooks/twilio/status?conversation=${conversation.id}`,
    });
    expect(fake.calls.every((call) => call.authorized)).toBe(true);
    expect(conversation).toMatchObject({ channel: 'sms', userId: customer, address: { to: customer, from: OUR_NUMBER } });
    const transcript = await transcriptOf(customer);
    expect(transcript.map((entry) => [entry.from, entry.text])).toEqual([
      ['customer', 'where is my order A1001?'],
      ['bot', reply?.body],
    ]);
  });

  it('refuses unsigned, forged and misdirected webhooks before anything else, and none reaches the bot', async () => {
    const customer = newCustomer();
    const params = inboundParams(customer, 'hello');
    const missing = await postTwilio(params, { signature: null });
    expect(missing.status).toBe(400);
    expect(await errorCode(missing)).toBe('missing_signature');

    const forged = await postTwilio(params, { signature: randomBytes(20).toString('base64') });
    expect(forged.status).toBe(403);
    expect(await errorCode(forged)).toBe('invalid_signature');

    const otherUrl = await postTwilio(params, { signedUrl: 'https://evil.example.test/webhooks/twilio' });
    expect(otherUrl.status).toBe(403);
    const otherRoute = await postTwilio(params, { signedUrl: `${PUBLIC_BASE_URL}/webhooks/twilio/status` });
    expect(otherRoute.status).toBe(403);
    const otherToken = await postTwilio(params, {
      signature: twilio.getExpectedTwilioSignature('not-our-token', `${PUBLIC_BASE_URL}/webhooks/twilio`, params),
    });
    expect(otherToken.status).toBe(403);
    const tampered = await postTwilio(params, { rawBody: new URLSearchParams({ ...params, Body: 'hello!' }).toString() });
    expect(tampered.status).toBe(403);
    const added = await postTwilio(params, { rawBody: `${new URLSearchParams(params).toString()}&Extra=1` });
    expect(added.status).toBe(403);
    const unsignedStatus = await postTwilio({ MessageSid: newSid(), MessageStatus: 'failed' }, { path: '/webhooks/twilio/status', signature: null });
    expect(unsignedStatus.status).toBe(400);

    await host.turns.drain();
    expect(await conversationOf(customer)).toBeUndefined();
    expect(fake.to(customer)).toEqual([]);

    // Twilio-node accepts the URL with or without its default port; so do we.
    const withPort = newCustomer();
    const signedWithPort = await postTwilio(inboundParams(withPort, 'hi'), { signedUrl: 'https://sms.example.test:443/webhooks/twilio' });
    expect(signedWithPort.status).toBe(200);
    await fake.waitFor(withPort, 1);
  });

  it("announces a known customer's messages and the replies live, but no typing state, which nothing would show", async () => {
    const customer = newCustomer();
    await text(customer, 'hello');
    await fake.waitFor(customer, 1);
    const conversation = await requireConversation(customer);
    const events: ConversationEvent[] = [];
    const unsubscribe = await host.stores.events.subscribe(conversationTopic(conversation.id), (event) => {
      events.push(event as ConversationEvent);
    });
    await text(customer, 'when are you open?');
    await fake.waitFor(customer, 2);
    await host.turns.drain();
    await unsubscribe();
    expect(events.map((event) => (event.type === 'message' ? `${event.entry.from}: ${event.entry.text}` : event.type))).toEqual([
      'customer: when are you open?',
      `bot: ${fake.to(customer)[1]?.body ?? ''}`,
    ]);
  });

  it('does nothing with a redelivered MessageSid: one message recorded, one reply', async () => {
    const customer = newCustomer();
    const params = inboundParams(customer, 'when are you open?');
    const first = await postTwilio(params);
    const [again, concurrent] = await Promise.all([postTwilio(params), postTwilio(params)]);
    for (const response of [first, again, concurrent]) expect(response.status).toBe(200);
    await fake.waitFor(customer, 1);
    await host.turns.drain();
    expect(fake.to(customer)).toHaveLength(1);
    expect((await transcriptOf(customer)).filter((entry) => entry.from === 'customer')).toHaveLength(1);
  });

  it('answers malformed bodies, wrong content types and oversized bodies with 4xx JSON', async () => {
    const customer = newCustomer();
    const { MessageSid: _sid, SmsSid: _smsSid, SmsMessageSid: _smsMessageSid, ...noSid } = inboundParams(customer, 'hi');
    const cases: [Promise<Response>, number, string][] = [
      [postTwilio(noSid), 400, 'invalid_body'],
      [postTwilio({ ...inboundParams(customer, 'hi'), From: '' }), 400, 'invalid_body'],
      [postTwilio(inboundParams(customer, 'hi'), { contentType: 'application/json', rawBody: '{"Body":"hi"}' }), 415, 'unsupported_media_type'],
      [postTwilio(inboundParams(customer, 'hi'), { contentType: 'text/plain' }), 415, 'unsupported_media_type'],
      [postTwilio(inboundParams(customer, 'x'.repeat(70_000))), 413, 'payload_too_large'],
      [postTwilio(inboundParams(customer, 'hi'), { rawBody: '%%%&&&==' }), 403, 'invalid_signature'],
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      expect(response.status, code).toBe(status);
      expect(await errorCode(response)).toBe(code);
    }
    await host.turns.drain();
    expect(await conversationOf(customer)).toBeUndefined();
    expect(fake.to(customer)).toEqual([]);
  });

  it('ignores a status callback that reaches the inbound route', async () => {
    const customer = newCustomer();
    const sid = newSid();
    const response = await postTwilio({
      SmsSid: sid,
      SmsStatus: 'delivered',
      MessageStatus: 'delivered',
      To: customer,
      MessageSid: sid,
      AccountSid: ACCOUNT_SID,
      From: OUR_NUMBER,
      ApiVersion: '2010-04-01',
    });
    expect(response.status).toBe(200);
    await host.turns.drain();
    expect(await host.stores.conversations.findByKey(`sms:${customer}:${OUR_NUMBER}`)).toBeUndefined();
    expect(await conversationOf(customer)).toBeUndefined();
    expect(fake.to(customer)).toEqual([]);
  });

  it('records status callbacks, notes undelivered messages for agents once, and never involves the bot', async () => {
    const customer = newCustomer();
    await text(customer, 'how much is express delivery?');
    const [reply] = await fake.waitFor(customer, 1);
    const callback = new URL(reply?.statusCallback ?? '');
    const status = (MessageStatus: string, extra: Record<string, string> = {}) =>
      postTwilio(
        {
          SmsSid: reply?.sid ?? '',
          SmsStatus: MessageStatus,
          MessageStatus,
          To: customer,
          MessageSid: reply?.sid ?? '',
          AccountSid: ACCOUNT_SID,
          From: OUR_NUMBER,
          ApiVersion: '2010-04-01',
          ...extra,
        },
        { path: `${callback.pathname}${callback.search}`, signedUrl: callback.toString() },
      );
    for (const response of [
      await status('sent'),
      await status('delivered'),
      await status('undelivered', { ErrorCode: '30003' }),
      await status('undelivered', { ErrorCode: '30003' }),
    ]) {
      expect(response.status).toBe(204);
    }
    const forged = await postTwilio({ MessageSid: reply?.sid ?? '', MessageStatus: 'failed' }, {
      path: `${callback.pathname}${callback.search}`,
      signedUrl: `${PUBLIC_BASE_URL}/webhooks/twilio/status`,
    });
    expect(forged.status).toBe(403);
    await host.turns.drain();

    const transcript = await transcriptOf(customer);
    expect(transcript.map((entry) => entry.from)).toEqual(['customer', 'bot', 'system']);
    expect(transcript[2]).toMatchObject({
      internal: true,
      text: expect.stringMatching(new RegExp(`${reply?.sid ?? ''}.*not delivered.*undelivered.*30003`)) as unknown,
    });
    expect(fake.to(customer)).toHaveLength(1);
    const statusLines = host.sink.lines.filter((line) => line.msg === 'sms status' && line.messageSid === reply?.sid);
    expect(statusLines.map((line) => line.status)).toEqual(['sent', 'delivered', 'undelivered', 'undelivered']);
    expect(statusLines[2]).toMatchObject({ errorCode: '30003' });
    expect(host.sink.text).not.toContain(customer);
    expect(host.sink.text).not.toContain(OUR_NUMBER);
  });

  it('keeps emoji and HTML in a text as text', async () => {
    const customer = newCustomer();
    const body = '<b>Hi</b> & <script>alert("x")</script> 😀👍🏽 café “quoted”';
    await text(customer, body);
    await fake.waitFor(customer, 1);
    const [entry] = await transcriptOf(customer);
    expect(entry).toMatchObject({ from: 'customer', text: body });
  });

  it('cuts a text longer than MAX_MESSAGE_LENGTH instead of refusing it', async () => {
    const customer = newCustomer();
    await text(customer, `${'a'.repeat(host.config.maxMessageLength)}😀 and more`);
    await fake.waitFor(customer, 1);
    const [entry] = await transcriptOf(customer);
    expect(entry?.text).toBe('a'.repeat(host.config.maxMessageLength));
  });

  it('carries media to the transcript and tells a customer who sent only media that the bot reads text', async () => {
    const customer = newCustomer();
    const mediaUrl = `https://api.twilio.com/2010-04-01/Accounts/${ACCOUNT_SID}/Messages/${newSid('MM')}/Media/${newSid('ME')}`;
    await text(customer, '', { NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'image/jpeg' });
    const [reply] = await fake.waitFor(customer, 1);
    expect(reply?.body).toBe(TURN_TEXT.en.textOnly);
    const [entry] = await transcriptOf(customer);
    expect(entry).toMatchObject({ from: 'customer', text: '', attachments: [{ contentType: 'image/jpeg', url: mediaUrl }] });

    // With a caption, the text goes to the bot as usual and the media is kept.
    await text(customer, 'where is my order A1001?', { NumMedia: '1', MediaUrl0: mediaUrl, MediaContentType0: 'image/png' });
    const replies = await fake.waitFor(customer, 2);
    expect(replies[1]?.body).toMatch(/A1001 .* shipped/);
  });

  it('retries a rate-limited send and delivers once; a refused one is delivery_failed, noted for agents', async () => {
    const customer = newCustomer();
    const callsBefore = fake.calls.length;
    fake.respondWith(429);
    await text(customer, 'when are you open?');
    await fake.waitFor(customer, 1);
    await host.turns.drain();
    const attempts = fake.calls.slice(callsBefore).filter((call) => call.form.get('To') === customer);
    expect(attempts.map((call) => call.status)).toEqual([429, 201]);
    expect(fake.to(customer)).toHaveLength(1);

    // Twilio refuses for good (400): the bot's reply and its apology are both noted, not retried.
    fake.respondWith(400, 400);
    await text(customer, 'how much is express delivery?');
    await host.turns.drain();
    expect(fake.to(customer)).toHaveLength(1);
    const notes = (await transcriptOf(customer)).filter((entry) => entry.from === 'system');
    expect(notes).toHaveLength(2);
    for (const note of notes) {
      expect(note).toMatchObject({ internal: true, text: expect.stringMatching(/was not delivered: .*HTTP 400/) as unknown });
    }
  });

  it('escalates over SMS: the agent answers by SMS, hears the customer, and hands back to the bot', async () => {
    const customer = newCustomer();
    const agent = new AgentClient(host.url, sam);
    const stream = await agent.stream();

    await text(customer, 'I want to talk to a person');
    const [notice] = await fake.waitFor(customer, 1);
    expect(notice?.body).toMatch(/bringing in a person/);
    const conversation = await requireConversation(customer);
    expect(conversation.status).toBe('queued');
    expect(conversation.handoff).toMatchObject({ reason: 'customer_request' });

    expect((await agent.claim(conversation.id)).status).toBe(200);
    expect((await fake.waitFor(customer, 2))[1]?.body).toMatch(/Agent sam from our team has joined/);

    const answer = "Hi, I'm Sam 👋 — <b>what's up?</b> & welcome";
    expect((await agent.send(conversation.id, answer)).status).toBe(201);
    const sent = (await fake.waitFor(customer, 3))[2];
    expect(sent).toMatchObject({ to: customer, from: OUR_NUMBER, body: answer });

    // The customer's next SMS reaches the agent, and not the bot.
    await text(customer, 'my parcel A1001 is late');
    const live = await stream.next(
      (event) => event.event === 'message' && (JSON.parse(event.data) as { entry: TranscriptEntry }).entry.text === 'my parcel A1001 is late',
    );
    expect(JSON.parse(live.data)).toMatchObject({ conversationId: conversation.id, entry: { from: 'customer' } });
    await host.turns.drain();
    expect(fake.to(customer)).toHaveLength(3);

    // A long agent message is split into SMS-sized parts.
    const long = Array.from({ length: 100 }, (_, index) => `Line ${index} of the return policy.`).join(' ');
    expect(long.length).toBeGreaterThan(1600);
    expect((await agent.send(conversation.id, long)).status).toBe(201);
    const parts = fake.to(customer).slice(3);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.body.length).toBeLessThanOrEqual(1600);
    expect(parts.map((part) => part.body).join(' ')).toBe(long);

    // A message Twilio refuses: the agent gets delivery_failed and the transcript says so.
    fake.respondWith(400);
    const refused = await agent.send(conversation.id, 'Are you still there?');
    expect(refused.status).toBe(502);
    expect(await errorCode(refused)).toBe('delivery_failed');
    const context = await agent.context<{ transcript: TranscriptEntry[] }>(conversation.id);
    expect(context.transcript.at(-1)).toMatchObject({ from: 'system', internal: true, text: expect.stringMatching(/not delivered/) as unknown });
    const sentBefore = fake.to(customer).length;

    // Release: the bot takes back over, by SMS.
    expect((await agent.release(conversation.id)).status).toBe(200);
    const afterRelease = await fake.waitFor(customer, sentBefore + 3);
    expect(afterRelease[sentBefore]?.body).toMatch(/Agent sam has left/);
    expect(afterRelease[sentBefore + 1]?.body).toMatch(/Thanks for waiting/);
    expect(afterRelease[sentBefore + 2]?.body).toMatch(/rate the help you got/); // CSAT (on by default)
    expect((await requireConversation(customer)).status).toBe('bot');
    await text(customer, 'what are your opening hours?');
    expect((await fake.waitFor(customer, sentBefore + 4))[sentBefore + 3]?.body).toMatch(/Harbour Street/);
    stream.close();
  });

  it('STOP while an agent holds the conversation tells the agent the customer left', async () => {
    const customer = newCustomer();
    await text(customer, 'I want to talk to a person');
    await fake.waitFor(customer, 1);
    const { id } = await requireConversation(customer);
    const agent = new AgentClient(host.url, sam);
    const stream = await agent.stream();
    expect((await agent.claim(id)).status).toBe(200);
    await text(customer, 'STOP');
    const released = await stream.next((event) => event.event === 'released');
    expect(JSON.parse(released.data)).toMatchObject({ conversationId: id, agentId: 'sam', reason: 'customer_left' });
    expect(await host.stores.agentQueue.holder(id)).toBeUndefined();
    expect((await agent.send(id, 'are you still there?')).status).toBe(403);
    stream.close();
  });

  it('STOP closes the conversation and takes it out of the queue; nothing is sent until START, even after a restart', async () => {
    const customer = newCustomer();
    await text(customer, 'I want to talk to a person');
    await fake.waitFor(customer, 1);
    const { id } = await requireConversation(customer);
    expect(await host.stores.agentQueue.ticket(id)).toBeDefined();

    await text(customer, 'Stop');
    await host.turns.drain();
    const closed = await requireConversation(customer);
    expect(closed).toMatchObject({ status: 'closed', address: { optedOut: 'true' } });
    expect(await host.stores.agentQueue.ticket(id)).toBeUndefined();
    expect(fake.to(customer)).toHaveLength(1); // Twilio confirms STOP itself
    expect((await transcriptOf(customer)).slice(-2)).toMatchObject([
      { from: 'customer', text: 'Stop' },
      { from: 'system', internal: true, text: expect.stringMatching(/opted out \(STOP\) and left the agent queue/) as unknown },
    ]);

    // Anything else they write is recorded, and not answered.
    await text(customer, 'where is my order A1001?');
    await host.turns.drain();
    expect(fake.to(customer)).toHaveLength(1);

    // Whoever tries to write to them learns why (409 opted_out), and nothing leaves.
    const connector = new TwilioConnector({
      accountSid: ACCOUNT_SID,
      authToken: AUTH_TOKEN,
      apiBaseUrl: fake.url,
      publicBaseUrl: PUBLIC_BASE_URL,
      messagingServiceSid: undefined,
      store: host.stores.conversations,
      logger: host.logger,
    });
    const optedOut = expect.objectContaining({ code: 'opted_out', status: 409 }) as unknown;
    expect(() => connector.checkSendable(closed, 'agent')).toThrow(optedOut);
    await expect(connector.send({ ...closed, status: 'assigned', address: { to: customer, from: OUR_NUMBER } }, 'hi', 'agent')).rejects.toEqual(optedOut);
    expect(fake.to(customer)).toHaveLength(1);

    // The opt-out is stored: a restarted host still sends nothing.
    const keyPrefix = host.keyPrefix;
    await host.stop();
    host = await startTestHost({ redis: true, keyPrefix, env });
    await text(customer, 'hello?');
    await host.turns.drain();
    expect(fake.to(customer)).toHaveLength(1);

    // START reopens it (Twilio confirms START itself, so the bot stays quiet)…
    await text(customer, 'start');
    await host.turns.drain();
    const reopened = await requireConversation(customer);
    expect(reopened.status).toBe('bot');
    expect(reopened.address.optedOut).toBeUndefined();
    expect(fake.to(customer)).toHaveLength(1);
    expect((await transcriptOf(customer)).at(-1)).toMatchObject({ from: 'system', internal: true, text: expect.stringMatching(/opted back in \(START\)/) as unknown });

    // …and the bot answers again.
    await text(customer, 'where is my order A1001?');
    expect((await fake.waitFor(customer, 2))[1]?.body).toMatch(/A1001 .* shipped/);
  });
});

describe('Twilio SMS channel without credentials', () => {
  it('is disabled: its routes answer 404 and the start-up log names what is missing', async () => {
    const bare = await startTestHost({ env: { TWILIO_ACCOUNT_SID: ACCOUNT_SID, TWILIO_AUTH_TOKEN: AUTH_TOKEN } });
    try {
      const response = await fetch(`${bare.url}/webhooks/twilio`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'Body=hi',
      });
      expect(response.status).toBe(404);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
      expect((await fetch(`${bare.url}/webhooks/twilio/status`, { method: 'POST' })).status).toBe(404);
      expect(bare.sink.lines).toContainEqual(
        expect.objectContaining({ channel: 'sms', missing: ['PUBLIC_BASE_URL'], msg: 'channel disabled: credentials not configured' }),
      );
    } finally {
      await bare.stop();
    }
  });
});
