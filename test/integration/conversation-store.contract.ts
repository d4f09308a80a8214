import { describe, expect, it } from 'vitest';
import type { NewTranscriptEntry } from '../../src/core/conversation.ts';
import { SwitchboardError } from '../../src/core/errors.ts';
import type { ConversationStore, NewConversation } from '../../src/store/conversation-store.ts';

export interface ConversationStoreFactoryOptions {
  transcriptCap?: number;
  now?: () => number;
}

/** A fresh, empty store for each call. */
export type ConversationStoreFactory = (options?: ConversationStoreFactoryOptions) => ConversationStore;

let keyCounter = 0;
const newConversation = (overrides: Partial<NewConversation> = {}): NewConversation => ({
  channel: 'sms',
  conversationKey: `sms:+15550000000:+1555${String((keyCounter += 1)).padStart(7, '0')}`,
  userId: '+15551234567',
  address: { to: '+15550000000', from: '+15551234567' },
  locale: 'en-US',
  ...overrides,
});

const customerSays = (text: string, at = 1_700_000_000_000): NewTranscriptEntry => ({
  from: 'customer',
  text,
  at,
});

async function expectNotFound(promise: Promise<unknown>): Promise<void> {
  const error: unknown = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error).toBeInstanceOf(SwitchboardError);
  expect(error).toMatchObject({ code: 'conversation_not_found', status: 404 });
}

/**
 * What every ConversationStore must do, whatever keeps the data. Run from
 * conversation-store.test.ts against each implementation.
 */
