import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, agentsEnv, testAgent } from '../support/agent-client.ts';
import { startTestHost, type TestHost } from '../support/test-host.ts';
import { WebchatClient } from '../support/webchat-client.ts';

const agent = testAgent('mia', ['general'], 2);
let host: TestHost;
beforeAll(async () => {
  host = await startTestHost({ redis: true, env: { AGENTS: agentsEnv([agent]), HANDOFF_AUTO_ASSIGN: 'false' } });
});
afterAll(async () => {
  await host.stop();
});

const scrape = async () => {
  const response = await fetch(`${host.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/text\/plain/);
  return response.text();
};
const value = (text: string, series: string): number => {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
};

describe('GET /metrics', () => {
  it('counts turns, escalations, queue depth, wait times and NLU latency, with no ids or text in labels', async () => {
    const customer = await WebchatClient.start(host.url);
    await customer.ask('hello');
    await customer.ask('I want to talk to a person please');
    let text = await scrape();
    expect(value(text, 'switchboard_turns_total{channel="webchat",outcome="answered"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'switchboard_turns_total{channel="webchat",outcome="escalated"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'switchboard_escalations_total{reason="customer_request",skill="general"}')).toBe(1);
    expect(value(text, 'switchboard_queue_depth{skill="general"}')).toBe(1);
    expect(value(text, 'switchboard_nlu_seconds_count')).toBeGreaterThanOrEqual(2);

    expect((await new AgentClient(host.url, agent).claim(customer.conversationId)).status).toBe(200);
    text = await scrape();
    expect(value(text, 'switchboard_queue_depth{skill="general"}')).toBe(0);
    expect(value(text, 'switchboard_queue_wait_seconds_count{skill="general"}')).toBe(1);
    expect(text).not.toContain(customer.conversationId);
    expect(text).not.toContain('talk to a person');
  });
});
