import { ActivityTypes, type Activity, type ConversationReference, type TurnContext } from 'botbuilder';
import { randomUUID } from 'node:crypto';
import type { Conversation, IntentEvidence, TranscriptEntry } from './conversation.ts';
import type { ConversationLog } from './conversation-log.ts';
import { messagesFor } from './catalogue.ts';
import { isSwitchboardError } from './errors.ts';
import { KeyedSerialQueue } from './keyed-serial-queue.ts';
import type { InDoubtReply, OutgoingReply, ReplyDispatcher } from './reply-dispatcher.ts';
import { TURN_TEXT } from './turn-text.ts';
import type { Logger } from '../logger.ts';
import type { Classification, IntentClassifier } from '../nlu/intent-classifier.ts';
import type { ConversationStore, PendingInbound } from '../store/conversation-store.ts';
import type { InboxItem, InboxQueue } from '../store/inbox-queue.ts';
import { errorChain, isStoreUnavailableError, turnFenced } from '../store/store-errors.ts';
import type { TurnLease, TurnLock } from '../store/turn-lock.ts';
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
  /** The durable inbox this runner takes customer messages from (see src/core/inbox.ts). */
  inbox: InboxQueue;
  handoff?: HandoffHooks;
  metrics?: Metrics;
  /** TEXT_ONLY_REPLY: said in every language, instead of TURN_TEXT's, to a message with attachments and no text. */
  textOnlyReply?: string | undefined;
}

export type { CustomerMessage } from './inbox.ts';

/**
 * Failures that say nothing about the message, only that its turn cannot
 * finish now: Redis away, the conversation busy on another host, or taken
 * over by one (fenced), or its state changed under the turn. The turn is not
 * answered with an apology; its inbox item stays pending and runs again.
 */
const RETRYABLE_CODES = new Set(['store_unavailable', 'turn_fenced', 'conversation_busy', 'etag_conflict']);
const isRetryable = (error: unknown): boolean =>
  isStoreUnavailableError(error) || errorChain(error).some((link) => isSwitchboardError(link) && RETRYABLE_CODES.has(link.code));

/** How far back the platform is asked about a reply in doubt, and how many entries are searched for its twins. */
const IN_DOUBT_WINDOW_MS = 10_000;
const IN_DOUBT_LOOKBACK = 100;

/** Which reply of which customer message a turn is at (see ReplyDispatcher.deliverOnce). */
interface TurnReplies {
  inboundId: number;
  next: number;
  /** Replies up to this ordinal were recorded by an earlier run of this turn (-1: none). */
  recordedThrough: number;
  /** The last of them, whose send that run may or may not have started: settled before the turn runs again. */
  lastRecorded: InDoubtReply | undefined;
  lease: TurnLease;
}


/**
 * Runs the bot's turn for each accepted customer message, one at a time per
 * conversation on every host, taking them from the durable inbox (the Inbox
 * records them and queues them; see src/core/inbox.ts and README,
 * "Reliability and scaling").
 */
export class TurnRunner {
  private readonly queue = new KeyedSerialQueue();
  /** The reply counter of the turn each conversation is in on this host (one at a time per conversation). */
  private readonly replies = new Map<string, TurnReplies>();
  private readonly adapter: SwitchboardAdapter;

  constructor(private readonly deps: TurnRunnerDependencies) {
    this.adapter = new SwitchboardAdapter((context, activity) => this.deliverBotReply(context, activity));
  }

  /** Starts taking customer messages from the inbox (this host's and, on Redis, every host's). */
  start(): void {
    this.deps.inbox.start((item) => this.process(item));
  }

  /**
   * Runs the turns one inbox item stands for: every customer message of the
   * conversation after its last completed one, up to and including the
   * item's, in transcript order, one turn at a time (the in-process queue on
   * this host, the conversation's turn lock across hosts). After each turn
   * the conversation's `inboundDone` watermark moves up to it, so:
   *
   * - an item delivered twice (a host that died before acknowledging it, a
   *   claim of a host that was only slow) finds nothing left and does nothing;
   * - an item whose host died mid-turn is finished by whoever gets it (or the
   *   conversation's next item) in order, before any later message;
   * - a turn that runs again sends none of the replies it sent before (they
   *   are recorded per message and ordinal, fenced by the lock token: see
   *   ReplyDispatcher.deliverOnce), first settles the one reply whose send
   *   its first run may or may not have started (settleInDoubt), and does not
   *   run its dialogs twice (the dialog state carries the last message it
   *   reflects: DialogEngine).
   *
   * Resolves when the work is saved; rejects (leaving the item pending) when
   * it cannot be done now (Redis away, conversation busy elsewhere).
   */
  async process(item: InboxItem): Promise<void> {
    await this.queue.run(item.conversationId, async () => {
      const begun = await this.begin(item);
      if (!begun) return;
      try {
        await this.catchUp(item, begun.lease, begun.pending);
      } finally {
        await begun.lease.release();
      }
    });
  }

