import type { Conversation, ConversationStatus, ReplyAddress, TranscriptEntry } from './conversation.ts';
import type { ConversationLog } from './conversation-log.ts';
import type { Attachment, InboundMessage } from './messages.ts';
import type { Logger } from '../logger.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import type { InboxQueue } from '../store/inbox-queue.ts';
import { storeUnavailable } from '../store/store-errors.ts';

/** Platforms redeliver for days; remember message ids at least this long (shared/CHANNELS.md §0). */
const DEDUPE_TTL_MS = 8 * 24 * 3600_000;

export type ReceiveResult =
  | { outcome: 'accepted'; conversationId: string; entry: TranscriptEntry }
  | { outcome: 'duplicate'; conversationId: string };

/**
 * For a message that changes the conversation rather than talks to the bot
 * (an SMS STOP or START, which the platform answers itself): it is recorded
 * without a bot turn, after `status`, if given, is set on the conversation.
 */
export interface ConversationControl {
  status?: ConversationStatus;
}

export interface ReceiveOptions {
  /** The HTTP request that brought the message, so its turn's logs can be joined to it. */
  requestId?: string;
  /** The message changes the conversation rather than talks to the bot (see ConversationControl). */
  control?: ConversationControl;
  /** The conversation of this message's key, if the channel read it already (ConversationStore.findByKey). */
  known?: Conversation;
}

/** A customer message as web chat (or a test) posts it to a known conversation. */
export interface CustomerMessage {
  text: string;
  attachments?: Attachment[];
  /** The HTTP request that brought the message, so its turn's logs can be joined to it. */
  requestId?: string;
  /** When the customer sent it, by the platform's clock (ms since the epoch), if the platform says. */
  sentAt?: number;
}

export interface InboxDependencies {
  store: ConversationStore;
  /** The transcript with live delivery: an accepted message shows at once to whoever watches. */
  log: ConversationLog;
  /** The durable queue the turn runners read (src/store/inbox-queue.ts). */
  queue: InboxQueue;
  logger: Logger;
  /** Maps the channel's locale (if it gives one) to a locale the bot speaks. */
  resolveLocale: (requested: string | undefined) => string;
  /** Whether the store is connected right now: when not, nothing is accepted (503 at once). */
  available?: () => boolean;
}

/**
 * Where every customer message enters, from every channel (platform
 * webhooks through `receive`, web chat through `post`). Accepting a message
 * is two durable writes, in this order, before the channel answers 2xx:
 *
 * 1. the message goes into its conversation's transcript, once: platform
 *    messages carry their platform id as an idempotency key, so a
 *    redelivery (or the platform's retry of a webhook that failed after this
 *    step) records nothing new and answers `duplicate`;
 * 2. an item "conversation C has work up to entry E" goes into the inbox
 *    queue (a Redis Stream), which the turn runners of every host read.
 *
 * A crash between the two leaves a message in the transcript without an
 * item: the platform's retry (same id) adds the missing item, and in any case
 * the next item of that conversation covers it, because a turn runner works
 * through every customer message after the conversation's last completed one
 * (TurnRunner.process). If either write fails, the webhook fails, and the
 * platform retries; nothing is acknowledged that is not kept.
 */
export class Inbox {
  constructor(private readonly deps: InboxDependencies) {}

  async receive(message: InboundMessage, address: ReplyAddress, options: ReceiveOptions = {}): Promise<ReceiveResult> {
    const { requestId, control, known } = options;
    this.requireStore();
    // A conversation the channel has just read by this key is the one
    // getOrCreate would find (its two round trips, claim and ensure, would
    // only confirm it); a new or half-created one goes through getOrCreate.
    const { conversation, created } =
      known?.conversationKey === message.conversationKey
        ? { conversation: known, created: false }
        : await this.deps.store.getOrCreate({
            channel: message.channel,
            conversationKey: message.conversationKey,
            userId: message.userId,
            address,
            locale: this.deps.resolveLocale(message.locale),
          });
    const recorded = await this.deps.store.recordInbound(
      conversation.id,
      {
        from: 'customer',
        text: message.text,
        at: Date.now(),
        ...(message.attachments.length > 0 ? { attachments: message.attachments } : {}),
        ...(control ? { recordOnly: true } : {}),
      },
      {
        idempotencyKey: `${message.channel}:${message.platformMessageId}`,
        idempotencyTtlMs: DEDUPE_TTL_MS,
        wroteAt: wroteAt(message.timestamp),
      },
    );
    // Only a redelivery logs here: a child logger for every message would be
    // built (its bindings serialised) to say nothing.
    const logger = (): Logger => this.deps.logger.child({ conversationId: conversation.id, channel: message.channel, requestId });
    if (recorded.done) {
      logger().info('duplicate delivery ignored');
      return { outcome: 'duplicate', conversationId: conversation.id };
    }
    // Also on a redelivery whose turn is not done yet: the first attempt may
    // have died before these, and they are the same whichever attempt sets them.
    const patch = {
      ...(!created && !sameAddress(conversation.address, address) ? { address } : {}),
      ...(control?.status && control.status !== conversation.status ? { status: control.status } : {}),
    };
    if (Object.keys(patch).length > 0) await this.deps.store.update(conversation.id, patch);
    await this.deps.queue.enqueue({ conversationId: conversation.id, entryId: recorded.entry.id, ...(requestId ? { requestId } : {}) });
    if (!recorded.fresh) {
      logger().info('redelivery of a message whose turn is pending: scheduled again');
      return { outcome: 'duplicate', conversationId: conversation.id };
    }
    await this.announce(conversation.id, recorded.entry);
    return { outcome: 'accepted', conversationId: conversation.id, entry: recorded.entry };
  }

  /** A customer message to a known conversation (web chat): recorded, then queued for its turn. */
  async post(conversation: Conversation, message: CustomerMessage): Promise<TranscriptEntry> {
    this.requireStore();
    const { entry } = await this.deps.store.recordInbound(
      conversation.id,
      {
        from: 'customer',
        text: message.text,
        at: Date.now(),
        ...(message.attachments?.length ? { attachments: message.attachments } : {}),
      },
      { wroteAt: wroteAt(message.sentAt) },
    );
    await this.deps.queue.enqueue({
      conversationId: conversation.id,
      entryId: entry.id,
      ...(message.requestId ? { requestId: message.requestId } : {}),
    });
    await this.announce(conversation.id, entry);
    return entry;
  }

  private requireStore(): void {
    if (this.deps.available && !this.deps.available()) throw storeUnavailable();
  }

  /** Live delivery of the customer's own message (agents, the customer's other tabs); best effort. */
  private async announce(conversationId: string, entry: TranscriptEntry): Promise<void> {
    try {
      await this.deps.log.announceInbound(conversationId, entry);
    } catch (error) {
      this.deps.logger.warn({ err: error, conversationId }, 'accepted message not announced live');
    }
  }
}

/**
 * Messaging windows count from when the customer wrote, which a platform's
 * redelivery can make much earlier than when we received it (never later).
 */
function wroteAt(sentAt: number | undefined): number {
  const now = Date.now();
  return sentAt === undefined ? now : Math.min(now, sentAt);
}

function sameAddress(a: ReplyAddress, b: ReplyAddress): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
