import { describe, expect, it } from 'vitest';
import type { Classification } from '../../../../src/nlu/intent-classifier.ts';
import {
  bestAccuracyThreshold,
  confidenceSource,
  inScopeConfidence,
  outcomeAt,
  roundestIn,
  thresholdForEscalationRate,
  type ScoredExample,
} from '../../../../src/nlu/evaluation/thresholds.ts';

const inScope = (confidence: number, correct = true): ScoredExample => ({ confidence, inScope: true, correct });
const oos = (confidence: number): ScoredExample => ({ confidence, inScope: false, correct: false });

describe('outcomeAt', () => {
  it('escalates below the threshold, and a confidence of 0 always', () => {
    const examples = [inScope(0.9), inScope(0.6, false), inScope(0.3), oos(0.4), oos(0.1), oos(0)];
    expect(outcomeAt(examples, 0.5)).toEqual({
      threshold: 0.5,
      // right and accepted: 0.9; escalated out-of-scope: 0.4, 0.1, 0  → 4 of 6
      accuracy: 4 / 6,
      inScopeAccuracy: 1 / 3,
      oosRecall: 1,
      escalationRate: 1 / 3,
      inScope: 3,
      outOfScope: 3,
    });
    expect(outcomeAt([inScope(0.5), oos(0)], 0).oosRecall).toBe(1);
    expect(outcomeAt([inScope(0.5)], 0.2).oosRecall).toBeNull();
  });
});

describe('bestAccuracyThreshold (CLINC150 protocol)', () => {
  it('picks the threshold with the best accuracy, out of scope as its own class', () => {
    // Separable between 0.4 and 0.7, except one in-scope message at 0.2 that is lost either way.
    const examples = [inScope(0.95), inScope(0.9), inScope(0.7), inScope(0.2), oos(0.4), oos(0.3), oos(0.1)];
    const best = bestAccuracyThreshold(examples);
    expect(best.threshold).toBeGreaterThan(0.4);
    expect(best.threshold).toBeLessThanOrEqual(0.7);
    expect(best.threshold).toBe(0.6); // the roundest number near the middle of (0.4, 0.7]
    expect(best.accuracy).toBeCloseTo(6 / 7, 12);
    expect(best.oosRecall).toBe(1);
  });

  it('does not reward accepting a wrong intent', () => {
    // The in-scope message at 0.8 has the wrong top intent: escalating it costs nothing,
    // so the best cut is anywhere from above 0.5 (the OOS) up to 0.9; the middle of that run is chosen.
    const examples = [inScope(0.9), inScope(0.8, false), oos(0.5)];
    const best = bestAccuracyThreshold(examples);
    expect(best.accuracy).toBe(2 / 3);
    expect(best.threshold).toBeGreaterThan(0.5);
    expect(best.threshold).toBeLessThanOrEqual(0.9);
  });

  it('takes the middle of a run of equally good cuts', () => {
    const examples = [inScope(0.9), inScope(0.8, false), inScope(0.7, false), oos(0.2)];
    // Cuts above 0.2 up to 0.9 are all 2/4; cut intervals (0.2,0.7], (0.7,0.8], (0.8,0.9]: the middle one.
    expect(bestAccuracyThreshold(examples).threshold).toBe(0.8);
  });

  it('needs both in-scope and out-of-scope examples', () => {
    expect(() => bestAccuracyThreshold([inScope(0.5)])).toThrow(/out-of-scope/);
    expect(() => bestAccuracyThreshold([oos(0.5)])).toThrow(/in-scope/);
  });
});

describe('thresholdForEscalationRate', () => {
  const examples = [
    ...[0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95].map((c) => inScope(c)),
    oos(0.05),
    oos(0.15),
    oos(0.25),
    oos(0.45),
  ];

  it('escalates at most that share of in-scope messages, as many out-of-scope ones as it can', () => {
    const at20 = thresholdForEscalationRate(examples, 0.2);
    expect(at20.escalationRate).toBe(0.2); // in scope: 0.1 and 0.2
    // The highest such cut also escalates the out-of-scope 0.25, which costs no in-scope message.
    expect(at20.threshold).toBeGreaterThan(0.25);
    expect(at20.threshold).toBeLessThanOrEqual(0.3);
    expect(at20.oosRecall).toBe(0.75);
  });

  it('escalates none at rate 0, and is exact at the boundary', () => {
    const none = thresholdForEscalationRate(examples, 0);
    expect(none.escalationRate).toBe(0);
    expect(none.oosRecall).toBe(0.25);
    expect(thresholdForEscalationRate(examples, 0.1).escalationRate).toBe(0.1);
    expect(thresholdForEscalationRate(examples, 0.15).escalationRate).toBe(0.1);
  });

  it('never splits equal scores', () => {
    const tied = [inScope(0.3), inScope(0.3), inScope(0.9), inScope(0.9)];
    expect(thresholdForEscalationRate(tied, 0.25).escalationRate).toBe(0);
    expect(thresholdForEscalationRate(tied, 0.5).escalationRate).toBe(0.5);
  });

  it('checks the rate', () => {
    expect(() => thresholdForEscalationRate(examples, 1)).toThrow(RangeError);
    expect(() => thresholdForEscalationRate(examples, -0.1)).toThrow(RangeError);
  });
});

describe('roundestIn', () => {
  it('prefers the fewest decimals inside (lower, upper]', () => {
    expect(roundestIn(0.4, 0.7)).toBe(0.6);
    expect(roundestIn(0.41873, 0.42)).toBe(0.42);
    expect(roundestIn(0.4187, 0.4191)).toBe(0.419);
    expect(roundestIn(0.1, 0.5)).toBe(0.3);
    expect(roundestIn(0.5, 0.500000001)).toBe(0.500000001); // too close for 8 decimals: the upper end
  });
});

describe('inScopeConfidence', () => {
  const nlu = (intent: string, score: number, extra: Record<string, unknown> = {}): Classification => ({
    locale: 'en',
    intents: [{ intent, score }],
    top: { intent, score },
    entities: [],
    sentiment: { score: 0, vote: 'neutral' },
    ...extra,
  });

  it('is the top score, 0 for None and out-of-scope intents', () => {
    expect(inScopeConfidence(nlu('order.status', 0.8))).toBe(0.8);
    expect(inScopeConfidence(nlu('None', 1))).toBe(0);
    expect(inScopeConfidence(nlu('oos', 0.9), new Set(['oos']))).toBe(0);
    expect(confidenceSource(nlu('order.status', 0.8))).toBe('topScore');
  });

  it('uses 1 − outOfScope when the classifier gives one', () => {
    expect(inScopeConfidence(nlu('order.status', 0.8, { outOfScope: 0.25 }))).toBe(0.75);
    expect(confidenceSource(nlu('order.status', 0.8, { outOfScope: 0.25 }))).toBe('oneMinusOutOfScope');
    expect(inScopeConfidence(nlu('order.status', 0.8, { outOfScope: 'high' }))).toBe(0.8);
  });
});
