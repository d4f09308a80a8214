import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerContext } from '../../../src/integrations/customer-context.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { FakeBusinessApi } from '../../support/fake-business-api.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// The generic HTTP context provider against a business API on loopback (real
// HTTP, real Redis): URL templates, the auth header, the TTL cache, and a
// provider that hangs or fails, which must never hold a turn beyond
// CONTEXT_TIMEOUT_MS.
const AUTH = 'Bearer crm-secret-token-123';
const agent = testAgent('olu', ['general'], 5);

let api: FakeBusinessApi;
let host: TestHost;

beforeAll(async () => {
  api = await FakeBusinessApi.start();
  host = await startTestHost({
    redis: true,
    env: {
      CONTEXT_PROVIDER: 'http',
      CONTEXT_HTTP_CUSTOMER_URL: `${api.url}/customers/lookup?channel={channel}&id={id}`,
      CONTEXT_HTTP_ORDER_URL: `${api.url}/orders/{orderNumber}`,
      CONTEXT_HTTP_CUSTOMER_ORDERS_URL: `${api.url}/customers/{customerId}/orders`,
      CONTEXT_HTTP_CUSTOMER_CASES_URL: `${api.url}/customers/{customerId}/cases`,
      CONTEXT_HTTP_AUTH_HEADER: `Authorization: ${AUTH}`,
      CONTEXT_TIMEOUT_MS: '300',
      CONTEXT_CACHE_TTL_MS: '60000',
      AGENTS: agentsEnv([agent]),
      HANDOFF_AUTO_ASSIGN: 'false',
    },
  });
});
afterAll(async () => {
  await host.stop();
  await api.stop();
});

const order = (orderNumber: string, status: string, statusDate: string, items: string[], extra: Record<string, unknown> = {}) => ({
  orderNumber,
  status,
  statusDate,
  items,
  total: 42,
  ...extra,
});

/** A web chat customer the business knows (looked up by conversation id). */
async function knownCustomer(customerId: string, name: string, firstName: string): Promise<WebchatClient> {
  const customer = await WebchatClient.start(host.url);
  api.on('GET', `/customers/lookup?channel=webchat&id=${customer.conversationId}`, {
    status: 200,
    body: { customer: { id: customerId, name, firstName, email: `${firstName.toLowerCase()}@example.com`, tier: 'Platinum' } },
  });
  return customer;
}

