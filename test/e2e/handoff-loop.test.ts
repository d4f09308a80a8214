import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, agentsEnv, testAgent } from '../support/agent-client.ts';
import { DESKTOP, PHONE, isFocused, launchBrowser, openPage, screenshot, tabTo, unnamedControls } from '../support/browser.ts';
import { startTestHost, type TestHost } from '../support/test-host.ts';
import { WebchatClient } from '../support/webchat-client.ts';

// The whole handoff in two real browsers: a customer on the chat page, an
// agent on the console; a second agent on the API to transfer to and from.
const sam = testAgent('sam', ['general'], 2);
const kim = testAgent('kim', ['general'], 2);

let host: TestHost;
let browser: Browser;
beforeAll(async () => {
  [host, browser] = await Promise.all([
    startTestHost({ redis: true, env: { AGENTS: agentsEnv([sam, kim]), HANDOFF_AUTO_ASSIGN: 'false' } }),
    launchBrowser(),
  ]);
});
afterAll(async () => {
  await browser.close();
  await host.stop();
});

async function say(chat: Page, text: string): Promise<void> {
  await chat.getByRole('textbox', { name: 'Your message' }).fill(text);
  await chat.keyboard.press('Enter');
}

describe('the agent console and the chat page, in Chromium', () => {
  it('escalate, alert, claim, context, reply both ways, transfer, release, bot resumes', { timeout: 45_000 }, async () => {
    const agentSide = await openPage(browser, `${host.url}/console#token=${sam.token}`);
    const customerSide = await openPage(browser, host.url);
    const con = agentSide.page;
    const chat = customerSide.page;

    // Signed in from the link's fragment, which leaves the address bar; the token stays in this tab only.
    await con.locator('#connection[data-state="connected"]').waitFor();
    expect(con.url()).toBe(`${host.url}/console/`);
    expect(await con.evaluate("sessionStorage.getItem('switchboard.console.token')")).toBe(sam.token);
    expect(await con.evaluate('localStorage.length')).toBe(0);
    await expect.poll(() => con.title()).toBe('Switchboard console');

    // The customer talks to the bot, then asks for a person.
    await say(chat, 'Where is my order A1001?');
    await chat.locator('.msg--bot', { hasText: 'A1001' }).waitFor();
    await say(chat, 'I want to talk to a person');
    await chat.locator('.msg--system', { hasText: 'bringing in a person' }).waitFor();
    await expect.poll(() => chat.locator('#queue-banner').textContent()).toMatch(/number 1 in line/);
    await screenshot(chat, 'chat-waiting-phone', PHONE);

    // The console alerts at once: title badge, live region, the queue entry.
    // Within a second of the escalation (2 s of slack for a busy CI machine).
    await con.waitForFunction("document.title === '(1) Switchboard console'", undefined, { timeout: 2_000 });
    await con.locator('#announcer', { hasText: 'New conversation waiting: The customer asked for a person' }).waitFor();
    const ticket = con.locator('.ticket', { hasText: 'I want to talk to a person' });
    await expect.poll(() => ticket.textContent()).toMatch(/Web chat.*general.*priority 5.*The customer asked for a person/s);
    const waited = await ticket.locator('time').textContent();
    expect(waited).toMatch(/^\d+:\d\d$/);
    await expect.poll(() => ticket.locator('time').textContent(), { timeout: 3_000 }).not.toBe(waited); // it ticks
    await screenshot(con, 'console-queue-desktop');

    // Claim with the keyboard alone: Tab to the entry's Claim button, Enter; focus lands in the reply box.
    await con.locator('body').click({ position: { x: 5, y: 5 } }); // start from the top of the page
    await tabTo(con, ticket.getByRole('button', { name: /^Claim Web chat conversation/ }));
    await con.keyboard.press('Enter');
    const panel = con.locator('.panel');
    const reply = panel.getByRole('textbox', { name: /^Reply to Customer/ });
    await reply.waitFor();
    await expect.poll(() => isFocused(reply)).toBe(true);
    const conversationId = (await panel.getAttribute('data-conversation-id')) ?? '';
    expect(conversationId).not.toBe('');
    await chat.locator('.msg--system', { hasText: 'Agent sam from our team has joined' }).waitFor();
    await chat.locator('#queue-banner').waitFor({ state: 'hidden' });
    await expect.poll(() => con.title()).toBe('Switchboard console');

    // The context: bot turns with intent and score, the reason and evidence, what the dialogs collected, the customer.
    await panel.locator('.entry--bot', { hasText: 'A1001' }).waitFor();
    expect(await panel.locator('.entry--bot .entry__nlu').first().textContent()).toMatch(/^order\.status · [01]\.\d\d · orderNumber A1001$/);
    expect(await panel.locator('.ctx-reason').textContent()).toMatch(
      /The customer asked for a person customer_request · skill general · priority 5/,
    );
    expect(await panel.locator('.ctx-evidence').textContent()).toMatch(/agent\.request [01]\.\d\d/);
    expect(await panel.locator('.ctx-collected').textContent()).toContain('orderNumber: A1001');
    expect(await panel.locator('.ctx-customer').textContent()).toMatch(/^webchat-user:.* · Web chat · en/);
    expect(await panel.locator('.entry--note', { hasText: 'Escalated to a person (customer_request)' }).count()).toBe(1);
    expect(await con.locator('#agent-load').textContent()).toBe('Holding 1 of 2');

    // Reply both ways; Enter sends, Shift+Enter makes a new line.
    await con.keyboard.type("Hi, I'm Sam.");
    await con.keyboard.press('Shift+Enter');
    await con.keyboard.type('Let me check your parcel.');
    await con.keyboard.press('Enter');
    await chat.locator('.msg--agent', { hasText: "Hi, I'm Sam.\nLet me check your parcel." }).waitFor();
    expect(await reply.inputValue()).toBe('');
    await say(chat, 'Thank you, it is a gift.');
    await panel.locator('.entry--customer', { hasText: 'Thank you, it is a gift.' }).waitFor();
    await con.locator('#announcer', { hasText: 'Thank you, it is a gift.' }).waitFor();
    expect(await chat.locator('.msg--bot', { hasText: 'gift' }).count()).toBe(0); // the bot stays quiet

    // Both pages, desktop and phone, with another customer waiting in the queue.
    const other = await WebchatClient.start(host.url);
    await other.ask('Can I speak to a human? My parcel arrived damaged.');
    await con.locator('.ticket', { hasText: 'arrived damaged' }).waitFor();
    await panel.locator('.entry--bot').first().scrollIntoViewIfNeeded(); // show a bot turn with its intent and score
    await screenshot(con, 'console-desktop');
    await screenshot(con, 'console-phone', PHONE);
    await screenshot(chat, 'chat-desktop');
    await screenshot(chat, 'chat-phone', PHONE);
    expect(con.viewportSize()).toEqual(DESKTOP);
    expect(await unnamedControls(con)).toEqual([]);
    expect(await unnamedControls(chat)).toEqual([]);

    // Transfer to a skill, and back: it waits in the queue again and Sam takes it back.
    await panel.getByRole('combobox', { name: 'Transfer to' }).selectOption({ label: 'general queue' });
    await panel.getByRole('button', { name: 'Transfer' }).click();
    await panel.waitFor({ state: 'detached' });
    await chat.locator('.msg--system', { hasText: 'passing you to our general team' }).waitFor();
    // Second in line: the other customer has waited longer with the same priority.
    await expect.poll(() => chat.locator('#queue-banner').textContent()).toMatch(/number 2 in line/);
    await con.locator(`.ticket[data-conversation-id="${conversationId}"]`).getByRole('button', { name: /^Claim/ }).click();
    await panel.waitFor();
    await chat.locator('#queue-banner').waitFor({ state: 'hidden' });

    // To another agent: Kim gets it (on the API), writes, and hands it back to Sam's console.
    await panel.getByRole('combobox', { name: 'Transfer to' }).selectOption({ label: 'Agent kim (general)' });
    await panel.getByRole('button', { name: 'Transfer' }).click();
    await panel.waitFor({ state: 'detached' });
    await chat.locator('.msg--system', { hasText: 'Agent kim from our team has taken over' }).waitFor();
    const kimApi = new AgentClient(host.url, kim);
    const held = await kimApi.json<{ conversations: { conversationId: string }[] }>('GET', '/me');
    expect(held.conversations.map((ticket) => ticket.conversationId)).toEqual([conversationId]);
    expect((await kimApi.send(conversationId, 'Kim here, passing you back to Sam.')).status).toBe(201);
    await chat.locator('.msg--agent', { hasText: 'Kim here' }).waitFor();
    expect((await kimApi.transfer(conversationId, { agentId: 'sam' })).status).toBe(200);
    await con.locator('#announcer', { hasText: 'Agent kim transferred a conversation to you.' }).waitFor();
    await panel.locator('.entry--agent', { hasText: 'Kim here' }).locator('.entry__who', { hasText: 'Agent kim' }).waitFor();

    // Release with a note: the bot takes over again and remembers the order.
    await panel.getByRole('textbox', { name: 'Note (optional)' }).fill('Gift, delivery on Friday');
    await panel.getByRole('button', { name: 'Release to bot' }).click();
    await panel.waitFor({ state: 'detached' });
    await chat.locator('.msg--system', { hasText: 'Agent sam has left' }).waitFor();
    await chat.locator('.msg--bot', { hasText: /Thanks for waiting.*order A1001/ }).waitFor();
    expect((await host.stores.conversations.get(conversationId))?.handoff?.releaseNote).toBe('Gift, delivery on Friday');
    expect(await con.locator('#conversations-empty').isVisible()).toBe(true);

    expect(agentSide.errors).toEqual([]);
    expect(customerSide.errors).toEqual([]);
    await Promise.all([agentSide.context.close(), customerSide.context.close()]);
  });
});
