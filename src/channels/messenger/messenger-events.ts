import { z } from 'zod';
import type { Attachment } from '../../core/messages.ts';
import { IgnoredEvents } from '../meta/meta-channel-support.ts';
import { isObjectRecord } from '../../core/object-record.ts';
import type { InboundItem } from '../meta/receive-batch.ts';

const participant = z.object({ id: z.string().min(1) });
const attachmentSchema = z.object({
  type: z.string().min(1),
  title: z.string().optional(),
  payload: z.object({ url: z.string().optional() }).nullish(),
});
const messageSchema = z.object({
  mid: z.string().min(1),
  text: z.string().optional(),
  quick_reply: z.object({ payload: z.string() }).optional(),
  attachments: z.array(attachmentSchema).optional(),
});
const postbackSchema = z.object({
  mid: z.string().optional(),
  title: z.string().optional(),
  payload: z.string().optional(),
});
const eventSchema = z.object({
  sender: participant,
  recipient: participant,
  timestamp: z.number().int().nonnegative(),
  message: messageSchema.optional(),
  postback: postbackSchema.optional(),
});

/** Messaging events that are recorded (a log line) and never reach the bot. */
const NOT_FOR_THE_BOT = [
  'delivery',
  'read',
  'reaction',
  'optin',
  'referral',
  'account_linking',
  'policy_enforcement',
  'pass_thread_control',
  'take_thread_control',
  'request_thread_control',
  'app_roles',
  'game_play',
  'message_edit',
] as const;

/**
 * Turns the `entry[]` of a Messenger webhook into customer messages
 * (shared/CHANNELS.md §2 and §5): every entry, every `messaging[]` event.
 * Echoes of our own sends, delivery and read receipts, reactions, `standby`
 * (another app has the thread) and anything malformed are only counted.
 */
export function parseMessengerEntries(entries: unknown[]): { items: InboundItem[]; ignored: IgnoredEvents } {
  const items: InboundItem[] = [];
  const ignored = new IgnoredEvents();
  for (const entry of entries) {
    if (!isObjectRecord(entry)) {
      ignored.add('malformed');
      continue;
    }
    if (Array.isArray(entry.standby)) for (const _event of entry.standby) ignored.add('standby');
    if (!Array.isArray(entry.messaging)) continue;
    for (const event of entry.messaging) {
      const item = toItem(event, ignored);
      if (item) items.push(item);
    }
  }
  return { items, ignored };
}

function toItem(raw: unknown, ignored: IgnoredEvents): InboundItem | undefined {
  if (!isObjectRecord(raw)) {
    ignored.add('malformed');
    return undefined;
  }
  if (isObjectRecord(raw.message) && raw.message.is_echo === true) {
    ignored.add('echo');
    return undefined;
  }
  if (raw.message === undefined && raw.postback === undefined) {
    ignored.add(NOT_FOR_THE_BOT.find((kind) => kind in raw) ?? 'other');
    return undefined;
  }
  const parsed = eventSchema.safeParse(raw);
  if (!parsed.success) {
    ignored.add('malformed');
    return undefined;
  }
  const { sender, recipient, timestamp, message, postback } = parsed.data;
  let text: string;
  let attachments: Attachment[] = [];
  let platformMessageId: string;
  if (message) {
    attachments = (message.attachments ?? []).map(toAttachment);
    text = message.text ?? message.quick_reply?.payload ?? '';
    platformMessageId = message.mid;
  } else if (postback) {
    // A tapped button: routed like text (its payload, or its title when it has none).
    text = postback.payload ?? postback.title ?? '';
    platformMessageId = postback.mid ?? `postback:${sender.id}:${timestamp}`;
  } else {
    return undefined;
  }
  if (text.trim() === '' && attachments.length === 0) {
    ignored.add('empty');
    return undefined;
  }
  return {
    message: {
      channel: 'messenger',
      conversationKey: `fb:${recipient.id}:${sender.id}`,
      userId: sender.id,
      text,
      attachments,
      platformMessageId,
      timestamp,
    },
    address: { pageId: recipient.id, psid: sender.id },
  };
}

function toAttachment(attachment: z.output<typeof attachmentSchema>): Attachment {
  const url = attachment.payload?.url;
  return {
    contentType: attachment.type,
    ...(url ? { url } : {}),
    ...(attachment.title ? { name: attachment.title } : {}),
  };
}
