/**
 * Times each message from when it was sent (or due to be sent) to when its
 * reply reached the fake platform. Replies carry nothing that names the
 * message they answer, but a conversation's replies come in the order of its
 * messages (turns of one conversation are serial, one reply per message), so
 * they are matched per conversation, first in, first out.
 */
export interface PendingReply {
  /** The latency in ms when the reply came, undefined when it did not within the timeout. */
  readonly reply: Promise<number | undefined>;
  /** The message was refused: no reply will come for it. */
  cancel(): void;
}

interface Waiting {
  startedAt: number;
  settle: (latencyMs: number | undefined) => void;
  /** Given up on (timed out); the reply, if it comes late, is matched to it and dropped. */
  expired: boolean;
}

export class ReplyClock {
  private readonly waiting = new Map<number, Waiting[]>();
  private readonly sweeper: NodeJS.Timeout;
  /** Replies that came when nothing of their conversation was waiting (a bot that said two things). */
  unmatched = 0;
  /** Replies that came after their message had been given up on. */
  late = 0;

  constructor(private readonly timeoutMs: number) {
    // One sweep a second instead of a timer per message: cheaper for the load generator.
    this.sweeper = setInterval(() => this.expire(), Math.min(1_000, timeoutMs));
    this.sweeper.unref();
  }

  /** Registers a message of `conversation` sent (or due) at `startedAt` (performance.now()), before it is sent. */
  expect(conversation: number, startedAt: number): PendingReply {
    let queue = this.waiting.get(conversation);
    if (!queue) {
      queue = [];
      this.waiting.set(conversation, queue);
    }
    const waiting: Waiting = { startedAt, settle: () => undefined, expired: false };
    const reply = new Promise<number | undefined>((resolve) => {
      waiting.settle = resolve;
    });
    queue.push(waiting);
    return {
      reply,
      cancel: () => {
        const at = queue.indexOf(waiting);
        if (at >= 0) queue.splice(at, 1);
        waiting.settle(undefined);
      },
    };
  }

  /** A reply of `conversation` arrived now. */
  arrived(conversation: number, at = performance.now()): void {
    const queue = this.waiting.get(conversation);
    const head = queue?.shift();
    if (!head) {
      this.unmatched += 1;
      return;
    }
    if (head.expired) {
      this.late += 1;
      return;
    }
    head.settle(at - head.startedAt);
  }

  /** Messages still waiting for their reply. */
  get inFlight(): number {
    let count = 0;
    for (const queue of this.waiting.values()) count += queue.filter((entry) => !entry.expired).length;
    return count;
  }

  close(): void {
    clearInterval(this.sweeper);
    this.expire(Number.POSITIVE_INFINITY);
  }

  private expire(now = performance.now()): void {
    for (const queue of this.waiting.values()) {
      for (const entry of queue) {
        if (entry.expired || now - entry.startedAt < this.timeoutMs) continue;
        entry.expired = true;
        entry.settle(undefined);
      }
    }
  }
}
