import { isSwitchboardError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';
import { retryDelay, type InboxHandler, type InboxItem, type InboxQueue } from './inbox-queue.ts';

export interface MemoryInboxQueueOptions {
  logger: Logger;
  /** Items in hand at once (INBOX_CONCURRENCY). */
  concurrency?: number;
  /** Longest pause between retries of a failed item. */
  maxRetryDelayMs?: number;
}

/**
 * The inbox in the process's memory, for one host without Redis: the same
 * contract as the Redis stream (items handled at least once until their
 * handler resolves, retried when it rejects, at most `concurrency` at once)
 * with nothing to survive: the conversations themselves live in memory too.
 */
export class MemoryInboxQueue implements InboxQueue {
  readonly kind = 'memory' as const;
  private readonly logger: Logger;
  private readonly concurrency: number;
  private readonly maxRetryDelayMs: number;
  private readonly waiting: InboxItem[] = [];
  private readonly retries = new Set<NodeJS.Timeout>();
  private handler: InboxHandler | undefined;
  /** Items taken and not yet done: running, or waiting for a retry. */
  private inHand = 0;
  private stopped = false;
  private idleWaiters: (() => void)[] = [];
  private runningWaiters: (() => void)[] = [];
  private running = 0;

  constructor(options: MemoryInboxQueueOptions) {
    this.logger = options.logger.child({ component: 'inbox' });
    this.concurrency = options.concurrency ?? 64;
    this.maxRetryDelayMs = options.maxRetryDelayMs ?? 5_000;
  }

  enqueue(item: InboxItem): Promise<void> {
    if (this.stopped) return Promise.reject(new Error('The inbox is stopped.'));
    this.waiting.push({ ...item });
    this.pump();
    return Promise.resolve();
  }

  start(handler: InboxHandler): void {
    this.handler = handler;
    this.pump();
  }

  drain(): Promise<void> {
    if (this.waiting.length === 0 && this.inHand === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.retries) clearTimeout(timer);
    this.retries.clear();
    if (this.running > 0) await new Promise<void>((resolve) => this.runningWaiters.push(resolve));
    // Nothing more will be handled: whoever waits for the queue to empty stops waiting.
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  backlog(): Promise<number> {
    return Promise.resolve(this.waiting.length + this.inHand);
  }

  private pump(): void {
    while (this.handler && !this.stopped && this.inHand < this.concurrency) {
      const item = this.waiting.shift();
      if (!item) break;
      this.inHand += 1;
      this.run(this.handler, item, 0);
    }
  }

  private run(handler: InboxHandler, item: InboxItem, attempt: number): void {
    this.running += 1;
    handler(item).then(
      () => {
        this.finished();
        this.settle();
      },
      (error: unknown) => {
        this.finished();
        if (this.stopped) return;
        if (isSwitchboardError(error) && error.code === 'turn_fenced') {
          this.settle();
          return;
        }
        const delayMs = retryDelay(attempt, this.maxRetryDelayMs);
        this.logger.warn({ err: error, conversationId: item.conversationId, attempt: attempt + 1, delayMs }, 'inbox item failed; retrying');
        const timer = setTimeout(() => {
          this.retries.delete(timer);
          this.run(handler, item, attempt + 1);
        }, delayMs);
        this.retries.add(timer);
      },
    );
  }

  private finished(): void {
    this.running -= 1;
    if (this.running === 0) for (const resolve of this.runningWaiters.splice(0)) resolve();
  }

  /** An item is done for good (handled, or someone else's now). */
  private settle(): void {
    this.inHand -= 1;
    this.pump();
    if (this.waiting.length === 0 && this.inHand === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
