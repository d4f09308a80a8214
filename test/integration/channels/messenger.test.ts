import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/core/conversation.ts';
import { countCharacters } from '../../../src/core/text.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { FakeGraphApi, metaJson, metaSignature, postMetaWebhook, type GraphCall } from '../../support/fake-graph-api.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';

// Facebook Messenger end to end: payloads shaped and signed as Meta sends
// them, posted to the real app (real Redis); replies caught by a fake Graph
// API on loopback that checks the Page token.
const APP_SECRET = 'messenger-test-app-secret';
const VERIFY_TOKEN = 'messenger-verify-token';
const PAGE_TOKEN = 'EAAGm0PX4ZCpsBAFakePageToken';
const PAGE_ID = '104123456789012';
const agent = testAgent('ana', ['general'], 5);

let host: TestHost;
let graph: FakeGraphApi;
let webhook: string;
let sequence = 0;

beforeAll(async () => {
  graph = await FakeGraphApi.start(PAGE_TOKEN);
  host = await startTestHost({
    redis: true,
    env: {
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: VERIFY_TOKEN,
      MESSENGER_PAGE_ACCESS_TOKEN: PAGE_TOKEN,
      GRAPH_API_BASE_URL: graph.url,
      AGENTS: agentsEnv([agent]),
      HANDOFF_AUTO_ASSIGN: 'false',
      MAX_MESSAGE_LENGTH: '10000',
    },
  });
  webhook = `${host.url}/webhooks/messenger`;
});
afterAll(async () => {
  await host.stop();
  await graph.close();
});

const newPsid = () => `${7_000_000_000_000_000 + (sequence += 1) * 7919}`;
const newMid = () => `m_AbC${Date.now().toString(36)}${(sequence += 1).toString(36)}-Xy_zQ`;

/** One customer text, as a `messaging[]` event. */
function textEvent(psid: string, text: string, mid = newMid()) {
  return {
    sender: { id: psid },
    recipient: { id: PAGE_ID },
    timestamp: Date.now(),
    message: { mid, text },
  };
}

const page = (...messaging: unknown[]) => ({
  object: 'page',
  entry: [{ id: PAGE_ID, time: Date.now(), messaging }],
});

const post = (payload: unknown) => postMetaWebhook(webhook, metaJson(payload), APP_SECRET);
const to = (psid: string) => (call: GraphCall) => (call.body.recipient as { id?: string } | undefined)?.id === psid;
const textOf = (call: GraphCall | undefined) => (call?.body.message as { text?: string } | undefined)?.text ?? '';
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;
const conversationOf = (psid: string) => host.stores.conversations.findByKey(`fb:${PAGE_ID}:${psid}`);

async function transcriptOf(psid: string): Promise<TranscriptEntry[]> {
  const conversation = await conversationOf(psid);
  if (!conversation) throw new Error(`no conversation for ${psid}`);
  return host.stores.conversations.transcript(conversation.id);
}