export function conversationStoreContract(name: string, factory: ConversationStoreFactory): void {
  describe(`ConversationStore contract: ${name}`, () => {
    describe('getOrCreate', () => {
      it('creates a conversation in the bot state from the channel data', async () => {
        const store = factory();
        const init = newConversation({ address: { to: 'a', from: 'b', 'x-extra': 'ünï' } });
        const { conversation, created } = await store.getOrCreate(init);
        expect(created).toBe(true);
        expect(conversation).toMatchObject({
          channel: init.channel,
          conversationKey: init.conversationKey,
          userId: init.userId,
          address: init.address,
          locale: init.locale,
          status: 'bot',
        });
        expect(conversation.lastCustomerMessageAt).toBeUndefined();
        expect(typeof conversation.createdAt).toBe('number');
        expect(conversation.updatedAt).toBe(conversation.createdAt);
        expect(await store.get(conversation.id)).toEqual(conversation);
      });

      it('is idempotent: the same key gives the same conversation, created once', async () => {
        const store = factory();
        const init = newConversation();
        const first = await store.getOrCreate(init);
        const second = await store.getOrCreate({ ...init, userId: 'someone-else', locale: 'fr-FR' });
        expect(second.created).toBe(false);
        expect(second.conversation).toEqual(first.conversation);
      });

      it('gives 20 concurrent callers one conversation, and says "created" to exactly one', async () => {
        const store = factory();
        const init = newConversation();
        const results = await Promise.all(Array.from({ length: 20 }, () => store.getOrCreate(init)));
        expect(new Set(results.map((result) => result.conversation.id)).size).toBe(1);
        expect(results.filter((result) => result.created)).toHaveLength(1);
      });

      it('gives different keys different, unguessable ids', async () => {
        const store = factory();
        const a = await store.getOrCreate(newConversation());
        const b = await store.getOrCreate(newConversation());
        expect(a.conversation.id).not.toBe(b.conversation.id);
        for (const id of [a.conversation.id, b.conversation.id]) {
          expect(id).toMatch(/^[0-9a-f-]{36}$/);
        }
      });
    });

    describe('get and findByKey', () => {
      it('find a conversation by id and by channel key', async () => {
        const store = factory();
        const init = newConversation();
        const { conversation } = await store.getOrCreate(init);
        expect(await store.get(conversation.id)).toEqual(conversation);
        expect(await store.findByKey(init.conversationKey)).toEqual(conversation);
      });

      it('return undefined for unknown ids and keys', async () => {
        const store = factory();
        expect(await store.get('00000000-0000-4000-8000-000000000000')).toBeUndefined();
        expect(await store.findByKey('sms:nobody:nowhere')).toBeUndefined();
      });

      it('hand out copies: changing a returned object does not change the store', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        conversation.status = 'closed';
        (conversation.address as Record<string, string>).to = 'changed';
        const reread = await store.get(conversation.id);
        expect(reread?.status).toBe('bot');
        expect(reread?.address.to).not.toBe('changed');
      });
    });

    describe('update', () => {
      it('applies the patch, keeps the rest and bumps updatedAt', async () => {
        let clock = 1_700_000_000_000;
        const store = factory({ now: () => clock });
        const { conversation } = await store.getOrCreate(newConversation());
        clock += 1_000;
        const updated = await store.update(conversation.id, {
          status: 'queued',
          lastCustomerMessageAt: 1_700_000_123_456,
        });
        expect(updated).toMatchObject({
          id: conversation.id,
          status: 'queued',
          locale: conversation.locale,
          address: conversation.address,
          lastCustomerMessageAt: 1_700_000_123_456,
          createdAt: conversation.createdAt,
        });
        expect(updated.updatedAt).toBe(clock);
        expect(await store.get(conversation.id)).toEqual(updated);

        const again = await store.update(conversation.id, { address: { psid: '42' }, locale: 'es' });
        expect(again).toMatchObject({ status: 'queued', address: { psid: '42' }, locale: 'es' });
        expect(again.address).toEqual({ psid: '42' });
      });

      it('keeps the handoff record, and replaces it whole', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const handoff = {
          reason: 'low_confidence' as const,
          evidence: [{ intent: 'order.status', score: 0.21 }, { intent: 'help', score: 0.12 }],
          sentiment: -0.5,
          skill: 'général',
          priority: 0,
          escalatedAt: 1_700_000_000_000,
        };
        await store.update(conversation.id, { status: 'queued', handoff });
        expect((await store.get(conversation.id))?.handoff).toEqual(handoff);
        const released = { ...handoff, agentId: 'sam', releasedAt: 1_700_000_100_000, releaseNote: 'refund done ✅' };
        await store.update(conversation.id, { handoff: released });
        expect((await store.get(conversation.id))?.handoff).toEqual(released);
      });

      it('keeps internal entries marked as such', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        await store.append(conversation.id, { from: 'system', text: 'escalated', at: 1, internal: true });
        const [entry] = await store.transcript(conversation.id);
        expect(entry).toMatchObject({ internal: true, text: 'escalated' });
      });

      it('leaves fields alone that the patch mentions as undefined', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const updated = await store.update(conversation.id, { status: undefined, locale: 'de' });
        expect(updated.status).toBe('bot');
        expect(updated.locale).toBe('de');
      });

      it('throws conversation_not_found for an unknown id, and creates nothing', async () => {
        const store = factory();
        const id = '00000000-0000-4000-8000-000000000001';
        await expectNotFound(store.update(id, { status: 'closed' }));
        expect(await store.get(id)).toBeUndefined();
      });
    });

    describe('transcript', () => {
      it('appends entries with strictly increasing ids and reads them back, oldest first', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const first = await store.append(conversation.id, customerSays('hello'));
        const second = await store.append(conversation.id, {
          from: 'bot',
          text: 'Hi! How can I help?',
          at: 1_700_000_000_500,
          nlu: { intent: 'greeting', score: 0.987654321012345 },
        });
        const third = await store.append(conversation.id, {
          from: 'agent',
          text: 'Agent here.',
          at: 1_700_000_001_000,
          agentId: 'agent-7',
        });
        expect(first.id).toBeGreaterThan(0);
        expect(second.id).toBeGreaterThan(first.id);
        expect(third.id).toBeGreaterThan(second.id);
        expect(await store.transcript(conversation.id)).toEqual([first, second, third]);
      });

      it('bumps the conversation updatedAt on append', async () => {
        let clock = 1_700_000_000_000;
        const store = factory({ now: () => clock });
        const { conversation } = await store.getOrCreate(newConversation());
        clock += 5_000;
        await store.append(conversation.id, customerSays('tick'));
        expect(await store.get(conversation.id)).toEqual({ ...conversation, updatedAt: clock });
      });

      it('returns only entries after `after`, at most `limit` of them', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const entries = [];
        for (let i = 0; i < 10; i += 1) entries.push(await store.append(conversation.id, customerSays(`m${i}`)));
        const ids = entries.map((entry) => entry.id);
        const read = async (query: { after?: number; limit?: number }) =>
          (await store.transcript(conversation.id, query)).map((entry) => entry.id);

        expect(await read({})).toEqual(ids);
        expect(await read({ after: ids[3] })).toEqual(ids.slice(4));
        expect(await read({ limit: 3 })).toEqual(ids.slice(0, 3));
        expect(await read({ after: ids[3], limit: 2 })).toEqual(ids.slice(4, 6));
        expect(await read({ after: ids[9] })).toEqual([]);
        expect(await read({ after: 1_000_000 })).toEqual([]);
        expect(await read({ after: 0 })).toEqual(ids);
        expect(await read({ limit: 0 })).toEqual([]);
        expect(await read({ limit: 100 })).toEqual(ids);
      });

      it('keeps only the newest entries beyond the cap, and ids keep increasing', async () => {
        const store = factory({ transcriptCap: 5 });
        const { conversation } = await store.getOrCreate(newConversation());
        const entries = [];
        for (let i = 0; i < 12; i += 1) entries.push(await store.append(conversation.id, customerSays(`m${i}`)));
        const kept = await store.transcript(conversation.id);
        expect(kept).toEqual(entries.slice(-5));
        // `after` still counts in ids, whether or not older ids were trimmed.
        expect(await store.transcript(conversation.id, { after: entries[2]?.id })).toEqual(entries.slice(-5));
        expect(await store.transcript(conversation.id, { after: entries[9]?.id })).toEqual(entries.slice(10));
        const next = await store.append(conversation.id, customerSays('after trim'));
        expect(next.id).toBeGreaterThan(entries[11]?.id ?? Infinity);
      });

      it('round-trips unicode, emoji, quotes, attachments and NLU evidence exactly', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const entry: NewTranscriptEntry = {
          from: 'customer',
          text: 'Où est ma commande ? 📦🚚 — 注文はどこ？ "quoted" \\ back\\slash\nnew line 👩‍👩‍👧 \u{1F600}',
          at: 1_700_000_000_001,
          attachments: [
            { contentType: 'image/jpeg', url: 'https://example.com/ph%C3%B6to.jpg', name: 'phöto.jpg' },
            { contentType: 'audio', mediaId: 'wamid.123' },
          ],
        };
        const appended = await store.append(conversation.id, entry);
        expect(appended).toEqual({ ...entry, id: appended.id });
        expect(await store.transcript(conversation.id)).toEqual([appended]);
      });

      it('gives 100 concurrent appends 100 distinct ids, read back in id order', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const appended = await Promise.all(
          Array.from({ length: 100 }, (_, i) => store.append(conversation.id, customerSays(`parallel ${i}`))),
        );
        const ids = appended.map((entry) => entry.id);
        expect(new Set(ids).size).toBe(100);
        const transcript = await store.transcript(conversation.id);
        expect(transcript).toHaveLength(100);
        const readIds = transcript.map((entry) => entry.id);
        expect(readIds).toEqual([...ids].sort((a, b) => a - b));
        expect(new Set(transcript.map((entry) => entry.text))).toEqual(new Set(appended.map((e) => e.text)));
      });

      it('keeps transcripts of different conversations apart', async () => {
        const store = factory();
        const a = (await store.getOrCreate(newConversation())).conversation;
        const b = (await store.getOrCreate(newConversation())).conversation;
        await store.append(a.id, customerSays('for a'));
        await store.append(b.id, customerSays('for b'));
        expect((await store.transcript(a.id)).map((entry) => entry.text)).toEqual(['for a']);
        expect((await store.transcript(b.id)).map((entry) => entry.text)).toEqual(['for b']);
      });

      it('returns an empty transcript for a new conversation', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        expect(await store.transcript(conversation.id)).toEqual([]);
      });

      it('throws conversation_not_found when appending to or reading an unknown conversation', async () => {
        const store = factory();
        const id = '00000000-0000-4000-8000-000000000002';
        await expectNotFound(store.append(id, customerSays('anyone?')));
        await expectNotFound(store.transcript(id));
        expect(await store.get(id)).toBeUndefined();
      });

      it('refuses a malformed limit with a 400', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        await expect(store.transcript(conversation.id, { limit: -1 })).rejects.toMatchObject({
          code: 'invalid_transcript_query',
          status: 400,
        });
        await expect(store.transcript(conversation.id, { limit: 1.5 })).rejects.toMatchObject({
          code: 'invalid_transcript_query',
        });
      });
    });

    describe('inbound bookkeeping (the durable inbox)', () => {
      const wrote = 1_700_000_000_000;

      it('records a customer message once per idempotency key, and says whether its turn is done', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const first = await store.recordInbound(conversation.id, customerSays('hi'), { idempotencyKey: 'sms:SM1', wroteAt: wrote });
        expect(first).toMatchObject({ fresh: true, done: false, entry: { id: 1, from: 'customer', text: 'hi' } });
        const again = await store.recordInbound(conversation.id, customerSays('hi'), { idempotencyKey: 'sms:SM1', wroteAt: wrote });
        expect(again).toMatchObject({ fresh: false, done: false, entry: { id: 1 } });
        await store.completeInbound(conversation.id, 1);
        expect(await store.recordInbound(conversation.id, customerSays('hi'), { idempotencyKey: 'sms:SM1', wroteAt: wrote })).toMatchObject({
          fresh: false,
          done: true,
        });
        // Without a key (web chat), every call records.
        const [a, b] = await Promise.all([
          store.recordInbound(conversation.id, customerSays('same'), { wroteAt: wrote }),
          store.recordInbound(conversation.id, customerSays('same'), { wroteAt: wrote }),
        ]);
        expect(a.entry.id).not.toBe(b.entry.id);
        expect(await store.transcript(conversation.id)).toHaveLength(3);
      });

      it('records 20 concurrent redeliveries of one message once', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const results = await Promise.all(
          Array.from({ length: 20 }, () =>
            store.recordInbound(conversation.id, customerSays('once'), { idempotencyKey: 'wa:wamid.1', wroteAt: wrote }),
          ),
        );
        expect(results.filter((result) => result.fresh)).toHaveLength(1);
        expect(new Set(results.map((result) => result.entry.id))).toEqual(new Set([1]));
        expect(await store.transcript(conversation.id)).toHaveLength(1);
      });

      it('moves lastCustomerMessageAt up to when the customer wrote, never back', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        await store.recordInbound(conversation.id, customerSays('late'), { wroteAt: wrote + 5_000 });
        await store.recordInbound(conversation.id, customerSays('early, delivered late'), { wroteAt: wrote });
        expect((await store.get(conversation.id))?.lastCustomerMessageAt).toBe(wrote + 5_000);
      });

      it('lists what is pending after the last completed message, up to a given entry', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const one = (await store.recordInbound(conversation.id, customerSays('one'), { wroteAt: wrote })).entry;
        await store.append(conversation.id, { from: 'bot', text: 'reply to one', at: wrote });
        const two = (await store.recordInbound(conversation.id, customerSays('two'), { wroteAt: wrote })).entry;
        const three = (await store.recordInbound(conversation.id, customerSays('three'), { wroteAt: wrote })).entry;
        expect((await store.pendingInbound(conversation.id, two.id)).entries.map((entry) => entry.text)).toEqual(['one', 'reply to one', 'two']);
        await store.completeInbound(conversation.id, one.id);
        expect((await store.pendingInbound(conversation.id, three.id)).entries.map((entry) => entry.text)).toEqual([
          'reply to one',
          'two',
          'three',
        ]);
        await store.completeInbound(conversation.id, three.id);
        expect((await store.pendingInbound(conversation.id, two.id)).entries).toEqual([]);
        // Never moves back.
        await store.completeInbound(conversation.id, one.id);
        expect((await store.pendingInbound(conversation.id, three.id)).entries).toEqual([]);
      });

      it('gives the conversation as it is now with what is pending (the turn reads it from there)', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const { entry } = await store.recordInbound(conversation.id, customerSays('hi'), { wroteAt: wrote });
        await store.update(conversation.id, { status: 'queued' });
        const pending = await store.pendingInbound(conversation.id, entry.id);
        expect(pending.conversation).toEqual(await store.get(conversation.id));
        expect(pending.conversation.status).toBe('queued');
        await store.completeInbound(conversation.id, entry.id);
        expect((await store.pendingInbound(conversation.id, entry.id)).conversation.id).toBe(conversation.id);
      });

      it('keeps the recordOnly mark of a message recorded without a turn', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const { entry } = await store.recordInbound(conversation.id, { ...customerSays('STOP'), recordOnly: true }, { wroteAt: wrote });
        expect((await store.pendingInbound(conversation.id, entry.id)).entries).toEqual([{ ...customerSays('STOP'), recordOnly: true, id: entry.id }]);
      });

      it('appends each reply of a turn once, however often the turn runs', async () => {
        const store = factory();
        const { conversation } = await store.getOrCreate(newConversation());
        const first = (await store.recordInbound(conversation.id, customerSays('q1'), { wroteAt: wrote })).entry;
        const reply = (text: string) => ({ from: 'bot' as const, text, at: wrote });
        expect((await store.pendingInbound(conversation.id, first.id)).replied).toEqual({ inboundId: 0, ordinal: -1, entryId: 0 });
        expect(await store.appendReply(conversation.id, reply('a'), { inboundId: first.id, ordinal: 0 })).toMatchObject({ text: 'a' });
        expect(await store.appendReply(conversation.id, reply('b'), { inboundId: first.id, ordinal: 1 })).toMatchObject({ text: 'b' });
        // The same turn again (redelivered after a crash): nothing new.
        expect(await store.appendReply(conversation.id, reply('a'), { inboundId: first.id, ordinal: 0 })).toBeUndefined();
        expect(await store.appendReply(conversation.id, reply('b'), { inboundId: first.id, ordinal: 1 })).toBeUndefined();
        // …except what it had not got to.
        expect(await store.appendReply(conversation.id, reply('c'), { inboundId: first.id, ordinal: 2 })).toMatchObject({ text: 'c' });
        const second = (await store.recordInbound(conversation.id, customerSays('q2'), { wroteAt: wrote })).entry;
        expect(await store.appendReply(conversation.id, reply('d'), { inboundId: second.id, ordinal: 0 })).toMatchObject({ text: 'd' });
        // An older turn never writes after a newer one.
        expect(await store.appendReply(conversation.id, reply('late'), { inboundId: first.id, ordinal: 3 })).toBeUndefined();
        expect((await store.transcript(conversation.id)).map((entry) => entry.text)).toEqual(['q1', 'a', 'b', 'c', 'q2', 'd']);
        // A turn that runs again learns how far the replies got.
        const last = (await store.transcript(conversation.id)).at(-1);
        expect((await store.pendingInbound(conversation.id, second.id)).replied).toEqual({ inboundId: second.id, ordinal: 0, entryId: last?.id });
      });

      it('throws conversation_not_found for an unknown conversation', async () => {
        const store = factory();
        const id = '00000000-0000-4000-8000-000000000003';
        await expectNotFound(store.recordInbound(id, customerSays('x'), { wroteAt: wrote }));
        await expectNotFound(store.pendingInbound(id, 1));
        await expectNotFound(store.appendReply(id, customerSays('x'), { inboundId: 1, ordinal: 0 }));
        await expectNotFound(store.completeInbound(id, 1));
      });
    });
  });
}
