import type { Conversation, IntentEvidence, TranscriptEntry } from './conversation.ts';
import type { ConversationLog } from './conversation-log.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReplyGuard } from '../store/conversation-store.ts';
import { turnFenced } from '../store/store-errors.ts';
import { SwitchboardError, isSwitchboardError } from './errors.ts';
import type { ConnectorRegistry, MessageTemplate } from '../channels/connector.ts';
import type { Metrics } from '../http/metrics.ts';

/** A reply in doubt is looked up on the platform no sooner than this after it was recorded. */
const IN_DOUBT_MIN_AGE_MS = 5_000;

/**
 * The last reply an earlier run of a turn recorded, on a host that died
 * before finishing the turn: its send may or may not have gone out (every
 * earlier reply of that run had, since each send finishes before the next
 * reply is recorded).
 */
export interface InDoubtReply {
  entry: TranscriptEntry;
  /** Replies with the same text in the transcript from `since` on, this one included (see ChannelConnector.confirmSent). */
  sameText: { since: number; count: number };
}

export interface OutgoingReply {
  from: 'bot' | 'agent' | 'system';
  text: string;
  nlu?: IntentEvidence;
  agentId?: string;
}

/**
 * The one way text reaches a customer: checked against the channel's rules,
 * written to the transcript (which is how web chat delivers it), then handed
 * to the channel's connector, if the channel has one. A delivery the
 * platform refuses is noted in the transcript for the agents to see.
 */
export class ReplyDispatcher {
  constructor(
    private readonly log: ConversationLog,
    private readonly connectors: ConnectorRegistry,
    private readonly metrics?: Metrics,
  ) {}

  /** Throws what `deliver` would throw before sending (outside the window, opted out…), without sending. */
  checkSendable(conversation: Conversation, from: OutgoingReply['from']): void {
    this.connectors.get(conversation.channel)?.checkSendable(conversation, from);
  }

  /** Whether `from` may write to this customer now. */
  canSend(conversation: Conversation, from: OutgoingReply['from']): boolean {
    try {
      this.checkSendable(conversation, from);
      return true;
    } catch {
      return false;
    }
  }

  async deliver(conversation: Conversation, reply: OutgoingReply): Promise<TranscriptEntry> {
    const connector = this.connectors.get(conversation.channel);
    connector?.checkSendable(conversation, reply.from);
    const entry = await this.log.append(conversation.id, { ...reply, at: Date.now() });
    if (!connector) return entry;
    return this.sent(conversation, entry, () => connector.send(conversation, reply.text, reply.from));
  }

  /**
   * A turn's reply, once per guard (its customer message and ordinal).
   * `recordedBefore`: an earlier run of the turn recorded it (and sent it, or
   * had it settled by `settleInDoubt`), so nothing is recorded or sent again,
   * and undefined comes back.
   *
   * Otherwise: everything the platform call must wait for is done first
   * (ChannelConnector.prepareSend); then the reply is recorded, with its mark
   * (append-reply.lua, fenced by the turn lock); only once Redis has
   * confirmed the record, and only while the turn lock is surely this host's,
   * does the platform call start. So a reply is never sent without its record
   * (were Redis to fail the record after the call had left, a later run would
   * send it again), and a host that dies between the two leaves a reply "in
   * doubt", which the next run settles with the platform (`settleInDoubt`).
   */
  async deliverOnce(
    conversation: Conversation,
    reply: OutgoingReply,
    guard: ReplyGuard,
    recordedBefore: boolean,
    stillHeld: () => boolean = () => true,
  ): Promise<TranscriptEntry | undefined> {
    if (recordedBefore) return undefined;
    const connector = this.connectors.get(conversation.channel);
    connector?.checkSendable(conversation, reply.from);
    const start = connector
      ? connector.prepareSend
        ? await connector.prepareSend(conversation, reply.text, reply.from)
        : () => connector.send(conversation, reply.text, reply.from)
      : undefined;
    const recorded = await this.log.appendReply(conversation.id, { ...reply, at: Date.now() }, guard);
    if (!recorded) return undefined;
    const { entry, announced } = recorded;
    // Web chat: the announcement is the delivery.
    if (!start) {
      await announced;
      return entry;
    }
    // A host that stalled past its turn lock must not call the platform: the
    // host that took over may be settling this very reply (settleInDoubt).
    if (!stillHeld()) {
      await announced.catch(() => undefined);
      throw turnFenced(conversation.id);
    }
    // The platform call does not wait for the live announcement (agents'
    // consoles): one Redis round trip less between a message and its reply.
    // Both finish before this resolves, and either failing fails it.
    const [announcement, delivery] = await Promise.allSettled([announced, this.sent(conversation, entry, start)]);
    if (delivery.status === 'rejected') throw delivery.reason;
    if (announcement.status === 'rejected') throw announcement.reason;
    return delivery.value;
  }