describe('the HTTP context provider', () => {
  it('greets a known customer by name and looks orders up through the API, with its auth header and cache', async () => {
    const customer = await knownCustomer('CUST-77', 'Priya Natarajan', 'Priya');
    expect((await customer.ask('hello')).text).toMatch(/^Hi Priya! I'm the assistant/);

    api.on('GET', '/orders/Z9001', { status: 200, body: order('Z9001', 'shipped', '2026-12-01', ['Kayak paddle'], { estimatedDelivery: '2026-12-04' }) });
    expect((await customer.ask('where is my order Z9001')).text).toMatch(/Order Z9001 \(Kayak paddle\) shipped on 1 December 2026 and should arrive by 4 December 2026/);
    expect((await customer.ask('where is order Z9001 now?')).text).toMatch(/Z9001 .* shipped/);
    expect(api.callsTo('/orders/Z9001')).toHaveLength(1); // the second answer came from the cache

    // 404 is "no such order", not a failure.
    expect((await customer.ask('where is my order Z9002')).text).toMatch(/couldn't find order Z9002/);
    expect(api.calls.length).toBeGreaterThanOrEqual(3);
    for (const call of api.calls) expect(call.authorization).toBe(AUTH);
    // The customer lookup was made once, then cached.
    expect(api.callsTo(`/customers/lookup?channel=webchat&id=${customer.conversationId}`)).toHaveLength(1);
  });

  it('greets an unknown customer without a name', async () => {
    const customer = await WebchatClient.start(host.url);
    expect((await customer.ask('hi there')).text).toMatch(/^Hi! I'm the assistant/);
  });

  it('never waits for a provider that hangs: the bot says it cannot check now and hands over to a person', async () => {
    api.on('GET', '/orders/Z9009', { hang: true });
    const customer = await WebchatClient.start(host.url);
    // The order API never answers; a reply at all means the turn gave up on it.
    const reply = await customer.ask('where is my order Z9009');
    expect(reply.text).toMatch(/can't check orders right now/);
    const handoff = await customer.waitForReply(reply.id);
    expect(handoff.text).toMatch(/bringing in a person/);
    const conversation = await host.stores.conversations.get(customer.conversationId);
    expect(conversation?.status).toBe('queued');
    expect(conversation?.handoff).toMatchObject({ reason: 'dialog_request', detail: expect.stringMatching(/did not answer .* Z9009/) as unknown });

    // The agent sees the order number the customer gave.
    const context = await new AgentClient(host.url, agent).context<{ collected: Record<string, string> }>(customer.conversationId);
    expect(context.collected).toMatchObject({ orderNumber: 'Z9009' });
  });

  it('treats a failing provider (5xx) the same way', async () => {
    api.on('GET', '/orders/Z9500', { status: 503, body: { error: 'maintenance' } });
    const customer = await WebchatClient.start(host.url);
    expect((await customer.ask('where is my order Z9500')).text).toMatch(/can't check orders right now/);
  });

  it('shows agents the profile, recent orders and cases; a customer lookup that hangs still shows the conversation', async () => {
    const customer = await knownCustomer('CUST-88', 'Tomás Ruiz', 'Tomás');
    api.on('GET', '/customers/CUST-88/orders', {
      status: 200,
      body: {
        orders: [
          order('Z8001', 'delivered', '2026-10-02', ['Tent pegs']),
          order('Z8003', 'processing', '2026-12-02', ['Headlamp', 'Batteries']),
          order('Z8002', 'shipped', '2026-11-20', ['Stove']),
        ],
      },
    });
    api.on('GET', '/customers/CUST-88/cases', { status: 200, body: [{ id: 'T-501', subject: 'Stove arrived dented', status: 'open', updatedAt: '2026-11-22' }] });
    await customer.ask('I want to talk to a person');
    const olu = new AgentClient(host.url, agent);
    const context = await olu.context<{ customer: { userId: string; channel: string } & CustomerContext }>(customer.conversationId);
    expect(context.customer).toMatchObject({
      channel: 'webchat',
      lookup: 'found',
      profile: { id: 'CUST-88', name: 'Tomás Ruiz', tier: 'Platinum' },
      cases: [{ id: 'T-501', subject: 'Stove arrived dented', status: 'open' }],
    });
    expect(context.customer.orders.map((item) => item.orderNumber)).toEqual(['Z8003', 'Z8002', 'Z8001']);

    // Nobody answers the customer lookup: the agent still gets the context, marked unavailable, in time.
    const stranger = await WebchatClient.start(host.url);
    api.on('GET', `/customers/lookup?channel=webchat&id=${stranger.conversationId}`, { hang: true });
    await stranger.ask('can I speak to someone please');
    const strangerContext = await olu.context<{ customer: CustomerContext; transcript: unknown[] }>(stranger.conversationId);
    expect(strangerContext.customer).toMatchObject({ lookup: 'unavailable', orders: [], cases: [] });
    expect(strangerContext.transcript.length).toBeGreaterThan(0);
  });

  it('counts lookups by operation and outcome in /metrics', async () => {
    const text = await (await fetch(`${host.url}/metrics`)).text();
    expect(text).toMatch(/switchboard_context_lookups_total\{operation="order",outcome="found"\} [1-9]/);
    expect(text).toMatch(/switchboard_context_lookups_total\{operation="order",outcome="unavailable"\} [1-9]/);
    expect(text).toMatch(/switchboard_context_lookups_total\{operation="customer",outcome="found"\} [1-9]/);
  });
});
