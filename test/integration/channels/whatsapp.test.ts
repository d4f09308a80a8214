import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/core/conversation.ts';
import { countCharacters } from '../../../src/core/text.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { FakeGraphApi, metaJson, metaSignature, postMetaWebhook, type GraphCall } from '../../support/fake-graph-api.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';

// The WhatsApp Cloud API end to end: payloads shaped and signed as Meta
// sends them, posted to the real app (real Redis); replies caught by a fake
// Graph API on loopback that checks the system-user token.
const APP_SECRET = 'whatsapp-test-app-secret';
const VERIFY_TOKEN = 'whatsapp-verify-token';
const ACCESS_TOKEN = 'EAAJB0WhatsAppSystemUserToken';
const PHONE_NUMBER_ID = '106540352242922';
const WABA_ID = '102290129340398';
const agent = testAgent('wes', ['general'], 5);

let host: TestHost;
let graph: FakeGraphApi;
let webhook: string;
let sequence = 0;

beforeAll(async () => {
  graph = await FakeGraphApi.start(ACCESS_TOKEN);
  host = await startTestHost({
    redis: true,
    env: {
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: VERIFY_TOKEN,
      WHATSAPP_ACCESS_TOKEN: ACCESS_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      GRAPH_API_BASE_URL: graph.url,
      AGENTS: agentsEnv([agent]),
      HANDOFF_AUTO_ASSIGN: 'false',
      MAX_MESSAGE_LENGTH: '10000',
    },
  });
  webhook = `${host.url}/webhooks/whatsapp`;
});
afterAll(async () => {
  await host.stop();
  await graph.close();
});

const newWaId = () => `1650555${String((sequence += 1) * 37).padStart(4, '0')}`;
const newWamid = () => `wamid.HBgLMTY1MDM4Nzk0MzkVAgASGBQzQTRBNjU5OUFFRTAzODEwMTQ0RgA${(sequence += 1).toString(36)}`;
const seconds = () => String(Math.floor(Date.now() / 1000));

/** One inbound message of the Cloud API (`value.messages[]`). */
function message(from: string, fields: Record<string, unknown>, id = newWamid()) {
  return { from, id, timestamp: seconds(), ...fields };
}
const text = (from: string, body: string, id?: string) => message(from, { type: 'text', text: { body } }, id);

/** A `messages` change of our number, carrying messages and/or statuses. */
function change(value: { messages?: unknown[]; statuses?: unknown[]; errors?: unknown[]; contacts?: unknown[] }) {
  return {
    field: 'messages',
    value: {
      messaging_product: 'whatsapp',
      metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
      ...value,
    },
  };
}
const account = (...changes: unknown[]) => ({ object: 'whatsapp_business_account', entry: [{ id: WABA_ID, changes }] });
const messages = (...items: unknown[]) => account(change({ contacts: [{ profile: { name: 'Sheena' }, wa_id: '16505551234' }], messages: items }));

const post = (payload: unknown) => postMetaWebhook(webhook, metaJson(payload), APP_SECRET);
const to = (waId: string) => (call: GraphCall) => call.body.to === waId;
const bodyOf = (call: GraphCall | undefined) => (call?.body.text as { body?: string } | undefined)?.body ?? '';
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
const conversationOf = (waId: string) => host.stores.conversations.findByKey(`wa:${PHONE_NUMBER_ID}:${waId}`);

async function transcriptOf(waId: string): Promise<TranscriptEntry[]> {
  const conversation = await conversationOf(waId);
  if (!conversation) throw new Error(`no conversation for ${waId}`);
  return host.stores.conversations.transcript(conversation.id);
}

