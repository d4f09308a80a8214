import type { ReplyAddress } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { Attachment, InboundMessage } from '../../core/messages.ts';
import { param, type TwilioParams } from './twilio-params.ts';

/** Twilio allows 10 media per message; a larger NumMedia is not believed. */
const MAX_MEDIA = 10;
const SID = /^[A-Za-z]{2}[0-9A-Za-z]{1,62}$/;

export interface InboundSms {
  message: InboundMessage;
  /** Where replies go: to the customer (`From`), from the number they wrote to (`To`). */
  address: ReplyAddress;
}

/**
 * A verified Twilio inbound message (SMS, MMS, or WhatsApp through Twilio,
 * whose addresses are `whatsapp:+…`) as the one inbound message type
 * (shared/CHANNELS.md §5). Twilio sends no timestamp; the receive time is used.
 * Throws `invalid_body` (400) when a required field is missing.
 */
export function toInboundSms(params: TwilioParams, receivedAt: number): InboundSms {
  const messageSid = param(params, 'MessageSid') ?? param(params, 'SmsMessageSid') ?? param(params, 'SmsSid');
  const from = param(params, 'From');
  const to = param(params, 'To');
  if (!messageSid || !SID.test(messageSid)) throw invalid('MessageSid is missing or malformed.');
  if (!from) throw invalid('From is missing.');
  if (!to) throw invalid('To is missing.');
  return {
    message: {
      channel: 'sms',
      conversationKey: `sms:${to}:${from}`,
      userId: from,
      text: param(params, 'Body') ?? '',
      attachments: attachments(params),
      platformMessageId: messageSid,
      timestamp: receivedAt,
    },
    address: { to: from, from: to },
  };
}

function attachments(params: TwilioParams): Attachment[] {
  const count = Math.min(Number.parseInt(param(params, 'NumMedia') ?? '0', 10) || 0, MAX_MEDIA);
  const found: Attachment[] = [];
  for (let index = 0; index < count; index += 1) {
    const url = param(params, `MediaUrl${index}`);
    if (!url) continue;
    found.push({ contentType: param(params, `MediaContentType${index}`) ?? 'application/octet-stream', url });
  }
  return found;
}

const invalid = (message: string): SwitchboardError => new SwitchboardError('invalid_body', message, 400);
