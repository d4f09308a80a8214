import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, agentsEnv, testAgent } from '../support/agent-client.ts';
import { isFocused, launchBrowser, openPage, unnamedControls } from '../support/browser.ts';
import { startTestHost, type TestHost } from '../support/test-host.ts';
import { WebchatClient } from '../support/webchat-client.ts';

// Signing in and out, what a claim can answer, the sound toggle, the
// messaging-window rules and the pages' accessibility basics.
const ada = testAgent('ada', ['general'], 1);
const bo = testAgent('bo', ['general', 'returns'], 3);
const CLAIM = '**/api/agent/queue/claim';

let host: TestHost;
let browser: Browser;
beforeAll(async () => {
  [host, browser] = await Promise.all([
    startTestHost({ redis: true, env: { AGENTS: agentsEnv([ada, bo]), HANDOFF_AUTO_ASSIGN: 'false' } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser.close();
  await host.stop();
});

async function waiting(con: Page, text: string): Promise<WebchatClient> {
  const customer = await WebchatClient.start(host.url);
  await customer.ask(text);
  await con.locator(`.ticket[data-conversation-id="${customer.conversationId}"]`).waitFor();
  return customer;
}

const claimButton = (con: Page, customer: WebchatClient) =>
  con.locator(`.ticket[data-conversation-id="${customer.conversationId}"]`).getByRole('button', { name: /^Claim/ });

describe('the agent console', () => {
  it('signs in with the form, explains every claim answer, and signs out', { timeout: 30_000 }, async () => {
    const { page: con, errors, context } = await openPage(browser, `${host.url}/console`);
    const tokenField = con.getByLabel('Agent token');
    await tokenField.waitFor();
    expect(await isFocused(tokenField)).toBe(true);
    expect(await unnamedControls(con)).toEqual([]);

    // Keyboard only: type, Enter. A wrong token is refused and says so.
    await con.keyboard.type('x'.repeat(43));
    await con.keyboard.press('Enter');
    await con.locator('#signin-error', { hasText: 'That token was not accepted' }).waitFor();
    await tokenField.fill(ada.token);
    await con.keyboard.press('Enter');
    await con.locator('#connection[data-state="connected"]').waitFor();
    expect(await con.evaluate("sessionStorage.getItem('switchboard.console.token')")).toBe(ada.token);
    expect(await con.locator('#agent-name').textContent()).toBe('Agent ada');
    // Labelled controls and live regions.
    expect(await unnamedControls(con)).toEqual([]);
    expect(await con.locator('#announcer').getAttribute('aria-live')).toBe('polite');
    expect(await con.locator('#notice').getAttribute('role')).toBe('alert');

    // 204: nothing waits.
    await con.getByRole('button', { name: 'Claim next' }).click();
    await con.locator('#notice', { hasText: 'Nobody is waiting in your skills right now.' }).waitFor();

    // 409: someone else gets there first.
    const first = await waiting(con, 'I want to talk to a person');
    const boApi = new AgentClient(host.url, bo);
    await con.route(CLAIM, async (route) => {
      expect((await boApi.claim(first.conversationId)).status).toBe(200);
      await route.continue();
    });
    await claimButton(con, first).click();
    await con.locator('#notice', { hasText: 'Someone else took that conversation' }).waitFor();
    await con.unroute(CLAIM);

    // 403: by the time of the click it waits for a skill this agent lacks.
    const second = await waiting(con, 'can I speak to someone please');
    await con.route(CLAIM, async (route) => {
      expect((await boApi.claim(second.conversationId)).status).toBe(200);
      expect((await boApi.transfer(second.conversationId, { skill: 'returns' })).status).toBe(200);
      await route.continue();
    });
    await claimButton(con, second).click();
    await con.locator('#notice', { hasText: 'That conversation waits for a skill you don’t have.' }).waitFor();
    await con.unroute(CLAIM);

    // 200, then 429: Ada's capacity is one.
    const third = await waiting(con, 'I want to talk to a person please');
    await claimButton(con, third).click();
    await con.locator(`.panel[data-conversation-id="${third.conversationId}"]`).waitFor();
    const fourth = await waiting(con, 'let me talk to an agent');
    await claimButton(con, fourth).click();
    await con.locator('#notice', { hasText: 'You already hold 1 of 1 conversations' }).waitFor();
    await con.getByRole('button', { name: 'Dismiss' }).click();
    expect(await con.locator('#notice').isHidden()).toBe(true);

    // Sound alerts: a toggle, remembered (it is not a secret; the token is not in localStorage).
    const sound = con.getByRole('button', { name: 'Sound alerts' });
    expect(await sound.getAttribute('aria-pressed')).toBe('false');
    await sound.click();
    expect(await sound.getAttribute('aria-pressed')).toBe('true');
    expect(await con.evaluate("localStorage.getItem('switchboard.console.sound')")).toBe('on');

    // Signing out forgets the token.
    await con.getByRole('button', { name: 'Sign out' }).click();
    await tokenField.waitFor();
    expect(await con.evaluate("sessionStorage.getItem('switchboard.console.token')")).toBeNull();
    expect(errors).toEqual([]);
    await context.close();
  });

  it("counts the reply against the server's message limit, from /api/agent/me", { timeout: 30_000 }, async () => {
    const { page: con, errors, context } = await openPage(browser, `${host.url}/console#token=${bo.token}`);
    // The server says its MAX_MESSAGE_LENGTH is 40 (the host runs with 4,096: the page must use what /me says).
    await con.route('**/api/agent/me', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...((await response.json()) as object), maxMessageLength: 40 } });
    });
    await con.locator('#connection[data-state="connected"]').waitFor();
    const customer = await waiting(con, 'I want to talk to a person');
    await claimButton(con, customer).click();
    const panel = con.locator(`.panel[data-conversation-id="${customer.conversationId}"]`);
    const reply = panel.getByRole('textbox', { name: /^Reply to/ });
    await reply.fill('x'.repeat(30));
    expect(await panel.locator('.composer__counter').isVisible()).toBe(false);
    // 👍 is one character, as the server counts (code points).
    await reply.fill(`${'x'.repeat(40)}👍`);
    expect(await panel.locator('.composer__counter').textContent()).toBe('41 / 40');
    expect(await reply.getAttribute('aria-invalid')).toBe('true');
    await con.keyboard.press('Enter');
    await panel.locator('.composer__error', { hasText: 'That is 1 character over the 40 limit.' }).waitFor();
    expect((await new AgentClient(host.url, bo).release(customer.conversationId)).status).toBe(200);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('counts down the Messenger and WhatsApp messaging windows', async () => {
    const { page, context } = await openPage(browser, `${host.url}/console`);
    // Run in the page, with the console's own module (a string, so the test runner leaves the import alone).
    const states = await page.evaluate(`(async () => {
      const { messagingWindow } = await import('/console/format.js');
      const now = Date.UTC(2026, 0, 10, 12);
      const hour = 3600000;
      return [
        messagingWindow('webchat', now - hour, now),
        messagingWindow('whatsapp', now - 2 * hour, now),
        messagingWindow('whatsapp', now - 25 * hour, now),
        messagingWindow('messenger', now - 30 * hour, now),
        messagingWindow('messenger', now - 8 * 24 * hour, now),
        messagingWindow('messenger', undefined, now),
      ];
    })()`);
    expect(states).toEqual([
      null,
      { state: 'open', text: '24-hour window open · closes in 22 h 0 min' },
      { state: 'closed', text: 'Messaging window closed: the customer has to write first.' },
      { state: 'tag', text: '24-hour window closed · human-agent tag for 5 d 18 h more' },
      { state: 'closed', text: 'Messaging window closed: the customer has to write first.' },
      { state: 'closed', text: 'Messaging window closed: the customer has to write first.' },
    ]);
    await context.close();
  });
});
