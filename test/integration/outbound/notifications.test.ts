import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/core/conversation.ts';
import { FakeGraphApi, metaJson, postMetaWebhook, type GraphCall } from '../../support/fake-graph-api.ts';
import { FakeTwilioApi } from '../../support/fake-twilio-api.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// POST /api/notifications over real HTTP and real Redis, with SMS through a
// fake Twilio API, WhatsApp and Messenger through a fake Graph API (both on
// loopback), and the customers' replies posted as the platforms sign them.
const API_KEY = `sk_live_${randomBytes(16).toString('hex')}`;
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const PUBLIC_BASE_URL = 'https://notify.example.test';
const OUR_NUMBER = '+14155550177';
const APP_SECRET = 'notifications-meta-app-secret';
const GRAPH_TOKEN = 'EAAJB0NotificationsToken';
const PHONE_NUMBER_ID = '106540352242999';
const PAGE_ID = '104123456789099';

let host: TestHost;
let twilioApi: FakeTwilioApi;
let graph: FakeGraphApi;
let sequence = 0;

beforeAll(async () => {
  [twilioApi, graph] = await Promise.all([FakeTwilioApi.start(ACCOUNT_SID, AUTH_TOKEN), FakeGraphApi.start(GRAPH_TOKEN)]);
  host = await startTestHost({
    redis: true,
    env: {
      API_KEYS: `some-other-key-0000000000, ${API_KEY}`,
      TWILIO_ACCOUNT_SID: ACCOUNT_SID,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      TWILIO_API_BASE_URL: twilioApi.url,
      PUBLIC_BASE_URL,
      META_APP_SECRET: APP_SECRET,
      META_VERIFY_TOKEN: 'notifications-verify-token',
      WHATSAPP_ACCESS_TOKEN: GRAPH_TOKEN,
      WHATSAPP_PHONE_NUMBER_ID: PHONE_NUMBER_ID,
      MESSENGER_PAGE_ACCESS_TOKEN: GRAPH_TOKEN,
      GRAPH_API_BASE_URL: graph.url,
      HANDOFF_AUTO_ASSIGN: 'false',
    },
  });
});
afterAll(async () => {
  await host.stop();
  await Promise.all([twilioApi.stop(), graph.close()]);
});

const newPhone = () => `+1555019${String((sequence += 1)).padStart(4, '0')}`;
const newWaId = () => `1650777${String((sequence += 1)).padStart(4, '0')}`;
const newPsid = () => `${6_100_000_000_000_000 + (sequence += 1) * 7919}`;

function notify(body: unknown, key: string | null = API_KEY): Promise<Response> {
  return fetch(`${host.url}/api/notifications`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key === null ? {} : { authorization: `Bearer ${key}` }) },
    body: JSON.stringify(body),
  });
}
const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

