import { randomUUID } from 'node:crypto';
import type { Conversation, NewTranscriptEntry, TranscriptEntry } from '../core/conversation.ts';
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
import { conversationNotFound } from './store-errors.ts';
import { checkTranscriptCap } from './transcript-cap.ts';
import { normalizeTranscriptQuery } from './transcript-query.ts';

/** Platforms redeliver for days: an inbound message id is remembered this long unless told otherwise. */
const DEFAULT_IDEMPOTENCY_TTL_MS = 8 * 24 * 3600_000;

export interface MemoryConversationStoreOptions {
  /** Transcript entries kept per conversation (default 500). */
  transcriptCap?: number;
  /** The clock for createdAt/updatedAt; tests may pin it. */
  now?: () => number;
}

interface StoredConversation {
  conversation: Conversation;
  /** JSON, as Redis keeps it: callers never share objects with the store. */
  entries: string[];
  lastEntryId: number;
  /** The inbound bookkeeping the Redis record keeps in its hash (see record-inbound.lua). */
  inboundDone: number;
  reply: { inboundId: number; ordinal: number; entryId: number };
  /** Idempotency key → entry id and when the key is forgotten. */
  inboundKeys: Map<string, { entryId: number; expiresAt: number }>;
}

/**
 * Conversations in the process's memory: the zero-setup default for one
 * host. Every method does its work synchronously before its first await, so
 * each is atomic on the event loop the way each Redis script is atomic on
 * the server. Objects are copied in and out so that the behaviour (no shared
 * references, undefined members dropped) matches the Redis store.
 */
export class MemoryConversationStore implements ConversationStore {
  readonly announcesEntries = false;
  private readonly byId = new Map<string, StoredConversation>();
  private readonly idByKey = new Map<string, string>();
  private readonly cap: number;
  private readonly now: () => number;

  constructor(options: MemoryConversationStoreOptions = {}) {
    this.cap = checkTranscriptCap(options.transcriptCap);
    this.now = options.now ?? Date.now;
  }

  getOrCreate(init: NewConversation): Promise<{ conversation: Conversation; created: boolean }> {
    const existingId = this.idByKey.get(init.conversationKey);
    const existing = existingId === undefined ? undefined : this.byId.get(existingId);
    if (existing) return Promise.resolve({ conversation: copy(existing.conversation), created: false });
    const now = this.now();
    const conversation: Conversation = {
      id: randomUUID(),
      channel: init.channel,
      conversationKey: init.conversationKey,
      userId: init.userId,
      address: { ...init.address },
      status: 'bot',
      locale: init.locale,
      createdAt: now,
      updatedAt: now,
    };
    this.byId.set(conversation.id, {
      conversation,
      entries: [],
      lastEntryId: 0,
      inboundDone: 0,
      reply: { inboundId: 0, ordinal: -1, entryId: 0 },
      inboundKeys: new Map(),
    });
    this.idByKey.set(init.conversationKey, conversation.id);
    return Promise.resolve({ conversation: copy(conversation), created: true });
  }

  get(id: string): Promise<Conversation | undefined> {
    const stored = this.byId.get(id);
    return Promise.resolve(stored ? copy(stored.conversation) : undefined);
  }

  findByKey(conversationKey: string): Promise<Conversation | undefined> {
    const id = this.idByKey.get(conversationKey);
    return id === undefined ? Promise.resolve(undefined) : this.get(id);
  }

  update(id: string, patch: ConversationPatch): Promise<Conversation> {
    return attempt(() => {
      const stored = this.require(id);
      // Only the patchable fields, and only those given: like the Redis hash,
      // an undefined member leaves the field as it was.
      const { status, locale, address, lastCustomerMessageAt, handoff } = patch;
      const next: Conversation = { ...stored.conversation, updatedAt: this.now() };
      if (status !== undefined) next.status = status;
      if (locale !== undefined) next.locale = locale;
      if (address !== undefined) next.address = { ...address };
      if (lastCustomerMessageAt !== undefined) next.lastCustomerMessageAt = lastCustomerMessageAt;
      if (handoff !== undefined) next.handoff = structuredClone(handoff);
      stored.conversation = next;
      return copy(next);
    });
  }

  append(id: string, entry: NewTranscriptEntry): Promise<TranscriptEntry> {
    return attempt(() => this.push(this.require(id), entry));
  }

