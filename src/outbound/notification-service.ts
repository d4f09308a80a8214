import type { ConnectorRegistry, MessageTemplate } from '../channels/connector.ts';
import type { Conversation, ReplyAddress } from '../core/conversation.ts';
import type { ConversationLog } from '../core/conversation-log.ts';
import { SwitchboardError, isSwitchboardError, notFound } from '../core/errors.ts';
import type { ChannelName } from '../core/messages.ts';
import type { ReplyDispatcher } from '../core/reply-dispatcher.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../logger.ts';
import type { ConversationStore, NewConversation } from '../store/conversation-store.ts';

export type NotificationChannel = Extract<ChannelName, 'sms' | 'whatsapp' | 'messenger' | 'webchat'>;

/** A message the business starts (POST /api/notifications). */
export interface Notification {
  channel: NotificationChannel;
  /**
   * The customer: a phone number (SMS: `+…` or `whatsapp:+…` through Twilio;
   * WhatsApp: the number, `+` optional), a PSID (Messenger), or a web chat
   * conversation id. Not needed with `conversationId`.
   */
  to?: string;
  /** Our side: the number to send from (SMS), the phone number id (WhatsApp), the Page id (Messenger). */
  from?: string;
  /** An existing conversation, instead of `to`/`from`. */
  conversationId?: string;
  /** Free text, where the channel allows it now; also what the transcript shows for a template. */
  text?: string;
  /** A WhatsApp template, used when free text is not allowed (outside the 24-hour window) or no text is given. */
  template?: MessageTemplate;
  /** Values for the bot (e.g. `{ orderNumber: "A1001" }`): the customer's reply is read with them. */
  context?: Record<string, string>;
  /** The conversation's language, when it is created (e.g. `en-GB`). */
  locale?: string;
}

export interface NotificationResult {
  conversationId: string;
  /** The message's id in the transcript. */
  messageId: number;
  channel: NotificationChannel;
  /** How it went out. */
  sentAs: 'text' | 'template';
  /** The conversation was started by this notification. */
  created: boolean;
}

export interface NotificationDependencies {
  store: ConversationStore;
  log: ConversationLog;
  dispatcher: ReplyDispatcher;
  connectors: ConnectorRegistry;
  /** Sets values in the dialogs' collected values, in turn order (TurnRunner.rememberValues). */
  rememberValues: (conversationId: string, values: Readonly<Record<string, string>>) => Promise<void>;
  resolveLocale: (requested: string | undefined) => string;
  /** WHATSAPP_PHONE_NUMBER_ID: the sender when `from` is not given. */
  whatsappPhoneNumberId: string | undefined;
  logger: Logger;
  metrics?: Metrics;
}

const CHANNEL_NAMES: Record<NotificationChannel, string> = {
  sms: 'SMS',
  whatsapp: 'WhatsApp',
  messenger: 'Messenger',
  webchat: 'Web chat',
};

/** Where a notification goes: the existing conversation, or the one to create. */
type Target = { conversation: Conversation; create?: undefined } | { conversation: Conversation; create: NewConversation };

/**
 * Business-initiated messages: finds the customer's conversation by channel
 * address (or creates it), checks the channel's rules before anything is
 * recorded (SMS opt-out, Meta's 24-hour window: a WhatsApp template outside
 * it, nothing on Messenger), stores the notification's context for the
 * bot, then sends through the ReplyDispatcher like any bot message.
 */
export class NotificationService {
  constructor(private readonly deps: NotificationDependencies) {}

  async send(notification: Notification, apiKeyId: string): Promise<NotificationResult> {
    const { channel } = notification;
    try {
      const result = await this.sendChecked(notification, apiKeyId);
      this.deps.metrics?.notifications.inc({ channel, outcome: 'sent' });
      this.deps.logger.info(
        { conversationId: result.conversationId, channel, sentAs: result.sentAs, created: result.created, apiKeyId },
        'notification sent',
      );
      return result;
    } catch (error) {
      const outcome = isSwitchboardError(error) && error.status < 500 ? 'refused' : 'failed';
      this.deps.metrics?.notifications.inc({ channel, outcome });
      this.deps.logger.info({ channel, outcome, code: isSwitchboardError(error) ? error.code : 'internal_error', apiKeyId }, 'notification not sent');
      throw error;
    }
  }