describe('Messenger verification handshake', () => {
  it('answers the challenge as plain text when the verify token matches', async () => {
    const response = await fetch(`${webhook}?hub.mode=subscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1158201444`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(await response.text()).toBe('1158201444');
  });

  it('refuses a wrong token or mode with 403 JSON', async () => {
    for (const query of [
      `hub.mode=subscribe&hub.verify_token=guess&hub.challenge=1`,
      `hub.mode=unsubscribe&hub.verify_token=${VERIFY_TOKEN}&hub.challenge=1`,
      `hub.challenge=1`,
    ]) {
      const response = await fetch(`${webhook}?${query}`);
      expect(response.status).toBe(403);
      expect(await errorCode(response)).toBe('verification_failed');
    }
  });
});

describe('Messenger webhook authenticity and input', () => {
  it('refuses forged, missing and re-serialized signatures before reading the body', async () => {
    const psid = newPsid();
    const payload = page(textEvent(psid, 'where is my order A1001'));
    const body = metaJson(payload);

    const forged = await postMetaWebhook(webhook, body, APP_SECRET, { 'x-hub-signature-256': metaSignature('not-the-secret', body) });
    expect(forged.status).toBe(403);
    expect(await errorCode(forged)).toBe('invalid_signature');

    const missing = await postMetaWebhook(webhook, body, APP_SECRET, {});
    expect(missing.status).toBe(401);
    expect(await errorCode(missing)).toBe('missing_signature');

    // Only the legacy SHA-1 header: not enough.
    const sha1Only = await postMetaWebhook(webhook, body, APP_SECRET, { 'x-hub-signature': 'sha1=0000000000000000000000000000000000000000' });
    expect(sha1Only.status).toBe(401);

    // The same JSON, written differently: the signature is over the bytes, so it no longer matches.
    const reserialized = await postMetaWebhook(webhook, JSON.stringify(payload, null, 2), APP_SECRET, {
      'x-hub-signature-256': metaSignature(APP_SECRET, body),
    });
    expect(reserialized.status).toBe(403);

    const garbage = await postMetaWebhook(webhook, body, APP_SECRET, { 'x-hub-signature-256': 'sha256=zz' });
    expect(garbage.status).toBe(403);

    await host.turns.drain();
    expect(await conversationOf(psid)).toBeUndefined();
    expect(graph.callsWhere(to(psid))).toEqual([]);
  });

  it('answers malformed JSON 400, a payload without entries 400, and an oversized body 413', async () => {
    const malformed = await postMetaWebhook(webhook, '{"object":"page","entry":[', APP_SECRET);
    expect(malformed.status).toBe(400);
    expect(await errorCode(malformed)).toBe('invalid_json');

    const noEntries = await post({ object: 'page' });
    expect(noEntries.status).toBe(400);
    expect(await errorCode(noEntries)).toBe('invalid_payload');

    const huge = metaJson(page(textEvent(newPsid(), 'x'.repeat(300_000))));
    const tooLarge = await postMetaWebhook(webhook, huge, APP_SECRET);
    expect(tooLarge.status).toBe(413);
    expect(await errorCode(tooLarge)).toBe('payload_too_large');
  });

  it('acknowledges a signed payload for another object (200) and does nothing with it', async () => {
    const psid = newPsid();
    const response = await post({ object: 'instagram', entry: [{ id: PAGE_ID, time: Date.now(), messaging: [textEvent(psid, 'hello')] }] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ received: true, ignored: true });
    await host.turns.drain();
    expect(await conversationOf(psid)).toBeUndefined();
  });
});

describe('Messenger messages', () => {
  it('answers a customer through the Send API with the Page token', async () => {
    const psid = newPsid();
    const response = await post(page(textEvent(psid, 'where is my order A1001')));
    expect(response.status).toBe(200);

    const [reply] = await graph.waitFor(to(psid));
    expect(reply).toMatchObject({
      method: 'POST',
      path: '/v21.0/me/messages',
      authorization: `Bearer ${PAGE_TOKEN}`,
      status: 200,
      body: { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: expect.stringMatching(/A1001 .* shipped/) as unknown } },
    });
    expect(Object.keys(reply?.body ?? {}).sort()).toEqual(['message', 'messaging_type', 'recipient']);

    const conversation = await conversationOf(psid);
    expect(conversation).toMatchObject({ channel: 'messenger', userId: psid, address: { pageId: PAGE_ID, psid } });
    const transcript = await transcriptOf(psid);
    expect(transcript.map((entry) => entry.from)).toEqual(['customer', 'bot']);
  });

  it('counts the window from when the customer wrote: a message delivered 30 hours late gets no bot reply', async () => {
    const psid = newPsid();
    const late = { ...textEvent(psid, 'where is my order A1001'), timestamp: Date.now() - 30 * 3600_000 };
    expect((await post(page(late))).status).toBe(200);
    await host.turns.drain();
    expect((await conversationOf(psid))?.lastCustomerMessageAt).toBe(late.timestamp);
    expect(graph.callsWhere(to(psid))).toHaveLength(0);
    expect((await transcriptOf(psid)).map((entry) => entry.from)).toEqual(['customer']);
  });

  it('does nothing with a replayed message id (one reply)', async () => {
    const psid = newPsid();
    const body = metaJson(page(textEvent(psid, 'when are you open?')));
    for (let attempt = 0; attempt < 3; attempt += 1) {
      expect((await postMetaWebhook(webhook, body, APP_SECRET)).status).toBe(200);
    }
    await graph.waitFor(to(psid));
    await host.turns.drain();
    expect(graph.callsWhere(to(psid))).toHaveLength(1);
    expect((await transcriptOf(psid)).filter((entry) => entry.from === 'customer')).toHaveLength(1);
  });

  it('answers every customer of a batched delivery (several entries, several events)', async () => {
    const [first, second, third] = [newPsid(), newPsid(), newPsid()];
    const response = await post({
      object: 'page',
      entry: [
        { id: PAGE_ID, time: Date.now(), messaging: [textEvent(first, 'when are you open?')] },
        {
          id: PAGE_ID,
          time: Date.now(),
          messaging: [textEvent(second, 'where is my order A1001'), textEvent(third, 'how much is express delivery?')],
        },
      ],
    });
    expect(response.status).toBe(200);
    for (const psid of [first, second, third]) await graph.waitFor(to(psid));
    expect(textOf((await graph.waitFor(to(first)))[0])).toMatch(/open Monday to Friday/);
    expect(textOf((await graph.waitFor(to(second)))[0])).toMatch(/A1001/);
  });

  it('never gives echoes, receipts, reactions or standby events to the bot', async () => {
    const psid = newPsid();
    const response = await post({
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          time: Date.now(),
          messaging: [
            // Our own send, echoed back: sender is the page.
            { sender: { id: PAGE_ID }, recipient: { id: psid }, timestamp: Date.now(), message: { mid: newMid(), is_echo: true, app_id: 1517, text: 'It ships today.' } },
            { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), delivery: { mids: [newMid()], watermark: Date.now() } },
            { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), read: { watermark: Date.now() } },
            { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), reaction: { mid: newMid(), action: 'react', reaction: 'love', emoji: '❤' } },
          ],
          standby: [textEvent(psid, 'handled by another app')],
        },
      ],
    });
    expect(response.status).toBe(200);
    await host.turns.drain();
    expect(await conversationOf(psid)).toBeUndefined();
    expect(graph.callsWhere(to(psid))).toEqual([]);
    const line = host.sink.lines.find((entry) => entry.msg === 'webhook events not for the bot' && entry.channel === 'messenger');
    expect(line?.ignored).toMatchObject({ echo: 1, delivery: 1, read: 1, reaction: 1, standby: 1 });
    expect(host.sink.text).not.toContain('It ships today.');
  });

  it('routes a postback like text', async () => {
    const psid = newPsid();
    await post(
      page({
        sender: { id: psid },
        recipient: { id: PAGE_ID },
        timestamp: Date.now(),
        postback: { mid: newMid(), title: 'Opening hours', payload: 'when are you open?' },
      }),
    );
    const [reply] = await graph.waitFor(to(psid));
    expect(textOf(reply)).toMatch(/open Monday to Friday/);
    expect((await transcriptOf(psid))[0]).toMatchObject({ from: 'customer', text: 'when are you open?' });
  });

  it('carries an attachment-only message to the transcript with its URL', async () => {
    const psid = newPsid();
    const url = 'https://scontent.xx.fbcdn.net/v/t1.15752-9/448_n.jpg?_nc_cat=1&oh=00_AfB&oe=66A1';
    await post(
      page({
        sender: { id: psid },
        recipient: { id: PAGE_ID },
        timestamp: Date.now(),
        message: { mid: newMid(), attachments: [{ type: 'image', payload: { url } }] },
      }),
    );
    await host.turns.drain();
    const [first] = await transcriptOf(psid);
    expect(first).toMatchObject({ from: 'customer', text: '', attachments: [{ contentType: 'image', url }] });
  });

  it('keeps emoji and HTML as plain text', async () => {
    const psid = newPsid();
    const text = '<b>Hi</b> 👋🏽 <script>alert(1)</script> café & “quotes” — where is order A1001?';
    await post(page(textEvent(psid, text)));
    await graph.waitFor(to(psid));
    expect((await transcriptOf(psid))[0]?.text).toBe(text);
  });

  it('retries a rate-limited send (429) until it goes through', async () => {
    const psid = newPsid();
    graph.answerNext({
      status: 429,
      headers: { 'retry-after': '0' },
      body: { error: { message: '(#4) Application request limit reached', type: 'OAuthException', code: 4 } },
    });
    await post(page(textEvent(psid, 'when are you open?')));
    const calls = await graph.waitFor((call) => to(psid)(call) && call.status === 200);
    expect(calls).toHaveLength(1);
    expect(graph.callsWhere(to(psid)).map((call) => call.status)).toEqual([429, 200]);
    await host.turns.drain();
    expect((await transcriptOf(psid)).some((entry) => entry.internal)).toBe(false);
  });
});

