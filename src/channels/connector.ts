import type { Conversation } from '../core/conversation.ts';
import type { Author, ChannelName } from '../core/messages.ts';

/**
 * Sends text to a customer over a platform (SMS, Messenger…). The channel's
 * limits (message length, messaging windows, opt-outs) are applied here and
 * nowhere else. Web chat has no connector: its customers read the transcript.
 */
export interface ChannelConnector {
  readonly channel: ChannelName;
  /**
   * Throws a SwitchboardError when `author` may not write to this customer now
   * (outside the 24-hour window, opted out…). Called before anything is
   * recorded, so a refused message leaves no trace in the transcript.
   */
  checkSendable(conversation: Conversation, author: Exclude<Author, 'customer'>): void;
  /** Delivers the text (split to the platform's limit); throws `delivery_failed` when the platform refuses for good. */
  send(conversation: Conversation, text: string, author: Exclude<Author, 'customer'>): Promise<void>;
  /**
   * Optional: does everything `send` must wait for before calling the
   * platform (re-reading the conversation…) and returns a function that
   * starts the call at once. A turn's reply is recorded between the two, so
   * the moment between its record and its call, when a host that dies leaves
   * the reply in doubt, is as short as it can be (see
   * ReplyDispatcher.deliverOnce). Without it, `send` is used.
   */
  prepareSend?(conversation: Conversation, text: string, author: Exclude<Author, 'customer'>): Promise<() => Promise<void>>;
  /**
   * Optional: whether the platform has at least `count` messages with this
   * text for this customer, created at or after `since` (ms since the epoch).
   * Asked about a reply that a host recorded and then died, before or after
   * its call went out (the inbox gives the turn to another host, which must
   * neither lose nor repeat it); `count` is how many replies with that text
   * the transcript holds since then, this one included. Platforms with
   * nothing to ask (Meta, Bot Framework) leave it out, and such a reply counts
   * as sent: at most once.
   */
  confirmSent?(conversation: Conversation, text: string, since: number, count: number): Promise<boolean>;
  /**
   * Sends a pre-approved template (WhatsApp), which the platform accepts
   * outside its messaging window too. Absent on channels without templates.
   */
  sendTemplate?(conversation: Conversation, template: MessageTemplate): Promise<void>;
}

/** A platform-approved message template: its name, language and body parameters, in order. */
export interface MessageTemplate {
  name: string;
  /** The template's language code, e.g. `en_US`. */
  language: string;
  parameters: string[];
}

export class ConnectorRegistry {
  private readonly connectors = new Map<ChannelName, ChannelConnector>();

  register(connector: ChannelConnector): void {
    this.connectors.set(connector.channel, connector);
  }

  get(channel: ChannelName): ChannelConnector | undefined {
    return this.connectors.get(channel);
  }
}
