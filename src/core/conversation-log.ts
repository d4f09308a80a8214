import type { NewTranscriptEntry, TranscriptEntry } from './conversation.ts';
import type { ConversationStore, ReplyGuard } from '../store/conversation-store.ts';
import type { EventBus, EventHandler } from '../store/event-bus.ts';

/** What watchers of one conversation (the customer's page, later the agent) receive live. */
export type ConversationEvent =
  | { type: 'message'; entry: TranscriptEntry }
  | { type: 'typing'; typing: boolean }
  /** The customer's place in the agent queue, as it changes (not kept in the transcript). */
  | { type: 'queue'; position: number; length: number; estimatedWaitMs?: number };

export const conversationTopic = (conversationId: string): string =>
  `conversation:${conversationId}`;

/**
 * The transcript with live delivery: every entry is stored first, then
 * announced, so a watcher that missed the announcement finds it in the store.
 * A store that announces entries itself (ConversationStore.announcesEntries:
 * Redis, in the script that writes them) saves the separate publish.
 */
export class ConversationLog {
  constructor(
    private readonly store: ConversationStore,
    private readonly bus: EventBus,
  ) {}

  async append(conversationId: string, entry: NewTranscriptEntry): Promise<TranscriptEntry> {
    const stored = await this.store.append(conversationId, entry);
    await this.announce(conversationId, { type: 'message', entry: stored });
    return stored;
  }

  /**
   * A turn's reply, appended once per guard (see ConversationStore.appendReply);
   * undefined when it was before. Resolves once it is stored, with its
   * announcement under way: the caller may send it to the platform
   * meanwhile (the two do not wait on each other) and must await
   * `announced`, which rejects if the announcement failed.
   */
  async appendReply(
    conversationId: string,
    entry: NewTranscriptEntry,
    guard: ReplyGuard,
  ): Promise<{ entry: TranscriptEntry; announced: Promise<void> } | undefined> {
    const stored = await this.store.appendReply(conversationId, entry, guard);
    if (!stored) return undefined;
    const announced = this.store.announcesEntries
      ? Promise.resolve()
      : this.announce(conversationId, { type: 'message', entry: stored });
    return { entry: stored, announced };
  }

  /**
   * Announces a customer message the inbox recorded itself, fresh, with the
   * store's `recordInbound`, unless the store announced it already.
   */
  async announceInbound(conversationId: string, entry: TranscriptEntry): Promise<void> {
    if (this.store.announcesEntries) return;
    await this.announce(conversationId, { type: 'message', entry });
  }

  async typing(conversationId: string, typing: boolean): Promise<void> {
    await this.announce(conversationId, { type: 'typing', typing });
  }

  async queueStatus(conversationId: string, status: { position: number; length: number; estimatedWaitMs?: number }) {
    await this.announce(conversationId, { type: 'queue', ...status });
  }

  watch(conversationId: string, handler: (event: ConversationEvent) => void) {
    const untyped: EventHandler = (payload) => {
      handler(payload as ConversationEvent);
    };
    return this.bus.subscribe(conversationTopic(conversationId), untyped);
  }

  private announce(conversationId: string, event: ConversationEvent): Promise<void> {
    return this.bus.publish(conversationTopic(conversationId), event);
  }
}
