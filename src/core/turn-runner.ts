import { ActivityTypes, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Conversation, TranscriptEntry } from './conversation.ts';
import type { ConversationLog } from './conversation-log.ts';
import { isSwitchboardError } from './errors.ts';
import { KeyedSerialQueue } from './keyed-serial-queue.ts';
import type { ReplyDispatcher } from './reply-dispatcher.ts';
import type { Attachment } from './messages.ts';
import type { Logger } from '../logger.ts';
import type { IntentClassifier } from '../nlu/intent-classifier.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import type { TurnLock } from '../store/turn-lock.ts';
import type { Metrics } from '../http/metrics.ts';
import type { DialogEngine } from '../dialogs/dialog-engine.ts';
import type { Escalation } from '../handoff/escalation-policy.ts';
import { BOT_ACCOUNT, SwitchboardAdapter } from '../dialogs/switchboard-adapter.ts';
import { turnServices } from '../dialogs/turn-services.ts';

/** What the turn runner needs from human handoff (src/handoff/handoff-service.ts). */
export interface HandoffHooks {
  /** The turn decided this conversation goes to a person. */
  escalate(conversation: Conversation, escalation: Escalation): Promise<void>;
  /** A customer wrote while a person has (or is about to have) the conversation. */
  customerWroteDuringHandoff(conversation: Conversation, entry: TranscriptEntry): Promise<void>;
}

export interface TurnRunnerDependencies {
  store: ConversationStore;
  log: ConversationLog;
  dispatcher: ReplyDispatcher;
  classifier: IntentClassifier;
  engine: DialogEngine;
  logger: Logger;
  /** Orders turns of one conversation across hosts (in-process ordering is the runner's own). */
  lock: TurnLock;
  handoff?: HandoffHooks;
  metrics?: Metrics;
  /** Said instead of a bot turn to a message with attachments and no text (TEXT_ONLY_REPLY). */
  textOnlyReply: string;
}

export interface CustomerMessage {
  text: string;
  attachments?: Attachment[];
  /** The HTTP request that brought the message, so its turn's logs can be joined to it. */
  requestId?: string;
  /** When the customer sent it, by the platform's clock (ms since the epoch), if the platform says. */
  sentAt?: number;
  /** False records the message without a turn (a keyword the platform answers itself, e.g. SMS STOP). */
  runTurn?: boolean;
}

/** Said when a turn fails on our side, so the customer is never left waiting in silence. */
const APOLOGY = 'Sorry, something went wrong on our side. Please try again in a moment.';


/**
 * Takes accepted customer messages and runs the bot's turn for each, one at a
 * time per conversation. `accept` returns once the message is in the
 * transcript; the turn runs after, so channels can acknowledge quickly.
 */
export class TurnRunner {
  private readonly queue = new KeyedSerialQueue();
  private readonly adapter: SwitchboardAdapter;

  constructor(private readonly deps: TurnRunnerDependencies) {
    this.adapter = new SwitchboardAdapter((context, activity) => this.deliverBotReply(context, activity));
  }

  /** Records the customer's message and schedules its turn; returns the stored entry. */
  async accept(conversation: Conversation, message: CustomerMessage): Promise<TranscriptEntry> {
    const at = Date.now();
    const entry = await this.deps.log.append(conversation.id, {
      from: 'customer',
      text: message.text,
      at,
      ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    });
    // Messaging windows count from when the customer wrote, which a platform's
    // redelivery can make much earlier than when we received it.
    const wroteAt = message.sentAt === undefined ? at : Math.min(at, message.sentAt);
    await this.deps.store.update(conversation.id, {
      lastCustomerMessageAt: Math.max(wroteAt, conversation.lastCustomerMessageAt ?? 0),
    });
    if (message.runTurn === false) return entry;
    this.queue
      .run(conversation.id, () => this.locked(conversation.id, () => this.runTurn(conversation.id, entry, message.requestId)))
      .catch((error: unknown) => {
        // runTurn answers its own failures; this is the last guard so that a
        // store outage can never become an unhandled rejection.
        this.deps.logger.error({ err: error, conversationId: conversation.id }, 'turn crashed');
      });
    return entry;
  }

  /**
   * Runs a dialog without a customer message, in the conversation's turn
   * order (e.g. the bot taking back over after an agent released it).
   */
  runDialog(conversationId: string, dialogId: string): Promise<void> {
    return this.queue.run(conversationId, () =>
      this.locked(conversationId, async () => {
        const conversation = await this.deps.store.get(conversationId);
        if (!conversation || conversation.status !== 'bot') return;
        await this.adapter.continueConversation(conversationReference(conversation), (context) =>
          this.deps.engine.beginDialog(context, conversation, dialogId),
        );
      }),
    );
  }

  /** What the dialogs collected in a conversation (the order number…), for agents. */
  async collectedValues(conversation: Conversation): Promise<Record<string, string>> {
    let values: Record<string, string> = {};
    await this.adapter.continueConversation(conversationReference(conversation), async (context) => {
      values = await this.deps.engine.collectedValues(context);
    });
    return values;
  }

