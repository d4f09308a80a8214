import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFaultRig, type FaultRig } from './support/fault-rig.ts';
import type { HostProcess } from './support/host-process.ts';
import { report } from './support/report.ts';
import { countReplies, customerNumber, runSmsLoad, untilReplied } from './support/sms-load.ts';

// Fault (c): the platform's API is slow for some customers (Twilio holds
// their sends for seconds) and fails for others (500 to every attempt). The
// other conversations must not wait for them: all their replies arrive while
// the slow sends are still held (checked by order of events, not by timing).
// Then the held sends go through, each once and in order.
const NORMAL = 60;
const SLOW = 6;
const FAILING = 4;
const PER_CONVERSATION = 4;
const CLAIM_IDLE_MS = 2_000;
const HOLD_LIMIT_MS = 8_000;

let rig: FaultRig;

// Conversations 0…NORMAL-1 are normal, then the slow ones, then the failing ones.
const slowNumbers = new Set(Array.from({ length: SLOW }, (_, i) => customerNumber(NORMAL + i)));
const failingNumbers = new Set(Array.from({ length: FAILING }, (_, i) => customerNumber(NORMAL + SLOW + i)));
let release: () => void = () => {};
const released = new Promise<void>((resolve) => {
  release = resolve;
});

beforeAll(async () => {
  rig = await startFaultRig({ name: 'slow', hosts: 2, claimIdleMs: CLAIM_IDLE_MS });
  rig.fake.beforeAnswer = async (to) => {
    if (failingNumbers.has(to)) return 500;
    if (slowNumbers.has(to)) {
      // Held until the test has seen every normal reply (at most HOLD_LIMIT_MS, under the client's 10 s timeout).
      await Promise.race([released, new Promise((resolve) => setTimeout(resolve, HOLD_LIMIT_MS))]);
    }
    return undefined;
  };
}, 60_000);

afterAll(async () => {
  release();
  await rig.stop();
});

it('keeps answering everyone else while the platform is slow or failing for some', async () => {
  const { account, fake } = rig;
  const [a, b] = rig.hosts as [HostProcess, HostProcess];
  const startedAt = Date.now();
  const load = await runSmsLoad({
    account,
    conversations: NORMAL + SLOW + FAILING,
    perConversation: PER_CONVERSATION,
    route: (conversation, index) => ((conversation + index) % 2 === 0 ? a : b).url,
  });
  const normalAccepted = new Set([...load.accepted].filter((key) => Number(key.split(':')[0]) < NORMAL));
  await untilReplied(fake.sent, normalAccepted, 20_000);
  const normal = countReplies(fake.sent, normalAccepted);
  const slowSentBeforeRelease = fake.sent.filter((sms) => slowNumbers.has(sms.to ?? '')).length;
  const normalDoneSeconds = (Date.now() - startedAt) / 1000;
  release();

  const slowAccepted = new Set([...load.accepted].filter((key) => {
    const conversation = Number(key.split(':')[0]);
    return conversation >= NORMAL && conversation < NORMAL + SLOW;
  }));
  await untilReplied(fake.sent, slowAccepted, 30_000);
  const slow = countReplies(fake.sent, slowAccepted);
  const failingCalls = fake.calls.filter((call) => failingNumbers.has(call.form.get('To') ?? '')).length;

  report('slow (held) and failing (500) platform for some customers', {
    normal: { accepted: normal.accepted, replied: normal.replied, duplicated: normal.duplicated, lost: normal.lost, outOfOrder: normal.outOfOrder },
    slow: { accepted: slow.accepted, replied: slow.replied, duplicated: slow.duplicated, lost: slow.lost, outOfOrder: slow.outOfOrder },
    slowSentBeforeNormalDone: slowSentBeforeRelease,
    failingConversations: FAILING,
    failingSendAttempts: failingCalls,
    normalDoneSeconds,
    seconds: (Date.now() - startedAt) / 1000,
  });
  expect(load.gaveUp).toEqual([]);
  // Everyone else was answered in full while the slow sends were still held.
  expect(normal.accepted).toBe(NORMAL * PER_CONVERSATION);
  expect(normal.lost).toBe(0);
  expect(normal.duplicated).toBe(0);
  expect(normal.outOfOrder).toBe(0);
  expect(slowSentBeforeRelease).toBe(0);
  // The slow ones then went through, each reply once and in order.
  expect(slow.accepted).toBe(SLOW * PER_CONVERSATION);
  expect(slow.lost).toBe(0);
  expect(slow.duplicated).toBe(0);
  expect(slow.outOfOrder).toBe(0);
  // The failing ones were tried (and retried), and refused by the platform, not by us.
  expect(failingCalls).toBeGreaterThan(0);
}, 120_000);
