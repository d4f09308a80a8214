import type { Conversation } from '../core/conversation.ts';
import type { ChannelName } from '../core/messages.ts';

/**
 * Sends text to a customer over a platform (SMS, Messenger…). Limits of the
 * channel (length, messaging windows) are applied inside the connector.
 * Web chat has none: its customers read the transcript itself.
 */
export interface ChannelConnector {
  readonly channel: ChannelName;
  send(conversation: Conversation, text: string): Promise<void>;
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
