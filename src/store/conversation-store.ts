import type {
  Conversation,
  ConversationStatus,
  NewTranscriptEntry,
  ReplyAddress,
  TranscriptEntry,
} from '../core/conversation.ts';
import type { ChannelName } from '../core/messages.ts';

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

/**
 * Conversation records and their transcripts. Implemented over Redis and in
 * memory; test/integration/conversation-store.contract.ts holds the one
 * suite both must pass.
 */
export interface ConversationStore {
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
}

export type { ConversationStatus };
