import type { Attachment, Author, ChannelName } from './messages.ts';
import type { HandoffRecord } from '../handoff/handoff-record.ts';

export type ConversationStatus = 'bot' | 'queued' | 'assigned' | 'closed';

/**
 * Where replies go. Each channel keeps what it needs to answer (a phone
 * number, a page id, a service URL); the rest of the system treats it as
 * opaque. Values are strings so every store can keep them as they are.
 */
export type ReplyAddress = Readonly<Record<string, string>>;

export interface Conversation {
  id: string;
  channel: ChannelName;
  /** The channel's key for this conversation (see InboundMessage.conversationKey). */
  conversationKey: string;
  userId: string;
  address: ReplyAddress;
  status: ConversationStatus;
  locale: string;
  createdAt: number;
  updatedAt: number;
  /** When the customer last wrote: the Meta 24-hour window counts from here. */
  lastCustomerMessageAt?: number;
  /** The latest escalation to a person, kept after release so the bot and reports know it. */
  handoff?: HandoffRecord;
}

/** What the NLU said about a customer message, kept on the bot's reply. */
export interface IntentEvidence {
  intent: string;
  score: number;
  /** The entities found in the message (normalised values: `A1001`, `+34612345678`, `2026-12-04`), when there were any. */
  entities?: EntityEvidence[];
}

/** One entity of a customer message, as agents and reports see it. */
export interface EntityEvidence {
  entity: string;
  value: string;
}

/**
 * One line of the transcript. Ids increase within a conversation, so a client
 * can ask for "everything after id N" and never see a line twice.
 */
export interface TranscriptEntry {
  id: number;
  from: Author;
  text: string;
  at: number;
  attachments?: Attachment[];
  /** On bot turns: the intent that produced this reply and its raw score. */
  nlu?: IntentEvidence;
  /** On agent turns: which agent wrote. */
  agentId?: string;
  /** For agents only (escalation evidence, release notes): never shown to the customer. */
  internal?: boolean;
  /**
   * On customer messages recorded without a bot turn (an SMS STOP or START,
   * which the platform answers itself): the turn runner passes over them.
   */
  recordOnly?: boolean;
}

export type NewTranscriptEntry = Omit<TranscriptEntry, 'id'>;
