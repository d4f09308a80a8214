import { z } from 'zod';
import { isObjectRecord } from '../core/object-record.ts';
import type { IntentScore, Sentiment } from './intent-classifier.ts';

/*
 * What NLP.js answers, read into typed values. NLP.js is untyped, so every
 * answer is checked; these are read once or twice per message, so a
 * well-formed answer is checked by hand (the same checks as its schema) and
 * only what that check refuses goes through the schema, which then decides
 * and words the error.
 */

const nluOutputSchema = z.object({
  classifications: z.array(z.object({ intent: z.string(), score: z.number() })),
});

/** NLP.js's NLU manager passes the classifier's own answer on as `nluAnswer` (the linear one adds `outOfScope`). */
const nluAnswerSchema = z.object({ nluAnswer: z.object({ outOfScope: z.number().min(0).max(1).optional() }).optional() });

export const nerOutputSchema = z.object({
  entities: z.array(
    z.object({
      entity: z.string(),
      start: z.number().int().min(0),
      /** Inclusive, in NLP.js. */
      end: z.number().int().min(0),
      sourceText: z.string(),
      /** The canonical value of an enum (`options`) entity. */
      option: z.string().optional(),
    }),
  ),
});

export const sentimentOutputSchema = z.object({
  sentiment: z.object({ score: z.number(), vote: z.enum(['positive', 'negative', 'neutral']) }),
});

/** One entity NLP.js's NER found (its end offset inclusive). */
export type NerEntity = z.output<typeof nerOutputSchema>['entities'][number];

/** `nluManager.process`'s answer: the classifications and, from the linear classifier, its out-of-scope score. */
export function readNluOutput(output: unknown): { classifications: IntentScore[]; outOfScope?: number } {
  const { classifications } = nluOutputSchema.parse(output);
  const outOfScope = nluAnswerSchema.parse(output).nluAnswer?.outOfScope;
  return outOfScope === undefined ? { classifications } : { classifications, outOfScope };
}

/** `ner.process`'s entities. */
export function readNerOutput(output: unknown): NerEntity[] {
  return wellFormedNerEntities(output) ?? nerOutputSchema.parse(output).entities;
}

/** `sentiment.process`'s score and vote. */
export function readSentimentOutput(output: unknown): Sentiment {
  const { sentiment } = wellFormedSentimentOutput(output) ?? sentimentOutputSchema.parse(output);
  return { score: sentiment.score, vote: sentiment.vote };
}

/**
 * The entities, each as the schema outputs it (only its fields), when every
 * one is what the schema accepts; else undefined.
 */
export function wellFormedNerEntities(output: unknown): NerEntity[] | undefined {
  if (!isObjectRecord(output) || !Array.isArray(output.entities)) return undefined;
  const entities: NerEntity[] = [];
  for (const edge of output.entities as unknown[]) {
    if (!isObjectRecord(edge)) return undefined;
    const { entity, start, end, sourceText, option } = edge;
    if (typeof entity !== 'string' || !isOffset(start) || !isOffset(end) || typeof sourceText !== 'string') return undefined;
    if (option === undefined) {
      entities.push({ entity, start, end, sourceText });
    } else if (typeof option === 'string') {
      entities.push({ entity, start, end, sourceText, option });
    } else {
      return undefined;
    }
  }
  return entities;
}

const VOTES: ReadonlySet<string> = new Set(['positive', 'negative', 'neutral']);

/** The sentiment as the schema outputs it when it is what the schema accepts; else undefined. */
export function wellFormedSentimentOutput(output: unknown): { sentiment: Sentiment } | undefined {
  if (!isObjectRecord(output) || !isObjectRecord(output.sentiment)) return undefined;
  const { score, vote } = output.sentiment;
  if (typeof score !== 'number' || !Number.isFinite(score) || typeof vote !== 'string' || !VOTES.has(vote)) return undefined;
  return { sentiment: { score, vote: vote as Sentiment['vote'] } };
}

/** What `z.number().int().min(0)` accepts. */
function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
