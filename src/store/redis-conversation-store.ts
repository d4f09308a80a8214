import { randomUUID } from 'node:crypto';
import type { Conversation, NewTranscriptEntry, TranscriptEntry } from '../core/conversation.ts';
import { conversationTopic } from '../core/conversation-log.ts';
import type {
  InboundRecord,
  InboundRecordOptions,
  PendingInbound,
  ReplyGuard,
  ConversationPatch,
  ConversationStore,
  NewConversation,
  TranscriptQuery,
} from './conversation-store.ts';
import { conversationFromHash, patchToHashFields } from './conversation-hash.ts';
import { withLuaErrors } from './lua-errors.ts';
import { storeScripts, type StoreScripts } from './lua-scripts.ts';
import type { RedisClient } from './redis-connection.ts';
import { createStoreKeys, type StoreKeys } from './redis-keys.ts';
import { checkTranscriptCap } from './transcript-cap.ts';
import type { LockClaim } from './turn-lock.ts';
import { normalizeTranscriptQuery } from './transcript-query.ts';

/** Platforms redeliver for days: an inbound message id is remembered this long unless told otherwise. */
const DEFAULT_IDEMPOTENCY_TTL_MS = 8 * 24 * 3600_000;

export interface RedisConversationStoreOptions {
  client: RedisClient;
  /** Prefix of every key (default `sb`); see redis-keys.ts for the layout. */
  keyPrefix?: string;
  /** Transcript entries kept per conversation (default 500). */
  transcriptCap?: number;
  /** The clock for createdAt/updatedAt; tests may pin it. */
  now?: () => number;
}

/**
 * Conversations in Redis, safe with any number of hosts sharing one server
 * or cluster: every write is one Lua script on one hash slot.
 *
 * getOrCreate runs in two steps because the channel-key index and the record
 * live in different slots on a cluster:
 *   1. claim the index for a fresh random id (SET if absent, in a script that
 *      returns whoever owns it), so exactly one id wins per channel key;
 *   2. create the record for the winning id unless it exists.
 * Every caller runs step 2, losers included. If the winner dies between the
 * steps, the index points at a record that does not exist yet, and the next
 * getOrCreate for that key creates it; until then findByKey says there is no
 * conversation, which is true. `created` is true for the one call whose step
 * 2 created the record.
 */
export class RedisConversationStore implements ConversationStore {
  /** On the channel a RedisEventBus with the same key prefix uses for the conversation's topic. */
  readonly announcesEntries = true;
  private readonly client: RedisClient;
  private readonly keys: StoreKeys;
  private readonly scripts: StoreScripts;
  private readonly cap: number;
  private readonly now: () => number;

  constructor(options: RedisConversationStoreOptions) {
    this.client = options.client;
    this.keys = createStoreKeys(options.keyPrefix);
    this.scripts = storeScripts(options.client);
    this.cap = checkTranscriptCap(options.transcriptCap);
    this.now = options.now ?? Date.now;
  }

  async getOrCreate(init: NewConversation): Promise<{ conversation: Conversation; created: boolean }> {
    const id = await this.scripts.claimConversationKey(
      this.keys.conversationKeyIndex(init.conversationKey),
      randomUUID(),
    );
    const { created, fields } = await this.scripts.ensureConversation(this.keys.conversationRecord(id), {
      id,
      channel: init.channel,
      conversationKey: init.conversationKey,
      userId: init.userId,
      address: JSON.stringify(init.address),
      status: 'bot',
      locale: init.locale,
      now: this.now(),
    });
    const conversation = conversationFromHash(fields);
    if (!conversation) throw new Error(`Conversation ${id} vanished while being created.`);
    return { conversation, created };
  }

  async get(id: string): Promise<Conversation | undefined> {
    return conversationFromHash(await this.client.hgetall(this.keys.conversationRecord(id)));
  }

  async findByKey(conversationKey: string): Promise<Conversation | undefined> {
    const id = await this.client.get(this.keys.conversationKeyIndex(conversationKey));
    return id === null ? undefined : this.get(id);
  }

  async update(id: string, patch: ConversationPatch): Promise<Conversation> {
    const fields = await withLuaErrors(id, () =>
      this.scripts.updateConversation(this.keys.conversationRecord(id), this.now(), patchToHashFields(patch)),
    );
    const conversation = conversationFromHash(fields);
    if (!conversation) throw new Error(`Conversation ${id} vanished while being updated.`);
    return conversation;
  }

