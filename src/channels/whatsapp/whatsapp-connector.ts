import type { Conversation } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { Author } from '../../core/messages.ts';
import type { ChannelConnector, MessageTemplate } from '../connector.ts';
import type { GraphApiClient } from '../meta/graph-api.ts';
import { CUSTOMER_WINDOW_MS, outsideMessagingWindow, sinceCustomerWrote } from '../meta/messaging-window.ts';
import { splitText } from '../split-text.ts';

/** WhatsApp's text body limit (shared/CHANNELS.md §3). */
export const WHATSAPP_TEXT_LIMIT = 4096;

/**
 * Replies over the Cloud API (`POST /{phone-number-id}/messages`). Free-form
 * text is allowed for 24 hours after the customer's last message; after
 * that only an approved template may go out (`sendTemplate`, used by the
 * notifications API), so anyone's free-form message is refused with 409
 * `outside_messaging_window`.
 */
export class WhatsAppConnector implements ChannelConnector {
  readonly channel = 'whatsapp' as const;

  constructor(
    private readonly graph: GraphApiClient,
    private readonly defaultPhoneNumberId: string,
  ) {}

  checkSendable(conversation: Conversation, author: Exclude<Author, 'customer'>): void {
    if (sinceCustomerWrote(conversation) <= CUSTOMER_WINDOW_MS) return;
    throw outsideMessagingWindow(
      author === 'agent'
        ? 'The customer last wrote more than 24 hours ago: WhatsApp accepts only an approved template message until they write again.'
        : 'The customer last wrote more than 24 hours ago: WhatsApp accepts no free-form message until they write again.',
    );
  }

  /** A template message, allowed at any time (Meta checks the template is approved). */
  async sendTemplate(conversation: Conversation, template: MessageTemplate): Promise<void> {
    const { to, phoneNumberId } = this.recipient(conversation);
    await this.graph.post(`${encodeURIComponent(phoneNumberId)}/messages`, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to,
      type: 'template',
      template: {
        name: template.name,
        language: { code: template.language },
        ...(template.parameters.length > 0
          ? { components: [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }] }
          : {}),
      },
    });
  }

  private recipient(conversation: Conversation): { to: string; phoneNumberId: string } {
    const to = conversation.address.waId;
    if (!to) throw new SwitchboardError('delivery_failed', 'The conversation has no WhatsApp recipient.', 502);
    return { to, phoneNumberId: conversation.address.phoneNumberId ?? this.defaultPhoneNumberId };
  }

  async send(conversation: Conversation, text: string, author: Exclude<Author, 'customer'>): Promise<void> {
    this.checkSendable(conversation, author);
    const { to, phoneNumberId } = this.recipient(conversation);
    for (const part of splitText(text, WHATSAPP_TEXT_LIMIT)) {
      await this.graph.post(`${encodeURIComponent(phoneNumberId)}/messages`, {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to,
        type: 'text',
        text: { preview_url: false, body: part },
      });
    }
  }
}