describe('Messenger handoff and the 24-hour window', () => {
  it('carries agent messages (tagged HUMAN_AGENT after 24 hours, refused after 7 days) and survives refused notices', async () => {
    const psid = newPsid();
    const ana = new AgentClient(host.url, agent);
    await post(page(textEvent(psid, 'I want to talk to a person')));
    const [escalated] = await graph.waitFor(to(psid));
    expect(textOf(escalated)).toMatch(/bringing in a person/);
    const conversation = await conversationOf(psid);
    if (!conversation) throw new Error('no conversation');
    expect(conversation.status).toBe('queued');

    expect((await ana.claim(conversation.id)).status).toBe(200);
    await graph.waitFor((call) => to(psid)(call) && /has joined/.test(textOf(call)));

    // Inside the window: a plain RESPONSE, emoji and HTML untouched.
    const hello = 'Hi, Ana here 👋 <b>not bold</b> & café';
    expect((await ana.send(conversation.id, hello)).status).toBe(201);
    const [sent] = await graph.waitFor((call) => to(psid)(call) && textOf(call) === hello);
    expect(sent?.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: hello } });

    // A long message leaves in parts of at most 2,000 characters.
    const long = Array.from({ length: 90 }, (_, i) => `Sentence number ${i} of a long explanation from the agent.`).join(' ');
    expect(long.length).toBeGreaterThan(4000);
    const before = graph.callsWhere(to(psid)).length;
    expect((await ana.send(conversation.id, long)).status).toBe(201);
    const parts = graph.callsWhere(to(psid)).slice(before).map(textOf);
    expect(parts.length).toBe(3);
    for (const part of parts) expect(countCharacters(part)).toBeLessThanOrEqual(2000);
    expect(parts.join(' ')).toBe(long);

    // A permanent refusal: the agent hears it and the transcript notes it, for agents only.
    graph.answerNext({ status: 400, body: { error: { message: '(#100) No matching user found', type: 'OAuthException', code: 100 } } });
    const refused = await ana.send(conversation.id, 'Are you still there?');
    expect(refused.status).toBe(502);
    expect(await errorCode(refused)).toBe('delivery_failed');
    const noted = (await transcriptOf(psid)).at(-1);
    expect(noted).toMatchObject({ from: 'system', internal: true, text: expect.stringMatching(/not delivered/) as unknown });

    // 30 hours since the customer wrote: only a person, with the HUMAN_AGENT tag.
    await host.stores.conversations.update(conversation.id, { lastCustomerMessageAt: Date.now() - 30 * 3600_000 });
    expect((await ana.send(conversation.id, 'Your refund was approved today.')).status).toBe(201);
    const [tagged] = await graph.waitFor((call) => to(psid)(call) && textOf(call) === 'Your refund was approved today.');
    expect(tagged?.body).toEqual({
      recipient: { id: psid },
      messaging_type: 'MESSAGE_TAG',
      tag: 'HUMAN_AGENT',
      message: { text: 'Your refund was approved today.' },
    });

    // 8 days: nothing may go out, and nothing is recorded.
    await host.stores.conversations.update(conversation.id, { lastCustomerMessageAt: Date.now() - 8 * 24 * 3600_000 });
    const late = await ana.send(conversation.id, 'Hello again?');
    expect(late.status).toBe(409);
    expect(await errorCode(late)).toBe('outside_messaging_window');
    expect((await transcriptOf(psid)).some((entry) => entry.text === 'Hello again?')).toBe(false);

    // Release outside the window: the notice and the bot's welcome back are not sent, the release still happens.
    const sentBefore = graph.callsWhere(to(psid)).length;
    expect((await ana.release(conversation.id)).status).toBe(200);
    await host.turns.drain();
    expect((await conversationOf(psid))?.status).toBe('bot');
    expect(graph.callsWhere(to(psid))).toHaveLength(sentBefore);
    expect((await transcriptOf(psid)).some((entry) => /has left the conversation|Thanks for waiting/.test(entry.text))).toBe(false);

    // The customer writes again: the window is open and the bot answers.
    await post(page(textEvent(psid, 'when are you open?')));
    const [answer] = await graph.waitFor((call) => to(psid)(call) && /open Monday to Friday/.test(textOf(call)));
    expect(answer?.body).toMatchObject({ messaging_type: 'RESPONSE' });
    expect(JSON.stringify(graph.calls)).not.toMatch(/CONFIRMED_EVENT_UPDATE|ACCOUNT_UPDATE|POST_PURCHASE_UPDATE/);
  });
});

describe('Messenger without credentials', () => {
  it('is disabled: its routes answer 404 and the start-up log names what is missing', async () => {
    const bare = await startTestHost({ env: { META_APP_SECRET: APP_SECRET } });
    try {
      const response = await fetch(`${bare.url}/webhooks/messenger?hub.mode=subscribe&hub.verify_token=x&hub.challenge=1`);
      expect(response.status).toBe(404);
      expect(await errorCode(response)).toBe('route_not_found');
      expect(bare.sink.lines).toContainEqual(
        expect.objectContaining({ channel: 'messenger', missing: ['META_VERIFY_TOKEN', 'MESSENGER_PAGE_ACCESS_TOKEN'] }),
      );
    } finally {
      await bare.stop();
    }
  });
});
