import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentsEnv, testAgent } from '../support/agent-client.ts';
import { agentStreamCutter, launchBrowser, openPage } from '../support/browser.ts';
import { startTestHost, type TestHost } from '../support/test-host.ts';
import { WebchatClient } from '../support/webchat-client.ts';

const agent = testAgent('rio', ['general'], 2);
const STREAM = '**/api/agent/stream';

let host: TestHost;
let browser: Browser;
let cutter: ReturnType<typeof agentStreamCutter>;
beforeAll(async () => {
  [host, browser] = await Promise.all([
    startTestHost({ redis: true, env: { AGENTS: agentsEnv([agent]), HANDOFF_AUTO_ASSIGN: 'false' } }),
    launchBrowser(),
  ]);
  cutter = agentStreamCutter(host.server);
});
afterAll(async () => {
  await browser.close();
  await host.stop();
});

describe('the console after a lost connection', () => {
  it('reconnects by itself and shows what it missed, once each, in order', { timeout: 30_000 }, async () => {
    const agentSide = await openPage(browser, `${host.url}/console#token=${agent.token}`);
    const con = agentSide.page;
    const connection = con.locator('#connection');
    await con.locator('#connection[data-state="connected"]').waitFor();

    const customer = await WebchatClient.start(host.url);
    await customer.ask('I want to talk to a person');
    await con.locator('.ticket').getByRole('button', { name: /^Claim/ }).click();
    const panel = con.locator(`.panel[data-conversation-id="${customer.conversationId}"]`);
    await customer.send('before the drop');
    await panel.locator('.entry--customer', { hasText: 'before the drop' }).waitFor();

    // The connection drops (cut on the server) and stays down (new attempts fail) while the customer writes twice.
    await con.route(STREAM, (route) => route.abort('connectionreset'));
    expect(cutter.cut()).toBe(1);
    await con.locator('#connection[data-state="reconnecting"]').waitFor();
    expect(await connection.textContent()).toMatch(/Reconnecting/);
    for (const text of ['first while away', 'second while away']) expect((await customer.send(text)).status).toBe(202);
    // Meanwhile another customer asks for a person: a queue event the console misses too.
    const other = await WebchatClient.start(host.url);
    await other.ask('can I speak to someone please');
    await host.turns.drain();
    expect(await panel.locator('.entry--customer', { hasText: 'while away' }).count()).toBe(0);

    // The network comes back: the console reconnects on its own and catches up.
    await con.unroute(STREAM);
    await con.locator('#connection[data-state="connected"]').waitFor({ timeout: 20_000 });
    await panel.locator('.entry--customer', { hasText: 'second while away' }).waitFor();
    const lines = await panel.locator('.entry--customer .entry__text').allTextContents();
    expect(lines).toEqual(['I want to talk to a person', 'before the drop', 'first while away', 'second while away']);
    const ids = (await panel.locator('.transcript > li').evaluateAll((items: { dataset: { id?: string } }[]) =>
      items.map((item) => Number(item.dataset.id)),
    ));
    expect(ids).toEqual([...new Set(ids)].sort((a, b) => a - b)); // no entry twice, in transcript order
    await con.locator(`.ticket[data-conversation-id="${other.conversationId}"]`).waitFor();
    await expect.poll(() => con.title()).toBe('(1) Switchboard console');

    // Live again: the next message arrives by the stream.
    await customer.send('after the reconnect');
    await panel.locator('.entry--customer', { hasText: 'after the reconnect' }).waitFor();
    expect(await panel.locator('.entry--customer', { hasText: 'while away' }).count()).toBe(2);
    expect(agentSide.errors).toEqual([]);
    await agentSide.context.close();
  });
});
