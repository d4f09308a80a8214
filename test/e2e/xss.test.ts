import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentsEnv, testAgent } from '../support/agent-client.ts';
import { launchBrowser, openPage, windowValue } from '../support/browser.ts';
import { FakeTwilioApi } from '../support/fake-twilio-api.ts';
import { startTestHost, type TestHost } from '../support/test-host.ts';

// Customer text is only ever text, on both pages. The pages' CSP would also
// stop inline handlers, so the tests check the DOM itself too: no element is
// ever made from a message, and the text shows exactly as written.
const IMG = '<img src=x onerror="window.__xss=1">';
const SCRIPT = '<script>window.__xss=1</script>';
const agent = testAgent('ada', ['general'], 2);
// The SMS channel, with replies going to a fake Twilio API on loopback.
const ACCOUNT_SID = `AC${randomBytes(16).toString('hex')}`;
const AUTH_TOKEN = randomBytes(16).toString('hex');
const PUBLIC_BASE_URL = 'https://sms.example.test';
const OUR_NUMBER = '+14155550199';

let host: TestHost;
let browser: Browser;
let fakeTwilio: FakeTwilioApi;
beforeAll(async () => {
  fakeTwilio = await FakeTwilioApi.start(ACCOUNT_SID, AUTH_TOKEN);
  const env = {
    AGENTS: agentsEnv([agent]),
    HANDOFF_AUTO_ASSIGN: 'false',
    TWILIO_ACCOUNT_SID: ACCOUNT_SID,
    TWILIO_AUTH_TOKEN: AUTH_TOKEN,
    TWILIO_API_BASE_URL: fakeTwilio.url,
    PUBLIC_BASE_URL,
  };
  [host, browser] = await Promise.all([startTestHost({ redis: true, env }), launchBrowser()]);
});
afterAll(async () => {
  await browser.close();
  await host.stop();
  await fakeTwilio.stop();
});

/** A customer's text, posted and signed as Twilio posts and signs it. */
async function textUs(from: string, body: string): Promise<void> {
  const sid = `SM${randomBytes(16).toString('hex')}`;
  const params = {
    MessageSid: sid,
    SmsMessageSid: sid,
    SmsSid: sid,
    AccountSid: ACCOUNT_SID,
    From: from,
    To: OUR_NUMBER,
    Body: body,
    NumMedia: '0',
    NumSegments: '1',
    SmsStatus: 'received',
    ApiVersion: '2010-04-01',
  };
  const response = await fetch(`${host.url}/webhooks/twilio`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_BASE_URL}/webhooks/twilio`, params),
    },
    body: new URLSearchParams(params).toString(),
  });
  expect(response.status).toBe(200);
}

async function say(chat: Page, text: string): Promise<void> {
  await chat.getByRole('textbox', { name: 'Your message' }).fill(text);
  await chat.keyboard.press('Enter');
}

/** Elements that a message could have smuggled into a container. */
const injected = (page: Page, container: string) =>
  page.locator(['img', 'script', 'b'].map((tag) => `${container} ${tag}`).join(', ')).count();

describe('customer text is never HTML', () => {
  it('web chat: both pages show the payloads as text and run nothing', { timeout: 30_000 }, async () => {
    const customerSide = await openPage(browser, host.url);
    const agentSide = await openPage(browser, `${host.url}/console#token=${agent.token}`);
    const chat = customerSide.page;
    const con = agentSide.page;
    await con.locator('#connection[data-state="connected"]').waitFor();

    await say(chat, 'I want to talk to a person');
    await chat.locator('.msg--system', { hasText: 'bringing in a person' }).waitFor();
    await say(chat, IMG);
    await chat.locator('.msg--customer', { hasText: IMG }).waitFor();
    // While it waits, the queue shows the customer's last message.
    const ticket = con.locator('.ticket');
    await expect.poll(() => ticket.locator('.ticket__last').textContent()).toBe(`“${IMG}”`);
    await say(chat, SCRIPT);
    await chat.locator('.msg--customer', { hasText: SCRIPT }).waitFor();
    await expect.poll(() => ticket.locator('.ticket__last').textContent()).toBe(`“${SCRIPT}”`);
    expect(await injected(con, '#queue-list')).toBe(0);

    await ticket.getByRole('button', { name: /^Claim/ }).click();
    const transcript = con.locator('.panel .transcript');
    await transcript.locator('.entry--customer', { hasText: SCRIPT }).waitFor();
    const customerLines = await transcript.locator('.entry--customer .entry__text').allTextContents();
    expect(customerLines.slice(-2)).toEqual([IMG, SCRIPT]);

    // An agent's text is text on the customer's page as well.
    const fromAgent = '<b>bold</b> <img src=x onerror="window.__xss=2">';
    await con.getByRole('textbox', { name: /^Reply to/ }).fill(fromAgent);
    await con.keyboard.press('Enter');
    await chat.locator('.msg--agent .msg__text', { hasText: fromAgent }).waitFor();
    await transcript.locator('.entry--agent', { hasText: fromAgent }).waitFor();

    expect(await chat.locator('#log .msg--customer .msg__text').allTextContents()).toEqual([
      'I want to talk to a person',
      IMG,
      SCRIPT,
    ]);
    expect(await injected(chat, '#log')).toBe(0);
    expect(await injected(con, '.panel')).toBe(0);
    expect(await windowValue(chat, '__xss')).toBeUndefined();
    expect(await windowValue(con, '__xss')).toBeUndefined();
    expect(customerSide.errors).toEqual([]);
    expect(agentSide.errors).toEqual([]);
    await Promise.all([customerSide.context.close(), agentSide.context.close()]);
  });

  it('SMS: texts from a signed Twilio webhook show as text in the console', { timeout: 30_000 }, async () => {
    const { page: con, errors, context } = await openPage(browser, `${host.url}/console#token=${agent.token}`);
    await con.locator('#connection[data-state="connected"]').waitFor();
    const phone = '+15550104242';
    await textUs(phone, 'I want to talk to a person');
    const ticket = con.locator('.ticket', { has: con.locator('.ticket__channel', { hasText: 'SMS' }) });
    await ticket.waitFor();
    await textUs(phone, IMG);
    await textUs(phone, SCRIPT);
    await expect.poll(() => ticket.locator('.ticket__last').textContent()).toBe(`“${SCRIPT}”`);
    expect(await injected(con, '#queue-list')).toBe(0);

    await ticket.getByRole('button', { name: /^Claim SMS conversation/ }).click();
    const panel = con.locator('.panel', { has: con.locator('.panel__channel', { hasText: 'SMS' }) });
    await panel.locator('.entry--customer', { hasText: SCRIPT }).waitFor();
    const lines = await panel.locator('.entry--customer .entry__text').allTextContents();
    expect(lines).toEqual(['I want to talk to a person', IMG, SCRIPT]);
    expect(await panel.locator('.ctx-customer').textContent()).toContain(`${phone} · SMS`);

    // The agent's answer goes out by SMS, as written.
    await panel.getByRole('textbox', { name: /^Reply to/ }).fill('We never run <script> tags.');
    await con.keyboard.press('Enter');
    await panel.locator('.entry--agent', { hasText: 'We never run <script> tags.' }).waitFor();
    await expect.poll(() => fakeTwilio.to(phone).map((sms) => sms.body)).toContain('We never run <script> tags.');

    expect(await injected(con, '.panel')).toBe(0);
    expect(await windowValue(con, '__xss')).toBeUndefined();
    expect(errors).toEqual([]);
    await context.close();
  });
});
