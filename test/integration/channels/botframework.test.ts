import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { botFrameworkChannel, createBotFrameworkChannel } from '../../../src/channels/botframework/botframework-channel.ts';
import type { ChannelDependencies } from '../../../src/channels/platform-channel.ts';
import { CHANNEL_FACTORIES } from '../../../src/channels/platform-channels.ts';
import { loadConfig } from '../../../src/config.ts';
import type { TranscriptEntry } from '../../../src/core/conversation.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { ENDORSEMENTS, FakeBotFramework, LoopbackCredentialsFactory, impostorKey, type ConnectorCall } from '../../support/fake-bot-framework.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';

// Bot Framework end to end: activities shaped as Azure Bot Service sends
// them, with JWTs signed by a fake OpenID provider on loopback that
// botbuilder's own validation fetches (BOTFRAMEWORK_OPENID_METADATA_URL);
// replies caught by a fake Bot Connector that checks the Bearer token the
// fake AAD token endpoint issued.
//
// The one thing not configurable is where botbuilder's MSAL gets outbound
// tokens (https authorities only, discovered through login.microsoftonline.com),
// so the host opens the channel with a test credentials factory through the
// channel's `credentialsFactory` option; inbound authentication is untouched.
const APP_ID = '9d6f3c1e-5b2a-4f7e-8c3d-1a2b3c4d5e6f';
const APP_PASSWORD = 'bf-test-app-password~secret';
const BOT = { id: 'switchboard-bot@QAvP1qRsTuV', name: 'Switchboard' };
const agent = testAgent('ada', ['general'], 5);

let host: TestHost;
let bf: FakeBotFramework;
let endpoint: string;

beforeAll(async () => {
  bf = await FakeBotFramework.start(APP_ID, APP_PASSWORD);
  const credentialsFactory = new LoopbackCredentialsFactory(APP_ID, APP_PASSWORD);
  host = await startTestHost({
    options: { channelFactories: [(deps) => createBotFrameworkChannel(deps, { credentialsFactory })] },
    redis: true,
    env: {
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: APP_PASSWORD,
      MicrosoftAppType: 'MultiTenant',
      BOTFRAMEWORK_OPENID_METADATA_URL: bf.openIdMetadataUrl,
      BOTFRAMEWORK_LOGIN_URL: bf.loginUrl,
      AGENTS: agentsEnv([agent]),
      HANDOFF_AUTO_ASSIGN: 'false',
    },
  });
  endpoint = `${host.url}/api/messages`;
});
afterAll(async () => {
  await host.stop();
  await bf.close();
});

let sequence = 0;

/** A Direct Line conversation: one user, activity ids `{conversation}|0000001`… */
function conversation(channelId = 'directline') {
  const id = `${randomUUID().replace(/-/g, '').slice(0, 22)}-us`;
  const user = { id: `dl_${randomUUID().slice(0, 8)}`, name: 'Customer' };
  let count = 0;
  return {
    id,
    channelId,
    key: `bf:${channelId}:${id}`,
    user,
    /** A message activity, as Azure Bot Service posts it. */
    message(text: string, extra: Record<string, unknown> = {}) {
      count += 1;
      return {
        type: 'message',
        id: `${id}|${String(count).padStart(7, '0')}`,
        timestamp: new Date().toISOString(),
        localTimestamp: new Date().toISOString(),
        channelId,
        serviceUrl: bf.serviceUrl,
        from: user,
        conversation: { id },
        recipient: BOT,
        textFormat: 'plain',
        locale: 'en-US',
        text,
        entities: [{ type: 'ClientCapabilities', requiresBotState: true, supportsListening: true, supportsTts: true }],
        channelData: { clientActivityID: `${Date.now()}${(sequence += 1)}` },
        ...extra,
      };
    },
  };
}

/** Posts an activity with a valid channel token, or with `authorization` (null: no header). */
function post(activity: unknown, authorization: string | null = `Bearer ${bf.channelToken()}`, init: { body?: string; contentType?: string } = {}) {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': init.contentType ?? 'application/json; charset=utf-8',
      ...(authorization === null ? {} : { authorization }),
    },
    body: init.body ?? JSON.stringify(activity),
  });
}

