import { join } from 'node:path';
import { LuaCommandSet, luaReply, unexpectedReply, type ScriptDefinition } from './lua-commands.ts';
import type { RedisClient } from './redis-connection.ts';

/**
 * The store's Lua scripts, read from src/store/lua/ and registered on a
 * client with `defineCommand` (which runs EVALSHA and falls back to EVAL when
 * the server has not seen the script yet). Each script's header documents its
 * KEYS, ARGV and reply; the wrappers below are the typed face of those
 * headers, and they check the reply's shape rather than trust it.
 */
// Command names carry an `sb` prefix: other areas define their own scripts on
// the same client, and defineCommand overwrites silently on a name clash.
// None is marked readOnly, not even the transcript read: on a cluster client
// with scaleReads that would send it to a replica, and a web chat reading
// right after its own append must see it.
const SCRIPTS = {
  sbClaimConversationKey: { file: 'claim-conversation-key.lua', numberOfKeys: 1 },
  sbEnsureConversation: { file: 'ensure-conversation.lua', numberOfKeys: 1 },
  sbUpdateConversation: { file: 'update-conversation.lua', numberOfKeys: 1 },
  sbAppendTranscript: { file: 'append-transcript.lua', numberOfKeys: 2 },
  sbReadTranscript: { file: 'read-transcript.lua', numberOfKeys: 2 },
  sbWriteDialogState: { file: 'write-dialog-state.lua', numberOfKeys: 1 },
  sbReadDialogState: { file: 'read-dialog-state.lua', numberOfKeys: 1 },
  sbReleaseLock: { file: 'release-lock.lua', numberOfKeys: 1 },
  sbExtendLock: { file: 'extend-lock.lua', numberOfKeys: 1 },
  // 2 or 3 keys (the idempotency key is optional): the caller passes the count.
  sbRecordInbound: { file: 'record-inbound.lua' },
  // 2 or 3 keys (the turn lock is optional): the caller passes the count.
  sbPendingInbound: { file: 'pending-inbound.lua' },
  sbAppendReply: { file: 'append-reply.lua', numberOfKeys: 3 },
  sbCompleteInbound: { file: 'complete-inbound.lua', numberOfKeys: 2 },
  sbInboxAck: { file: 'inbox-ack.lua', numberOfKeys: 1 },
} as const satisfies Record<string, ScriptDefinition>;

const COMMANDS = new LuaCommandSet(join(import.meta.dirname, 'lua'), SCRIPTS);

/** The fields of a new conversation record, as the ensure script takes them. */
export interface ConversationRecordInit {
  id: string;
  channel: string;
  conversationKey: string;
  userId: string;
  /** JSON object of strings. */
  address: string;
  status: string;
  locale: string;
  now: number;
}