  recordInbound(id: string, entry: NewTranscriptEntry, options: InboundRecordOptions): Promise<InboundRecord> {
    return attempt(() => {
      const stored = this.require(id);
      const now = this.now();
      const key = options.idempotencyKey;
      if (key !== undefined) {
        for (const [known, { expiresAt }] of stored.inboundKeys) if (expiresAt <= now) stored.inboundKeys.delete(known);
        const existing = stored.inboundKeys.get(key);
        if (existing) {
          return { entry: { ...entry, id: existing.entryId }, fresh: false, done: existing.entryId <= stored.inboundDone };
        }
      }
      const full = this.push(stored, entry);
      if (options.wroteAt > (stored.conversation.lastCustomerMessageAt ?? 0)) {
        stored.conversation = { ...stored.conversation, lastCustomerMessageAt: options.wroteAt };
      }
      if (key !== undefined) {
        stored.inboundKeys.set(key, { entryId: full.id, expiresAt: now + (options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS) });
      }
      return { entry: full, fresh: true, done: false };
    });
  }

  /** No turn locks here (one host: SingleHostTurnLock), so a claim has nothing to take. */
  pendingInbound(id: string, upTo: number): Promise<PendingInbound> {
    return attempt(() => {
      const stored = this.require(id);
      const replied = { ...stored.reply };
      const conversation = copy(stored.conversation);
      if (stored.inboundDone >= upTo) return { conversation, entries: [], replied };
      const firstId = stored.lastEntryId - stored.entries.length + 1;
      const start = Math.max(0, stored.inboundDone + 1 - firstId);
      const entries = stored.entries.slice(start, Math.max(start, upTo - firstId + 1)).map((line) => JSON.parse(line) as TranscriptEntry);
      return { conversation, entries, replied };
    });
  }

  appendReply(id: string, entry: NewTranscriptEntry, guard: ReplyGuard): Promise<TranscriptEntry | undefined> {
    // One process: the turn queue is the only fence there is (no lock tokens).
    return attempt(() => {
      const stored = this.require(id);
      const { inboundId, ordinal } = stored.reply;
      if (guard.inboundId < inboundId || (guard.inboundId === inboundId && guard.ordinal <= ordinal)) return undefined;
      const full = this.push(stored, entry);
      stored.reply = { inboundId: guard.inboundId, ordinal: guard.ordinal, entryId: full.id };
      return full;
    });
  }

  /** One host keeps no turn locks here (SingleHostTurnLock): `releaseLock` has nothing to let go of. */
  completeInbound(id: string, entryId: number): Promise<{ lockReleased: boolean }> {
    return attempt(() => {
      const stored = this.require(id);
      stored.inboundDone = Math.max(stored.inboundDone, entryId);
      return { lockReleased: false };
    });
  }

  transcript(id: string, query?: TranscriptQuery): Promise<TranscriptEntry[]> {
    return attempt(() => {
      const stored = this.require(id);
      const { after, limit } = normalizeTranscriptQuery(query);
      // Ids in the list are consecutive, ending at lastEntryId.
      const firstId = stored.lastEntryId - stored.entries.length + 1;
      const start = Math.max(0, after + 1 - firstId);
      const end = limit === undefined ? undefined : start + limit;
      return stored.entries.slice(start, end).map((line) => JSON.parse(line) as TranscriptEntry);
    });
  }

  private push(stored: StoredConversation, entry: NewTranscriptEntry): TranscriptEntry {
    stored.lastEntryId += 1;
    const full: TranscriptEntry = { ...entry, id: stored.lastEntryId };
    stored.entries.push(JSON.stringify(full));
    if (stored.entries.length > this.cap) stored.entries.splice(0, stored.entries.length - this.cap);
    stored.conversation = { ...stored.conversation, updatedAt: this.now() };
    return full;
  }

  private require(id: string): StoredConversation {
    const stored = this.byId.get(id);
    if (!stored) throw conversationNotFound(id);
    return stored;
  }
}

const copy = (conversation: Conversation): Conversation => structuredClone(conversation);

/** Runs synchronous work as the async interface expects: errors reject, never throw. */
function attempt<T>(work: () => T): Promise<T> {
  try {
    return Promise.resolve(work());
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}
