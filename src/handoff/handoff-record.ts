import { z } from 'zod';
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
  if (!isObject(value)) return undefined;
  const { reason, evidence, entities, sentiment, detail, skill, priority, escalatedAt, agentId, assignedAt, releasedAt, releaseNote, csat } = value;
  if (typeof reason !== 'string' || !(ESCALATION_REASONS as readonly string[]).includes(reason)) return undefined;
  if (typeof skill !== 'string' || !isNumber(priority) || !isNumber(escalatedAt)) return undefined;
  const evidenceOut = listOf(evidence, (item) =>
    typeof item.intent === 'string' && isNumber(item.score) ? { intent: item.intent, score: item.score } : undefined,
  );
  if (evidenceOut === undefined) return undefined;
  // Built in the schema's key order, optional keys only when present, as zod outputs it.
  const out: Record<string, unknown> = { reason, evidence: evidenceOut };
  if (entities !== undefined) {
    const entitiesOut = listOf(entities, (item) =>
      typeof item.entity === 'string' && typeof item.value === 'string' ? { entity: item.entity, value: item.value } : undefined,
    );
    if (entitiesOut === undefined) return undefined;
    out.entities = entitiesOut;
  }
  if (sentiment !== undefined) {
    if (!isNumber(sentiment)) return undefined;
    out.sentiment = sentiment;
  }
  if (detail !== undefined) {
    if (typeof detail !== 'string') return undefined;
    out.detail = detail;
  }
  out.skill = skill;
  out.priority = priority;
  out.escalatedAt = escalatedAt;
  if (agentId !== undefined) {
    if (typeof agentId !== 'string') return undefined;
    out.agentId = agentId;
  }
  if (assignedAt !== undefined) {
    if (!isNumber(assignedAt)) return undefined;
    out.assignedAt = assignedAt;
  }
  if (releasedAt !== undefined) {
    if (!isNumber(releasedAt)) return undefined;
    out.releasedAt = releasedAt;
  }
  if (releaseNote !== undefined) {
    if (typeof releaseNote !== 'string') return undefined;
    out.releaseNote = releaseNote;
  }
  if (csat !== undefined) {
    if (!isObject(csat)) return undefined;
    const { rating, at } = csat;
    if (!isNumber(rating) || !Number.isSafeInteger(rating) || rating < 1 || rating > 5 || !isNumber(at)) return undefined;
    out.csat = { rating, at };
  }
  return out as HandoffRecord;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function listOf<T>(value: unknown, item: (entry: Record<string, unknown>) => T | undefined): T[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: T[] = [];
  for (const entry of value as unknown[]) {
    const checked = isObject(entry) ? item(entry) : undefined;
    if (checked === undefined) return undefined;
    out.push(checked);
  }
  return out;
}
