import type { ConversationStatus, ReplyAddress, TranscriptEntry } from './conversation.ts';
import type { InboundMessage } from './messages.ts';
import type { TurnRunner } from './turn-runner.ts';
import type { Logger } from '../logger.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import type { DedupeStore } from '../store/dedupe-store.ts';

/** Platforms redeliver for days; remember message ids at least this long (shared/CHANNELS.md §0). */
const DEDUPE_TTL_MS = 8 * 24 * 3600_000;

export type ReceiveResult =
  | { outcome: 'accepted'; conversationId: string; entry: TranscriptEntry }
  | { outcome: 'duplicate' };

/**
 * For a message that changes the conversation rather than talks to the bot
 * (an SMS STOP or START, which the platform answers itself): it is recorded
 * without a bot turn, after `status`, if given, is set on the conversation.
 */
export interface ConversationControl {
  status?: ConversationStatus;
}

export interface InboxDependencies {
  store: ConversationStore;
  dedupe: DedupeStore;
  turns: TurnRunner;
  logger: Logger;
  /** Maps the channel's locale (if it gives one) to a locale the bot speaks. */
  resolveLocale: (requested: string | undefined) => string;
}

/**
 * Where every platform channel hands its normalized messages: a redelivered
 * message (same platform id) does nothing; a new one finds or starts its
 * conversation (keeping the reply address current), is recorded, and its
 * turn is scheduled. The webhook answers the platform once this resolves.
 */
export class Inbox {
  constructor(private readonly deps: InboxDependencies) {}

  async receive(
    message: InboundMessage,
    address: ReplyAddress,
    requestId?: string,
    control?: ConversationControl,
  ): Promise<ReceiveResult> {
    const dedupeKey = `inbound:${message.channel}:${message.platformMessageId}`;
    if (!(await this.deps.dedupe.firstSeen(dedupeKey, DEDUPE_TTL_MS))) {
      this.deps.logger.info({ channel: message.channel, requestId }, 'duplicate delivery ignored');
      return { outcome: 'duplicate' };
    }
    try {
      const { conversation, created } = await this.deps.store.getOrCreate({
        channel: message.channel,
        conversationKey: message.conversationKey,
        userId: message.userId,
        address,
        locale: this.deps.resolveLocale(message.locale),
      });
      const patch = {
        ...(!created && !sameAddress(conversation.address, address) ? { address } : {}),
        ...(control?.status && control.status !== conversation.status ? { status: control.status } : {}),
      };
      const current = Object.keys(patch).length > 0 ? await this.deps.store.update(conversation.id, patch) : conversation;
      const entry = await this.deps.turns.accept(current, {
        text: message.text,
        attachments: message.attachments,
        sentAt: message.timestamp,
        ...(requestId ? { requestId } : {}),
        ...(control ? { runTurn: false } : {}),
      });
      return { outcome: 'accepted', conversationId: conversation.id, entry };
    } catch (error) {
      // Not recorded: let the platform's retry through instead of ignoring it as a duplicate.
      await this.deps.dedupe.forget(dedupeKey);
      throw error;
    }
  }
}

function sameAddress(a: ReplyAddress, b: ReplyAddress): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) if (a[key] !== b[key]) return false;
  return true;
}
