import { describe, expect, it } from 'vitest';
import { DEFAULT_HANDOFF_WORDS, DEFAULT_OOS_THRESHOLD, EscalationPolicy } from '../../../src/handoff/escalation-policy.ts';
import type { Classification } from '../../../src/nlu/intent-classifier.ts';

const settings = {
  handoffThreshold: 0.35,
  negativeSentimentScore: -0.5,
  repeatedFallbackLimit: 2,
  handoffIntents: ['agent.request'],
  outOfScopeIntents: ['oos'],
  handoffWords: DEFAULT_HANDOFF_WORDS,
};
const policy = new EscalationPolicy(settings);

function nlu(intent: string, score: number, sentiment = 0): Classification {
  const top = { intent, score };
  return {
    locale: 'en',
    intents: [top, { intent: 'help', score: 1 - score }],
    top,
    entities: [],
    sentiment: { score: sentiment, vote: sentiment < 0 ? 'negative' : 'neutral' },
  };
}

const decide = (classification: Classification, text = 'some words', dialogWaiting = false) =>
  policy.beforeDialogs({ nlu: classification, dialogWaiting }, text)?.reason;

describe('EscalationPolicy', () => {
  it('lets a confident, calm message through', () => {
    expect(decide(nlu('order.status', 0.9, 0.2))).toBeUndefined();
  });

  it('escalates a low top score as low_confidence, with the evidence', () => {
    const escalation = policy.beforeDialogs({ nlu: nlu('order.status', 0.2), dialogWaiting: false }, 'hmm');
    expect(escalation).toEqual({
      reason: 'low_confidence',
      evidence: [
        { intent: 'order.status', score: 0.2 },
        { intent: 'help', score: 0.8 },
      ],
      sentiment: 0,
    });
  });

  it('escalates None, a zero score and an out-of-scope intent as out_of_scope', () => {
    expect(decide(nlu('None', 0))).toBe('out_of_scope');
    expect(decide(nlu('oos', 0.99))).toBe('out_of_scope');
  });

  it('escalates an out-of-scope score at or above the threshold as out_of_scope, whatever the top score', () => {
    const scored = (score: number, outOfScope: number): Classification => ({ ...nlu('order.status', score), outOfScope });
    expect(decide(scored(0.95, DEFAULT_OOS_THRESHOLD))).toBe('out_of_scope');
    expect(decide(scored(0.95, DEFAULT_OOS_THRESHOLD - 0.01))).toBeUndefined();
    expect(decide(scored(0.2, 0.1))).toBe('low_confidence');
    const strict = new EscalationPolicy({ ...settings, outOfScopeThreshold: 0.9 });
    expect(strict.beforeDialogs({ nlu: scored(0.95, 0.5), dialogWaiting: false }, 'x')).toBeUndefined();
    expect(strict.beforeDialogs({ nlu: scored(0.95, 0.9), dialogWaiting: false }, 'x')?.reason).toBe('out_of_scope');
    // An answer to the bot's own question is never out of scope.
    expect(decide(scored(0.4, 0.99), 'A1001', true)).toBeUndefined();
  });

  it('escalates the talk-to-a-person intent and plain words as customer_request', () => {
    expect(decide(nlu('agent.request', 0.9))).toBe('customer_request');
    for (const text of ['agent', 'Human please!', 'a real person', 'representative?', 'OPERATOR']) {
      expect(decide(nlu('greeting', 0.9), text), text).toBe('customer_request');
    }
    for (const text of ['can I talk to a human', 'I want to speak with someone', 'let me chat with a live agent']) {
      expect(decide(nlu('help', 0.9), text), text).toBe('customer_request');
    }
  });

  it('does not mistake other uses of the words for a request', () => {
    for (const text of ['can I pick it up in person', 'is the human size available', 'my agent code is 12']) {
      expect(decide(nlu('order.status', 0.9), text), text).toBeUndefined();
    }
  });

  it('escalates anger as negative_sentiment', () => {
    expect(decide(nlu('order.status', 0.95, -0.75))).toBe('negative_sentiment');
    expect(decide(nlu('order.status', 0.95, -0.4))).toBeUndefined();
  });

  it('while a dialog waits for an answer, only a request for a person or anger escalate', () => {
    expect(decide(nlu('None', 0), 'A1001', true)).toBeUndefined();
    expect(decide(nlu('order.status', 0.1), 'the blue one', true)).toBeUndefined();
    expect(decide(nlu('greeting', 0.2), 'human', true)).toBe('customer_request');
    expect(decide(nlu('None', 0, -1), 'argh', true)).toBe('negative_sentiment');
  });

  it('puts a person first when both apply', () => {
    expect(decide(nlu('agent.request', 0.9, -1))).toBe('customer_request');
  });

  it('counts fallbacks to the limit', () => {
    expect(policy.fallbackLimitReached(1)).toBe(false);
    expect(policy.fallbackLimitReached(2)).toBe(true);
  });
});
