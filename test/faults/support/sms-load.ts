import { createHash, randomBytes } from 'node:crypto';
import twilio from 'twilio';
import type { SentSms } from '../../support/fake-twilio-api.ts';

/**
 * Customers texting over Twilio, as the fault tests play them: signed
 * webhooks (twilio's own reference signing function), numbered messages
 * ("msg 3 of c17"), sent one after another per conversation (each waits for
 * the previous one's 2xx, so arrival order is defined), many conversations
 * at once. A webhook that fails (connection refused, 5xx) is posted again
 * with the same MessageSid, to the same or another host, as Twilio's retry
 * and a load balancer would; its first 2xx makes it accepted.
 */
export interface SmsAccount {
  accountSid: string;
  authToken: string;
  /** What Twilio signs: every host behind the load balancer shares it. */
  publicBaseUrl: string;
  ourNumber: string;
}

export function newSmsAccount(): SmsAccount {
  return {
    accountSid: `AC${randomBytes(16).toString('hex')}`,
    authToken: randomBytes(16).toString('hex'),
    publicBaseUrl: 'https://sms.fault-test.example',
    ourNumber: '+14155550100',
  };
}

export const customerNumber = (conversation: number): string => `+1555${String(conversation).padStart(7, '0')}`;
export const messageText = (conversation: number, index: number): string => `msg ${index} of c${conversation}`;
const key = (conversation: number, index: number) => `${conversation}:${index}`;

/** Posts one numbered inbound SMS webhook; the HTTP status, or 'network' when the host did not answer. */
export function postSms(hostUrl: string, account: SmsAccount, conversation: number, index: number, runId: string): Promise<number | 'network'> {
  return postSmsText(hostUrl, account, customerNumber(conversation), messageText(conversation, index), `${runId}:${conversation}:${index}`);
}

