import type { Activity, ConversationReference } from 'botbuilder';
import { z } from 'zod';
import type { ReplyAddress } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { Attachment, InboundMessage } from '../../core/messages.ts';
import { countCharacters } from '../../core/text.ts';

/**
 * Bot Framework activities in and out of Switchboard's own types
 * (shared/CHANNELS.md §4 and §5). Only `message` activities become customer
 * messages; everything else is acknowledged and never reaches the bot.
 */

/** A body we can hand to botbuilder's authentication at all: a JSON object with a `type`. */
export function parseActivityBody(body: unknown): Activity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new SwitchboardError('invalid_activity', 'The body must be a Bot Framework activity (a JSON object).');
  }
  const { type } = body as { type?: unknown };
  if (typeof type !== 'string' || type.trim() === '') {
    throw new SwitchboardError('invalid_activity', 'The activity has no type.');
  }
  return body as Activity;
}

const account = z.object({ id: z.string().min(1), name: z.string().optional() });

/** The fields a message activity must carry for us to record it and answer it. */
const messageActivity = z.object({
  id: z.string().min(1),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.object({
    id: z.string().min(1),
    tenantId: z.string().optional(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  from: account,
  recipient: account,
  text: z.string().optional(),
  value: z.unknown().optional(),
  entities: z.unknown().optional(),
  locale: z.string().optional(),
  timestamp: z.union([z.string(), z.date()]).optional(),
  attachments: z
    .array(z.object({ contentType: z.string().min(1), contentUrl: z.string().optional(), name: z.string().optional() }))
    .optional(),
});

/** What we keep of a conversation reference: enough to answer, nothing that changes per message. */
const storedReference = z.object({
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversation: z.object({
    id: z.string().min(1),
    tenantId: z.string().optional(),
    conversationType: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  bot: account,
  user: account.pick({ id: true }),
});

export type StoredReference = z.output<typeof storedReference>;

export type Normalized =
  | { kind: 'message'; message: InboundMessage; address: ReplyAddress }
  | { kind: 'ignored'; reason: string };

/**
 * A message activity as Switchboard's inbound message and its reply address;
 * anything else (conversationUpdate, typing, event, invoke, endOfConversation…)
 * or a message with nothing to read as `ignored`. Call only on an activity
 * botbuilder has authenticated: its serviceUrl becomes where replies go.
 */
export function normalizeActivity(activity: Activity, maxMessageLength: number): Normalized {
  if (activity.type !== 'message') return { kind: 'ignored', reason: `${activity.type} activity` };
  const parsed = messageActivity.safeParse(activity);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
    throw new SwitchboardError('invalid_activity', `${where}${first?.message ?? 'invalid'}`);
  }
  const fields = parsed.data;
  const text = messageText(fields.text, fields.value, fields.entities, fields.recipient.id);
  const attachments = (fields.attachments ?? []).flatMap(toAttachment);
  if (text === '' && attachments.length === 0) return { kind: 'ignored', reason: 'message with nothing to read' };
  const length = countCharacters(text);
  if (length > maxMessageLength) {
    throw new SwitchboardError('text_too_long', `The message is ${length} characters; the limit is ${maxMessageLength}.`);
  }
  const timestamp = fields.timestamp === undefined ? Number.NaN : new Date(fields.timestamp).getTime();
  const reference: StoredReference = {
    channelId: fields.channelId,
    serviceUrl: fields.serviceUrl,
    conversation: fields.conversation,
    bot: fields.recipient.name === undefined ? { id: fields.recipient.id } : { id: fields.recipient.id, name: fields.recipient.name },
    user: { id: fields.from.id },
  };
  return {
    kind: 'message',
    message: {
      channel: 'botframework',
      conversationKey: `bf:${fields.channelId}:${fields.conversation.id}`,
      userId: fields.from.id,
      text,
      attachments,
      // Some channels (Teams) number activities per conversation, so the id is
      // only unique within its conversation: deduplicate on both.
      platformMessageId: `${fields.channelId}:${fields.conversation.id}:${fields.id}`,
      timestamp: Number.isFinite(timestamp) ? timestamp : Date.now(),
      ...(fields.locale ? { locale: fields.locale } : {}),
    },
    address: encodeReference(reference),
  };
}

/**
 * The customer's words: the text without the bot's own @mention (Teams group
 * chats), or, when there is no text, the `value` of a card submit or
 * suggested action: a string as it is, anything else as compact JSON.
 */
function messageText(text: string | undefined, value: unknown, entities: unknown, botId: string): string {
  const trimmed = withoutMention(text ?? '', entities, botId).trim();
  if (trimmed !== '') return trimmed;
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value.trim() : JSON.stringify(value);
}

/**
 * botbuilder's TurnContext.removeRecipientMention, written defensively:
 * Direct Line clients choose their own `entities`, so none of it is trusted.
 */
function withoutMention(text: string, entities: unknown, botId: string): string {
  if (!Array.isArray(entities)) return text;
  for (const entity of entities as unknown[]) {
    if (typeof entity !== 'object' || entity === null) continue;
    const { type, mentioned, text: mentionText } = entity as { type?: unknown; mentioned?: unknown; text?: unknown };
    const mentionedId = typeof mentioned === 'object' && mentioned !== null ? (mentioned as { id?: unknown }).id : undefined;
    if (typeof type === 'string' && type.toLowerCase() === 'mention' && mentionedId === botId && typeof mentionText === 'string' && mentionText !== '') {
      return text.replace(mentionText, '');
    }
  }
  return text;
}

/**
 * Files and media keep their type, name and link. Inline attachments (cards,
 * the HTML copy of the text Teams adds to every message) and data: URLs are
 * not links a person can open, so only their type is kept, and inline ones
 * without a name are dropped.
 */
function toAttachment(attachment: { contentType: string; contentUrl?: string | undefined; name?: string | undefined }): Attachment[] {
  const url = attachment.contentUrl !== undefined && /^https?:\/\//i.test(attachment.contentUrl) ? attachment.contentUrl : undefined;
  if (url === undefined && attachment.name === undefined) return [];
  return [
    {
      contentType: attachment.contentType,
      ...(url === undefined ? {} : { url }),
      ...(attachment.name === undefined ? {} : { name: attachment.name }),
    },
  ];
}

/** Reply addresses hold strings only: the reference travels as one JSON field. */
export function encodeReference(reference: StoredReference): ReplyAddress {
  return { reference: JSON.stringify(reference) };
}

/** The conversation reference stored by `normalizeActivity`; `delivery_failed` when there is none. */
export function decodeReference(address: ReplyAddress): Partial<ConversationReference> {
  const raw = address.reference;
  let parsed: ReturnType<typeof storedReference.safeParse> | undefined;
  try {
    parsed = raw === undefined ? undefined : storedReference.safeParse(JSON.parse(raw));
  } catch {
    parsed = undefined;
  }
  if (!parsed?.success) {
    throw new SwitchboardError('delivery_failed', 'The conversation has no Bot Framework address to reply to.', 502);
  }
  return parsed.data as Partial<ConversationReference>;
}
