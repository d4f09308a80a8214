import { afterAll, beforeAll, expect, it } from 'vitest';
import { SseClient } from '../support/sse-client.ts';
import { WebchatClient } from '../support/webchat-client.ts';
import { startFaultRig, type FaultRig } from './support/fault-rig.ts';
import type { HostProcess } from './support/host-process.ts';
import { report } from './support/report.ts';
import { countReplies, runSmsLoad, untilReplied } from './support/sms-load.ts';

// Fault (b): Redis stops for a few seconds in the middle of a load (shut down
// with its append-only file, then started again on the same port from it).
// While it is away the host must refuse what it cannot keep (503
// `store_unavailable`, which platforms retry) and say it is not ready; when it
// is back, the host carries on by itself: no accepted message is lost or
// answered twice, and live events flow again.
const CONVERSATIONS = 100;
const PER_CONVERSATION = 8;
const OUTAGE_MS = 3_000;
const CLAIM_IDLE_MS = 2_000;

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({ name: 'outage', hosts: 1, claimIdleMs: CLAIM_IDLE_MS });
}, 60_000);

afterAll(() => rig.stop());

const status = async (response: Promise<Response>) => {
  const answer = await response;
  return { status: answer.status, body: (await answer.text()).slice(0, 300) };
};

it('refuses with 503 while Redis is away, then carries on by itself, losing and repeating nothing', async () => {
  const { account, redis, fake } = rig;
  const [host] = rig.hosts as [HostProcess];
  const customer = await WebchatClient.start(host.url);
  const before = await SseClient.open(customer.messagesUrl.replace(/messages$/, 'stream'), customer.auth);
  expect(before.status).toBe(200);

  let outage: Promise<void> | undefined;
  const during: { readyz: number[]; webchat: { status: number; body: string }[] } = { readyz: [], webchat: [] };
  const startedAt = Date.now();
  const load = runSmsLoad({
    account,
    conversations: CONVERSATIONS,
    perConversation: PER_CONVERSATION,
    route: () => host.url,
    giveUpAfterMs: 40_000,
    onAccepted: (accepted) => {
      if (accepted !== 250) return;
      outage ??= (async () => {
        await redis.stop();
        const stoppedAt = Date.now();
        // What the platforms, the load balancer and a web chat customer see meanwhile.
        while (Date.now() - stoppedAt < OUTAGE_MS) {
          during.readyz.push((await status(fetch(`${host.url}/readyz`))).status);
          during.webchat.push(await status(customer.send('anyone there?')));
          await new Promise((resolve) => setTimeout(resolve, 300));
        }
        await redis.restart();
      })();
    },
  });
  const result = await load;
  await outage;
  await untilReplied(fake.sent, result.accepted, 30_000);
  await new Promise((resolve) => setTimeout(resolve, CLAIM_IDLE_MS + 1_000));
  const counts = countReplies(fake.sent, result.accepted);

  // Back: ready again, and live events reach a stream opened now (the one opened before was ended, to resync).
  let ready = 0;
  for (let tries = 0; tries < 100 && ready !== 200; tries += 1) {
    ready = (await status(fetch(`${host.url}/readyz`))).status;
    if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const after = await SseClient.open(customer.messagesUrl.replace(/messages$/, 'stream'), customer.auth);
  const sent = await customer.send('msg 1 of c99999');
  expect(sent.status).toBe(202);
  const { id } = (await sent.json()) as { id: number };
  const live = await after.next((event) => event.event === 'message' && Number(event.id) > id && event.data.includes('"bot"'), 15_000);
  after.close();
  const previousStreamEnded = await before.next(() => false, 1).then(
    () => false,
    (error: unknown) => String(error).includes('ended'),
  );

  report('Redis stopped for 3 s mid-load', {
    ...counts,
    lostKeys: counts.lostKeys.slice(0, 10),
    webhooks: result.attempts,
    refusals: Object.fromEntries(result.refusals),
    gaveUp: result.gaveUp.length,
    readyzDuringOutage: during.readyz,
    webchatDuringOutage: [...new Set(during.webchat.map((answer) => answer.status))],
    seconds: (Date.now() - startedAt) / 1000,
  });
  expect(result.gaveUp).toEqual([]);
  expect(counts.accepted).toBe(CONVERSATIONS * PER_CONVERSATION);
  expect(counts.lost).toBe(0);
  expect(counts.duplicated).toBe(0);
  expect(counts.outOfOrder).toBe(0);
  expect(counts.unaccepted).toBe(0);
  // Webhooks during the outage were refused with 503 (never 500, never a silent 200).
  expect(result.refusals.get('503') ?? 0).toBeGreaterThan(0);
  expect([...result.refusals.keys()].filter((refusal) => refusal !== '503' && refusal !== 'network')).toEqual([]);
  expect(during.readyz.length).toBeGreaterThan(0);
  expect(during.readyz.every((code) => code === 503)).toBe(true);
  expect(during.webchat.length).toBeGreaterThan(0);
  for (const answer of during.webchat) {
    expect(answer.status).toBe(503);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'store_unavailable' } });
  }
  expect(ready).toBe(200);
  expect(JSON.parse(live.data)).toMatchObject({ from: 'bot' });
  expect(previousStreamEnded).toBe(true);
}, 120_000);