const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
const texts = (calls: ConnectorCall[]) => calls.map((call) => call.body.text);

/** Waits for the bot (or agent) line to reach the connector in this conversation. */
const nextReply = async (conversationId: string, match: RegExp | string, count = 1) =>
  (
    await bf.waitFor(
      (call) => call.conversationId === conversationId && (typeof match === 'string' ? call.body.text === match : match.test(String(call.body.text))),
      count,
    )
  ).at(-1) as ConnectorCall;

describe('Bot Framework channel: inbound authentication (botbuilder CloudAdapter)', () => {
  it('accepts a signed activity (200) and replies through the Bot Connector with a token for this app', async () => {
    const chat = conversation();
    const response = await post(chat.message('where is my order A1001'));
    expect(response.status).toBe(200);

    const reply = await nextReply(chat.id, /A1001 .* shipped/);
    expect(reply.authorized).toBe(true);
    // A new message in the conversation (not a reply to a made-up activity id).
    expect(reply.replyToId).toBeUndefined();
    expect(reply.body).toMatchObject({
      type: 'message',
      textFormat: 'plain',
      channelId: 'directline',
      serviceUrl: bf.serviceUrl,
      conversation: { id: chat.id },
      from: { id: BOT.id },
      recipient: { id: chat.user.id },
    });
    expect(bf.tokenRequests.at(-1)).toEqual({ clientId: APP_ID, scope: 'https://api.botframework.com/.default', granted: true });

    const stored = await host.stores.conversations.findByKey(chat.key);
    expect(stored).toMatchObject({ channel: 'botframework', userId: chat.user.id, locale: 'en' });
    expect(JSON.parse(stored?.address.reference ?? '{}')).toEqual({
      channelId: 'directline',
      serviceUrl: bf.serviceUrl,
      conversation: { id: chat.id },
      bot: BOT,
      user: { id: chat.user.id },
    });
  });

  it('refuses with 401 JSON, before anything is recorded: no token, another key, wrong audience, issuer or serviceUrl, expired, unendorsed channel', async () => {
    // botbuilder's JwtTokenExtractor writes refused tokens to console.error; keep the test output readable.
    const consoleError = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => consoleError.mockRestore());
    const now = Math.floor(Date.now() / 1000);
    const impostor = impostorKey(bf.channelKey.kid);
    const cases: [string, string | null, string?][] = [
      ['no token', null],
      ['not Bearer', `Basic ${Buffer.from(`${APP_ID}:${APP_PASSWORD}`).toString('base64')}`],
      ['garbage', 'Bearer not.a.jwt'],
      ['signed by another key with the same kid', `Bearer ${bf.channelToken({}, impostor)}`],
      ['signed by an unknown key', `Bearer ${bf.channelToken({}, impostorKey('unknown-kid'))}`],
      ['audience is another app', `Bearer ${bf.channelToken({ aud: 'another-app-id' })}`],
      ['issuer is not the Bot Framework', `Bearer ${bf.channelToken({ iss: 'https://evil.example' })}`],
      ['serviceurl claim names another connector', `Bearer ${bf.channelToken({ serviceurl: 'https://evil.example/' })}`],
      ['expired (beyond the 5 minutes of skew)', `Bearer ${bf.channelToken({ nbf: now - 7200, exp: now - 600 })}`],
      ['not yet valid', `Bearer ${bf.channelToken({ nbf: now + 3600, exp: now + 7200 })}`],
      ['channel the key does not endorse', `Bearer ${bf.channelToken()}`, 'facebook'],
    ];
    expect(ENDORSEMENTS).not.toContain('facebook');
    for (const [name, authorization, channelId] of cases) {
      const chat = conversation(channelId);
      const response = await post(chat.message('where is my order A1001'), authorization);
      expect({ name, status: response.status }).toEqual({ name, status: 401 });
      expect(await errorCode(response)).toBe('unauthorized');
      expect(await host.stores.conversations.findByKey(chat.key)).toBeUndefined();
    }
    await host.turns.drain();
    expect(bf.connectorCalls.filter((call) => !call.authorized)).toEqual([]);
    expect(host.sink.lines).toContainEqual(
      expect.objectContaining({ msg: 'Bot Framework request refused: authentication failed', reason: expect.stringMatching(/Invalid AppId/) as unknown }),
    );
    expect(host.sink.text).not.toContain(APP_PASSWORD);
  });

  it('does nothing with a replayed activity (same id): one message recorded, one reply', async () => {
    const chat = conversation();
    const activity = chat.message('when are you open?');
    expect((await post(activity)).status).toBe(200);
    expect((await post(activity)).status).toBe(200);
    await nextReply(chat.id, /.+/);
    await host.turns.drain();
    expect(bf.callsFor(chat.id)).toHaveLength(1);
    const stored = await host.stores.conversations.findByKey(chat.key);
    const transcript = await host.stores.conversations.transcript(stored?.id ?? '');
    expect(transcript.filter((entry) => entry.from === 'customer').map((entry) => entry.text)).toEqual(['when are you open?']);
  });

  it('acknowledges conversationUpdate, typing, event, endOfConversation and invoke, and none reaches the bot', async () => {
    const chat = conversation();
    const base = { channelId: chat.channelId, serviceUrl: bf.serviceUrl, conversation: { id: chat.id }, recipient: BOT, timestamp: new Date().toISOString() };
    const activities = [
      { ...base, type: 'conversationUpdate', id: `${chat.id}|u1`, from: chat.user, membersAdded: [chat.user, BOT] },
      { ...base, type: 'typing', id: `${chat.id}|t1`, from: chat.user },
      { ...base, type: 'event', id: `${chat.id}|e1`, from: chat.user, name: 'webchat/join', value: { text: 'I want to talk to a person' } },
      { ...base, type: 'endOfConversation', id: `${chat.id}|x1`, from: chat.user, text: 'where is my order A1001' },
      { ...base, type: 'messageReaction', id: `${chat.id}|r1`, from: chat.user, reactionsAdded: [{ type: 'like' }] },
    ];
    for (const activity of activities) expect((await post(activity)).status).toBe(200);
    const invoke = await post({ ...base, type: 'invoke', id: `${chat.id}|i1`, from: chat.user, name: 'adaptiveCard/action', value: { action: {} } });
    expect(invoke.status).toBe(200);

    await host.turns.drain();
    expect(await host.stores.conversations.findByKey(chat.key)).toBeUndefined();
    expect(bf.callsFor(chat.id)).toEqual([]);
  });

  it('refuses malformed requests with 4xx JSON', async () => {
    const chat = conversation();
    const cases: [Promise<Response>, number, string][] = [
      [post(undefined, undefined, { body: '{"type":"message",' }), 400, 'invalid_json'],
      [post(undefined, undefined, { body: '[1,2]' }), 400, 'invalid_activity'],
      [post({ ...chat.message('hi'), type: undefined }), 400, 'invalid_activity'],
      [post({ ...chat.message('hi'), type: '' }), 400, 'invalid_activity'],
      [post(undefined, undefined, { body: 'type=message', contentType: 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type'],
      [post(chat.message('x'.repeat(300 * 1024))), 413, 'payload_too_large'],
      [post(chat.message('where is my order', { conversation: {} })), 400, 'invalid_activity'],
      [post(chat.message('where is my order', { serviceUrl: undefined })), 400, 'invalid_activity'],
      [post(chat.message('where is my order', { id: undefined })), 400, 'invalid_activity'],
      [post(chat.message('a'.repeat(5000))), 400, 'text_too_long'],
      [fetch(endpoint), 405, 'method_not_allowed'],
    ];
    for (const [request, status, code] of cases) {
      const response = await request;
      expect({ status: response.status, code: await errorCode(response) }).toEqual({ status, code });
    }
    await host.turns.drain();
    expect(await host.stores.conversations.findByKey(chat.key)).toBeUndefined();
  });

  it('answers 503 when the signing keys cannot be loaded, and lets nothing through', async () => {
    const offline = await startTestHost({
      env: {
        MicrosoftAppId: APP_ID,
        MicrosoftAppPassword: APP_PASSWORD,
        BOTFRAMEWORK_OPENID_METADATA_URL: `${bf.url}/missing/openidconfiguration`,
      },
    });
    try {
      const chat = conversation();
      const response = await fetch(`${offline.url}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${bf.channelToken()}` },
        body: JSON.stringify(chat.message('hello')),
      });
      expect(response.status).toBe(503);
      expect(await errorCode(response)).toBe('authentication_unavailable');
      expect(await offline.stores.conversations.findByKey(chat.key)).toBeUndefined();
      expect(offline.sink.lines).toContainEqual(
        expect.objectContaining({ msg: 'Bot Framework: authentication endpoints differ from Microsoft public cloud' }),
      );
    } finally {
      await offline.stop();
    }
  });

  it('is disabled without MicrosoftAppId and MicrosoftAppPassword: /api/messages answers 404', async () => {
    const disabled = await startTestHost({ env: { MicrosoftAppId: APP_ID } });
    try {
      const response = await fetch(`${disabled.url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(404);
      expect(await errorCode(response)).toBe('route_not_found');
    } finally {
      await disabled.stop();
    }
    const deps = (env: Record<string, string>) => ({ config: loadConfig(env), logger: host.logger }) as unknown as ChannelDependencies;
    expect(createBotFrameworkChannel(deps({}))).toEqual({ disabled: 'botframework', missing: ['MicrosoftAppId', 'MicrosoftAppPassword'] });
    expect(createBotFrameworkChannel(deps({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }))).toEqual({
      disabled: 'botframework',
      missing: ['MicrosoftAppTenantId'],
    });
    expect(CHANNEL_FACTORIES).toContain(botFrameworkChannel);
  });
});

describe('Bot Framework channel: messages', () => {
  it('keeps emoji and HTML as plain text, both ways', async () => {
    const chat = conversation('webchat');
    const customerText = 'Où est ma commande? <b>A1001</b> & "vite" 👋🏽🇫🇷 <script>alert(1)</script>';
    expect((await post(chat.message(customerText))).status).toBe(200);
    await host.turns.drain();
    const stored = await host.stores.conversations.findByKey(chat.key);
    const transcript = await host.stores.conversations.transcript(stored?.id ?? '');
    expect(transcript.find((entry) => entry.from === 'customer')?.text).toBe(customerText);

    // An agent's answer with markup goes out exactly as written, flagged plain text.
    const agentClient = new AgentClient(host.url, agent);
    expect((await post(chat.message('I want to talk to a person'))).status).toBe(200);
    await nextReply(chat.id, /bringing in a person/);
    expect((await agentClient.claim(stored?.id)).status).toBe(200);
    const agentText = '<i>Bonjour</i> 😀 — *not bold* & <a href="x">link</a>';
    expect((await agentClient.send(stored?.id ?? '', agentText)).status).toBe(201);
    const reply = await nextReply(chat.id, agentText);
    expect(reply.body).toMatchObject({ text: agentText, textFormat: 'plain' });
    expect((await agentClient.release(stored?.id ?? '')).status).toBe(200);
  });

  it('carries attachments with their links, and reads a card submit (value) as text', async () => {
    const chat = conversation('msteams');
    const withFile = chat.message('', {
      attachments: [
        { contentType: 'image/png', contentUrl: 'https://directline.example/attachments/receipt.png', name: 'receipt.png' },
        { contentType: 'text/html', content: '<div>copy of the text</div>' },
      ],
    });
    expect((await post(withFile)).status).toBe(200);
    const submit = chat.message('', { value: { action: 'orderStatus', orderNumber: 'A1001' } });
    expect((await post(submit)).status).toBe(200);
    const mention = chat.message('<at>Switchboard</at> when are you open?', {
      entities: [{ type: 'mention', mentioned: BOT, text: '<at>Switchboard</at>' }],
    });
    expect((await post(mention)).status).toBe(200);
    await host.turns.drain();

    const stored = await host.stores.conversations.findByKey(chat.key);
    const customer = (await host.stores.conversations.transcript(stored?.id ?? '')).filter((entry) => entry.from === 'customer');
    expect(customer.map(({ text, attachments }) => ({ text, attachments }))).toEqual([
      { text: '', attachments: [{ contentType: 'image/png', url: 'https://directline.example/attachments/receipt.png', name: 'receipt.png' }] },
      { text: '{"action":"orderStatus","orderNumber":"A1001"}', attachments: undefined },
      { text: 'when are you open?', attachments: undefined },
    ]);
  });

  it('retries a send the connector refuses for now (503), and notes for agents one it refuses for good (403)', async () => {
    const chat = conversation();
    bf.failNext(503);
    expect((await post(chat.message('when are you open?'))).status).toBe(200);
    await host.turns.drain();
    const attempts = bf.callsFor(chat.id);
    expect(attempts).toHaveLength(2);
    expect(attempts[1]?.body.text).toBe(attempts[0]?.body.text);

    // Refused for good: the reply, then the apology the failed turn sends, are each tried once.
    bf.failNext(403, 403);
    expect((await post(chat.message('how much is express delivery?'))).status).toBe(200);
    await host.turns.drain();
    const stored = await host.stores.conversations.findByKey(chat.key);
    const transcript = await host.stores.conversations.transcript(stored?.id ?? '');
    expect(transcript.filter((entry) => entry.internal).map((entry) => entry.text)).toContainEqual(
      expect.stringMatching(/was not delivered: The Bot Framework connector did not accept the message \(HTTP 403\)/),
    );
    expect(bf.callsFor(chat.id)).toHaveLength(4);
  });

  it('escalates to a person: the agent answers through the Bot Connector, hears the customer, and hands back to the bot', async () => {
    const chat = conversation();
    const agentClient = new AgentClient(host.url, agent);
    const stream = await agentClient.stream();

    expect((await post(chat.message('I want to talk to a person'))).status).toBe(200);
    await nextReply(chat.id, /bringing in a person/);
    const stored = await host.stores.conversations.findByKey(chat.key);
    const conversationId = stored?.id ?? '';
    const queued = await stream.next((event) => event.event === 'queued');
    expect(JSON.parse(queued.data)).toMatchObject({ conversationId, reason: 'customer_request' });

    expect((await agentClient.claim(conversationId)).status).toBe(200);
    await nextReply(chat.id, /from our team has joined/);
    expect((await agentClient.send(conversationId, 'Hi, I am Ada. How can I help?')).status).toBe(201);
    const answer = await nextReply(chat.id, 'Hi, I am Ada. How can I help?');
    expect(answer.authorized).toBe(true);

    // The customer's answer reaches the agent, and the bot stays silent.
    const before = bf.callsFor(chat.id).length;
    expect((await post(chat.message('my parcel never arrived'))).status).toBe(200);
    const live = await stream.next(
      (event) => event.event === 'message' && (JSON.parse(event.data) as { entry: TranscriptEntry }).entry.text === 'my parcel never arrived',
    );
    expect(JSON.parse(live.data)).toMatchObject({ conversationId, entry: { from: 'customer' } });
    await host.turns.drain();
    expect(bf.callsFor(chat.id)).toHaveLength(before);

    // Release: the bot welcomes the customer back, over Bot Framework.
    expect((await agentClient.release(conversationId, 'refund started')).status).toBe(200);
    await nextReply(chat.id, /Thanks for waiting/);
    expect(bf.callsFor(chat.id).every((call) => call.authorized)).toBe(true);
    expect(texts(bf.callsFor(chat.id))).toEqual([
      expect.stringMatching(/bringing in a person/),
      expect.stringMatching(/from our team has joined/),
      'Hi, I am Ada. How can I help?',
      expect.stringMatching(/has left the conversation/),
      expect.stringMatching(/Thanks for waiting/),
      expect.stringMatching(/rate the help you got/), // CSAT (on by default)
    ]);
    stream.close();
  });
});