/** One inbound SMS webhook as Twilio sends it: where it goes, its headers (signature included) and its form body. */
export interface SmsWebhook {
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The inbound SMS webhook from `from` saying `text`, signed as Twilio signs
 * it; its MessageSid is derived from `sidSeed`, so the same seed makes a
 * redelivery of the same message.
 */
export function smsWebhook(account: SmsAccount, from: string, text: string, sidSeed: string): SmsWebhook {
  const sid = `SM${createHash('md5').update(sidSeed).digest('hex')}`;
  const params: Record<string, string> = {
    ToCountry: 'US',
    SmsMessageSid: sid,
    NumMedia: '0',
    SmsSid: sid,
    SmsStatus: 'received',
    Body: text,
    To: account.ourNumber,
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: account.accountSid,
    From: from,
    ApiVersion: '2010-04-01',
  };
  const path = '/webhooks/twilio';
  const signature = twilio.getExpectedTwilioSignature(account.authToken, `${account.publicBaseUrl}${path}`, params);
  return {
    path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    body: new URLSearchParams(params).toString(),
  };
}

/**
 * Posts one inbound SMS webhook from `from` saying `text` (see smsWebhook);
 * the HTTP status, or 'network' when the host did not answer.
 */
export async function postSmsText(
  hostUrl: string,
  account: SmsAccount,
  from: string,
  text: string,
  sidSeed: string,
): Promise<number | 'network'> {
  const webhook = smsWebhook(account, from, text, sidSeed);
  try {
    const response = await fetch(`${hostUrl}${webhook.path}`, {
      method: 'POST',
      headers: webhook.headers,
      body: webhook.body,
      signal: AbortSignal.timeout(15_000),
    });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return 'network';
  }
}

export interface LoadPlan {
  account: SmsAccount;
  conversations: number;
  perConversation: number;
  /** Conversations numbered from here (so two loads in one test do not share customers). */
  firstConversation?: number;
  /** The host to post a message to (attempt 0, 1, … of that message), or undefined to wait and ask again. */
  route: (conversation: number, index: number, attempt: number) => string | undefined;
  /** Called after each accepted message with how many were accepted so far. */
  onAccepted?: (accepted: number) => void;
  /** A message still not accepted after this long is given up (counted, never silently dropped). */
  giveUpAfterMs?: number;
}

export interface LoadReport {
  /** `conversation:index` of every message some host answered 2xx. */
  accepted: Set<string>;
  /** Which host answered each accepted message 2xx. */
  acceptedBy: Map<string, string>;
  /** Messages never accepted (every attempt failed until giveUpAfterMs). */
  gaveUp: string[];
  /** Every answer that was not 2xx, by status ('network' when the host did not answer). */
  refusals: Map<string, number>;
  /** Webhooks posted in all, retries included. */
  attempts: number;
}

export async function runSmsLoad(plan: LoadPlan): Promise<LoadReport> {
  const runId = randomBytes(6).toString('hex');
  const report: LoadReport = { accepted: new Set(), acceptedBy: new Map(), gaveUp: [], refusals: new Map(), attempts: 0 };
  const first = plan.firstConversation ?? 0;
  const giveUpAfterMs = plan.giveUpAfterMs ?? 30_000;
  const conversation = async (number: number) => {
    for (let index = 1; index <= plan.perConversation; index += 1) {
      const startedAt = Date.now();
      for (let attempt = 0; ; attempt += 1) {
        const host = plan.route(number, index, attempt);
        const status = host === undefined ? 'network' : await postSms(host, plan.account, number, index, runId);
        report.attempts += 1;
        if (status !== 'network' && status >= 200 && status < 300) {
          report.accepted.add(key(number, index));
          report.acceptedBy.set(key(number, index), host ?? '');
          plan.onAccepted?.(report.accepted.size);
          break;
        }
        const label = String(status);
        report.refusals.set(label, (report.refusals.get(label) ?? 0) + 1);
        if (Date.now() - startedAt > giveUpAfterMs) {
          report.gaveUp.push(key(number, index));
          break;
        }
        await new Promise((resolve) => setTimeout(resolve, Math.min(50 * 2 ** attempt, 500)));
      }
    }
  };
  await Promise.all(Array.from({ length: plan.conversations }, (_, offset) => conversation(first + offset)));
  return report;
}

export interface ReplyCounts {
  accepted: number;
  /** Accepted messages with at least one reply. */
  replied: number;
  /** Accepted messages with more than one reply. */
  duplicated: number;
  /** Accepted messages with no reply. */
  lost: number;
  /** Conversations whose replies did not come in the order their messages were accepted. */
  outOfOrder: number;
  /** Replies to messages that were never accepted (nothing should answer what was refused). */
  unaccepted: number;
}

const REPLY = /^ack msg (\d+) of c(\d+)$/;

/** What the customers got, from what the (fake) platform was asked to send. */
export function countReplies(sent: readonly SentSms[], accepted: ReadonlySet<string>): ReplyCounts & { lostKeys: string[] } {
  const perMessage = new Map<string, number>();
  const perConversation = new Map<number, number[]>();
  let unaccepted = 0;
  for (const sms of sent) {
    const match = REPLY.exec(sms.body);
    if (!match) continue;
    const index = Number(match[1]);
    const conversation = Number(match[2]);
    if (sms.to !== customerNumber(conversation)) continue;
    const messageKey = key(conversation, index);
    if (!accepted.has(messageKey)) unaccepted += 1;
    perMessage.set(messageKey, (perMessage.get(messageKey) ?? 0) + 1);
    perConversation.set(conversation, [...(perConversation.get(conversation) ?? []), index]);
  }
  let outOfOrder = 0;
  for (const indexes of perConversation.values()) {
    const firsts = indexes.filter((index, position) => indexes.indexOf(index) === position);
    if (firsts.some((index, position) => position > 0 && index < (firsts[position - 1] ?? 0))) outOfOrder += 1;
  }
  const lostKeys = [...accepted].filter((messageKey) => !perMessage.has(messageKey));
  return {
    accepted: accepted.size,
    replied: [...accepted].filter((messageKey) => perMessage.has(messageKey)).length,
    duplicated: [...perMessage.values()].filter((count) => count > 1).length,
    lost: lostKeys.length,
    outOfOrder,
    unaccepted,
    lostKeys,
  };
}

/** Waits until every accepted message has a reply (or the time is up); resolves either way. */
export async function untilReplied(sent: readonly SentSms[], accepted: ReadonlySet<string>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (countReplies(sent, accepted).lost === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