/** A customer's SMS, signed as Twilio signs it. */
async function sms(from: string, body: string): Promise<void> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = { MessageSid: sid, SmsSid: sid, AccountSid: ACCOUNT_SID, From: from, To: OUR_NUMBER, Body: body, NumMedia: '0' };
  const response = await fetch(`${host.url}/webhooks/twilio`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}/webhooks/twilio`, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  expect(response.status).toBe(200);
}

/** A customer's WhatsApp text, signed as Meta signs it. */
async function whatsapp(waId: string, body: string): Promise<void> {
  const payload = {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: PHONE_NUMBER_ID },
              messages: [{ from: waId, id: `wamid.N${(sequence += 1)}${Date.now()}`, timestamp: String(Math.floor(Date.now() / 1000)), type: 'text', text: { body } }],
            },
          },
        ],
      },
    ],
  };
  expect((await postMetaWebhook(`${host.url}/webhooks/whatsapp`, metaJson(payload), APP_SECRET)).status).toBe(200);
}

/** A customer's Messenger text, signed as Meta signs it. */
async function messenger(psid: string, text: string): Promise<void> {
  const payload = {
    object: 'page',
    entry: [{ id: PAGE_ID, time: Date.now(), messaging: [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: Date.now(), message: { mid: `m_${(sequence += 1)}x${Date.now()}`, text } }] }],
  };
  expect((await postMetaWebhook(`${host.url}/webhooks/messenger`, metaJson(payload), APP_SECRET)).status).toBe(200);
}

async function transcript(conversationId: string): Promise<TranscriptEntry[]> {
  return host.stores.conversations.transcript(conversationId);
}

const waTo = (waId: string) => (call: GraphCall) => call.body.to === waId;
const waText = (call: GraphCall | undefined) => (call?.body.text as { body?: string } | undefined)?.body ?? '';

describe('POST /api/notifications: authentication and input', () => {
  it('needs one of the API_KEYS as a bearer token', async () => {
    const body = { channel: 'sms', to: newPhone(), from: OUR_NUMBER, text: 'hello' };
    const none = await notify(body, null);
    expect(none.status).toBe(401);
    expect(await errorCode(none)).toBe('unauthorized');
    expect((await notify(body, `${API_KEY}x`)).status).toBe(401);
    expect((await notify(body, 'short')).status).toBe(401);
    expect(twilioApi.to(body.to)).toEqual([]);
  });

  it('refuses malformed notifications with 4xx JSON, sending nothing', async () => {
    const to = newPhone();
    const cases: [unknown, number, string][] = [
      [{ channel: 'sms', to, text: 'no sender' }, 400, 'invalid_body'],
      [{ channel: 'sms', to, from: OUR_NUMBER }, 400, 'invalid_body'],
      [{ channel: 'sms', to, from: OUR_NUMBER, text: '   ' }, 400, 'empty_text'],
      [{ channel: 'sms', to: 'not-a-number', from: OUR_NUMBER, text: 'hi' }, 400, 'invalid_body'],
      [{ channel: 'botframework', to, text: 'hi' }, 400, 'invalid_body'],
      [{ channel: 'sms', to, from: OUR_NUMBER, template: { name: 'order_shipped', language: 'en_US' } }, 400, 'template_not_supported'],
      [{ channel: 'sms', to, from: OUR_NUMBER, text: 'hi', context: { 'bad key': 'x' } }, 400, 'invalid_body'],
      [{ channel: 'sms', to, from: OUR_NUMBER, text: 'x'.repeat(5000) }, 400, 'text_too_long'],
      [{ channel: 'webchat', to: 'no-such-conversation', text: 'hi' }, 404, 'conversation_not_found'],
    ];
    for (const [body, status, code] of cases) {
      const response = await notify(body);
      expect(response.status, JSON.stringify(body).slice(0, 80)).toBe(status);
      expect(await errorCode(response)).toBe(code);
    }
    const notJson = await fetch(`${host.url}/api/notifications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/plain' },
      body: 'hi',
    });
    expect(notJson.status).toBe(415);
    expect(twilioApi.to(to)).toEqual([]);
  });
});

