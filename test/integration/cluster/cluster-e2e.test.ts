import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/core/conversation.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// The whole path on a Redis Cluster (three masters, REDIS_CLUSTER_NODES): two
// hosts sharing it, a customer on the web chat of one and an agent on the
// other. Every script and multi-key command must keep to one slot, or the
// cluster refuses it (CROSSSLOT) and this fails.
const sam = testAgent('sam', ['general'], 2);

let hostA: TestHost;
let hostB: TestHost;
beforeAll(async () => {
  const env = { AGENTS: agentsEnv([sam]), HANDOFF_AUTO_ASSIGN: 'false' };
  hostA = await startTestHost({ redis: 'cluster', env });
  hostB = await startTestHost({ redis: 'cluster', keyPrefix: hostA.keyPrefix, env });
});
afterAll(async () => {
  await Promise.all([hostA.stop(), hostB.stop()]);
});

async function customerSees(client: WebchatClient, match: (message: { from: string; text: string }) => boolean) {
  for (let tries = 0; tries < 200; tries += 1) {
    const found = (await client.messages()).find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the customer never saw the expected message');
}

describe('web chat and handoff on a Redis Cluster', () => {
  it('answers, hands over to an agent on another host, carries messages both ways and hands back', async () => {
    expect(hostA.stores.kind).toBe('redis');
    const customer = await WebchatClient.start(hostA.url);
    const agent = new AgentClient(hostB.url, sam);
    const stream = await agent.stream();

    expect((await customer.ask('where is my order?')).text).toMatch(/What's the order number/);
    expect((await customer.ask('A1001')).text).toMatch(/A1001 .* shipped/);
    const escalated = await customer.ask('can I speak to someone please');
    expect(escalated).toMatchObject({ from: 'system', text: expect.stringMatching(/number 1 in line/) as unknown });
    const queued = await stream.next((event) => event.event === 'queued');
    expect(JSON.parse(queued.data)).toMatchObject({ conversationId: customer.conversationId, reason: 'customer_request' });

    expect((await agent.claim(customer.conversationId)).status).toBe(200);
    const context = await agent.context<{ collected: Record<string, string>; transcript: TranscriptEntry[] }>(customer.conversationId);
    expect(context.collected).toEqual({ orderNumber: 'A1001' });
    expect(context.transcript.filter((entry) => entry.from === 'customer')).toHaveLength(3);

    await customer.send('are you there?');
    await stream.next((event) => event.event === 'message' && event.data.includes('are you there?'));
    expect((await agent.send(customer.conversationId, 'Yes, Sam here.')).status).toBe(201);
    await customerSees(customer, (message) => message.from === 'agent' && message.text === 'Yes, Sam here.');

    expect((await agent.release(customer.conversationId)).status).toBe(200);
    await customerSees(customer, (message) => message.from === 'bot' && /order A1001/.test(message.text));
    await Promise.all([hostA.turns.drain(), hostB.turns.drain()]);
    stream.close();
  });
});
