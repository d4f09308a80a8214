import { z } from 'zod';
import type { Attachment } from '../../core/messages.ts';
import { IgnoredEvents } from '../meta/meta-channel-support.ts';
import { isObjectRecord } from '../../core/object-record.ts';
import type { InboundItem } from '../meta/receive-batch.ts';

const MEDIA_TYPES = ['image', 'audio', 'video', 'document', 'sticker'] as const;
/** Message types that are not something the customer said to us. */
const NOT_FOR_THE_BOT = new Set(['reaction', 'system', 'request_welcome', 'ephemeral']);

const media = z.object({
  id: z.string().min(1),
  mime_type: z.string().optional(),
  caption: z.string().optional(),
  filename: z.string().optional(),
});
const reply = z.object({ id: z.string().optional(), title: z.string() });
const messageSchema = z.object({
  from: z.string().min(1),
  id: z.string().min(1),
  timestamp: z.union([z.string().regex(/^\d+$/), z.number().int().nonnegative()]),
  type: z.string().min(1),
  text: z.object({ body: z.string() }).optional(),
  interactive: z
    .object({ type: z.string(), button_reply: reply.optional(), list_reply: reply.optional() })
    .optional(),
  button: z.object({ text: z.string(), payload: z.string().optional() }).optional(),
  location: z
    .object({ latitude: z.number(), longitude: z.number(), name: z.string().optional(), address: z.string().optional() })
    .optional(),
  image: media.optional(),
  audio: media.optional(),
  video: media.optional(),
  document: media.optional(),
  sticker: media.optional(),
});
const valueSchema = z.object({
  metadata: z.object({ phone_number_id: z.string().min(1) }),
  messages: z.array(z.unknown()).optional(),
  statuses: z.array(z.unknown()).optional(),
  errors: z.array(z.unknown()).optional(),
});
const statusSchema = z.object({
  id: z.string().min(1),
  status: z.string().min(1),
  recipient_id: z.string().optional(),
  errors: z.array(z.object({ code: z.number().optional(), title: z.string().optional() })).optional(),
});

/** A delivery status of one of our messages (sent, delivered, read, failed). */
export interface WhatsAppStatus {
  messageId: string;
  status: string;
  phoneNumberId: string;
  recipientId: string | undefined;
  errors: { code?: number | undefined; title?: string | undefined }[];
}

/**
 * Turns the `entry[]` of a WhatsApp Cloud API webhook into customer messages
 * (shared/CHANNELS.md §3 and §5): every entry, every change, every message.
 * Statuses are returned apart (recorded, never sent to the bot); errors,
 * other fields, reactions and malformed messages are only counted.
 */
export function parseWhatsAppEntries(entries: unknown[]): {
  items: InboundItem[];
  statuses: WhatsAppStatus[];
  ignored: IgnoredEvents;
} {
  const items: InboundItem[] = [];
  const statuses: WhatsAppStatus[] = [];
  const ignored = new IgnoredEvents();
  for (const entry of entries) {
    if (!isObjectRecord(entry) || !Array.isArray(entry.changes)) {
      ignored.add('malformed');
      continue;
    }
    for (const change of entry.changes) {
      if (!isObjectRecord(change)) {
        ignored.add('malformed');
        continue;
      }
      if (change.field !== 'messages') {
        ignored.add(`field:${typeof change.field === 'string' ? change.field.slice(0, 40) : 'unknown'}`);
        continue;
      }
      const value = valueSchema.safeParse(change.value);
      if (!value.success) {
        ignored.add('malformed');
        continue;
      }
      const phoneNumberId = value.data.metadata.phone_number_id;
      for (const _error of value.data.errors ?? []) ignored.add('error');
      for (const raw of value.data.statuses ?? []) {
        const status = statusSchema.safeParse(raw);
        if (!status.success) {
          ignored.add('malformed');
          continue;
        }
        statuses.push({
          messageId: status.data.id,
          status: status.data.status,
          phoneNumberId,
          recipientId: status.data.recipient_id,
          errors: status.data.errors ?? [],
        });
      }
      for (const raw of value.data.messages ?? []) {
        const item = toItem(raw, phoneNumberId, ignored);
        if (item) items.push(item);
      }
    }
  }
  return { items, statuses, ignored };
}

function toItem(raw: unknown, phoneNumberId: string, ignored: IgnoredEvents): InboundItem | undefined {
  const parsed = messageSchema.safeParse(raw);
  if (!parsed.success) {
    ignored.add('malformed');
    return undefined;
  }
  const message = parsed.data;
  if (NOT_FOR_THE_BOT.has(message.type)) {
    ignored.add(message.type);
    return undefined;
  }
  const content = contentOf(message);
  if (content.text.trim() === '' && content.attachments.length === 0) {
    ignored.add('empty');
    return undefined;
  }
  return {
    message: {
      channel: 'whatsapp',
      conversationKey: `wa:${phoneNumberId}:${message.from}`,
      userId: message.from,
      text: content.text,
      attachments: content.attachments,
      platformMessageId: message.id,
      timestamp: Number(message.timestamp) * 1000,
    },
    address: { phoneNumberId, waId: message.from },
  };
}

function contentOf(message: z.output<typeof messageSchema>): { text: string; attachments: Attachment[] } {
  switch (message.type) {
    case 'text':
      return { text: message.text?.body ?? '', attachments: [] };
    case 'interactive': {
      // A tapped reply button or list row: routed like text, by its title.
      const chosen = message.interactive?.button_reply ?? message.interactive?.list_reply;
      return { text: chosen?.title ?? '', attachments: [] };
    }
    case 'button':
      return { text: message.button?.text ?? '', attachments: [] };
    case 'location': {
      const place = message.location;
      const where = place ? [place.name, place.address, `${place.latitude},${place.longitude}`].filter(Boolean).join(', ') : '';
      return { text: '', attachments: [{ contentType: 'location', ...(where ? { name: where } : {}) }] };
    }
    default: {
      const kind = MEDIA_TYPES.find((type) => type === message.type);
      const item = kind ? message[kind] : undefined;
      if (item) {
        // The agent sees the media id and type; downloading needs the Graph API media endpoint.
        const attachment: Attachment = {
          contentType: item.mime_type ?? message.type,
          mediaId: item.id,
          ...(item.filename ? { name: item.filename } : {}),
        };
        return { text: item.caption ?? '', attachments: [attachment] };
      }
      // contacts, order, unsupported…: something the bot cannot read, shown to agents by its type.
      return { text: '', attachments: [{ contentType: message.type }] };
    }
  }
}