  /** Resolves when every accepted message has had its turn (used by graceful shutdown). */
  drain(): Promise<void> {
    return this.queue.drain();
  }

  private async locked(conversationId: string, run: () => Promise<void>): Promise<void> {
    const release = await this.deps.lock.acquire(conversationId);
    try {
      await run();
    } finally {
      await release();
    }
  }

  private async runTurn(conversationId: string, entry: TranscriptEntry, requestId?: string): Promise<void> {
    const logger = this.deps.logger.child({ conversationId, turnId: randomUUID(), ...(requestId ? { requestId } : {}) });
    const conversation = await this.deps.store.get(conversationId);
    if (!conversation) {
      logger.warn('conversation vanished before its turn ran');
      return;
    }
    if (conversation.status !== 'bot') {
      // A person has it (or is about to): the bot stays silent.
      logger.debug({ status: conversation.status }, 'conversation is with a person; no bot turn');
      await this.deps.handoff?.customerWroteDuringHandoff(conversation, entry);
      this.count(conversation, 'with_person');
      return;
    }
    const turnLogger = logger.child({ channel: conversation.channel });
    const startedAt = performance.now();
    if (entry.text.trim() === '' && entry.attachments?.length) {
      // Nothing to classify: say so, and leave any dialog waiting where it was.
      await this.deps.dispatcher
        .deliver(conversation, { from: 'bot', text: this.deps.textOnlyReply })
        .catch((error: unknown) => turnLogger.warn({ err: error }, 'text-only reply not delivered'));
      turnLogger.info({ attachments: entry.attachments.length, ms: Math.round(performance.now() - startedAt) }, 'turn done: attachments only');
      this.count(conversation, 'attachments_only');
      return;
    }
    try {
      await this.deps.log.typing(conversationId, true);
      const classifyStartedAt = performance.now();
      const nlu = await this.deps.classifier.classify(entry.text, conversation.locale);
      this.deps.metrics?.nluLatency.observe((performance.now() - classifyStartedAt) / 1000);
      turnLogger.debug({ intent: nlu.top.intent, score: nlu.top.score }, 'classified');
      let escalation: Escalation | undefined;
      await this.adapter.runActivity(toActivity(conversation, entry), async (context) => {
        ({ escalation } = await this.deps.engine.runMessageTurn(context, conversation, nlu));
      });
      if (escalation && this.deps.handoff) await this.deps.handoff.escalate(conversation, escalation);
      turnLogger.info(
        {
          intent: nlu.top.intent,
          score: nlu.top.score,
          ...(escalation ? { escalation: escalation.reason } : {}),
          ms: Math.round(performance.now() - startedAt),
        },
        'turn done',
      );
      this.count(conversation, escalation ? 'escalated' : 'answered');
    } catch (error) {
      turnLogger.error({ err: error }, 'turn failed');
      this.count(conversation, 'failed');
      await this.deps.dispatcher
        .deliver(conversation, { from: 'bot', text: APOLOGY })
        .catch((deliveryError: unknown) => turnLogger.error({ err: deliveryError }, 'apology not delivered'));
    } finally {
      await this.deps.log
        .typing(conversationId, false)
        .catch((typingError: unknown) => turnLogger.warn({ err: typingError }, 'typing state not cleared'));
    }
  }

  private count(conversation: Conversation, outcome: string): void {
    this.deps.metrics?.turns.inc({ channel: conversation.channel, outcome });
  }

  private async deliverBotReply(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    if (!activity.text) return;
    const { conversation, nlu } = turnServices(context);
    try {
      await this.deps.dispatcher.deliver(conversation, {
        from: 'bot',
        text: activity.text,
        ...(nlu ? { nlu: { intent: nlu.top.intent, score: nlu.top.score } } : {}),
      });
    } catch (error) {
      // Outside the platform's messaging window (Meta's 24 hours) the bot says
      // nothing and nothing is recorded; the dialog goes on as if it had.
      if (!isSwitchboardError(error) || error.code !== 'outside_messaging_window') throw error;
      this.deps.logger.info({ conversationId: conversation.id, channel: conversation.channel }, 'bot reply not sent: outside the messaging window');
    }
  }
}

/** How botbuilder addresses a Switchboard conversation (its state keys derive from this). */
function conversationReference(conversation: Conversation): Partial<ConversationReference> {
  return {
    channelId: conversation.channel,
    conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: conversation.userId, name: '', role: 'user' },
    bot: BOT_ACCOUNT,
    serviceUrl: '',
    locale: conversation.locale,
  };
}

function toActivity(conversation: Conversation, entry: TranscriptEntry): Partial<Activity> {
  const reference = conversationReference(conversation);
  return {
    type: ActivityTypes.Message,
    id: String(entry.id),
    channelId: conversation.channel,
    conversation: reference.conversation,
    from: reference.user,
    recipient: BOT_ACCOUNT,
    text: entry.text,
    locale: conversation.locale,
    timestamp: new Date(entry.at),
    serviceUrl: '',
  };
}