export interface StoreScripts {
  /** claim-conversation-key.lua: the id that owns the channel key. */
  claimConversationKey(indexKey: string, candidateId: string): Promise<string>;
  /** ensure-conversation.lua: whether this call created the record, and the record. */
  ensureConversation(
    recordKey: string,
    init: ConversationRecordInit,
  ): Promise<{ created: boolean; fields: Record<string, string> }>;
  /** update-conversation.lua: the record after the patch. */
  updateConversation(
    recordKey: string,
    now: number,
    patch: ReadonlyMap<string, string>,
  ): Promise<Record<string, string>>;
  /** append-transcript.lua: the new entry's id. */
  appendTranscript(
    recordKey: string,
    transcriptKey: string,
    entryJson: string,
    cap: number,
    now: number,
  ): Promise<number>;
  /** read-transcript.lua: JSON entries, oldest first. `limit` -1 is unlimited. */
  readTranscript(
    recordKey: string,
    transcriptKey: string,
    after: number,
    limit: number,
  ): Promise<string[]>;
  /** write-dialog-state.lua: the new eTag. */
  writeDialogState(
    key: string,
    expectedETag: string,
    newETag: string,
    json: string,
    ttlSeconds: number,
  ): Promise<string>;
  /** read-dialog-state.lua: the item, or undefined when there is none. */
  readDialogState(
    key: string,
    ttlSeconds: number,
  ): Promise<{ eTag: string; json: string } | undefined>;
  /** release-lock.lua: whether this token still held the lock. */
  releaseLock(key: string, token: string): Promise<boolean>;
  /** extend-lock.lua: whether this token still held the lock (and now holds it for `ttlMs` more). */
  extendLock(key: string, token: string, ttlMs: number): Promise<boolean>;
  /**
   * record-inbound.lua: the customer entry's id, whether this call recorded
   * it, and whether its turn is done; a fresh entry is announced on `channel`.
   */
  recordInbound(
    keys: { record: string; transcript: string; idempotency?: string },
    entryJson: string,
    cap: number,
    now: number,
    wroteAt: number,
    idempotencyTtlMs: number,
    channel: string,
  ): Promise<{ entryId: number; fresh: boolean; done: boolean }>;
  /**
   * pending-inbound.lua: the record, the watermarks and the JSON entries
   * after the last completed message, up to `upTo`; with `lock`, taken
   * first, or undefined when someone else holds it.
   */
  pendingInbound(
    keys: { record: string; transcript: string; lock?: string },
    upTo: number,
    lock?: { token: string; ttlMs: number },
  ): Promise<
    | {
        record: Record<string, string>;
        done: number;
        replied: { inboundId: number; ordinal: number; entryId: number };
        entries: string[];
      }
    | undefined
  >;
  /** append-reply.lua: the new entry's id, announced on `channel`, or 0 when the reply was appended before. */
  appendReply(
    keys: { record: string; transcript: string; lock: string },
    entryJson: string,
    cap: number,
    now: number,
    guard: { inboundId: number; ordinal: number; token: string },
    channel: string,
  ): Promise<number>;
  /** complete-inbound.lua: the watermark after the call; with `release`, the lock of `token` is let go of too. */
  completeInbound(recordKey: string, lockKey: string, entryId: number, token: string, release: boolean): Promise<number>;
  /** inbox-ack.lua: how many entries were acknowledged (they are deleted either way). */
  inboxAck(streamKey: string, group: string, ids: readonly string[]): Promise<number>;
}

const registered = new WeakMap<RedisClient, StoreScripts>();

