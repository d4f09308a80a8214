import type { Conversation } from '../../core/conversation.ts';
import { SwitchboardError, isSwitchboardError } from '../../core/errors.ts';
import type { Author } from '../../core/messages.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationStore } from '../../store/conversation-store.ts';
import type { ChannelConnector } from '../connector.ts';
import { DEFAULT_RETRY, callPlatform, type RetryPolicy } from '../platform-client.ts';
import { measureSms, splitSms } from './sms-encoding.ts';
import { isOptedOut, optedOutError } from './sms-opt-out.ts';
import { statusCallbackUrl } from './twilio-urls.ts';

export interface TwilioConnectorSettings {
  accountSid: string;
  authToken: string;
  /** https://api.twilio.com, or a fake on loopback in tests. */
  apiBaseUrl: string;
  publicBaseUrl: string;
  /** Send through this Messaging Service instead of from the number the customer wrote to. */
  messagingServiceSid: string | undefined;
  store: ConversationStore;
  logger: Logger;
  retry?: RetryPolicy;
}

/**
 * Replies over SMS (and WhatsApp through Twilio) with Twilio's Messages API:
 * one `POST …/Messages.json` per part of at most 1,600 units (GSM-7 or
 * UCS-2, see sms-encoding.ts), Basic auth with the Account SID and Auth
 * Token, each message asking for status callbacks on our status route.
 * Rate limits and outages are retried by `callPlatform`; a refusal is
 * `delivery_failed`. Nothing goes to a customer who opted out.
 */
export class TwilioConnector implements ChannelConnector {
  readonly channel = 'sms' as const;
  private readonly messagesUrl: string;
  private readonly authorization: string;

  constructor(private readonly settings: TwilioConnectorSettings) {
    this.messagesUrl = `${settings.apiBaseUrl}/2010-04-01/Accounts/${encodeURIComponent(settings.accountSid)}/Messages.json`;
    this.authorization = `Basic ${Buffer.from(`${settings.accountSid}:${settings.authToken}`, 'utf8').toString('base64')}`;
  }

  checkSendable(conversation: Conversation, _author: Exclude<Author, 'customer'>): void {
    if (isOptedOut(conversation)) throw optedOutError();
  }

  async send(conversation: Conversation, text: string, author: Exclude<Author, 'customer'>): Promise<void> {
    await (await this.prepareSend(conversation, text, author))();
  }

  async prepareSend(conversation: Conversation, text: string, _author: Exclude<Author, 'customer'>): Promise<() => Promise<void>> {
    // The caller's copy may predate a STOP that arrived during the turn: ask the store.
    const current = (await this.settings.store.get(conversation.id)) ?? conversation;
    if (isOptedOut(current)) throw optedOutError();
    const { to, from } = current.address;
    if (!to || (!from && !this.settings.messagingServiceSid)) {
      throw new SwitchboardError('delivery_failed', 'The conversation has no SMS reply address.', 502);
    }
    return () => this.sendParts(conversation, to, from, text);
  }

  /**
   * Looks the reply up in Twilio's own record of messages (`GET
   * …/Messages.json?To=…`, newest first): `count` messages to this customer
   * with the reply's first part as their body, created since `since` (less 2 s
   * for Twilio's whole-second timestamps and clock skew), mean the send went
   * out before its host died.
   */
  async confirmSent(conversation: Conversation, text: string, since: number, count: number): Promise<boolean> {
    const to = conversation.address.to;
    if (!to) return false;
    const firstPart = splitSms(text)[0] ?? text;
    const query = new URLSearchParams({ To: to, PageSize: '50' });
    const response = await callPlatform(
      {
        url: `${this.messagesUrl}?${query.toString()}`,
        method: 'GET',
        headers: { authorization: this.authorization, accept: 'application/json' },
      },
      this.settings.logger,
      this.settings.retry ?? DEFAULT_RETRY,
    );
    const found = sentMessages(response.json()).filter(
      (message) => message.body === firstPart && (message.createdAt ?? Number.POSITIVE_INFINITY) >= since - 2_000,
    );
    return found.length >= count;
  }

  private async sendParts(conversation: Conversation, to: string, from: string | undefined, text: string): Promise<void> {
    const parts = splitSms(text);
    for (const [index, part] of parts.entries()) {
      const body = new URLSearchParams({ To: to, Body: part, StatusCallback: statusCallbackUrl(this.settings.publicBaseUrl, conversation.id) });
      if (this.settings.messagingServiceSid) body.set('MessagingServiceSid', this.settings.messagingServiceSid);
      else body.set('From', from ?? '');
      let sid: string | undefined;
      try {
        const response = await callPlatform(
          {
            url: this.messagesUrl,
            headers: {
              authorization: this.authorization,
              'content-type': 'application/x-www-form-urlencoded',
              accept: 'application/json',
            },
            body: body.toString(),
          },
          this.settings.logger,
          this.settings.retry ?? DEFAULT_RETRY,
        );
        sid = messageSid(response.body);
      } catch (error) {
        if (!isSwitchboardError(error) || parts.length === 1) throw error;
        throw new SwitchboardError('delivery_failed', `Part ${index + 1} of ${parts.length}: ${error.message}`, error.status, {
          cause: error,
        });
      }
      const { encoding, segments } = measureSms(part);
      this.settings.logger.info(
        { conversationId: conversation.id, channel: 'sms', messageSid: sid, part: index + 1, parts: parts.length, encoding, segments },
        'sms sent',
      );
    }
  }
}

/** The messages of a Messages list page: body and creation time (RFC 2822, as Twilio writes it). */
function sentMessages(page: unknown): { body: string; createdAt: number | undefined }[] {
  const messages = typeof page === 'object' && page !== null ? (page as { messages?: unknown }).messages : undefined;
  if (!Array.isArray(messages)) return [];
  return messages.flatMap((message: unknown) => {
    if (typeof message !== 'object' || message === null) return [];
    const { body, date_created: created } = message as { body?: unknown; date_created?: unknown };
    if (typeof body !== 'string') return [];
    const createdAt = typeof created === 'string' ? Date.parse(created) : Number.NaN;
    return [{ body, createdAt: Number.isNaN(createdAt) ? undefined : createdAt }];
  });
}

/** The `sid` of Twilio's 201 answer, if it is there (only logged: status callbacks carry it). */
function messageSid(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    const sid = typeof parsed === 'object' && parsed !== null ? (parsed as { sid?: unknown }).sid : undefined;
    return typeof sid === 'string' ? sid : undefined;
  } catch {
    return undefined;
  }
}
