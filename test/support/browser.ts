import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/**
 * Browser tests drive Debian's Chromium (`apt-get install chromium`) through
 * playwright-core; no browser is ever downloaded. CHROMIUM_PATH overrides
 * where it is.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const DESKTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Git-ignored (test-results/); docs/screenshots/ holds the copies the README shows. */
export const SCREENSHOT_DIR = path.resolve('test-results/screenshots');

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `The browser tests need Chromium at ${CHROMIUM_PATH}: install Debian's package (apt-get install -y chromium) ` +
        'or set CHROMIUM_PATH. They never download a browser.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
    ],
  });
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Uncaught exceptions and Content-Security-Policy violations; a test expects none. */
  errors: string[];
}

/**
 * A page in a context of its own (own storage, like another person's
 * browser). Failed requests (4xx answers, aborted streams) are not errors here:
 * tests provoke them on purpose.
 */
export async function openPage(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number } = DESKTOP,
): Promise<OpenedPage> {
  const context = await browser.newContext({ viewport, reducedMotion: 'reduce' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      errors.push(`csp: ${message.text()}`);
    }
  });
  await page.goto(url);
  return { context, page, errors };
}

/** Saves a screenshot under test-results/screenshots/<name>.png at the page's current size. */
export async function screenshot(page: Page, name: string, viewport?: { width: number; height: number }): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const before = page.viewportSize();
  if (viewport) await page.setViewportSize(viewport);
  const file = path.join(SCREENSHOT_DIR, `${name}.png`);
  await page.screenshot({ path: file, animations: 'disabled', caret: 'hide' });
  if (viewport && before) await page.setViewportSize(before);
  return file;
}

/**
 * Presses Tab until `target` has the focus, as a keyboard-only user would;
 * returns how many presses it took, or throws if it is not reachable.
 */
export async function tabTo(page: Page, target: Locator, maxPresses = 40): Promise<number> {
  for (let presses = 1; presses <= maxPresses; presses += 1) {
    await page.keyboard.press('Tab');
    if (await isFocused(target)) return presses;
  }
  throw new Error(`not reachable with ${maxPresses} presses of Tab`);
}

/** Whether the element has the keyboard focus. */
export function isFocused(target: Locator): Promise<boolean> {
  // Runs in the page (the tests are compiled without the DOM library, hence the structural type).
  return target.evaluate((el: { ownerDocument: { activeElement: unknown } }) => el === el.ownerDocument.activeElement);
}

/** `window[name]` in the page, e.g. a flag an injected script would set. */
export function windowValue(page: Page, name: string): Promise<unknown> {
  return page.evaluate((key) => (globalThis as Record<string, unknown>)[key], name);
}

/**
 * Controls without an accessible name, read from the accessibility tree
 * (what a screen reader announces): each is a line like `- button` or
 * `- textbox` with no quoted name.
 */
export async function unnamedControls(page: Page): Promise<string[]> {
  const tree = await page.locator('body').ariaSnapshot();
  return tree
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /^- (button|textbox|combobox|checkbox|link|switch)\b(?! ")/.test(line));
}

/**
 * Lets a test cut the agent consoles' live streams on the server side, as a
 * dropped network connection would (Chromium does not take localhost offline).
 * Install it before the console connects.
 */
export function agentStreamCutter(server: Server): { cut(): number } {
  const sockets = new Set<Socket>();
  // First in line: Express rewrites req.url while it routes.
  server.prependListener('request', (req, res) => {
    if (!req.url?.startsWith('/api/agent/stream')) return;
    const socket = req.socket;
    sockets.add(socket);
    res.on('close', () => sockets.delete(socket));
  });
  return {
    cut() {
      const count = sockets.size;
      for (const socket of sockets) socket.destroy();
      sockets.clear();
      return count;
    },
  };
}
