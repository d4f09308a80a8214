import { z } from 'zod';
import type { Conversation, ConversationStatus } from '../core/conversation.ts';
import type { ChannelName } from '../core/messages.ts';
import { handoffRecordSchema, type HandoffRecord } from '../handoff/handoff-record.ts';

/**
 * A conversation record as the fields of a Redis hash: strings only, the
 * address as JSON, timestamps as decimal strings. A hash (not one JSON
 * string) so a patch or a transcript append changes single fields inside a
 * script without Lua decoding and re-encoding the whole record.
 */

// Records, not arrays, so that adding a channel or a status to the union
// fails to compile here until the parser knows it too.
const CHANNELS: Record<ChannelName, true> = {
  webchat: true,
  sms: true,
  messenger: true,
  whatsapp: true,
  botframework: true,
};
const STATUSES: Record<ConversationStatus, true> = {
  bot: true,
  queued: true,
  assigned: true,
  closed: true,
};

// Written with String(number), so Number() reads back exactly what was
// stored; z.number() refuses the NaN a corrupted field would give.
const timestamp = z.string().min(1).transform(Number).pipe(z.number());

const addressJson = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'address is not JSON' });
    return z.NEVER;
  }
}).pipe(z.record(z.string(), z.string()));

const handoffJson = z.string().transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: 'custom', message: 'handoff is not JSON' });
    return z.NEVER;
  }
}).pipe(handoffRecordSchema);

const hashSchema = z.object({
  id: z.string().min(1),
  channel: z.enum(Object.keys(CHANNELS) as [ChannelName, ...ChannelName[]]),
  conversationKey: z.string(),
  userId: z.string(),
  address: addressJson,
  status: z.enum(Object.keys(STATUSES) as [ConversationStatus, ...ConversationStatus[]]),
  locale: z.string(),
  createdAt: timestamp,
  updatedAt: timestamp,
  lastCustomerMessageAt: timestamp.optional(),
  handoff: handoffJson.optional(),
});

/**
 * The conversation in a hash, or undefined for an empty hash (no record).
 * A malformed record is a bug or a foreign writer, and throws.
 */
export function conversationFromHash(hash: Record<string, string>): Conversation | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  const parsed = hashSchema.safeParse(hash);
  if (!parsed.success) {
    throw new Error(`Malformed conversation record in Redis: ${parsed.error.message}`);
  }
  const { lastCustomerMessageAt, handoff, ...rest } = parsed.data;
  return {
    ...rest,
    ...(lastCustomerMessageAt === undefined ? {} : { lastCustomerMessageAt }),
    ...(handoff === undefined ? {} : { handoff }),
  };
}

/** The hash fields a patch sets (undefined members of the patch are left alone). */
export function patchToHashFields(patch: {
  status?: ConversationStatus | undefined;
  locale?: string | undefined;
  address?: Readonly<Record<string, string>> | undefined;
  lastCustomerMessageAt?: number | undefined;
  handoff?: HandoffRecord | undefined;
}): Map<string, string> {
  const fields = new Map<string, string>();
  if (patch.status !== undefined) fields.set('status', patch.status);
  if (patch.locale !== undefined) fields.set('locale', patch.locale);
  if (patch.address !== undefined) fields.set('address', JSON.stringify(patch.address));
  if (patch.lastCustomerMessageAt !== undefined) {
    fields.set('lastCustomerMessageAt', String(patch.lastCustomerMessageAt));
  }
  if (patch.handoff !== undefined) fields.set('handoff', JSON.stringify(patch.handoff));
  return fields;
}