describe('WhatsApp verification handshake', () => {
  it('answers the challenge as plain text when the verify token matches', async () => {
    const response = await fetch(`${webhook}?hub.mode=subscribe&hub.challenge=861044218&hub.verify_token=${VERIFY_TOKEN}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('861044218');
  });

  it('refuses a wrong verify token with 403 JSON', async () => {
    const response = await fetch(`${webhook}?hub.mode=subscribe&hub.challenge=1&hub.verify_token=${VERIFY_TOKEN}x`);
    expect(response.status).toBe(403);
    expect(await errorCode(response)).toBe('verification_failed');
  });
});

describe('WhatsApp webhook authenticity and input', () => {
  it('refuses forged, missing and re-serialized signatures, and nothing reaches the bot', async () => {
    const waId = newWaId();
    const payload = messages(text(waId, 'where is my order A1001'));
    const body = metaJson(payload);

    const forged = await postMetaWebhook(webhook, body, APP_SECRET, { 'x-hub-signature-256': metaSignature('messenger-secret', body) });
    expect(forged.status).toBe(403);
    expect(await errorCode(forged)).toBe('invalid_signature');
    const missing = await postMetaWebhook(webhook, body, APP_SECRET, {});
    expect(missing.status).toBe(401);
    expect(await errorCode(missing)).toBe('missing_signature');
    const reserialized = await postMetaWebhook(webhook, JSON.stringify(payload), APP_SECRET, {
      'x-hub-signature-256': metaSignature(APP_SECRET, `${body} `),
    });
    expect(reserialized.status).toBe(403);

    await host.turns.drain();
    expect(await conversationOf(waId)).toBeUndefined();
    expect(graph.callsWhere(to(waId))).toEqual([]);
  });

  it('answers malformed JSON 400 and acknowledges another object without acting on it', async () => {
    const malformed = await postMetaWebhook(webhook, "{'object': 'whatsapp_business_account'}", APP_SECRET);
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe('invalid_json');

    const waId = newWaId();
    const other = await post({ ...messages(text(waId, 'hello')), object: 'page' });
    expect(other.status).toBe(200);
    expect(await other.json()).toEqual({ received: true, ignored: true });
    await host.turns.drain();
    expect(await conversationOf(waId)).toBeUndefined();
  });
});

describe('WhatsApp messages', () => {
  it('answers a customer through the Cloud API with the access token', async () => {
    const waId = newWaId();
    expect((await post(messages(text(waId, 'where is my order A1001')))).status).toBe(200);
    const [reply] = await graph.waitFor(to(waId));
    expect(reply).toMatchObject({
      method: 'POST',
      path: `/v21.0/${PHONE_NUMBER_ID}/messages`,
      authorization: `Bearer ${ACCESS_TOKEN}`,
      status: 200,
    });
    expect(reply?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      type: 'text',
      text: { preview_url: false, body: expect.stringMatching(/A1001 .* shipped/) as unknown },
    });
    expect(await conversationOf(waId)).toMatchObject({
      channel: 'whatsapp',
      userId: waId,
      address: { phoneNumberId: PHONE_NUMBER_ID, waId },
    });
  });

  it('does nothing with a replayed wamid (one reply)', async () => {
    const waId = newWaId();
    const body = metaJson(messages(text(waId, 'when are you open?')));
    expect((await postMetaWebhook(webhook, body, APP_SECRET)).status).toBe(200);
    expect((await postMetaWebhook(webhook, body, APP_SECRET)).status).toBe(200);
    await graph.waitFor(to(waId));
    await host.turns.drain();
    expect(graph.callsWhere(to(waId))).toHaveLength(1);
  });

  it('answers every customer of a batched delivery', async () => {
    const [first, second, third] = [newWaId(), newWaId(), newWaId()];
    const response = await post({
      object: 'whatsapp_business_account',
      entry: [
        { id: WABA_ID, changes: [change({ messages: [text(first, 'when are you open?')] })] },
        { id: WABA_ID, changes: [change({ messages: [text(second, 'where is my order A1001'), text(third, 'how much is express delivery?')] })] },
      ],
    });
    expect(response.status).toBe(200);
    expect(bodyOf((await graph.waitFor(to(first)))[0])).toMatch(/open Monday to Friday/);
    expect(bodyOf((await graph.waitFor(to(second)))[0])).toMatch(/A1001/);
    expect(bodyOf((await graph.waitFor(to(third)))[0])).toMatch(/Express/);
  });

  it('records statuses, errors and reactions without giving them to the bot; a failed status is noted for agents', async () => {
    const waId = newWaId();
    const status = (id: string, value: string, extra: Record<string, unknown> = {}) => ({
      id,
      status: value,
      timestamp: seconds(),
      recipient_id: waId,
      ...extra,
    });
    const ours = newWamid();
    const response = await post(
      account(
        change({
          statuses: [
            status(ours, 'sent', { conversation: { id: 'c1', origin: { type: 'service' } }, pricing: { billable: false, category: 'service' } }),
            status(ours, 'delivered'),
            status(ours, 'read'),
          ],
          errors: [{ code: 131051, title: 'Message type unknown' }],
          messages: [message(waId, { type: 'reaction', reaction: { message_id: ours, emoji: '👍' } })],
        }),
        { field: 'account_update', value: { phone_number: '15550783881', event: 'VERIFIED_ACCOUNT' } },
      ),
    );
    expect(response.status).toBe(200);
    await host.turns.drain();
    expect(await conversationOf(waId)).toBeUndefined();
    expect(graph.callsWhere(to(waId))).toEqual([]);
    const statusLines = host.sink.lines.filter((line) => line.msg === 'whatsapp message status' && line.messageId === ours);
    expect(statusLines.map((line) => line.status)).toEqual(['sent', 'delivered', 'read']);
    const ignored = host.sink.lines.findLast((line) => line.msg === 'webhook events not for the bot' && line.channel === 'whatsapp');
    expect(ignored?.ignored).toMatchObject({ error: 1, reaction: 1, 'field:account_update': 1 });

    // Now a real conversation, then a message of ours that could not be delivered.
    await post(messages(text(waId, 'when are you open?')));
    await graph.waitFor(to(waId));
    await host.turns.drain();
    const failed = metaJson(
      account(change({ statuses: [status(newWamid(), 'failed', { errors: [{ code: 131047, title: 'Re-engagement message' }] })] })),
    );
    for (let attempt = 0; attempt < 2; attempt += 1) expect((await postMetaWebhook(webhook, failed, APP_SECRET)).status).toBe(200);
    const notes = (await transcriptOf(waId)).filter((entry) => entry.internal && /could not deliver/.test(entry.text));
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ from: 'system', text: expect.stringContaining('131047 Re-engagement message') as unknown });
    await host.turns.drain();
    expect(graph.callsWhere(to(waId))).toHaveLength(1);
  });

  it('routes interactive replies and quick-reply buttons like text', async () => {
    const [buttonUser, listUser, templateUser] = [newWaId(), newWaId(), newWaId()];
    await post(
      messages(
        message(buttonUser, {
          type: 'interactive',
          context: { from: '15550783881', id: newWamid() },
          interactive: { type: 'button_reply', button_reply: { id: 'hours', title: 'When are you open?' } },
        }),
        message(listUser, {
          type: 'interactive',
          interactive: { type: 'list_reply', list_reply: { id: 'delivery', title: 'Express delivery price', description: 'Costs' } },
        }),
        message(templateUser, { type: 'button', button: { text: 'Where is my order A1001', payload: 'track' } }),
      ),
    );
    expect(bodyOf((await graph.waitFor(to(buttonUser)))[0])).toMatch(/open Monday to Friday/);
    expect(bodyOf((await graph.waitFor(to(listUser)))[0])).toMatch(/Express/);
    expect(bodyOf((await graph.waitFor(to(templateUser)))[0])).toMatch(/A1001/);
    expect((await transcriptOf(buttonUser))[0]).toMatchObject({ from: 'customer', text: 'When are you open?' });
  });

  it('carries media as an id and type (no download), with the caption as text', async () => {
    const [imageUser, voiceUser] = [newWaId(), newWaId()];
    await post(
      messages(
        message(imageUser, {
          type: 'image',
          image: { id: '1479537139650973', mime_type: 'image/jpeg', sha256: 'HgkYkGx1nM+uZ2vbA9VkXkM3xWkT2FaGgQ8=', caption: 'my parcel arrived broken' },
        }),
        message(voiceUser, { type: 'audio', audio: { id: '1067249381023456', mime_type: 'audio/ogg; codecs=opus', sha256: 'abc=', voice: true } }),
      ),
    );
    await host.turns.drain();
    expect((await transcriptOf(imageUser))[0]).toMatchObject({
      from: 'customer',
      text: 'my parcel arrived broken',
      attachments: [{ contentType: 'image/jpeg', mediaId: '1479537139650973' }],
    });
    expect((await transcriptOf(voiceUser))[0]).toMatchObject({
      from: 'customer',
      text: '',
      attachments: [{ contentType: 'audio/ogg; codecs=opus', mediaId: '1067249381023456' }],
    });
  });

  it('keeps emoji and HTML as plain text', async () => {
    const waId = newWaId();
    const body = '<i>Olá</i> 😀👍🏾 <img src=x onerror=alert(1)> naïve “order” A1001?';
    await post(messages(text(waId, body)));
    await graph.waitFor(to(waId));
    expect((await transcriptOf(waId))[0]?.text).toBe(body);
  });

  it('retries a 429 until it goes through, and notes a permanent refusal in the transcript', async () => {
    const waId = newWaId();
    graph.answerNext({
      status: 429,
      headers: { 'retry-after': '0' },
      body: { error: { message: '(#130429) Rate limit hit', type: 'OAuthException', code: 130429 } },
    });
    await post(messages(text(waId, 'when are you open?')));
    await graph.waitFor((call) => to(waId)(call) && call.status === 200);
    expect(graph.callsWhere(to(waId)).map((call) => call.status)).toEqual([429, 200]);

    const refusedUser = newWaId();
    graph.answerNext({
      status: 400,
      body: { error: { message: '(#131026) Message undeliverable', type: 'OAuthException', code: 131026 } },
    });
    await post(messages(text(refusedUser, 'when are you open?')));
    await graph.waitFor(to(refusedUser));
    await host.turns.drain();
    const transcript = await transcriptOf(refusedUser);
    const bot = transcript.find((entry) => entry.from === 'bot');
    expect(transcript).toContainEqual(
      expect.objectContaining({ from: 'system', internal: true, text: `Message ${bot?.id} was not delivered: The platform refused the message (HTTP 400).` }),
    );
  });
});

describe('WhatsApp handoff and the 24-hour window', () => {
  it('carries agent messages inside the window and refuses them outside it (a template is needed)', async () => {
    const waId = newWaId();
    const wes = new AgentClient(host.url, agent);
    await post(messages(text(waId, 'I want to talk to a person')));
    await graph.waitFor((call) => to(waId)(call) && /bringing in a person/.test(bodyOf(call)));
    const conversation = await conversationOf(waId);
    if (!conversation) throw new Error('no conversation');
    expect((await wes.claim(conversation.id)).status).toBe(200);
    await graph.waitFor((call) => to(waId)(call) && /has joined/.test(bodyOf(call)));

    const hello = 'Oi! 👋 <b>Wes</b> here & ready';
    expect((await wes.send(conversation.id, hello)).status).toBe(201);
    await graph.waitFor((call) => to(waId)(call) && bodyOf(call) === hello);

    // A long message leaves in parts of at most 4,096 characters.
    const long = Array.from({ length: 100 }, (_, i) => `Line ${i}: the details of your refund and what happens next.`).join('\n');
    expect(long.length).toBeGreaterThan(5000);
    const before = graph.callsWhere(to(waId)).length;
    expect((await wes.send(conversation.id, long)).status).toBe(201);
    const parts = graph.callsWhere(to(waId)).slice(before).map(bodyOf);
    expect(parts).toHaveLength(2);
    for (const part of parts) expect(countCharacters(part)).toBeLessThanOrEqual(4096);
    expect(parts.join('\n')).toBe(long);

    // 30 hours since the customer wrote: free-form text is refused, and the agent is told why.
    await host.stores.conversations.update(conversation.id, { lastCustomerMessageAt: Date.now() - 30 * 3600_000 });
    const sentBefore = graph.callsWhere(to(waId)).length;
    const refused = await wes.send(conversation.id, 'Your refund was approved.');
    expect(refused.status).toBe(409);
    const error = ((await refused.json()) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe('outside_messaging_window');
    expect(error.message).toMatch(/template/);
    expect((await transcriptOf(waId)).some((entry) => entry.text === 'Your refund was approved.')).toBe(false);

    // Release outside the window: nothing goes out, the bot has it back.
    expect((await wes.release(conversation.id)).status).toBe(200);
    await host.turns.drain();
    expect((await conversationOf(waId))?.status).toBe('bot');
    expect(graph.callsWhere(to(waId))).toHaveLength(sentBefore);

    // The customer writes: the window reopens.
    await post(messages(text(waId, 'when are you open?')));
    await graph.waitFor((call) => to(waId)(call) && /open Monday to Friday/.test(bodyOf(call)));
  });
});