  private async sendChecked(notification: Notification, apiKeyId: string): Promise<NotificationResult> {
    if (notification.channel !== 'webchat' && !this.deps.connectors.get(notification.channel)) {
      throw new SwitchboardError(
        'channel_not_configured',
        `${CHANNEL_NAMES[notification.channel]} is not configured on this host, so nothing can be sent there.`,
        409,
      );
    }
    if (notification.template && notification.channel !== 'whatsapp') {
      throw new SwitchboardError('template_not_supported', 'Templates exist on WhatsApp only; send text.', 400);
    }
    const target = await this.target(notification);
    let sentAs = this.howToSend(target.conversation, notification);
    let conversation = target.conversation;
    let created = false;
    if (target.create) {
      const made = await this.deps.store.getOrCreate(target.create);
      conversation = made.conversation;
      created = made.created;
      // Someone wrote meanwhile: their conversation's rules apply.
      if (!created) sentAs = this.howToSend(conversation, notification);
    }
    if (notification.context && Object.keys(notification.context).length > 0) {
      await this.deps.rememberValues(conversation.id, notification.context);
    }
    const contextNote = notification.context
      ? ` Context for the bot: ${Object.entries(notification.context).map(([key, value]) => `${key}=${value}`).join(', ')}.`
      : '';
    await this.deps.log.append(conversation.id, {
      from: 'system',
      text: `Notification from the business's systems (API key ${apiKeyId}), sent as ${sentAs === 'text' ? 'text' : `the WhatsApp template "${notification.template?.name ?? ''}"`}.${contextNote}`,
      at: Date.now(),
      internal: true,
    });
    const entry =
      sentAs === 'template' && notification.template
        ? await this.deps.dispatcher.deliverTemplate(conversation, notification.template, notification.text ?? describeTemplate(notification.template))
        : await this.deps.dispatcher.deliver(conversation, { from: 'bot', text: notification.text ?? '' });
    return { conversationId: conversation.id, messageId: entry.id, channel: notification.channel, sentAs, created };
  }

  /** Free text when the channel allows it now, else a template (WhatsApp); otherwise the channel's own refusal. */
  private howToSend(conversation: Conversation, notification: Notification): 'text' | 'template' {
    if (notification.text === undefined) {
      if (notification.template) return 'template';
      throw new SwitchboardError('invalid_body', 'Send "text", "template" or both.', 400);
    }
    try {
      this.deps.dispatcher.checkSendable(conversation, 'bot');
      return 'text';
    } catch (error) {
      const outside = isSwitchboardError(error) && error.code === 'outside_messaging_window';
      if (outside && notification.template) return 'template';
      if (outside && notification.channel === 'whatsapp') {
        throw new SwitchboardError(
          'outside_messaging_window',
          'The customer has not written in the last 24 hours: WhatsApp accepts only an approved template now. Send "template" (name, language, parameters).',
          409,
        );
      }
      throw error;
    }
  }

  private async target(notification: Notification): Promise<Target> {
    const { channel } = notification;
    if (notification.conversationId !== undefined || channel === 'webchat') {
      const id = notification.conversationId ?? notification.to ?? '';
      const conversation = /^[A-Za-z0-9-]{1,100}$/.test(id) ? await this.deps.store.get(id) : undefined;
      if (!conversation || conversation.channel !== channel) {
        throw notFound('conversation_not_found', `No ${CHANNEL_NAMES[channel]} conversation with that id.`);
      }
      return { conversation };
    }
    const to = notification.to;
    if (!to) throw new SwitchboardError('invalid_body', 'to: the customer is required (or give conversationId).', 400);
    const locale = this.deps.resolveLocale(notification.locale);
    switch (channel) {
      case 'sms': {
        const from = notification.from;
        if (!from) throw new SwitchboardError('invalid_body', 'from: the number to send from is required for SMS.', 400);
        if (!PHONE.test(to.replace(/^whatsapp:/, '')) || !PHONE.test(from.replace(/^whatsapp:/, ''))) {
          throw new SwitchboardError('invalid_body', 'to and from must be E.164 phone numbers, e.g. +14155550123 (or whatsapp:+…).', 400);
        }
        return this.findOrDraft({ channel, conversationKey: `sms:${from}:${to}`, userId: to, address: { to, from }, locale });
      }
      case 'whatsapp': {
        const waId = to.replace(/^\+/, '');
        const phoneNumberId = notification.from ?? this.deps.whatsappPhoneNumberId ?? '';
        if (!/^[1-9]\d{5,14}$/.test(waId)) throw new SwitchboardError('invalid_body', 'to must be a phone number with its country code, e.g. +16505551234.', 400);
        if (!/^\d{1,32}$/.test(phoneNumberId)) throw new SwitchboardError('invalid_body', 'from must be a WhatsApp phone number id (digits).', 400);
        return this.findOrDraft({ channel, conversationKey: `wa:${phoneNumberId}:${waId}`, userId: waId, address: { phoneNumberId, waId }, locale });
      }
      case 'messenger': {
        const pageId = notification.from;
        if (!pageId) throw new SwitchboardError('invalid_body', 'from: the Page id is required for Messenger (or give conversationId).', 400);
        return this.findOrDraft({ channel, conversationKey: `fb:${pageId}:${to}`, userId: to, address: { pageId, psid: to }, locale });
      }
    }
  }

  /** The conversation for this channel key, or a draft of the one to create (checked before it exists). */
  private async findOrDraft(init: NewConversation & { address: ReplyAddress }): Promise<Target> {
    const existing = await this.deps.store.findByKey(init.conversationKey);
    if (existing) return { conversation: existing };
    const now = Date.now();
    const draft: Conversation = { id: '', ...init, status: 'bot', createdAt: now, updatedAt: now };
    return { conversation: draft, create: init };
  }
}

const PHONE = /^\+[1-9]\d{5,14}$/;

function describeTemplate(template: MessageTemplate): string {
  const parameters = template.parameters.length > 0 ? `: ${template.parameters.join(', ')}` : '';
  return `[WhatsApp template ${template.name} (${template.language})${parameters}]`;
}
