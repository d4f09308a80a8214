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
