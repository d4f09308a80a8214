import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { FakeEventReceiver, type ReceivedDelivery } from '../../support/fake-event-receiver.ts';
import { FakeTwilioApi } from '../../support/fake-twilio-api.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// Outbound events over real HTTP and real Redis: a receiver on loopback
// checks each delivery's HMAC signature; one fails twice before accepting;
// subscriptions come from EVENT_WEBHOOKS and from the API; a pending
// delivery survives the host that stored it.
const SECRET = `whsec_${randomBytes(16).toString('hex')}`;
const API_KEY = `sk_events_${randomBytes(16).toString('hex')}`;
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const PUBLIC_BASE_URL = 'https://events.example.test';
const OUR_NUMBER = '+14155550166';
const sam = testAgent('sam', ['general'], 5);

let receiver: FakeEventReceiver;
let twilioApi: FakeTwilioApi;
let host: TestHost;

const hostEnv = (extra: Record<string, string> = {}) => ({
  EVENT_WEBHOOKS: JSON.stringify([{ id: 'crm', url: receiver.url, secret: SECRET }]),
  EVENT_WEBHOOK_RETRY_BASE_MS: '50',
  API_KEYS: API_KEY,
  AGENTS: agentsEnv([sam]),
  HANDOFF_AUTO_ASSIGN: 'false',
  TWILIO_ACCOUNT_SID: ACCOUNT_SID,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  TWILIO_API_BASE_URL: twilioApi.url,
  PUBLIC_BASE_URL,
  ...extra,
});

beforeAll(async () => {
  [receiver, twilioApi] = await Promise.all([FakeEventReceiver.start(SECRET), FakeTwilioApi.start(ACCOUNT_SID, AUTH_TOKEN)]);
  host = await startTestHost({ redis: true, env: hostEnv() });
});
afterAll(async () => {
  await host.stop();
  await Promise.all([receiver.stop(), twilioApi.stop()]);
});

const about = (conversationId: string) => (delivery: ReceivedDelivery) => delivery.event.data.conversationId === conversationId;
const accepted = (conversationId: string, type: string) => (delivery: ReceivedDelivery) =>
  about(conversationId)(delivery) && delivery.event.type === type && delivery.status < 300;

