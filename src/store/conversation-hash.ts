import { z } from 'zod';
import type { Conversation, ConversationStatus } from '../core/conversation.ts';
import type { ChannelName } from '../core/messages.ts';
import { isObjectRecord } from '../core/object-record.ts';
import { handoffRecordSchema, wellFormedHandoffRecord, type HandoffRecord } from '../handoff/handoff-record.ts';

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
 *
 * A record is read several times per message, so a well-formed one is
 * checked by hand (`wellFormedConversation`, field for field what the schema
 * checks); whatever that check does not accept goes through the schema,
 * which decides and words the error.
 */
export function conversationFromHash(hash: Record<string, string>): Conversation | undefined {
  if (Object.keys(hash).length === 0) return undefined;
  return wellFormedConversation(hash) ?? conversationFromHashBySchema(hash);
}

/** The schema's reading of a non-empty hash: the reference `conversationFromHash` agrees with. */
export function conversationFromHashBySchema(hash: Record<string, string>): Conversation {
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

/**
 * The conversation when every field is exactly what `hashSchema` accepts
 * (same output, same key order), else undefined: a strict subset of the
 * schema, so a record it refuses is never one the schema would take
 * differently, only one the schema is asked about.
 */
export function wellFormedConversation(hash: Record<string, string>): Conversation | undefined {
  const { id, channel, conversationKey, userId, status, locale } = hash;
  if (typeof id !== 'string' || id.length === 0) return undefined;
  if (typeof channel !== 'string' || !Object.hasOwn(CHANNELS, channel)) return undefined;
  if (typeof conversationKey !== 'string' || typeof userId !== 'string') return undefined;
  if (typeof status !== 'string' || !Object.hasOwn(STATUSES, status)) return undefined;
  if (typeof locale !== 'string') return undefined;
  const address = stringRecordJson(hash.address);
  const createdAt = timestampOf(hash.createdAt);
  const updatedAt = timestampOf(hash.updatedAt);
  if (address === undefined || createdAt === undefined || updatedAt === undefined) return undefined;
  const conversation: Conversation = {
    id,
    channel: channel as ChannelName,
    conversationKey,
    userId,
    address,
    status: status as ConversationStatus,
    locale,
    createdAt,
    updatedAt,
  };
  if (hash.lastCustomerMessageAt !== undefined) {
    const lastCustomerMessageAt = timestampOf(hash.lastCustomerMessageAt);
    if (lastCustomerMessageAt === undefined) return undefined;
    conversation.lastCustomerMessageAt = lastCustomerMessageAt;
  }
  if (hash.handoff !== undefined) {
    const handoff = typeof hash.handoff === 'string' ? wellFormedHandoffRecord(parseJson(hash.handoff)) : undefined;
    if (handoff === undefined) return undefined;
    conversation.handoff = handoff;
  }
  return conversation;
}

function timestampOf(field: unknown): number | undefined {
  if (typeof field !== 'string' || field.length === 0) return undefined;
  const value = Number(field);
  return Number.isFinite(value) ? value : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A JSON object of strings, as `z.record(z.string(), z.string())` reads it (which drops a `__proto__` key: left to it). */
function stringRecordJson(field: unknown): Record<string, string> | undefined {
  if (typeof field !== 'string') return undefined;
  const value = parseJson(field);
  if (!isObjectRecord(value)) return undefined;
  if (Object.hasOwn(value, '__proto__')) return undefined;
  for (const entry of Object.values(value)) {
    if (typeof entry !== 'string') return undefined;
  }
  return value as Record<string, string>;
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