  /**
   * A reply in doubt: the connector asks the platform whether it has it
   * (ChannelConnector.confirmSent); if not, it is sent now (it is recorded
   * already). Where the platform cannot be asked (or does not answer), it
   * counts as sent: at most once, never twice. Web chat's record is its
   * delivery. Returns the entry when it was sent now.
   */
  async settleInDoubt(
    conversation: Conversation,
    { entry, sameText }: InDoubtReply,
    stillHeld: () => boolean = () => true,
  ): Promise<TranscriptEntry | undefined> {
    const connector = this.connectors.get(conversation.channel);
    const confirmSent = connector?.confirmSent?.bind(connector);
    // Web chat: the record is the delivery. No way to ask: at most once.
    if (!connector || !confirmSent) return undefined;
    const from = entry.from === 'customer' ? 'bot' : entry.from;
    // A call that left just before its host died may still be on its way to
    // the platform: ask once the reply is old enough for it to have arrived.
    const age = Date.now() - entry.at;
    if (age < IN_DOUBT_MIN_AGE_MS) await sleep(IN_DOUBT_MIN_AGE_MS - age);
    let delivered: boolean;
    try {
      delivered = await confirmSent(conversation, entry.text, sameText.since, sameText.count);
    } catch {
      return undefined;
    }
    if (delivered) return undefined;
    if (!stillHeld()) throw turnFenced(conversation.id);
    return this.sent(conversation, entry, () => connector.send(conversation, entry.text, from));
  }

  /**
   * A platform template (WhatsApp), which is allowed outside the messaging
   * window; `text` is what the transcript shows for it. Throws
   * `template_not_supported` on channels without templates.
   */
  async deliverTemplate(conversation: Conversation, template: MessageTemplate, text: string): Promise<TranscriptEntry> {
    const connector = this.connectors.get(conversation.channel);
    const sendTemplate = connector?.sendTemplate?.bind(connector);
    if (!sendTemplate) {
      throw new SwitchboardError('template_not_supported', `The ${conversation.channel} channel has no message templates.`, 400);
    }
    const entry = await this.log.append(conversation.id, { from: 'bot', text, at: Date.now() });
    return this.sent(conversation, entry, () => sendTemplate(conversation, template));
  }

  private async sent(conversation: Conversation, entry: TranscriptEntry, send: () => Promise<void>): Promise<TranscriptEntry> {
    try {
      await send();
    } catch (error) {
      this.metrics?.sendFailures.inc({ channel: conversation.channel });
      const reason = isSwitchboardError(error) ? error.message : 'the platform did not accept it';
      await this.log.append(conversation.id, {
        from: 'system',
        text: `Message ${entry.id} was not delivered: ${reason}`,
        at: Date.now(),
        internal: true,
      });
      throw isSwitchboardError(error)
        ? error
        : new SwitchboardError('delivery_failed', `The ${conversation.channel} platform did not accept the message.`, 502, {
            cause: error,
          });
    }
    return entry;
  }
}
