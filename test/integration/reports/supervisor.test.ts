import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAgentToken } from '../../../src/handoff/agent-directory.ts';
import type { SupervisorSummary } from '../../../src/reports/supervisor-summary.ts';
import { AgentClient, testAgent, type TestAgent } from '../../support/agent-client.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// The supervisor view over real HTTP and real Redis: a few conversations the
// bot keeps, two it hands over, two ratings; the summary and /metrics must
// add them up, and only agents with the supervisor role may read them.
const lead = testAgent('lead', ['general'], 2);
const sam = testAgent('sam', ['general', 'returns'], 5);

const agentsWithRoles = (agents: [TestAgent, string[]][]): string =>
  JSON.stringify(
    agents.map(([{ id, name, skills, capacity, token }, roles]) => ({ id, name, skills, capacity, tokenSha256: hashAgentToken(token), roles })),
  );

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost({
    redis: true,
    env: { AGENTS: agentsWithRoles([[lead, ['supervisor']], [sam, []]]), HANDOFF_AUTO_ASSIGN: 'false', HANDOFF_SKILLS: 'order.return=returns' },
  });
});
afterAll(async () => {
  await host.stop();
});

async function handOverAndRate(first: string, rating: string): Promise<void> {
  const customer = await WebchatClient.start(host.url);
  await customer.ask(first);
  await host.turns.drain();
  const agent = new AgentClient(host.url, sam);
  expect((await agent.claim(customer.conversationId)).status).toBe(200);
  expect((await agent.release(customer.conversationId)).status).toBe(200);
  await host.turns.drain();
  await customer.ask(rating);
}

const summary = (agent: TestAgent, query = '') =>
  fetch(`${host.url}/api/agent/supervisor/summary${query}`, { headers: { authorization: `Bearer ${agent.token}` } });

describe('the supervisor view', () => {
  it('is only for agents with the supervisor role', async () => {
    expect((await fetch(`${host.url}/api/agent/supervisor/summary`)).status).toBe(401);
    const refused = await summary(sam);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('not_a_supervisor');
    expect((await summary(lead)).status).toBe(200);
    expect((await new AgentClient(host.url, lead).json<{ roles: string[] }>('GET', '/me')).roles).toEqual(['supervisor']);
    expect((await new AgentClient(host.url, sam).json<{ roles: string[] }>('GET', '/me')).roles).toEqual([]);
    for (const query of ['?days=0', '?days=32', '?days=x', '?other=1']) expect((await summary(lead, query)).status).toBe(400);
  });

  it('adds up containment, escalations by reason and intent, queue waits, handle times and CSAT', async () => {
    for (const text of ['hello', 'where is my order A1001', 'when are you open?']) {
      await (await WebchatClient.start(host.url)).ask(text);
    }
    await handOverAndRate('I want to talk to a person', '5');
    await handOverAndRate('I want to return order B2002', '2');
    await host.turns.drain();

    const response = await summary(lead, '?days=1');
    expect(response.status).toBe(200);
    const figures = (await response.json()) as SupervisorSummary;
    expect(figures.period.days).toBe(1);
    expect(figures.conversations).toEqual({ bot: 5, escalated: 2, contained: 3, containmentRate: 0.6 });
    expect(figures.escalations.total).toBe(2);
    expect(figures.escalations.byReason).toMatchObject({ customer_request: 1, dialog_request: 1, low_confidence: 0 });
    expect(figures.escalations.byIntent).toEqual({ 'agent.request': 1, 'order.return': 1 });
    expect(figures.queueWait).toMatchObject({ samples: 2, p50: expect.any(Number) as unknown, p90: expect.any(Number) as unknown });
    expect(figures.handleTime).toMatchObject({ samples: 2, byAgent: [{ agentId: 'sam', name: 'Agent sam', conversations: 2 }] });
    expect(figures.csat).toEqual({ responses: 2, average: 3.5, satisfiedRate: 0.5, distribution: { '1': 0, '2': 1, '3': 0, '4': 0, '5': 1 } });
    expect(figures.live.queueDepth).toMatchObject({ general: 0, returns: 0 });

    const metrics = await (await fetch(`${host.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchboard_containment_rate 0\.6$/m);
    expect(metrics).toMatch(/^switchboard_bot_conversations_total 5$/m);
    expect(metrics).toMatch(/^switchboard_escalated_conversations_total 2$/m);
    expect(metrics).toMatch(/^switchboard_escalations_by_intent_total\{intent="order.return"\} 1$/m);
    expect(metrics).toMatch(/^switchboard_handle_time_seconds_count 2$/m);
    expect(metrics).toMatch(/^switchboard_csat_ratings_total\{rating="2"\} 1$/m);
  });

  it('serves its page under /console, with the same strict CSP', async () => {
    const page = await fetch(`${host.url}/console/supervisor.html`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/<script type="module" src="supervisor.js">/);
    expect((await fetch(`${host.url}/console/supervisor.js`)).status).toBe(200);
  });
});
