import { afterEach, describe, expect, it } from 'vitest';
import { SwitchboardError } from '../../src/core/errors.ts';
import type { InboxItem, InboxQueue } from '../../src/store/inbox-queue.ts';

/** A fresh, empty inbox per call, handing out at most `concurrency` items at once. */
export type InboxQueueFactory = (options: { concurrency?: number }) => InboxQueue;

const item = (conversationId: string, entryId: number): InboxItem => ({ conversationId, entryId, requestId: `req-${entryId}` });
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * What every InboxQueue must do, whatever keeps the items. Run from
 * inbox-queue.test.ts against memory, Redis and Redis Cluster.
 */
export function inboxQueueContract(name: string, factory: InboxQueueFactory): void {
  describe(`InboxQueue contract: ${name}`, () => {
    const started: InboxQueue[] = [];
    const open = (options: { concurrency?: number } = {}) => {
      const queue = factory(options);
      started.push(queue);
      return queue;
    };
    afterEach(async () => {
      await Promise.all(started.splice(0).map((queue) => queue.stop()));
    });

    it('hands every item, with what it carries, to the handler once it resolves', async () => {
      const queue = open();
      const seen: InboxItem[] = [];
      queue.start((received) => {
        seen.push(received);
        return Promise.resolve();
      });
      for (let entryId = 1; entryId <= 20; entryId += 1) await queue.enqueue(item(`c${entryId % 3}`, entryId));
      await queue.drain();
      expect(seen.map((received) => received.entryId).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(seen.find((received) => received.entryId === 7)).toEqual(item('c1', 7));
      expect(await queue.backlog()).toBe(0);
    });

    it('keeps items enqueued before the handler starts', async () => {
      const queue = open();
      await queue.enqueue(item('early', 1));
      expect(await queue.backlog()).toBe(1);
      const seen: number[] = [];
      queue.start((received) => {
        seen.push(received.entryId);
        return Promise.resolve();
      });
      await queue.drain();
      expect(seen).toEqual([1]);
    });

    it('retries an item whose handler rejects until it resolves, and drain waits for it', async () => {
      const queue = open();
      let attempts = 0;
      queue.start(() => {
        attempts += 1;
        return attempts < 3 ? Promise.reject(new Error('Connection is closed.')) : Promise.resolve();
      });
      await queue.enqueue(item('c', 1));
      await queue.drain();
      expect(attempts).toBe(3);
      expect(await queue.backlog()).toBe(0);
    });

    it('lets go of an item another host took over (turn_fenced): no retry here', async () => {
      const queue = open();
      let attempts = 0;
      queue.start(() => {
        attempts += 1;
        return Promise.reject(new SwitchboardError('turn_fenced', 'someone else has it', 409));
      });
      await queue.enqueue(item('c', 1));
      await tick(600);
      expect(attempts).toBe(1);
    });

    it('hands out at most `concurrency` items at once, and the rest as room frees up', async () => {
      const queue = open({ concurrency: 3 });
      let running = 0;
      let most = 0;
      let done = 0;
      queue.start(async () => {
        running += 1;
        most = Math.max(most, running);
        await tick(15);
        running -= 1;
        done += 1;
      });
      for (let entryId = 1; entryId <= 12; entryId += 1) await queue.enqueue(item(`c${entryId}`, entryId));
      await queue.drain();
      expect(done).toBe(12);
      expect(most).toBe(3);
    });

    it('finishes the items in hand when stopped, and takes no more', async () => {
      const queue = open({ concurrency: 1 });
      const finished: number[] = [];
      queue.start(async (received) => {
        await tick(50);
        finished.push(received.entryId);
      });
      await queue.enqueue(item('c', 1));
      await tick(20);
      await queue.stop();
      expect(finished).toEqual([1]);
      await queue.enqueue(item('c', 2)).catch(() => undefined);
      await tick(100);
      expect(finished).toEqual([1]);
    });
  });
}
