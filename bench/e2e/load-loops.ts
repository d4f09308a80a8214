import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplyClock } from './reply-clock.ts';

/** One way of sending a conversation's next message to the server under test. */
export interface LoadTarget {
  /**
   * Sends conversation `conversation`'s next message; resolves once the
   * server accepted it (2xx), rejects otherwise. Its reply is reported to the
   * ReplyClock by whatever receives replies (the fake platform, a stream, or
   * the target itself when the response is the reply).
   */
  send(conversation: number): Promise<void>;
}

export interface PhaseResult {
  seconds: number;
  /** Messages sent in the window. */
  sent: number;
  /** Replies that arrived within the window (closed loop) or at all (open loop). */
  replied: number;
  /** Messages the server refused (non-2xx) or never answered. */
  failed: number;
  /** Accepted messages whose reply did not come within the timeout. */
  lost: number;
  /** Message sent (or due) → reply arrived, ms, of every reply counted. */
  latenciesMs: number[];
}

/**
 * Closed loop: each of `conversations` customers sends a message, waits for
 * its reply, and sends the next, until `seconds` have passed. Replies that
 * arrive within the window are counted: that count over the window is the
 * most the server does with that many customers (more would only queue).
 * Messages still in flight at the end are waited for (so the next phase
 * starts clean) but not counted.
 */
export async function closedLoop(target: LoadTarget, clock: ReplyClock, conversations: number, seconds: number): Promise<PhaseResult> {
  const result: PhaseResult = { seconds, sent: 0, replied: 0, failed: 0, lost: 0, latenciesMs: [] };
  const startedAt = performance.now();
  const endsAt = startedAt + seconds * 1000;
  const customer = async (conversation: number): Promise<void> => {
    while (performance.now() < endsAt) {
      const sentAt = performance.now();
      const pending = clock.expect(conversation, sentAt);
      result.sent += 1;
      try {
        await target.send(conversation);
      } catch {
        pending.cancel();
        result.failed += 1;
        // A refusing server must not turn the loop into a busy spin.
        await sleep(10);
        continue;
      }
      const latency = await pending.reply;
      if (latency === undefined) result.lost += 1;
      else if (sentAt + latency <= endsAt) {
        result.replied += 1;
        result.latenciesMs.push(latency);
      }
    }
  };
  await Promise.all(Array.from({ length: conversations }, (_, conversation) => customer(conversation)));
  return result;
}

/**
 * Open loop: messages are due at a fixed rate (every 1/rate s, round robin
 * over the conversations) whether or not earlier ones were answered, so
 * queueing inside the server shows in the latency instead of slowing the
 * arrivals down. Latency is counted from when a message was due, not from
 * when the load generator got round to sending it, so a stall anywhere
 * (the server, or the load generator itself) is charged, never hidden.
 */
export async function openLoop(
  target: LoadTarget,
  clock: ReplyClock,
  conversations: number,
  rate: number,
  seconds: number,
): Promise<PhaseResult> {
  const result: PhaseResult = { seconds, sent: 0, replied: 0, failed: 0, lost: 0, latenciesMs: [] };
  const total = Math.max(1, Math.floor(rate * seconds));
  const intervalMs = 1000 / rate;
  const startedAt = performance.now();
  const replies: Promise<void>[] = [];
  const send = async (conversation: number, dueAt: number): Promise<void> => {
    const pending = clock.expect(conversation, dueAt);
    try {
      await target.send(conversation);
    } catch {
      pending.cancel();
      result.failed += 1;
      return;
    }
    const latency = await pending.reply;
    if (latency === undefined) result.lost += 1;
    else {
      result.replied += 1;
      result.latenciesMs.push(latency);
    }
  };
  while (result.sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - startedAt) / intervalMs) + 1);
    while (result.sent < due) {
      replies.push(send(result.sent % conversations, startedAt + result.sent * intervalMs));
      result.sent += 1;
    }
    // Timers fire at best every millisecond: whatever fell due meanwhile goes out at the next tick, still timed from when it was due.
    await sleep(Math.max(0, startedAt + result.sent * intervalMs - performance.now()));
  }
  await Promise.all(replies);
  return result;
}
