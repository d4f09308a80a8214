import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from '../../src/core/keyed-serial-queue.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('KeyedSerialQueue', () => {
  it('runs tasks of one key in order, one at a time', async () => {
    const queue = new KeyedSerialQueue();
    const events: string[] = [];
    const task = (name: string, ms: number) => async () => {
      events.push(`start ${name}`);
      await tick(ms);
      events.push(`end ${name}`);
    };
    await Promise.all([queue.run('a', task('1', 20)), queue.run('a', task('2', 1)), queue.run('a', task('3', 5))]);
    expect(events).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys side by side', async () => {
    const queue = new KeyedSerialQueue();
    const events: string[] = [];
    await Promise.all([
      queue.run('a', async () => {
        events.push('start a');
        await tick(20);
        events.push('end a');
      }),
      queue.run('b', async () => {
        events.push('start b');
        await tick(1);
        events.push('end b');
      }),
    ]);
    expect(events).toEqual(['start a', 'start b', 'end b', 'end a']);
  });

  it('goes on after a failing task, and drain waits for everything', async () => {
    const queue = new KeyedSerialQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    let ran = false;
    void queue.run('a', async () => {
      await tick(5);
      ran = true;
    });
    await expect(failed).rejects.toThrow('boom');
    await queue.drain();
    expect(ran).toBe(true);
    expect(queue.activeKeys).toBe(0);
  });
});