describe('notifications on SMS', () => {
  it('starts a conversation by phone number, and the reply is answered with the notification as context', async () => {
    const customer = newPhone();
    const response = await notify({
      channel: 'sms',
      to: customer,
      from: OUR_NUMBER,
      text: 'Good news: your order A1001 has shipped!',
      context: { orderNumber: 'A1001' },
    });
    expect(response.status).toBe(201);
    const result = (await response.json()) as { conversationId: string; messageId: number; sentAs: string; created: boolean; channel: string };
    expect(result).toMatchObject({ channel: 'sms', sentAs: 'text', created: true, messageId: expect.any(Number) as unknown });
    const [sent] = await twilioApi.waitFor(customer, 1);
    expect(sent).toMatchObject({ to: customer, from: OUR_NUMBER, body: 'Good news: your order A1001 has shipped!' });
    const conversation = await host.stores.conversations.findByKey(`sms:${OUR_NUMBER}:${customer}`);
    expect(conversation?.id).toBe(result.conversationId);
    const entries = await transcript(result.conversationId);
    expect(entries.find((entry) => entry.id === result.messageId)).toMatchObject({ from: 'bot', text: 'Good news: your order A1001 has shipped!' });
    expect(entries.some((entry) => entry.internal && /Notification from the business's systems/.test(entry.text))).toBe(true);

    // The customer answers the notification: the bot knows which order without asking.
    await sms(customer, 'when will it arrive?');
    const [, answer] = await twilioApi.waitFor(customer, 2);
    expect(answer?.body).toMatch(/Order A1001 \(Trail running shoes\) shipped on 24 November 2026 and should arrive by 28 November 2026/);
    await host.turns.drain();
    expect(twilioApi.to(customer).some((message) => /order number/i.test(message.body))).toBe(false);

    // A second notification finds the same conversation.
    const again = await notify({ channel: 'sms', to: customer, from: OUR_NUMBER, text: 'It is out for delivery today.' });
    expect(((await again.json()) as { conversationId: string; created: boolean })).toMatchObject({ conversationId: result.conversationId, created: false });
  });

  it('is never sent to a number that opted out (409 opted_out), until it opts back in', async () => {
    const customer = newPhone();
    await sms(customer, 'STOP');
    await host.turns.drain();
    const refused = await notify({ channel: 'sms', to: customer, from: OUR_NUMBER, text: 'Your order shipped.' });
    expect(refused.status).toBe(409);
    expect(await errorCode(refused)).toBe('opted_out');
    const conversation = await host.stores.conversations.findByKey(`sms:${OUR_NUMBER}:${customer}`);
    expect((await transcript(conversation?.id ?? '')).some((entry) => entry.text === 'Your order shipped.')).toBe(false);
    expect(twilioApi.to(customer)).toEqual([]);

    await sms(customer, 'START');
    expect((await notify({ channel: 'sms', to: customer, from: OUR_NUMBER, text: 'Welcome back.' })).status).toBe(201);
    expect((await twilioApi.waitFor(customer, 1))[0]?.body).toBe('Welcome back.');
  });

  it('greets a customer the demo customer file knows by name', async () => {
    await sms('+447700900101', 'hello');
    const [greeting] = await twilioApi.waitFor('+447700900101', 1);
    expect(greeting?.body).toMatch(/^Hi Sam! I'm the assistant/);
  });
});

describe('notifications on WhatsApp', () => {
  it('outside the 24-hour window: free text is refused, a template goes out, and the reply has the context', async () => {
    const waId = newWaId();
    const text = await notify({ channel: 'whatsapp', to: `+${waId}`, text: 'Your order A1001 has shipped.' });
    expect(text.status).toBe(409);
    expect(await errorCode(text)).toBe('outside_messaging_window');
    expect(await host.stores.conversations.findByKey(`wa:${PHONE_NUMBER_ID}:${waId}`)).toBeUndefined();
    expect(graph.callsWhere(waTo(waId))).toEqual([]);

    const response = await notify({
      channel: 'whatsapp',
      to: `+${waId}`,
      text: 'Your order A1001 has shipped and should arrive by 28 November.',
      template: { name: 'order_shipped', language: 'en_US', parameters: ['A1001', '28 November'] },
      context: { orderNumber: 'A1001' },
    });
    expect(response.status).toBe(201);
    const result = (await response.json()) as { conversationId: string; sentAs: string };
    expect(result.sentAs).toBe('template');
    const [call] = await graph.waitFor(waTo(waId));
    expect(call).toMatchObject({ path: `/v21.0/${PHONE_NUMBER_ID}/messages`, authorization: `Bearer ${GRAPH_TOKEN}` });
    expect(call?.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: waId,
      type: 'template',
      template: {
        name: 'order_shipped',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'A1001' }, { type: 'text', text: '28 November' }] }],
      },
    });
    expect((await transcript(result.conversationId)).filter((entry) => entry.from === 'bot').map((entry) => entry.text)).toEqual([
      'Your order A1001 has shipped and should arrive by 28 November.',
    ]);

    // The customer replies: the window opens, and the bot answers for A1001 without asking.
    await whatsapp(waId, 'when will it arrive?');
    const [, answer] = await graph.waitFor(waTo(waId), 2);
    expect(waText(answer)).toMatch(/Order A1001 .* should arrive by 28 November 2026/);

    // Within the window, text goes as text.
    const inWindow = await notify({ channel: 'whatsapp', to: waId, text: 'It is out for delivery.', template: { name: 'order_shipped', language: 'en_US', parameters: ['A1001', 'today'] } });
    expect(((await inWindow.json()) as { sentAs: string }).sentAs).toBe('text');
    const [, , third] = await graph.waitFor(waTo(waId), 3);
    expect(third?.body).toMatchObject({ type: 'text', text: { body: 'It is out for delivery.' } });
  });

  it('sends a template alone at any time, shown in the transcript by name and parameters', async () => {
    const waId = newWaId();
    const response = await notify({ channel: 'whatsapp', to: waId, template: { name: 'delivery_update', language: 'en_GB', parameters: ['B2001'] } });
    expect(response.status).toBe(201);
    const { conversationId } = (await response.json()) as { conversationId: string };
    expect((await transcript(conversationId)).find((entry) => entry.from === 'bot')?.text).toBe('[WhatsApp template delivery_update (en_GB): B2001]');
  });

  it('reports a template Meta refuses as delivery_failed (502), noted for agents', async () => {
    const waId = newWaId();
    graph.answerNext({ status: 400, body: { error: { message: '(#132001) Template name does not exist in the translation', code: 132001 } } });
    const response = await notify({ channel: 'whatsapp', to: waId, template: { name: 'no_such_template', language: 'en_US' } });
    expect(response.status).toBe(502);
    expect(await errorCode(response)).toBe('delivery_failed');
    const conversation = await host.stores.conversations.findByKey(`wa:${PHONE_NUMBER_ID}:${waId}`);
    expect((await transcript(conversation?.id ?? '')).at(-1)).toMatchObject({ internal: true, text: expect.stringMatching(/not delivered/) as unknown });
  });
});

