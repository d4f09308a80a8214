import type { Conversation } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { Author } from '../../core/messages.ts';
import type { ChannelConnector } from '../connector.ts';
import type { GraphApiClient } from '../meta/graph-api.ts';
import {
  CUSTOMER_WINDOW_MS,
  HUMAN_AGENT_WINDOW_MS,
  outsideMessagingWindow,
  sinceCustomerWrote,
} from '../meta/messaging-window.ts';
import { splitText } from '../split-text.ts';

/** Messenger's text limit (shared/CHANNELS.md §2). */
export const MESSENGER_TEXT_LIMIT = 2000;

type MessagingType = { messaging_type: 'RESPONSE' } | { messaging_type: 'MESSAGE_TAG'; tag: 'HUMAN_AGENT' };

/**
 * Replies over the Send API (`POST /me/messages` with the Page token).
 * Within 24 hours of the customer's last message anyone writes
 * (`RESPONSE`); after that only a person, with the `HUMAN_AGENT` tag, for
 * up to 7 days; otherwise nothing goes out (409 `outside_messaging_window`).
 */
export class MessengerConnector implements ChannelConnector {
  readonly channel = 'messenger' as const;

  constructor(private readonly graph: GraphApiClient) {}

  checkSendable(conversation: Conversation, author: Exclude<Author, 'customer'>): void {
    messagingType(conversation, author);
  }

  async send(conversation: Conversation, text: string, author: Exclude<Author, 'customer'>): Promise<void> {
    const type = messagingType(conversation, author);
    const psid = conversation.address.psid;
    if (!psid) throw new SwitchboardError('delivery_failed', 'The conversation has no Messenger recipient.', 502);
    for (const part of splitText(text, MESSENGER_TEXT_LIMIT)) {
      await this.graph.post('me/messages', { recipient: { id: psid }, ...type, message: { text: part } });
    }
  }
}

function messagingType(conversation: Conversation, author: Exclude<Author, 'customer'>, now = Date.now()): MessagingType {
  const elapsed = sinceCustomerWrote(conversation, now);
  if (elapsed <= CUSTOMER_WINDOW_MS) return { messaging_type: 'RESPONSE' };
  if (author !== 'agent') {
    throw outsideMessagingWindow(
      'The customer last wrote more than 24 hours ago: on Messenger only a person may write to them now.',
    );
  }
  if (elapsed <= HUMAN_AGENT_WINDOW_MS) return { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' };
  throw outsideMessagingWindow(
    'The customer last wrote more than 7 days ago: Messenger allows no message until they write again.',
  );
}