function api(method: string, path: string, body?: unknown, key: string | null = API_KEY): Promise<Response> {
  return fetch(`${host.url}/api/event-subscriptions${path}`, {
    method,
    headers: {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('outbound events', () => {
  it('signs each delivery with HMAC-SHA256 and retries a receiver that fails twice before accepting', async () => {
    receiver.failNext(500, 503);
    const customer = await WebchatClient.start(host.url);
    await customer.ask('I want to talk to a person');
    await receiver.waitFor(accepted(customer.conversationId, 'conversation.escalated'));

    const attempts = receiver.received.filter(about(customer.conversationId)).filter((delivery) => delivery.event.type === 'conversation.escalated');
    expect(attempts.map((delivery) => delivery.status)).toEqual([500, 503, 204]);
    expect(attempts.every((delivery) => delivery.signed)).toBe(true);
    expect(attempts.map((delivery) => delivery.headers['x-switchboard-attempt'])).toEqual(['1', '2', '3']);
    expect(new Set(attempts.map((delivery) => delivery.headers['x-switchboard-delivery'])).size).toBe(1);
    expect(new Set(attempts.map((delivery) => delivery.body)).size).toBe(1); // the same event, byte for byte
    const [first] = attempts;
    expect(first?.headers).toMatchObject({
      'content-type': 'application/json',
      'x-switchboard-event': 'conversation.escalated',
      'x-switchboard-signature-256': expect.stringMatching(/^sha256=[0-9a-f]{64}$/) as unknown,
    });
    expect(first?.event).toEqual({
      id: expect.stringMatching(/^evt_/) as unknown,
      type: 'conversation.escalated',
      occurredAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as unknown,
      data: {
        conversationId: customer.conversationId,
        channel: 'webchat',
        userId: expect.any(String) as unknown,
        reason: 'customer_request',
        skill: 'general',
        priority: 5,
        intent: 'agent.request',
      },
    });

    // Counted when the receiver's answer is back, which can be a moment after it saw the request.
    const metrics = async () => (await fetch(`${host.url}/metrics`)).text();
    await expect.poll(metrics).toMatch(/switchboard_event_deliveries_total\{event="conversation.escalated",outcome="delivered"\} [1-9]/);
    expect(await metrics()).toMatch(/switchboard_event_deliveries_total\{event="conversation.escalated",outcome="retried"\} 2/);
    const warnings = host.sink.lines.filter((line) => line.msg === 'event delivery failed; will retry' && line.eventId === first?.event.id);
    expect(warnings.map((line) => line.problem)).toEqual(['HTTP 500', 'HTTP 503']);
    expect(host.sink.text).not.toContain(SECRET);
  });

  it('tells the business when a conversation is claimed, released and rated', async () => {
    const customer = await WebchatClient.start(host.url);
    await customer.ask('I want to talk to a person');
    const agent = new AgentClient(host.url, sam);
    expect((await agent.claim(customer.conversationId)).status).toBe(200);
    expect((await agent.release(customer.conversationId, 'refund approved')).status).toBe(200);
    await host.turns.drain();
    expect((await customer.ask('5')).text).toBe('Thank you for your rating!');

    const [claimed] = await receiver.waitFor(accepted(customer.conversationId, 'conversation.claimed'));
    expect(claimed?.event.data).toMatchObject({ agentId: 'sam', skill: 'general', waitSeconds: expect.any(Number) as unknown });
    const [released] = await receiver.waitFor(accepted(customer.conversationId, 'conversation.released'));
    expect(released?.event.data).toMatchObject({ agentId: 'sam', note: 'refund approved', handleSeconds: expect.any(Number) as unknown });
    const [rated] = await receiver.waitFor(accepted(customer.conversationId, 'csat.received'));
    expect(rated?.event.data).toEqual({ conversationId: customer.conversationId, channel: 'webchat', userId: expect.any(String) as unknown, rating: 5, agentId: 'sam' });
  });

  it('tells the business when an SMS customer opts out (conversation.closed), once', async () => {
    const from = '+15550187001';
    const sms = async (body: string) => {
      const sid = `SM${randomBytes(16).toString('hex')}`;
      const params = { MessageSid: sid, AccountSid: ACCOUNT_SID, From: from, To: OUR_NUMBER, Body: body, NumMedia: '0' };
      const response = await fetch(`${host.url}/webhooks/twilio`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}/webhooks/twilio`, params),
        },
        body: new URLSearchParams(params).toString(),
      });
      expect(response.status).toBe(200);
    };
    await sms('hello');
    await sms('STOP');
    const conversation = await host.stores.conversations.findByKey(`sms:${OUR_NUMBER}:${from}`);
    const [closed] = await receiver.waitFor(accepted(conversation?.id ?? '', 'conversation.closed'));
    expect(closed?.event.data).toMatchObject({ channel: 'sms', userId: from, reason: 'opted_out' });
    await host.turns.drain();
    expect(receiver.of('conversation.closed').filter(about(conversation?.id ?? ''))).toHaveLength(1);
  });

  it('manages subscriptions through the API: secret shown once, events filtered, deletion stops deliveries', async () => {
    const other = await FakeEventReceiver.start('placeholder-secret-to-be-replaced');
    try {
      expect((await api('GET', '', undefined, null)).status).toBe(401);
      expect((await api('POST', '', { url: 'ftp://example.com/hook' })).status).toBe(400);
      expect((await api('POST', '', { url: other.url, events: ['conversation.nothing'] })).status).toBe(400);

      const created = await api('POST', '', { url: other.url, events: ['conversation.escalated'], secret: 'placeholder-secret-to-be-replaced' });
      expect(created.status).toBe(201);
      const subscription = (await created.json()) as { id: string; secret: string; events: string[]; source: string };
      expect(subscription).toMatchObject({ events: ['conversation.escalated'], source: 'api', secret: 'placeholder-secret-to-be-replaced' });

      const generated = await api('POST', '', { url: `${other.url}?second` });
      const second = (await generated.json()) as { id: string; secret: string; events: string[] };
      expect(second.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(second.events).toHaveLength(5);

      const listed = (await (await api('GET', '')).json()) as { subscriptions: Record<string, unknown>[] };
      expect(listed.subscriptions.map((item) => item.id)).toEqual(['crm', subscription.id, second.id]);
      expect(JSON.stringify(listed)).not.toContain('placeholder-secret');
      expect(JSON.stringify(listed)).not.toContain(second.secret);
      expect((await api('DELETE', `/${second.id}`)).status).toBe(204);

      const customer = await WebchatClient.start(host.url);
      await customer.ask('can I speak to a human please');
      const [delivery] = await other.waitFor(about(customer.conversationId));
      expect(delivery).toMatchObject({ signed: true, status: 204 });
      expect(delivery?.event.type).toBe('conversation.escalated');

      expect((await api('DELETE', `/${subscription.id}`)).status).toBe(204);
      expect((await api('DELETE', `/${subscription.id}`)).status).toBe(404);
      const configured = await api('DELETE', '/crm');
      expect(configured.status).toBe(409);

      const later = await WebchatClient.start(host.url);
      await later.ask('can I speak to a human please');
      await receiver.waitFor(accepted(later.conversationId, 'conversation.escalated'));
      expect(other.received.filter(about(later.conversationId))).toEqual([]);
    } finally {
      await other.stop();
    }
  });

  it('keeps a pending delivery in Redis: another host delivers it after the first one stops', async () => {
    const keyPrefix = `${host.keyPrefix}-restart`;
    // Host A retries only after 2 s, and stops before that.
    const a = await startTestHost({ redis: true, keyPrefix, env: hostEnv({ EVENT_WEBHOOK_RETRY_BASE_MS: '2000' }) });
    receiver.failNext(500);
    const customer = await WebchatClient.start(a.url);
    await customer.ask('I want to talk to a person');
    const [failed] = await receiver.waitFor(about(customer.conversationId));
    expect(failed?.status).toBe(500);
    await a.stop();

    const b = await startTestHost({ redis: true, keyPrefix, env: hostEnv() });
    try {
      const [delivered] = await receiver.waitFor(accepted(customer.conversationId, 'conversation.escalated'));
      expect(delivered?.headers['x-switchboard-delivery']).toBe(failed?.headers['x-switchboard-delivery']);
      expect(delivered?.headers['x-switchboard-attempt']).toBe('2');
      // Logged when the receiver's answer is back, which can be a moment after it saw the request.
      await expect
        .poll(() => b.sink.lines.some((line) => line.msg === 'event delivered' && line.eventId === failed?.event.id))
        .toBe(true);
    } finally {
      await b.stop();
    }
  });
});