describe('notifications on Messenger and web chat', () => {
  it('Messenger: refused outside the window, sent as a RESPONSE within it', async () => {
    const psid = newPsid();
    const early = await notify({ channel: 'messenger', to: psid, from: PAGE_ID, text: 'Your order shipped.' });
    expect(early.status).toBe(409);
    expect(await errorCode(early)).toBe('outside_messaging_window');

    await messenger(psid, 'hello');
    await graph.waitFor((call) => (call.body.recipient as { id?: string } | undefined)?.id === psid);
    const response = await notify({ channel: 'messenger', to: psid, from: PAGE_ID, text: 'Your order B2001 was delivered.' });
    expect(response.status).toBe(201);
    const [sent] = await graph.waitFor(
      (call) => (call.body.message as { text?: string } | undefined)?.text === 'Your order B2001 was delivered.',
    );
    expect(sent?.body).toEqual({ recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'Your order B2001 was delivered.' } });
  });

  it('web chat: by conversation id, seen by the customer like any bot message', async () => {
    const customer = await WebchatClient.start(host.url);
    const response = await notify({ channel: 'webchat', to: customer.conversationId, text: 'Your return RMA-B2001 was received.', context: { orderNumber: 'B2001' } });
    expect(response.status).toBe(201);
    expect((await customer.messages()).map(({ from, text }) => ({ from, text }))).toEqual([{ from: 'bot', text: 'Your return RMA-B2001 was received.' }]);
    expect((await customer.ask('where is my order?')).text).toMatch(/Order B2001 .* delivered/);

    const template = await notify({ channel: 'webchat', conversationId: customer.conversationId, template: { name: 'x', language: 'en' } });
    expect(template.status).toBe(400);
  });

  it('counts notifications by channel and outcome', async () => {
    const text = await (await fetch(`${host.url}/metrics`)).text();
    expect(text).toMatch(/switchboard_notifications_total\{channel="sms",outcome="sent"\} [1-9]/);
    expect(text).toMatch(/switchboard_notifications_total\{channel="sms",outcome="refused"\} [1-9]/);
    expect(text).toMatch(/switchboard_notifications_total\{channel="whatsapp",outcome="failed"\} 1/);
    expect(text).not.toContain(API_KEY);
    expect(host.sink.text).not.toContain(API_KEY);
  });
});
