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