/** Defines the store's commands on `client` (once per client) and returns their wrappers. */
export function storeScripts(client: RedisClient): StoreScripts {
  const existing = registered.get(client);
  if (existing) return existing;
  const run = COMMANDS.runner(client);

  const scripts: StoreScripts = {
    async claimConversationKey(indexKey, candidateId) {
      return luaReply.string(await run('sbClaimConversationKey', [indexKey, candidateId]), 'sbClaimConversationKey');
    },
    async ensureConversation(recordKey, init) {
      const reply = await run('sbEnsureConversation', [
        recordKey,
        init.id,
        init.channel,
        init.conversationKey,
        init.userId,
        init.address,
        init.status,
        init.locale,
        init.now,
      ]);
      if (!Array.isArray(reply) || reply.length !== 2) throw unexpectedReply('sbEnsureConversation');
      const created: unknown = reply[0];
      const fields: unknown = reply[1];
      return {
        created: luaReply.integer(created, 'sbEnsureConversation') === 1,
        fields: luaReply.hash(fields, 'sbEnsureConversation'),
      };
    },
    async updateConversation(recordKey, now, patch) {
      const pairs = [...patch].flat();
      return luaReply.hash(await run('sbUpdateConversation', [recordKey, now, ...pairs]), 'sbUpdateConversation');
    },
    async appendTranscript(recordKey, transcriptKey, entryJson, cap, now) {
      const reply = await run('sbAppendTranscript', [recordKey, transcriptKey, entryJson, cap, now]);
      return luaReply.integer(reply, 'sbAppendTranscript');
    },
    async readTranscript(recordKey, transcriptKey, after, limit) {
      const reply = await run('sbReadTranscript', [recordKey, transcriptKey, after, limit]);
      return luaReply.stringArray(reply, 'sbReadTranscript');
    },
    async writeDialogState(key, expectedETag, newETag, json, ttlSeconds) {
      const reply = await run('sbWriteDialogState', [key, expectedETag, newETag, json, ttlSeconds]);
      return luaReply.string(reply, 'sbWriteDialogState');
    },
    async readDialogState(key, ttlSeconds) {
      const reply = await run('sbReadDialogState', [key, ttlSeconds]);
      if (reply === null) return undefined;
      const [eTag, json] = luaReply.stringArray(reply, 'sbReadDialogState');
      if (eTag === undefined || json === undefined) throw unexpectedReply('sbReadDialogState');
      return { eTag, json };
    },
    async releaseLock(key, token) {
      return luaReply.integer(await run('sbReleaseLock', [key, token]), 'sbReleaseLock') === 1;
    },
    async extendLock(key, token, ttlMs) {
      return luaReply.integer(await run('sbExtendLock', [key, token, ttlMs]), 'sbExtendLock') === 1;
    },
    async recordInbound(keys, entryJson, cap, now, wroteAt, idempotencyTtlMs, channel) {
      const keyList = keys.idempotency === undefined ? [keys.record, keys.transcript] : [keys.record, keys.transcript, keys.idempotency];
      const reply = await run('sbRecordInbound', [keyList.length, ...keyList, entryJson, cap, now, wroteAt, idempotencyTtlMs, channel]);
      if (!Array.isArray(reply) || reply.length !== 3) throw unexpectedReply('sbRecordInbound');
      const [entryId, fresh, done] = reply.map((item: unknown) => luaReply.integer(item, 'sbRecordInbound'));
      if (entryId === undefined || fresh === undefined || done === undefined) throw unexpectedReply('sbRecordInbound');
      return { entryId, fresh: fresh === 1, done: done === 1 };
    },
    async pendingInbound(keys, upTo, lock) {
      const reply =
        keys.lock === undefined || lock === undefined
          ? await run('sbPendingInbound', [2, keys.record, keys.transcript, upTo])
          : await run('sbPendingInbound', [3, keys.record, keys.transcript, keys.lock, upTo, lock.token, lock.ttlMs]);
      if (reply === null) return undefined;
      if (!Array.isArray(reply) || reply.length < 5) throw unexpectedReply('sbPendingInbound');
      const [record, done, replyInbound, replyOrdinal, replyEntryId, ...entries] = reply as unknown[];
      return {
        record: luaReply.hash(record, 'sbPendingInbound'),
        done: luaReply.integer(done, 'sbPendingInbound'),
        replied: {
          inboundId: luaReply.integer(replyInbound, 'sbPendingInbound'),
          ordinal: luaReply.integer(replyOrdinal, 'sbPendingInbound'),
          entryId: luaReply.integer(replyEntryId, 'sbPendingInbound'),
        },
        entries: entries.map((entry) => luaReply.string(entry, 'sbPendingInbound')),
      };
    },
    async appendReply(keys, entryJson, cap, now, guard, channel) {
      const reply = await run('sbAppendReply', [
        keys.record,
        keys.transcript,
        keys.lock,
        entryJson,
        cap,
        now,
        guard.inboundId,
        guard.ordinal,
        guard.token,
        channel,
      ]);
      return luaReply.integer(reply, 'sbAppendReply');
    },
    async completeInbound(recordKey, lockKey, entryId, token, release) {
      return luaReply.integer(await run('sbCompleteInbound', [recordKey, lockKey, entryId, token, release ? '1' : '']), 'sbCompleteInbound');
    },
    async inboxAck(streamKey, group, ids) {
      return luaReply.integer(await run('sbInboxAck', [streamKey, group, ...ids]), 'sbInboxAck');
    },
  };
  registered.set(client, scripts);
  return scripts;
}
