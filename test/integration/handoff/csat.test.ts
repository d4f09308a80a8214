import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TranscriptEntry } from '../../../src/core/conversation.ts';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient, type WebchatMessage } from '../../support/webchat-client.ts';

// CSAT over real HTTP and real Redis: the agent releases, the bot welcomes the
// customer back and asks for a 1–5 rating; the answer is stored with the
// conversation, noted for agents and counted; anything else is a normal message.
const sam = testAgent('sam', ['general'], 5);

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost({ redis: true, env: { AGENTS: agentsEnv([sam]), HANDOFF_AUTO_ASSIGN: 'false' } });
});
afterAll(async () => {
  await host.stop();
});

async function customerSees(client: WebchatClient, match: (message: WebchatMessage) => boolean): Promise<WebchatMessage> {
  for (let tries = 0; tries < 200; tries += 1) {
    const found = (await client.messages()).find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the customer never saw the expected message');
}

/** A customer who talked to Sam and was handed back; resolves once the rating question is shown. */
async function afterAnAgent(first = 'where is my order A1001'): Promise<{ customer: WebchatClient; question: WebchatMessage }> {
  const customer = await WebchatClient.start(host.url);
  await customer.ask(first);
  await customer.ask('I want to talk to a person');
  const agent = new AgentClient(host.url, sam);
  expect((await agent.claim(customer.conversationId)).status).toBe(200);
  expect((await agent.send(customer.conversationId, 'Hi, Sam here. All sorted!')).status).toBe(201);
  expect((await agent.release(customer.conversationId)).status).toBe(200);
  const question = await customerSees(customer, (message) => message.from === 'bot' && /rate the help you got/.test(message.text));
  return { customer, question };
}

const scrape = async () => (await fetch(`${host.url}/metrics`)).text();

describe('CSAT after a release', () => {
  it('welcomes the customer back, asks for a rating, and stores, notes and counts the answer', async () => {
    const { customer, question } = await afterAnAgent();
    const bot = (await customer.messages()).filter((message) => message.from === 'bot');
    const welcome = bot.find((message) => /Thanks for waiting/.test(message.text));
    expect(welcome?.text).toMatch(/order A1001/);
    expect(welcome?.id).toBeLessThan(question.id);
    expect(question.text).toBe(
      'If you have a moment: how would you rate the help you got from our team? Reply with a number from 1 (poor) to 5 (excellent).',
    );

    expect((await customer.ask('⭐⭐⭐⭐')).text).toBe('Thank you for your rating!');
    const conversation = await host.stores.conversations.get(customer.conversationId);
    expect(conversation?.handoff).toMatchObject({ agentId: 'sam', csat: { rating: 4, at: expect.any(Number) as unknown } });
    const transcript: TranscriptEntry[] = await host.stores.conversations.transcript(customer.conversationId);
    expect(transcript.some((entry) => entry.internal && entry.text === 'The customer rated the help 4/5 (agent sam).')).toBe(true);
    expect(await scrape()).toMatch(/switchboard_csat_ratings_total\{rating="4"\} 1/);

    // The question is answered: the conversation goes on as usual.
    expect((await customer.ask('where is my order?')).text).toMatch(/A1001 .* shipped/);
  });

  it('takes words and digits, and is sorry about a low rating', async () => {
    const first = await afterAnAgent();
    expect((await first.customer.ask('I would give it a two')).text).toMatch(/sorry it wasn't better/);
    expect((await host.stores.conversations.get(first.customer.conversationId))?.handoff?.csat?.rating).toBe(2);

    const second = await afterAnAgent('hello');
    expect((await second.customer.ask('5/5!')).text).toBe('Thank you for your rating!');
    expect((await host.stores.conversations.get(second.customer.conversationId))?.handoff?.csat?.rating).toBe(5);
  });

  it('does not hold a customer who answers something else: the message goes to the bot, nothing is rated', async () => {
    const { customer } = await afterAnAgent('hello');
    expect((await customer.ask('what are your opening hours?')).text).toMatch(/Harbour Street/);
    await host.turns.drain();
    expect((await host.stores.conversations.get(customer.conversationId))?.handoff?.csat).toBeUndefined();
  });
});

describe('CSAT switched off', () => {
  it('only welcomes the customer back (CSAT_ENABLED=false)', async () => {
    const off = await startTestHost({ redis: true, env: { AGENTS: agentsEnv([sam]), HANDOFF_AUTO_ASSIGN: 'false', CSAT_ENABLED: 'false' } });
    try {
      const customer = await WebchatClient.start(off.url);
      await customer.ask('I want to talk to a person');
      const agent = new AgentClient(off.url, sam);
      expect((await agent.claim(customer.conversationId)).status).toBe(200);
      expect((await agent.release(customer.conversationId)).status).toBe(200);
      await customerSees(customer, (message) => /Thanks for waiting/.test(message.text));
      await off.turns.drain();
      expect((await customer.messages()).some((message) => /rate the help/.test(message.text))).toBe(false);
    } finally {
      await off.stop();
    }
  });
});
