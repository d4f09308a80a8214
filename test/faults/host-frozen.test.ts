import { afterAll, beforeAll, expect, it } from 'vitest';
import { startFaultRig, type FaultRig } from './support/fault-rig.ts';
import type { HostProcess } from './support/host-process.ts';
import { report } from './support/report.ts';
import { countReplies, runSmsLoad, untilReplied } from './support/sms-load.ts';

// A host that is not dead but frozen (SIGSTOP) for longer than its turn locks
// and inbox claims last, in the middle of a load, then resumed: the other host
// takes its work over, and when it wakes it must neither repeat a reply the
// other host sent (its lock is gone: fencing) nor lose one. 3 s: longer than
// the locks and claims (2 s here), shorter than Redis's command timeout (5 s),
// so the frozen host's commands do not simply fail when it wakes. (Without the
// "surely held" check before a send and the minimum age before asking the
// platform about a reply in doubt, this test sees duplicates.)
const CONVERSATIONS = 100;
const PER_CONVERSATION = 8;
const CLAIM_IDLE_MS = 2_000;
const FROZEN_MS = 3_000;

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({ name: 'frozen', hosts: 2, claimIdleMs: CLAIM_IDLE_MS });
}, 60_000);

afterAll(() => rig.stop());

it('repeats and loses nothing when a host freezes past its locks and claims, then wakes up', async () => {
  const { account, fake } = rig;
  const [a, b] = rig.hosts as [HostProcess, HostProcess];
  let frozen = false;
  let thawed: Promise<void> | undefined;
  const startedAt = Date.now();
  const load = await runSmsLoad({
    account,
    conversations: CONVERSATIONS,
    perConversation: PER_CONVERSATION,
    // The load balancer sends nothing new to a host that does not answer.
    route: (conversation, index, attempt) => ((conversation + index + attempt) % 2 === 0 && !frozen ? a : b).url,
    onAccepted: (accepted) => {
      if (accepted !== 300) return;
      frozen = true;
      a.freeze();
      thawed = new Promise((resolve) => setTimeout(resolve, FROZEN_MS)).then(() => {
        a.resume();
        frozen = false;
      });
    },
  });
  await thawed;
  await untilReplied(fake.sent, load.accepted, 30_000);
  await new Promise((resolve) => setTimeout(resolve, CLAIM_IDLE_MS + 1_000));
  const counts = countReplies(fake.sent, load.accepted);
  report('host frozen (SIGSTOP) 3 s mid-load, then resumed', {
    ...counts,
    lostKeys: counts.lostKeys.slice(0, 10),
    webhooks: load.attempts,
    refusals: Object.fromEntries(load.refusals),
    gaveUp: load.gaveUp.length,
    inDoubtLookups: fake.lookups,
    seconds: (Date.now() - startedAt) / 1000,
  });
  expect(a.alive).toBe(true);
  expect(load.gaveUp).toEqual([]);
  expect(counts.accepted).toBe(CONVERSATIONS * PER_CONVERSATION);
  expect(counts.lost).toBe(0);
  expect(counts.duplicated).toBe(0);
  expect(counts.outOfOrder).toBe(0);
  expect(counts.unaccepted).toBe(0);
}, 120_000);