  /** Stops taking inbox items; those in hand finish first. */
  async stop(): Promise<void> {
    await this.deps.inbox.stop();
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

  /**
   * Sets values in what the dialogs collected (e.g. the order a notification
   * was about), in the conversation's turn order, so the customer's reply is
   * read with them.
   */
  rememberValues(conversationId: string, values: Readonly<Record<string, string>>): Promise<void> {
    return this.queue.run(conversationId, () =>
      this.locked(conversationId, async () => {
        const conversation = await this.deps.store.get(conversationId);
        if (!conversation) return;
        await this.adapter.continueConversation(conversationReference(conversation), (context) =>
          this.deps.engine.rememberValues(context, conversation, values),
        );
      }),
    );
  }

  /** Resolves when every message accepted so far (by any host sharing the inbox) has had its turn. */
  async drain(): Promise<void> {
    await this.deps.inbox.drain();
    await this.queue.drain();
  }

  private async locked(conversationId: string, run: (lease: TurnLease) => Promise<void>): Promise<void> {
    const lease = await this.deps.lock.hold(conversationId);
    try {
      await run(lease);
    } finally {
      await lease.release();
    }
  }

  /**
   * Takes the conversation's turn lock and reads what is pending: in one
   * call when the store keeps the locks (TurnLock.claim), otherwise, or
   * when another host holds the lock, one after the other, waiting for the
   * lock as `hold` does. Undefined when the conversation is gone.
   */
  private async begin(item: InboxItem): Promise<{ lease: TurnLease; pending: PendingInbound } | undefined> {
    const { conversationId, entryId } = item;
    try {
      const claim = this.deps.lock.claim(conversationId);
      if (claim) {
        const pending = await this.deps.store.pendingInbound(conversationId, entryId, claim);
        if (pending) return { lease: this.deps.lock.adopt(conversationId, claim), pending };
      }
      const lease = await this.deps.lock.hold(conversationId);
      try {
        return { lease, pending: await this.deps.store.pendingInbound(conversationId, entryId) };
      } catch (error) {
        await lease.release();
        throw error;
      }
    } catch (error) {
      if (!isSwitchboardError(error) || error.code !== 'conversation_not_found') throw error;
      this.deps.logger.warn({ conversationId }, 'conversation vanished before its turn ran');
      return undefined;
    }
  }

  private async catchUp(item: InboxItem, lease: TurnLease, pending: PendingInbound): Promise<void> {
    const { replied } = pending;
    // Read with the pending entries: good for the first turn; a turn may
    // change the conversation (an escalation), so the next one reads it again.
    let current: Conversation | undefined = pending.conversation;
    // The last turn's completion lets go of the turn lock in the same call.
    const last = pending.entries.findLast((entry) => entry.from === 'customer');
    for (const entry of pending.entries) {
      if (entry.from !== 'customer') continue;
      if (lease.lost) throw turnFenced(item.conversationId);
      const requestId = entry.id === item.entryId ? item.requestId : undefined;
      // How far an earlier run of this turn got with its replies (it died before completing the turn).
      const earlier =
        replied.inboundId === entry.id
          ? { recordedThrough: replied.ordinal, lastRecorded: await this.inDoubt(item.conversationId, replied.entryId) }
          : { recordedThrough: -1, lastRecorded: undefined };
      await this.runTurn(item.conversationId, entry, lease, earlier, requestId, current);
      current = undefined;
      const { lockReleased } = await this.deps.store.completeInbound(item.conversationId, entry.id, lease.token, entry === last);
      if (lockReleased) lease.releasedWith();
    }
  }

  private async runTurn(
    conversationId: string,
    entry: TranscriptEntry,
    lease: TurnLease,
    earlier: Pick<TurnReplies, 'recordedThrough' | 'lastRecorded'>,
    requestId: string | undefined,
    current: Conversation | undefined,
  ): Promise<void> {
    // Recorded without a turn: a keyword the platform answers itself (SMS STOP, START).
    if (entry.recordOnly) return;
    const logger = this.deps.logger.child({ conversationId, turnId: randomUUID(), ...(requestId ? { requestId } : {}) });
    this.replies.set(conversationId, { inboundId: entry.id, next: 0, ...earlier, lease });
    try {
      await this.runGuardedTurn(conversationId, entry, logger, current);
    } finally {
      this.replies.delete(conversationId);
    }
  }

  /** `current`: the conversation as just read, if it was; otherwise it is read here. */
  private async runGuardedTurn(conversationId: string, entry: TranscriptEntry, logger: Logger, current?: Conversation): Promise<void> {
    const stored = current ?? (await this.deps.store.get(conversationId));
    if (!stored) {
      logger.warn('conversation vanished before its turn ran');
      return;
    }
    // Before anything answers: replies, notices and the person who may take
    // over all go by the language the customer writes in now.
    const conversation = await this.followLanguage(stored, entry, logger);
    // What the first run of this turn had decided to say, before anything else:
    // the run again may take another path (a dialog that is not deterministic).
    const turn = this.replies.get(conversationId);
    const inDoubt = turn?.lastRecorded;
    if (turn && inDoubt) {
      const resent = await this.deps.dispatcher.settleInDoubt(conversation, inDoubt, () => turn.lease.surelyHeld()).catch((error: unknown) => {
        if (isRetryable(error)) throw error;
        logger.warn({ err: error }, 'reply in doubt not delivered');
        return undefined;
      });
      logger.info({ resent: resent !== undefined }, 'reply in doubt settled (its first turn stopped between recording and sending it)');
    }
    if (conversation.status !== 'bot') {
      // A person has it (or is about to): the bot stays silent.
      logger.debug({ status: conversation.status }, 'conversation is with a person; no bot turn');
      await this.rememberDuringHandoff(conversation, entry, logger);
      await this.deps.handoff?.customerWroteDuringHandoff(conversation, entry);
      this.count(conversation, 'with_person');
      return;
    }
    const turnLogger = logger.child({ channel: conversation.channel });
    const startedAt = performance.now();
    if (entry.text.trim() === '' && entry.attachments?.length) {
      // Nothing to classify: say so, and leave any dialog waiting where it was.
      const text = this.deps.textOnlyReply ?? messagesFor(TURN_TEXT, conversation.locale).textOnly;
      await this.reply(conversation, { from: 'bot', text }).catch((error: unknown) => {
        if (isRetryable(error)) throw error;
        turnLogger.warn({ err: error }, 'text-only reply not delivered');
      });
      turnLogger.info({ attachments: entry.attachments.length, ms: Math.round(performance.now() - startedAt) }, 'turn done: attachments only');
      this.count(conversation, 'attachments_only');
      return;
    }
    // Only the web chat page shows the bot typing (platforms get no typing
    // state from us, and the agent console ignores it): elsewhere the two
    // announcements would reach no one.
    const showsTyping = conversation.channel === 'webchat';
    try {
      if (showsTyping) await this.deps.log.typing(conversationId, true);
      const classifyStartedAt = performance.now();
      const nlu = await this.deps.classifier.classify(entry.text, conversation.locale, { referenceDate: new Date(entry.at) });
      this.deps.metrics?.nluLatency.observe((performance.now() - classifyStartedAt) / 1000);
      turnLogger.debug({ intent: nlu.top.intent, score: nlu.top.score }, 'classified');
      let escalation: Escalation | undefined;
      let replayed: boolean | undefined;
      await this.adapter.runActivity(toActivity(conversation, entry), async (context) => {
        ({ escalation, replayed } = await this.deps.engine.runMessageTurn(context, conversation, nlu, entry.id));
      });
      if (replayed) turnLogger.info('dialogs already ran for this message (its first turn did not finish): finishing it');
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
      if (isRetryable(error)) {
        turnLogger.warn({ err: error }, 'turn interrupted; it runs again when it can');
        throw error;
      }
      turnLogger.error({ err: error }, 'turn failed');
      this.count(conversation, 'failed');
      await this.reply(conversation, { from: 'bot', text: messagesFor(TURN_TEXT, conversation.locale).apology }).catch((deliveryError: unknown) => {
        if (isRetryable(deliveryError)) throw deliveryError;
        turnLogger.error({ err: deliveryError }, 'apology not delivered');
      });
    } finally {
      if (showsTyping) {
        await this.deps.log
          .typing(conversationId, false)
          .catch((typingError: unknown) => turnLogger.warn({ err: typingError }, 'typing state not cleared'));
      }
    }
  }

  /**
   * While a person has the conversation the bot says nothing, but what the
   * bot keeps of every message (its `rememberedEntities`: a phone number to
   * call back on) is still kept for the agent. Best effort: the message
   * reaches the agent whatever happens here.
   */
  private async rememberDuringHandoff(conversation: Conversation, entry: TranscriptEntry, logger: Logger): Promise<void> {
    if (entry.text.trim() === '' || !this.deps.engine.remembersEntities) return;
    try {
      const nlu = await this.deps.classifier.classify(entry.text, conversation.locale, { referenceDate: new Date(entry.at) });
      if (nlu.entities.length === 0) return;
      await this.adapter.continueConversation(conversationReference(conversation), (context) =>
        this.deps.engine.rememberEntities(context, conversation, nlu),
      );
    } catch (error) {
      if (isRetryable(error)) throw error;
      logger.warn({ err: error }, 'entities of a message to a person not kept');
    }
  }

  /**
   * The conversation in the language of this message: when the classifier's
   * language detection says the customer clearly writes in another of the
   * bot's languages, the conversation's locale changes (for this turn, the
   * next ones and the agents); a short or ambiguous message leaves it as it
   * is (README, "Languages").
   */
  private async followLanguage(conversation: Conversation, entry: TranscriptEntry, logger: Logger): Promise<Conversation> {
    if (entry.text.trim() === '') return conversation;
    const { locale, reason } = this.deps.classifier.detectLocale(entry.text, conversation.locale);
    if (reason !== 'switched' || locale === conversation.locale) return conversation;
    logger.info({ from: conversation.locale, to: locale }, 'the customer writes in another language: conversation locale changed');
    return this.deps.store.update(conversation.id, { locale });
  }

  private count(conversation: Conversation, outcome: string): void {
    this.deps.metrics?.turns.inc({ channel: conversation.channel, outcome });
  }

  /**
   * A bot reply: during a customer message's turn, at most once per message
   * and ordinal (a turn that runs again skips what it sent before); outside
   * one (a dialog started by the handoff), as it comes.
   */
  private reply(conversation: Conversation, reply: OutgoingReply): Promise<unknown> {
    const turn = this.replies.get(conversation.id);
    if (!turn) return this.deps.dispatcher.deliver(conversation, reply);
    const guard = { inboundId: turn.inboundId, ordinal: turn.next, fence: turn.lease.token };
    turn.next += 1;
    // Each reply's send finishes before the next reply is recorded, so of the
    // replies an earlier run recorded only the last can be in doubt.
    return this.deps.dispatcher.deliverOnce(conversation, reply, guard, guard.ordinal <= turn.recordedThrough, () => turn.lease.surelyHeld());
  }

  /**
   * The reply an earlier run recorded last, and how many replies with the
   * same text the transcript holds from a little before it on (so the
   * platform is asked for that many, not fooled by an identical earlier
   * reply); undefined if it was trimmed away.
   */
  private async inDoubt(conversationId: string, entryId: number): Promise<InDoubtReply | undefined> {
    if (entryId < 1) return undefined;
    const recent = await this.deps.store.transcript(conversationId, { after: Math.max(0, entryId - IN_DOUBT_LOOKBACK) });
    const entry = recent.find((candidate) => candidate.id === entryId);
    if (!entry) return undefined;
    const since = entry.at - IN_DOUBT_WINDOW_MS;
    const count = recent.filter(
      (candidate) => candidate.id <= entryId && candidate.from !== 'customer' && !candidate.internal && candidate.text === entry.text && candidate.at >= since,
    ).length;
    return { entry, sameText: { since, count } };
  }

  private async deliverBotReply(context: TurnContext, activity: Partial<Activity>): Promise<void> {
    if (!activity.text) return;
    const { conversation, nlu } = turnServices(context);
    try {
      await this.reply(conversation, {
        from: 'bot',
        text: activity.text,
        ...(nlu ? { nlu: intentEvidence(nlu) } : {}),
      });
    } catch (error) {
      // Outside the platform's messaging window (Meta's 24 hours) the bot says
      // nothing and nothing is recorded; the dialog goes on as if it had.
      if (!isSwitchboardError(error) || error.code !== 'outside_messaging_window') throw error;
      this.deps.logger.info({ conversationId: conversation.id, channel: conversation.channel }, 'bot reply not sent: outside the messaging window');
    }
  }
}

/** What the transcript keeps of the NLU's reading of the message a bot reply answers. */
function intentEvidence(nlu: Classification): IntentEvidence {
  const entities = nlu.entities.map(({ entity, value }) => ({ entity, value }));
  return { intent: nlu.top.intent, score: nlu.top.score, ...(entities.length > 0 ? { entities } : {}) };
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
