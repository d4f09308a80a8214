import type {
  Conversation,
  ConversationStatus,
  NewTranscriptEntry,
  ReplyAddress,
  TranscriptEntry,
} from '../core/conversation.ts';
import type { ChannelName } from '../core/messages.ts';
import type { LockClaim } from './turn-lock.ts';

export interface NewConversation {
  channel: ChannelName;
  conversationKey: string;
  userId: string;
  address: ReplyAddress;
  locale: string;
}

export type ConversationPatch = Partial<
  Pick<Conversation, 'status' | 'locale' | 'address' | 'lastCustomerMessageAt' | 'handoff'>
>;

export interface TranscriptQuery {
  /** Only entries whose id is greater than this. */
  after?: number;
  /** At most this many entries (the oldest first). */
  limit?: number;
}

/** How the inbox records a customer message (see src/core/inbox.ts). */
export interface InboundRecordOptions {
  /**
   * The platform's id for the message (with its channel, e.g. `sms:SM…`):
   * a second record with the same key within `idempotencyTtlMs` records
   * nothing and answers with the first entry. Web chat has none.
   */
  idempotencyKey?: string;
  idempotencyTtlMs?: number;
  /** When the customer wrote (ms since the epoch): `lastCustomerMessageAt` moves up to it, never back. */
  wroteAt: number;
}

/** What a turn runner still has to do in a conversation (see ConversationStore.pendingInbound). */
export interface PendingInbound {
  /** The conversation as it is now (read with the rest, so a turn need not read it again). */
  conversation: Conversation;
  /** Transcript entries after the last completed customer message, up to the one asked for, oldest first. */
  entries: TranscriptEntry[];
  /**
   * The last reply appended by a turn (`appendReply`): the customer message
   * it answers, its ordinal in that turn and its own entry id (0, -1 and 0
   * when none).
   */
  replied: { inboundId: number; ordinal: number; entryId: number };
}

export interface InboundRecord {
  entry: TranscriptEntry;
  /** False when the idempotency key had recorded this message before (a redelivery). */
  fresh: boolean;
  /** True when that earlier message's turn is already complete: nothing to schedule. */
  done: boolean;
}

/**
 * One reply of one turn: the customer entry it answers and its place among
 * that turn's replies. A turn that runs again (after a crash, on another
 * host) produces the same guards, and the store appends each at most once.
 */
export interface ReplyGuard {
  inboundId: number;
  ordinal: number;
  /** The turn lock token the caller holds: the store refuses (`turn_fenced`) once someone else holds the lock. */
  fence?: string | undefined;
}

/**
 * Conversation records and their transcripts. Implemented over Redis and in
 * memory; test/integration/conversation-store.contract.ts holds the one
 * suite both must pass.
 */
export interface ConversationStore {
  /**
   * Whether `recordInbound` (a fresh entry) and `appendReply` announce the
   * entry they store themselves, in the same step as the write: the
   * `message` event on the conversation's topic of the event bus that
   * shares this store's Redis and key prefix (src/core/conversation-log.ts),
   * exactly as a publisher would send it. Whoever stored it then must not
   * announce it again. The in-memory store has no bus to announce on.
   */
  readonly announcesEntries: boolean;
  /**
   * The conversation for this channel key, created with `init` when there is
   * none. Two concurrent calls with the same key get the same conversation.
   */
  getOrCreate(init: NewConversation): Promise<{ conversation: Conversation; created: boolean }>;
  get(id: string): Promise<Conversation | undefined>;
  findByKey(conversationKey: string): Promise<Conversation | undefined>;
  /** Applies the patch and bumps `updatedAt`; throws `conversation_not_found`. */
  update(id: string, patch: ConversationPatch): Promise<Conversation>;
  /**
   * Appends to the transcript, assigning the next id, and trims the oldest
   * entries beyond the configured cap. Throws `conversation_not_found`.
   */
  append(id: string, entry: NewTranscriptEntry): Promise<TranscriptEntry>;
  transcript(id: string, query?: TranscriptQuery): Promise<TranscriptEntry[]>;

  // ── the inbound bookkeeping behind the durable inbox (see src/core/inbox.ts) ──

  /**
   * Appends a customer message like `append`, once per idempotency key, and
   * moves `lastCustomerMessageAt` up; announces it when fresh, if this store
   * announces entries. Throws `conversation_not_found`.
   */
  recordInbound(id: string, entry: NewTranscriptEntry, options: InboundRecordOptions): Promise<InboundRecord>;
  /**
   * The transcript entries after the last completed customer message, up to
   * and including entry `upTo`: what a turn runner still has to go through,
   * in order (none when `upTo` is done); the last reply a turn appended,
   * so a turn that runs again knows which of its replies went out before;
   * and the conversation itself. Throws `conversation_not_found`.
   */
  pendingInbound(id: string, upTo: number): Promise<PendingInbound>;
  /**
   * The same, taking the conversation's turn lock with `claim` first when
   * this store keeps the turn locks (Redis: in the same script); undefined,
   * with nothing read, when someone else holds it. A store without turn
   * locks (memory) just reads.
   */
  pendingInbound(id: string, upTo: number, claim: LockClaim): Promise<PendingInbound | undefined>;
  /**
   * Appends a turn's reply unless that turn appended it before (undefined
   * then: it must not be sent again); announces it when appended, if this
   * store announces entries. Throws `turn_fenced` when the guard's lock
   * token no longer holds the conversation, `conversation_not_found`.
   */
  appendReply(id: string, entry: NewTranscriptEntry, guard: ReplyGuard): Promise<TranscriptEntry | undefined>;
  /**
   * Marks a customer message's turn complete (never moves back). Throws like
   * `appendReply`. With `releaseLock`, the turn lock whose token is `fence`
   * is let go of in the same step, when this store keeps the turn locks
   * (Redis): the result says whether it was (see TurnLease.releasedWith).
   */
  completeInbound(id: string, entryId: number, fence?: string, releaseLock?: boolean): Promise<{ lockReleased: boolean }>;
}

export type { ConversationStatus };
