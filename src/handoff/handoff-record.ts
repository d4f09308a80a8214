import { z } from 'zod';
import { isObjectRecord } from '../core/object-record.ts';
import { ESCALATION_REASONS } from './escalation-reason.ts';

/**
 * What is known about a conversation's latest trip to a person: why it went
 * (with the NLU evidence), where, who took it and how it came back. Stored on
 * the conversation record, so it is validated when read back.
 */
export const handoffRecordSchema = z.object({
  reason: z.enum(ESCALATION_REASONS),
  /** The top intents and their raw scores for the message that escalated. */
  evidence: z.array(z.object({ intent: z.string(), score: z.number() })),
  /** The entities of that message (an order number, a phone number to call back…). */
  entities: z.array(z.object({ entity: z.string(), value: z.string() })).optional(),
  sentiment: z.number().optional(),
  /** Why a dialog asked for a person (dialog_request), in its own words. */
  detail: z.string().optional(),
  skill: z.string(),
  priority: z.number(),
  escalatedAt: z.number(),
  agentId: z.string().optional(),
  assignedAt: z.number().optional(),
  releasedAt: z.number().optional(),
  /** The agent's note on release. */
  releaseNote: z.string().optional(),
  /** The customer's 1–5 satisfaction rating, asked for after the release. */
  csat: z.object({ rating: z.number().int().min(1).max(5), at: z.number() }).optional(),
});

export type HandoffRecord = z.output<typeof handoffRecordSchema>;

/**
 * `value` as `handoffRecordSchema` would output it, when it is exactly what
 * the schema accepts, else undefined (then ask the schema, which words the
 * error). The conversation record carries this on every read, so the common
 * case is checked by hand: keep the two in step (test/unit/store/conversation-hash.test.ts).
 */
export function wellFormedHandoffRecord(value: unknown): HandoffRecord | undefined {
  if (!isObjectRecord(value)) return undefined;
  // Built in the schema's key order, optional keys only when present, as zod outputs it.
  const out: Record<string, unknown> = {};
  for (const [key, required, read] of HANDOFF_FIELDS) {
    const field = value[key];
    if (field === undefined) {
      if (required) return undefined;
      continue;
    }
    const checked = read(field);
    if (checked === undefined) return undefined;
    out[key] = checked;
  }
  return out as HandoffRecord;
}

/** A field's value as the schema outputs it, or undefined when the schema would not take it as is. */
type FieldReader = (value: unknown) => unknown;

const text: FieldReader = (value) => (typeof value === 'string' ? value : undefined);
const finite: FieldReader = (value) => (isNumber(value) ? value : undefined);

/** Each field of `handoffRecordSchema`, in its order: whether it is required, and its reader. */
const HANDOFF_FIELDS: ReadonlyArray<readonly [keyof HandoffRecord, boolean, FieldReader]> = [
  ['reason', true, (value) => (typeof value === 'string' && (ESCALATION_REASONS as readonly string[]).includes(value) ? value : undefined)],
  [
    'evidence',
    true,
    (value) => listOf(value, (item) => (typeof item.intent === 'string' && isNumber(item.score) ? { intent: item.intent, score: item.score } : undefined)),
  ],
  [
    'entities',
    false,
    (value) =>
      listOf(value, (item) => (typeof item.entity === 'string' && typeof item.value === 'string' ? { entity: item.entity, value: item.value } : undefined)),
  ],
  ['sentiment', false, finite],
  ['detail', false, text],
  ['skill', true, text],
  ['priority', true, finite],
  ['escalatedAt', true, finite],
  ['agentId', false, text],
  ['assignedAt', false, finite],
  ['releasedAt', false, finite],
  ['releaseNote', false, text],
  [
    'csat',
    false,
    (value) => {
      if (!isObjectRecord(value)) return undefined;
      const { rating, at } = value;
      return isNumber(rating) && Number.isSafeInteger(rating) && rating >= 1 && rating <= 5 && isNumber(at) ? { rating, at } : undefined;
    },
  ],
];

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function listOf<T>(value: unknown, item: (entry: Record<string, unknown>) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const entry of value as unknown[]) {
    const checked = isObjectRecord(entry) ? item(entry) : undefined;
    if (checked === undefined) return undefined;
    out.push(checked);
  }
  return out;
}
