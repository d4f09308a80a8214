import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashAgentToken } from '../../src/handoff/agent-directory.ts';
import { AgentClient, testAgent } from '../support/agent-client.ts';
import { launchBrowser, openPage, screenshot, unnamedControls } from '../support/browser.ts';
import { FakeBusinessApi } from '../support/fake-business-api.ts';
import { startTestHost, type TestHost } from '../support/test-host.ts';
import { WebchatClient } from '../support/webchat-client.ts';

// In Chromium: the console shows a known customer's profile, recent orders
// and cases from the business's API, and a supervisor opens the supervisor
// view from it; an agent without the role is told the view is not theirs.
const lead = testAgent('lead', ['general'], 3);
const sam = testAgent('sam', ['general'], 3);

let host: TestHost;
let browser: Browser;
let api: FakeBusinessApi;
beforeAll(async () => {
  api = await FakeBusinessApi.start();
  const agents = JSON.stringify(
    [
      { ...lead, roles: ['supervisor'] },
      { ...sam, roles: [] },
    ].map(({ id, name, skills, capacity, token, roles }) => ({ id, name, skills, capacity, tokenSha256: hashAgentToken(token), roles })),
  );
  [host, browser] = await Promise.all([
    startTestHost({
      redis: true,
      env: {
        AGENTS: agents,
        HANDOFF_AUTO_ASSIGN: 'false',
        CONTEXT_PROVIDER: 'http',
        CONTEXT_HTTP_CUSTOMER_URL: `${api.url}/customers?channel={channel}&id={id}`,
        CONTEXT_HTTP_ORDER_URL: `${api.url}/orders/{orderNumber}`,
        CONTEXT_HTTP_CUSTOMER_ORDERS_URL: `${api.url}/customers/{customerId}/orders`,
        CONTEXT_HTTP_CUSTOMER_CASES_URL: `${api.url}/customers/{customerId}/cases`,
      },
    }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser.close();
  await host.stop();
  await api.stop();
});

describe('customer context and the supervisor view, in Chromium', () => {
  it('shows the profile and orders to the agent, and the figures to a supervisor', { timeout: 40_000 }, async () => {
    const customer = await WebchatClient.start(host.url);
    api.on('GET', `/customers?channel=webchat&id=${customer.conversationId}`, {
      status: 200,
      body: { id: 'C-9', name: 'Ines <b>Duarte</b>', email: 'ines@example.com', tier: 'Gold' },
    });
    api.on('GET', '/customers/C-9/orders', {
      status: 200,
      body: [{ orderNumber: 'Q4242', status: 'shipped', statusDate: '2026-11-29', items: ['Rain jacket'], total: 99 }],
    });
    api.on('GET', '/customers/C-9/cases', { status: 200, body: [{ id: 'CASE-7', subject: 'Wrong colour', status: 'open' }] });
    expect((await customer.ask('hello')).text).toMatch(/^Hi Ines!/);
    await customer.ask('I want to talk to a person');

    const { page: con, errors } = await openPage(browser, `${host.url}/console#token=${lead.token}`);
    await con.locator('#connection[data-state="connected"]').waitFor();
    await con.locator(`.ticket[data-conversation-id="${customer.conversationId}"]`).getByRole('button', { name: /^Claim/ }).click();
    const panel = con.locator(`.panel[data-conversation-id="${customer.conversationId}"]`);
    // Customer data is text, never markup.
    await panel.locator('.ctx-profile', { hasText: 'Ines <b>Duarte</b> · Gold · ines@example.com' }).waitFor();
    expect(await panel.locator('.ctx-profile b').count()).toBe(0);
    // The panel is titled with the business's name for the customer, as text.
    expect(await panel.locator('.panel__title').textContent()).toBe('Ines <b>Duarte</b>');
    expect(await panel.locator('.panel__title b').count()).toBe(0);
    await panel.locator('.ctx-orders .chip', { hasText: 'Q4242 · shipped 2026-11-29 · Rain jacket' }).waitFor();
    await panel.locator('.ctx-cases .chip', { hasText: 'CASE-7 · open · Wrong colour' }).waitFor();
    expect((await new AgentClient(host.url, lead).release(customer.conversationId)).status).toBe(200);
    await customer.ask('4');

    const link = con.getByRole('link', { name: 'Supervisor view' });
    await link.click();
    await con.waitForURL(/supervisor\.html$/);
    await con.locator('#containment-rate', { hasText: '0 %' }).waitFor();
    expect(await con.locator('#containment-detail').textContent()).toBe('0 of 1 conversations ended without an agent; 1 went to the queue.');
    await con.locator('#csat-average', { hasText: '4.0 / 5' }).waitFor();
    expect(await con.locator('#reasons').textContent()).toMatch(/The customer asked for a person\s*1/);
    expect(await con.locator('#handle-agents').textContent()).toMatch(/Agent lead\s*1/);
    expect(await unnamedControls(con)).toEqual([]);
    await screenshot(con, 'supervisor-desktop');
    expect(errors).toEqual([]);
  });

  it('tells an agent without the supervisor role that the view is not theirs', async () => {
    const { page: con, errors } = await openPage(browser, `${host.url}/console#token=${sam.token}`);
    await con.locator('#connection[data-state="connected"]').waitFor();
    expect(await con.getByRole('link', { name: 'Supervisor view' }).isVisible()).toBe(false);
    await con.goto(`${host.url}/console/supervisor.html`);
    await con.locator('#problem', { hasText: 'your agent does not have the supervisor role' }).waitFor();
    expect(await con.locator('#figures').isVisible()).toBe(false);
    expect(errors).toEqual([]);
  });
});