  async append(id: string, entry: NewTranscriptEntry): Promise<TranscriptEntry> {
    // `id: undefined` drops any id the caller's object carries at run time:
    // the script puts its own first, and JSON.parse would keep the last one.
    const json = JSON.stringify({ ...entry, id: undefined });
    const entryId = await withLuaErrors(id, () =>
      this.scripts.appendTranscript(
        this.keys.conversationRecord(id),
        this.keys.conversationTranscript(id),
        json,
        this.cap,
        this.now(),
      ),
    );
    return { ...entry, id: entryId };
  }

  async recordInbound(id: string, entry: NewTranscriptEntry, options: InboundRecordOptions): Promise<InboundRecord> {
    const json = JSON.stringify({ ...entry, id: undefined });
    const { entryId, fresh, done } = await withLuaErrors(id, () =>
      this.scripts.recordInbound(
        {
          record: this.keys.conversationRecord(id),
          transcript: this.keys.conversationTranscript(id),
          ...(options.idempotencyKey === undefined ? {} : { idempotency: this.keys.conversationInbound(id, options.idempotencyKey) }),
        },
        json,
        this.cap,
        this.now(),
        options.wroteAt,
        Math.max(1, Math.round(options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS)),
        this.eventChannel(id),
      ),
    );
    return { entry: { ...entry, id: entryId }, fresh, done };
  }

  pendingInbound(id: string, upTo: number): Promise<PendingInbound>;
  pendingInbound(id: string, upTo: number, claim: LockClaim): Promise<PendingInbound | undefined>;
  async pendingInbound(id: string, upTo: number, claim?: LockClaim): Promise<PendingInbound | undefined> {
    const keys = {
      record: this.keys.conversationRecord(id),
      transcript: this.keys.conversationTranscript(id),
      ...(claim ? { lock: this.keys.conversationTurnLock(id) } : {}),
    };
    const pending = await withLuaErrors(id, () => this.scripts.pendingInbound(keys, upTo, claim));
    if (!pending) return undefined;
    const conversation = conversationFromHash(pending.record);
    if (!conversation) throw new Error(`Conversation ${id} has an unreadable record.`);
    return { conversation, entries: pending.entries.map((line) => JSON.parse(line) as TranscriptEntry), replied: pending.replied };
  }

  async appendReply(id: string, entry: NewTranscriptEntry, guard: ReplyGuard): Promise<TranscriptEntry | undefined> {
    const json = JSON.stringify({ ...entry, id: undefined });
    const entryId = await withLuaErrors(id, () =>
      this.scripts.appendReply(
        {
          record: this.keys.conversationRecord(id),
          transcript: this.keys.conversationTranscript(id),
          lock: this.keys.conversationTurnLock(id),
        },
        json,
        this.cap,
        this.now(),
        { inboundId: guard.inboundId, ordinal: guard.ordinal, token: guard.fence ?? '' },
        this.eventChannel(id),
      ),
    );
    return entryId === 0 ? undefined : { ...entry, id: entryId };
  }

  async completeInbound(id: string, entryId: number, fence?: string, releaseLock = false): Promise<{ lockReleased: boolean }> {
    const token = fence ?? '';
    await withLuaErrors(id, () =>
      this.scripts.completeInbound(this.keys.conversationRecord(id), this.keys.conversationTurnLock(id), entryId, token, releaseLock),
    );
    // The script fails when the token no longer holds the lock, so reaching here with one means it was released.
    return { lockReleased: releaseLock && token !== '' };
  }

  async transcript(id: string, query?: TranscriptQuery): Promise<TranscriptEntry[]> {
    const { after, limit } = normalizeTranscriptQuery(query);
    const lines = await withLuaErrors(id, () =>
      this.scripts.readTranscript(
        this.keys.conversationRecord(id),
        this.keys.conversationTranscript(id),
        after,
        limit ?? -1,
      ),
    );
    // Written by append above, as JSON of a TranscriptEntry.
    return lines.map((line) => JSON.parse(line) as TranscriptEntry);
  }

  /** Where the scripts announce a conversation's entries: the channel RedisEventBus uses for its topic. */
  private eventChannel(id: string): string {
    return this.keys.eventChannel(conversationTopic(id));
  }
}
