import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { RedisConversationStore } from '../../src/store/redis-conversation-store.ts';
import { createStoreKeys } from '../../src/store/redis-keys.ts';
import { startFaultRig, type FaultRig } from './support/fault-rig.ts';
import type { HostProcess } from './support/host-process.ts';
import { countReplies, customerNumber, messageText, runSmsLoad, untilReplied, type SmsAccount } from './support/sms-load.ts';
import { report } from './support/report.ts';

// Fault (a): two hosts (separate processes) behind one Redis; 2,000 messages
// from 200 conversations over signed Twilio webhooks, spread over both (the
// messages of one conversation alternate between them). Halfway, one host is
// killed with SIGKILL. Every accepted (2xx) message must get exactly one
// reply, in order per conversation; webhooks the dead host never answered
// are posted again (same MessageSid) to the survivor, as Twilio's retry and a
// load balancer would.
const CONVERSATIONS = 200;
const PER_CONVERSATION = 10;
const CLAIM_IDLE_MS = 2_000;

let rig: FaultRig;

beforeAll(async () => {
  rig = await startFaultRig({ name: 'kill', hosts: 2, claimIdleMs: CLAIM_IDLE_MS });
}, 60_000);

afterAll(() => rig.stop());

it('loses nothing and repeats nothing when a host is killed halfway through 2,000 messages', async () => {
  const { account, fake } = rig;
  const [a, b] = rig.hosts as [HostProcess, HostProcess];
  let killed: Promise<void> | undefined;
  let killedAt = 0;
  const startedAt = Date.now();
  const load = await runSmsLoad({
    account,
    conversations: CONVERSATIONS,
    perConversation: PER_CONVERSATION,
    // Alternate hosts per message; once A is dead, everything goes to B.
    route: (conversation, index, attempt) => {
      const preferred = (conversation + index + attempt) % 2 === 0 ? a : b;
      return (preferred.alive ? preferred : b).url;
    },
    onAccepted: (accepted) => {
      if (accepted !== (CONVERSATIONS * PER_CONVERSATION) / 2) return;
      killedAt = Date.now();
      killed ??= a.kill();
    },
  });
  await killed;
  const sentAt = Date.now();
  await untilReplied(fake.sent, load.accepted, 30_000);
  // Anything redelivered late (a claim of the dead host's items) would show as a duplicate by now.
  await new Promise((resolve) => setTimeout(resolve, CLAIM_IDLE_MS + 1_000));
  const counts = countReplies(fake.sent, load.accepted);
  const backlog = await streamLength();
  const lostDetails = await explainLost(counts.lostKeys.slice(0, 20), load.acceptedBy, a.url);

  report('host killed (SIGKILL) halfway', {
    ...counts,
    lostKeys: counts.lostKeys.slice(0, 10),
    // For each lost message: the host that accepted it, and whether its reply was recorded (then the
    // host died in the instant between recording it and starting the send: "in doubt").
    lostDetails,
    // For each repeated reply: when each copy reached the platform, in ms after the kill.
    duplicateDetails: fake.sent
      .filter((sms, index, all) => all.findIndex((other) => other.body === sms.body && other.to === sms.to) !== index)
      .slice(0, 10)
      .map((sms) => ({
        body: sms.body,
        at: fake.sent.filter((other) => other.body === sms.body && other.to === sms.to).map((other) => other.createdAt - killedAt),
      })),
    // Replies a dying host had recorded, whose send the next host checked with the platform.
    inDoubtLookups: fake.lookups,
    webhooks: load.attempts,
    refusals: Object.fromEntries(load.refusals),
    gaveUp: load.gaveUp.length,
    inboxBacklog: backlog,
    loadSeconds: (sentAt - startedAt) / 1000,
    settledSeconds: (Date.now() - startedAt) / 1000,
  });
  expect(a.alive).toBe(false);
  expect(load.gaveUp).toEqual([]);
  expect(counts.accepted).toBe(CONVERSATIONS * PER_CONVERSATION);
  expect(counts.lost).toBe(0);
  expect(counts.duplicated).toBe(0);
  expect(counts.replied).toBe(counts.accepted);
  expect(counts.outOfOrder).toBe(0);
  expect(counts.unaccepted).toBe(0);
  expect(backlog).toBe(0);
}, 120_000);

async function explainLost(keys: string[], acceptedBy: ReadonlyMap<string, string>, killedUrl: string) {
  if (keys.length === 0) return [];
  const client = new Redis(rig.redis.url, { maxRetriesPerRequest: 1 });
  try {
    const store = new RedisConversationStore({ client, keyPrefix: rig.keyPrefix });
    return await Promise.all(
      keys.map(async (messageKey) => {
        const [conversation = 0, index = 0] = messageKey.split(':').map(Number);
        const found = await store.findByKey(smsConversationKey(rig.account, conversation));
        const transcript = found ? await store.transcript(found.id) : [];
        const reply = transcript.find((entry) => entry.from === 'bot' && entry.text === `ack ${messageText(conversation, index)}`);
        return {
          message: messageKey,
          acceptedBy: acceptedBy.get(messageKey) === killedUrl ? 'killed host' : 'survivor',
          replyRecorded: reply !== undefined,
          notes: transcript.filter((entry) => entry.internal).map((entry) => entry.text).slice(-2),
        };
      }),
    );
  } finally {
    client.disconnect();
  }
}

const smsConversationKey = (smsAccount: SmsAccount, conversation: number) => `sms:${smsAccount.ourNumber}:${customerNumber(conversation)}`;

async function streamLength(): Promise<number> {
  const client = new Redis(rig.redis.url, { maxRetriesPerRequest: 1 });
  try {
    return await client.xlen(createStoreKeys(rig.keyPrefix).inboxStream());
  } finally {
    client.disconnect();
  }
}
