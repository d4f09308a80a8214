import type { Storage } from 'botbuilder';
import { describe, expect, it } from 'vitest';

/** A fresh, empty storage for each call. */
export type DialogStorageFactory = () => Storage;

// botbuilder's storage keys look like this: channel/conversations/id, with slashes.
let counter = 0;
const storageKey = (what = 'conversations'): string => `webchat/${what}/conv-${(counter += 1)}`;

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (error: unknown) => error,
  );
}

/**
 * What botbuilder dialog state storage must do, with the semantics of
 * botbuilder's MemoryStorage. Run from dialog-storage.test.ts against
 * MemoryStorage itself and the Redis implementation.
 */
export function dialogStorageContract(name: string, factory: DialogStorageFactory): void {
  describe(`dialog Storage contract: ${name}`, () => {
    it('reads nothing for keys never written: missing keys are absent, not undefined', async () => {
      const storage = factory();
      const items = await storage.read([storageKey(), storageKey()]);
      expect(items).toEqual({});
      expect(Object.keys(items)).toHaveLength(0);
      expect(await storage.read([])).toEqual({});
    });

    it('writes and reads back items with slashes in their keys, with an eTag', async () => {
      const storage = factory();
      const conversationKey = storageKey();
      const userKey = storageKey('users');
      const state = { dialogStack: [{ id: 'main', state: { step: 2, options: { é: '😀' } } }], n: 1.25 };
      await storage.write({ [conversationKey]: state, [userKey]: { name: 'Zoë' } });
      const items = await storage.read([conversationKey, userKey, storageKey()]);
      expect(Object.keys(items).sort()).toEqual([conversationKey, userKey].sort());
      expect(items[conversationKey]).toEqual({ ...state, eTag: expect.any(String) as unknown });
      expect(items[userKey]).toEqual({ name: 'Zoë', eTag: expect.any(String) as unknown });
    });

    it('does not change the object it was given', async () => {
      const storage = factory();
      const key = storageKey();
      const item = { a: 1, eTag: '*' };
      await storage.write({ [key]: item });
      expect(item).toEqual({ a: 1, eTag: '*' });
    });

    it('assigns a new eTag on every write', async () => {
      const storage = factory();
      const key = storageKey();
      const eTags = new Set<unknown>();
      for (let i = 0; i < 3; i += 1) {
        await storage.write({ [key]: { i } });
        const items = await storage.read([key]);
        eTags.add((items[key] as { eTag?: unknown }).eTag);
      }
      expect(eTags.size).toBe(3);
    });

    it('accepts a write carrying the current eTag', async () => {
      const storage = factory();
      const key = storageKey();
      await storage.write({ [key]: { v: 1 } });
      const read = (await storage.read([key]))[key] as { v: number; eTag: string };
      await storage.write({ [key]: { ...read, v: 2 } });
      const after = (await storage.read([key]))[key] as { v: number; eTag: string };
      expect(after.v).toBe(2);
      expect(after.eTag).not.toBe(read.eTag);
    });

    it('refuses a write carrying a stale eTag, and keeps the stored item', async () => {
      const storage = factory();
      const key = storageKey();
      await storage.write({ [key]: { v: 1 } });
      const stale = (await storage.read([key]))[key] as { v: number; eTag: string };
      await storage.write({ [key]: { ...stale, v: 2 } });
      const current = (await storage.read([key]))[key] as { v: number; eTag: string };

      const error = await rejectionOf(storage.write({ [key]: { ...stale, v: 3 } }));
      expect(error).toBeInstanceOf(Error);
      expect((error as Error).message).toBe(`Storage: error writing "${key}" due to eTag conflict.`);
      expect((await storage.read([key]))[key]).toEqual(current);
    });

    it('lets only one of two writers holding the same eTag win', async () => {
      const storage = factory();
      const key = storageKey();
      await storage.write({ [key]: { v: 0 } });
      const read = (await storage.read([key]))[key] as { v: number; eTag: string };
      const results = await Promise.allSettled([
        storage.write({ [key]: { ...read, v: 1 } }),
        storage.write({ [key]: { ...read, v: 2 } }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const winner = results.findIndex((result) => result.status === 'fulfilled') + 1;
      expect((await storage.read([key]))[key]).toMatchObject({ v: winner });
    });

    it('overwrites unconditionally with eTag "*" or without an eTag', async () => {
      const storage = factory();
      const key = storageKey();
      await storage.write({ [key]: { v: 1 } });
      await storage.write({ [key]: { v: 2, eTag: '*' } });
      expect((await storage.read([key]))[key]).toMatchObject({ v: 2 });
      await storage.write({ [key]: { v: 3 } });
      expect((await storage.read([key]))[key]).toMatchObject({ v: 3 });
      await storage.write({ [key]: { v: 4, eTag: '' } });
      expect((await storage.read([key]))[key]).toMatchObject({ v: 4 });
    });

    it('creates a missing item whatever eTag the write carries', async () => {
      const storage = factory();
      const key = storageKey();
      await storage.write({ [key]: { v: 1, eTag: 'from-a-previous-life' } });
      expect((await storage.read([key]))[key]).toMatchObject({ v: 1 });
    });

    it('deletes items; deleting missing keys is fine', async () => {
      const storage = factory();
      const kept = storageKey();
      const gone = storageKey();
      await storage.write({ [kept]: { v: 1 }, [gone]: { v: 2 } });
      await storage.delete([gone, storageKey()]);
      expect(await storage.read([kept, gone])).toEqual({ [kept]: expect.objectContaining({ v: 1 }) as unknown });
      await storage.delete([]);
    });

    it('accepts any eTag after a delete (the item is new again)', async () => {
      const storage = factory();
      const key = storageKey();
      await storage.write({ [key]: { v: 1 } });
      const old = (await storage.read([key]))[key] as { eTag: string };
      await storage.delete([key]);
      await storage.write({ [key]: { v: 2, eTag: old.eTag } });
      expect((await storage.read([key]))[key]).toMatchObject({ v: 2 });
    });
  });
}
