import { afterEach, describe, expect, it } from 'vitest';
import { ReplyClock } from '../../../bench/e2e/reply-clock.ts';

describe('ReplyClock: replies matched to messages, per conversation, first in first out', () => {
  let clock: ReplyClock;
  afterEach(() => clock.close());

  it('times each reply from its own message', async () => {
    clock = new ReplyClock(10_000);
    const first = clock.expect(1, 100);
    const second = clock.expect(1, 150);
    const other = clock.expect(2, 120);
    clock.arrived(2, 125);
    clock.arrived(1, 130);
    clock.arrived(1, 190);
    expect(await first.reply).toBe(30);
    expect(await second.reply).toBe(40);
    expect(await other.reply).toBe(5);
    expect(clock.inFlight).toBe(0);
  });

  it('counts a reply nothing waits for, and forgets a refused message', async () => {
    clock = new ReplyClock(10_000);
    clock.arrived(3, 10);
    expect(clock.unmatched).toBe(1);
    const refused = clock.expect(3, 20);
    const next = clock.expect(3, 30);
    refused.cancel();
    expect(await refused.reply).toBeUndefined();
    clock.arrived(3, 35);
    expect(await next.reply).toBe(5);
  });

  it('gives up on a reply after the timeout, and drops it when it comes late', async () => {
    clock = new ReplyClock(20);
    const slow = clock.expect(4, performance.now());
    expect(await slow.reply).toBeUndefined();
    const next = clock.expect(4, performance.now());
    clock.arrived(4);
    expect(clock.late).toBe(1);
    clock.arrived(4);
    expect(await next.reply).toBeGreaterThanOrEqual(0);
  });
});
