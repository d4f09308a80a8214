import { afterEach, describe, expect, it } from 'vitest';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { SseClient } from '../../support/sse-client.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// Waiting customers: their place in line, automatic assignment when an agent
// comes online or frees up, agents who vanish, and nobody answering in time.
const ana = testAgent('ana', ['general'], 1);
const bo = testAgent('bo', ['general'], 1);

let hosts: TestHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  hosts = [];
});

async function hostWith(env: Record<string, string>): Promise<TestHost> {
  const host = await startTestHost({
    redis: true,
    // The periodic sweep is driven by the tests (host.handoff.sweep) instead.
    env: { AGENTS: agentsEnv([ana, bo]), HANDOFF_SWEEP_MS: '3600000', ...env },
  });
  hosts.push(host);
  return host;
}

async function waitingCustomer(host: TestHost): Promise<WebchatClient> {
  const customer = await WebchatClient.start(host.url);
  await customer.ask('human please');
  return customer;
}

async function statusOf(host: TestHost, customer: WebchatClient) {
  return (await host.stores.conversations.get(customer.conversationId))?.status;
}

async function eventually(check: () => Promise<boolean>, what: string): Promise<void> {
  for (let tries = 0; tries < 200; tries += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('place in line', () => {
  it('tells each customer their place, and pushes the new one live as the line moves', async () => {
    const host = await hostWith({ HANDOFF_AUTO_ASSIGN: 'false' });
    const first = await waitingCustomer(host);
    const second = await WebchatClient.start(host.url);
    const stream = await SseClient.open(second.messagesUrl.replace(/messages$/, 'stream'), second.auth);
    const notice = await second.ask('can I talk to a person');
    expect(notice.text).toMatch(/number 2 in line/);
    expect(JSON.parse((await stream.next((event) => event.event === 'queue')).data)).toMatchObject({ position: 2, length: 2 });

    expect((await new AgentClient(host.url, ana).claim(first.conversationId)).status).toBe(200);
    const moved = await stream.next((event) => event.event === 'queue' && event.data.includes('"position":1'));
    expect(JSON.parse(moved.data)).toMatchObject({ position: 1, length: 1 });
    stream.close();
  });
});

describe('place in line after a reload', () => {
  it('a stream opened while waiting gets the current place at once', async () => {
    const host = await hostWith({ HANDOFF_AUTO_ASSIGN: 'false' });
    await waitingCustomer(host);
    const second = await waitingCustomer(host);
    const stream = await SseClient.open(second.messagesUrl.replace(/messages$/, 'stream'), second.auth);
    expect(JSON.parse((await stream.next((event) => event.event === 'queue')).data)).toMatchObject({ position: 2, length: 2 });
    stream.close();
  });
});

describe('automatic assignment', () => {
  it('gives a waiting conversation to an agent who comes online, and the next one when it frees up', async () => {
    const host = await hostWith({ HANDOFF_AUTO_ASSIGN: 'true' });
    const first = await waitingCustomer(host);
    const second = await waitingCustomer(host);
    expect(await statusOf(host, first)).toBe('queued');

    const agent = new AgentClient(host.url, ana);
    const stream = await agent.stream();
    const assigned = await stream.next((event) => event.event === 'assigned');
    expect(JSON.parse(assigned.data)).toMatchObject({ conversationId: first.conversationId, agentId: 'ana' });
    expect(await statusOf(host, first)).toBe('assigned');
    // Capacity 1: the second waits.
    expect(await statusOf(host, second)).toBe('queued');

    expect((await agent.release(first.conversationId)).status).toBe(200);
    await eventually(async () => (await statusOf(host, second)) === 'assigned', 'the second customer to be assigned');
    stream.close();
  });

  it('shares the work between agents, least loaded first', async () => {
    const host = await hostWith({ HANDOFF_AUTO_ASSIGN: 'true' });
    const streams = [await new AgentClient(host.url, ana).stream(), await new AgentClient(host.url, bo).stream()];
    const customers = [await waitingCustomer(host), await waitingCustomer(host)];
    await eventually(
      async () => (await Promise.all(customers.map((customer) => statusOf(host, customer)))).every((status) => status === 'assigned'),
      'both customers to be assigned',
    );
    const holders = await Promise.all(customers.map((customer) => host.stores.agentQueue.holder(customer.conversationId)));
    expect(new Set(holders)).toEqual(new Set(['ana', 'bo']));
    for (const stream of streams) stream.close();
  });
});

describe('an agent who disappears', () => {
  it('loses the conversation back to the head of the queue after the lease', async () => {
    const host = await hostWith({ HANDOFF_AUTO_ASSIGN: 'false', AGENT_LEASE_MS: '1000' });
    const lost = await waitingCustomer(host);
    const waiting = await waitingCustomer(host);
    expect((await new AgentClient(host.url, ana).claim(lost.conversationId)).status).toBe(200);

    // A sweep within the lease changes nothing; one after it requeues.
    await host.handoff.sweep(Date.now() + 500);
    expect(await statusOf(host, lost)).toBe('assigned');
    await host.handoff.sweep(Date.now() + 5_000);
    expect(await statusOf(host, lost)).toBe('queued');
    const notice = (await lost.messages()).at(-1);
    expect(notice?.text).toMatch(/disconnected\. You're back at the front of the line\. You're number 1 in line/);
    const order = await host.stores.agentQueue.waiting(['general']);
    expect(order.map((ticket) => ticket.conversationId)).toEqual([lost.conversationId, waiting.conversationId]);
  });

  it('keeps it while its live connection is open', async () => {
    const host = await hostWith({ HANDOFF_AUTO_ASSIGN: 'false', AGENT_LEASE_MS: '1000' });
    const customer = await waitingCustomer(host);
    const agent = new AgentClient(host.url, ana);
    const stream = await agent.stream();
    expect((await agent.claim(customer.conversationId)).status).toBe(200);
    // The sweep renews connected agents' leases before it reaps.
    await host.handoff.sweep(Date.now() + 5_000);
    expect(await statusOf(host, customer)).toBe('assigned');
    stream.close();
  });
});

describe('nobody claims in time', () => {
  it('tells the customer once, with the configured message, and keeps them in line', async () => {
    const host = await hostWith({
      HANDOFF_AUTO_ASSIGN: 'false',
      NO_AGENT_TIMEOUT_MS: '60000',
      NO_AGENT_MESSAGE: 'Sorry for the wait! Leave your e-mail and we will write back.',
    });
    const customer = await waitingCustomer(host);
    await host.handoff.sweep(Date.now() + 30_000);
    expect((await customer.messages()).some((message) => message.text.startsWith('Sorry for the wait!'))).toBe(false);
    await host.handoff.sweep(Date.now() + 61_000);
    await host.handoff.sweep(Date.now() + 90_000);
    const notices = (await customer.messages()).filter((message) => message.text.startsWith('Sorry for the wait!'));
    expect(notices).toHaveLength(1);
    expect(await statusOf(host, customer)).toBe('queued');
  });
});

describe('the zero-setup demo agent', () => {
  it('is created when no agents are configured, and its console URL is logged', async () => {
    const host = await startTestHost({ redis: false });
    hosts.push(host);
    expect(host.demoAgentToken).toBeDefined();
    const line = host.sink.lines.find((entry) => String(entry.msg).includes('/console#token='));
    expect(String(line?.msg)).toContain(`${host.url}/console#token=${host.demoAgentToken ?? ''}`);
    const me = await fetch(`${host.url}/api/agent/me`, { headers: { authorization: `Bearer ${host.demoAgentToken ?? ''}` } });
    expect(await me.json()).toMatchObject({ id: 'demo-agent', skills: ['general'], conversations: [] });
  });
});
