import { DEFAULT_HANDOFF_WORDS, EscalationPolicy } from '../../../../src/handoff/escalation-policy.ts';
import type { CaseResult } from '../../../../src/nlu/evaluation/evaluate.ts';
import type { Classification } from '../../../../src/nlu/intent-classifier.ts';

/** The host's default policy for a bot whose handoff intent is `agent.request`. */
export const policy = (handoffThreshold = 0.35, byLocale: Record<string, number> = {}) =>
  new EscalationPolicy({
    handoffThreshold,
    handoffThresholdByLocale: byLocale,
    negativeSentimentScore: -0.5,
    repeatedFallbackLimit: 2,
    handoffIntents: ['agent.request'],
    outOfScopeIntents: [],
    handoffWords: DEFAULT_HANDOFF_WORDS,
  });

export function classification(
  intent: string,
  score: number,
  options: { sentiment?: number; entities?: Array<[string, string]>; locale?: string } = {},
): Classification {
  const top = { intent, score };
  return {
    locale: options.locale ?? 'en',
    intents: [top],
    top,
    entities: (options.entities ?? []).map(([entity, value]) => ({ entity, value, sourceText: value, start: 0, end: value.length })),
    sentiment: { score: options.sentiment ?? 0, vote: 'neutral' },
  };
}

/** A judged case, for baseline and summary tests. */
export function result(text: string, expected: string, predicted: string, problems: string[] = []): CaseResult {
  return { text, expected, predicted, top: { intent: predicted, score: 0.9 }, entities: {}, problems };
}
