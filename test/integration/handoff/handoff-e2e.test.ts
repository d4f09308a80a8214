import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/core/conversation.ts';
import type { HandoffRecord } from '../../../src/handoff/handoff-record.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// The whole handoff over real HTTP and real Redis: a customer on the web chat,
// agents on the agent API, the demo bot in between.
const sam = testAgent('sam', ['general', 'orders'], 2);
const kim = testAgent('kim', ['general'], 1);
const lee = testAgent('lee', ['returns'], 1);

interface Context {
  conversation: { status: string; channel: string };
  handoff: HandoffRecord;
  collected: Record<string, string>;
  transcript: TranscriptEntry[];
}

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost({
    redis: true,
    env: {
      AGENTS: agentsEnv([sam, kim, lee]),
      // Anything the bot is less than half sure of goes to a person.
      HANDOFF_THRESHOLD: '0.5',
      HANDOFF_AUTO_ASSIGN: 'false',
      HANDOFF_SKILLS: 'order.return=returns',
    },
  });
});
afterAll(async () => {
  await host.stop();
});

/** Waits until the customer's transcript has an entry matching `match` after `after`. */
async function customerSees(client: WebchatClient, match: (message: { from: string; text: string }) => boolean) {
  for (let tries = 0; tries < 200; tries += 1) {
    const found = (await client.messages()).find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the customer never saw the expected message');
}

describe('handoff end to end (web chat, agent API, Redis)', () => {
  it('escalates on low confidence, keeps context both ways, and gives the conversation back to the bot', async () => {
    const customer = await WebchatClient.start(host.url);
    const agent = new AgentClient(host.url, sam);
    const stream = await agent.stream();

    expect((await customer.ask('where is my order A1001')).text).toMatch(/A1001 .* shipped/);
    const escalated = await customer.ask('change an order');
    expect(escalated).toMatchObject({ from: 'system', text: expect.stringMatching(/bringing in a person.*number 1 in line/) as unknown });

    // Queued with its reason, and announced to agents at once.
    const queuedEvent = await stream.next((event) => event.event === 'queued');
    expect(JSON.parse(queuedEvent.data)).toMatchObject({ conversationId: customer.conversationId, reason: 'low_confidence' });
    const queue = await agent.json<{ conversations: { conversationId: string; reason: string; lastCustomerMessage: { text: string } }[] }>(
      'GET',
      '/queue',
    );
    expect(queue.conversations).toContainEqual(
      expect.objectContaining({
        conversationId: customer.conversationId,
        reason: 'low_confidence',
        lastCustomerMessage: expect.objectContaining({ text: 'change an order' }) as unknown,
      }),
    );

    // The agent claims it and sees everything the bot knew.
    const claim = await agent.claim(customer.conversationId);
    expect(claim.status).toBe(200);
    await customerSees(customer, (message) => message.from === 'system' && /Agent sam from our team has joined/.test(message.text));
    const context = await agent.context<Context>(customer.conversationId);
    expect(context.conversation).toMatchObject({ status: 'assigned', channel: 'webchat' });
    expect(context.handoff).toMatchObject({ reason: 'low_confidence', agentId: 'sam' });
    expect(context.handoff.evidence[0]?.score).toBeLessThan(0.5);
    expect(context.collected).toEqual({ orderNumber: 'A1001' });
    const botTurn = context.transcript.find((entry) => entry.from === 'bot');
    // The entities of the message answered are evidence too.
    expect(botTurn?.nlu).toEqual({
      intent: 'order.status',
      score: expect.any(Number) as unknown,
      entities: [{ entity: 'orderNumber', value: 'A1001' }],
    });
    expect(context.transcript.some((entry) => entry.internal && /low_confidence/.test(entry.text))).toBe(true);

    // The agent's reply reaches the customer.
    expect((await agent.send(customer.conversationId, "Hi, I'm Sam. It's sunny in Paris!")).status).toBe(201);
    await customerSees(customer, (message) => message.from === 'agent' && message.text === "Hi, I'm Sam. It's sunny in Paris!");

    // The customer's answer reaches the agent, and not the bot.
    const before = (await customer.messages()).length;
    await customer.send('great, thanks');
    const live = await stream.next(
      (event) => event.event === 'message' && (JSON.parse(event.data) as { entry: TranscriptEntry }).entry.text === 'great, thanks',
    );
    expect(JSON.parse(live.data)).toMatchObject({ conversationId: customer.conversationId, entry: { from: 'customer' } });
    await host.turns.drain();
    expect((await customer.messages()).slice(before).map((message) => message.from)).toEqual(['customer']);

    // Release: the bot takes back over with what it had collected.
    expect((await agent.release(customer.conversationId, 'told them about the weather')).status).toBe(200);
    const welcome = await customerSees(customer, (message) => message.from === 'bot' && /Thanks for waiting/.test(message.text));
    expect(welcome.text).toMatch(/order A1001/);
    const after = await agent.context<Context>(customer.conversationId).catch((error: unknown) => error);
    expect(after).toBeInstanceOf(Error); // no longer sam's to read
    expect((await host.stores.conversations.get(customer.conversationId))?.handoff).toMatchObject({
      releaseNote: 'told them about the weather',
      releasedAt: expect.any(Number) as unknown,
    });

    // The next turns go through NLU again, and the bot does not ask for the number it has.
    const answer = await customer.ask('where is my order?');
    expect(answer).toMatchObject({ from: 'bot', text: expect.stringMatching(/A1001 .* shipped/) as unknown });
    const visible = (await customer.messages()).map((message) => message.text);
    expect(visible.some((text) => text.includes('low_confidence'))).toBe(false);
    stream.close();
  });

  it('refuses agents without a valid token, and agents who do not hold the conversation', async () => {
    const customer = await WebchatClient.start(host.url);
    await customer.ask('I want to talk to a person');
    const owner = new AgentClient(host.url, kim);
    const other = new AgentClient(host.url, sam);

    const noToken = await fetch(`${host.url}/api/agent/me`);
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
    const badToken = await fetch(`${host.url}/api/agent/queue`, { headers: { authorization: `Bearer ${'x'.repeat(43)}` } });
    expect(badToken.status).toBe(401);

    expect((await owner.claim(customer.conversationId)).status).toBe(200);
    // Someone else got it.
    const taken = await other.claim(customer.conversationId);
    expect(taken.status).toBe(409);
    expect(((await taken.json()) as { error: { code: string } }).error.code).toBe('conversation_taken');

    for (const response of [
      await other.send(customer.conversationId, 'hijack'),
      await other.release(customer.conversationId),
      await other.transfer(customer.conversationId, { skill: 'general' }),
      await other.request('GET', `/conversations/${customer.conversationId}`),
    ]) {
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_your_conversation');
    }
    expect((await customer.messages()).map((message) => message.text)).not.toContain('hijack');

    // Kim is at capacity (1); with nothing waiting for Kim, a claim is 429 before 204.
    expect((await owner.claim()).status).toBe(429);
    expect((await owner.release(customer.conversationId)).status).toBe(200);
    expect((await owner.claim()).status).toBe(204);
  });

  it('keeps agents to their skills, and transfers to a skill or an agent', async () => {
    const customer = await WebchatClient.start(host.url);
    await customer.ask('I want to return order B2002');
    await host.turns.drain();
    const conversation = await host.stores.conversations.get(customer.conversationId);
    expect(conversation?.handoff).toMatchObject({ reason: 'dialog_request', skill: 'returns' });

    const generalist = new AgentClient(host.url, kim);
    const returnsAgent = new AgentClient(host.url, lee);
    const notEligible = await generalist.claim(customer.conversationId);
    expect(notEligible.status).toBe(403);
    expect(((await notEligible.json()) as { error: { code: string } }).error.code).toBe('not_eligible');
    expect((await generalist.request('GET', `/conversations/${customer.conversationId}`)).status).toBe(403);

    expect((await returnsAgent.claim()).status).toBe(200);
    // To the general queue…
    expect((await returnsAgent.transfer(customer.conversationId, { skill: 'general' })).status).toBe(200);
    await customerSees(customer, (message) => /passing you to our general team/.test(message.text));
    expect((await host.stores.conversations.get(customer.conversationId))?.status).toBe('queued');
    expect((await generalist.claim(customer.conversationId)).status).toBe(200);
    // …then straight to another agent, who must have room.
    expect((await generalist.transfer(customer.conversationId, { agentId: 'sam' })).status).toBe(200);
    await customerSees(customer, (message) => /Agent sam from our team has taken over/.test(message.text));
    const samClient = new AgentClient(host.url, sam);
    const me = await samClient.json<{ conversations: { conversationId: string }[] }>('GET', '/me');
    expect(me.conversations.map((held) => held.conversationId)).toContain(customer.conversationId);
    const unknownSkill = await samClient.transfer(customer.conversationId, { skill: 'astrology' });
    expect(unknownSkill.status).toBe(400);
    expect((await samClient.transfer(customer.conversationId, { agentId: 'nobody' })).status).toBe(404);
    expect((await samClient.release(customer.conversationId)).status).toBe(200);
  });

  it('refuses malformed agent requests with 4xx JSON and changes nothing', async () => {
    const agent = new AgentClient(host.url, sam);
    const cases: [Promise<Response>, number][] = [
      [fetch(`${host.url}/api/agent/queue/claim`, { method: 'POST', headers: { ...agent.auth, 'content-type': 'application/json' }, body: '{oops' }), 400],
      [agent.request('POST', '/queue/claim', { conversationId: 42 }), 400],
      [agent.request('POST', '/conversations/x/transfer', { skill: 'a', agentId: 'b' }), 400],
      [agent.request('POST', '/conversations/x/messages', { text: '' }), 400],
      [fetch(`${host.url}/api/agent/conversations/x/release`, { method: 'POST', headers: { ...agent.auth, 'content-type': 'text/plain' }, body: 'bye' }), 415],
    ];
    for (const [request, status] of cases) {
      const response = await request;
      expect(response.status).toBe(status);
      expect(((await response.json()) as { error: { code: string } }).error.code).toMatch(/^[a-z_]+$/);
    }
  });
});

describe('handoff across two hosts', () => {
  it('an agent connected to one host follows a customer who writes to another', async () => {
    const other = await startTestHost({
      redis: true,
      keyPrefix: host.keyPrefix,
      env: { AGENTS: agentsEnv([sam, kim, lee]), HANDOFF_AUTO_ASSIGN: 'false' },
    });
    try {
      const agent = new AgentClient(host.url, kim);
      const stream = await agent.stream();
      const customer = await WebchatClient.start(other.url);
      await customer.ask('can I speak to someone please');
      const queued = await stream.next((event) => event.event === 'queued');
      expect(JSON.parse(queued.data)).toMatchObject({ conversationId: customer.conversationId, reason: 'customer_request' });
      expect((await agent.claim(customer.conversationId)).status).toBe(200);
      await customer.send('are you there?');
      const message = await stream.next((event) => event.event === 'message' && event.data.includes('are you there?'));
      expect(JSON.parse(message.data)).toMatchObject({ conversationId: customer.conversationId });
      await agent.send(customer.conversationId, 'Yes, I am here.');
      await customerSees(customer, (entry) => entry.from === 'agent' && entry.text === 'Yes, I am here.');
      await agent.release(customer.conversationId);
      stream.close();
    } finally {
      await other.stop();
    }
  });

  it('two hosts never run turns of one conversation at once: each message gets exactly one reply', async () => {
    const other = await startTestHost({ redis: true, keyPrefix: host.keyPrefix, env: { AGENTS: agentsEnv([sam]) } });
    try {
      const onA = await WebchatClient.start(host.url);
      const onB = WebchatClient.resume(other.url, onA.conversationId, onA.token);
      // Each turn changes the dialog state (the order-number prompt and its retries).
      const sends = Array.from({ length: 10 }, (_, index) => (index % 2 === 0 ? onA : onB).send('where is my order'));
      expect((await Promise.all(sends)).map((response) => response.status)).toEqual(Array(10).fill(202));
      await Promise.all([host.turns.drain(), other.turns.drain()]);
      const messages = await onA.messages();
      expect(messages.filter((message) => message.from === 'customer')).toHaveLength(10);
      const replies = messages.filter((message) => message.from === 'bot');
      expect(replies).toHaveLength(10);
      expect(replies.every((reply) => /order number/.test(reply.text))).toBe(true);
    } finally {
      await other.stop();
    }
  });
});
