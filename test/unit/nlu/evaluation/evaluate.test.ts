import { describe, expect, it } from 'vitest';
import { actedOnIntent, judge, summarize } from '../../../../src/nlu/evaluation/evaluate.ts';
import { classification, policy } from './evaluation-fixtures.ts';

const settings = { nluThreshold: 0.5, policy: policy() };

describe('actedOnIntent', () => {
  it('is the top intent at or above NLU_THRESHOLD and not escalated as not understood', () => {
    expect(actedOnIntent(classification('help', 0.5), undefined, 0.5)).toBe('help');
    expect(actedOnIntent(classification('help', 0.49), undefined, 0.5)).toBe('None');
    expect(actedOnIntent(classification('help', 0.9), 'low_confidence', 0.5)).toBe('None');
    expect(actedOnIntent(classification('None', 1), undefined, 0.5)).toBe('None');
    // A person is asked for, or the customer is angry: the intent was still understood.
    expect(actedOnIntent(classification('order.cancel', 0.9), 'negative_sentiment', 0.5)).toBe('order.cancel');
  });
});

describe('judge', () => {
  it('passes a case whose intent, escalation and entities are right', () => {
    const judged = judge(
      { suite: 's.json', text: 'where is A1001', intent: 'order.status', escalate: false, entities: { orderNumber: ['A1001'] } },
      classification('order.status', 0.9, { entities: [['orderNumber', 'A1001']] }),
      settings,
    );
    expect(judged).toMatchObject({ suite: 's.json', expected: 'order.status', predicted: 'order.status', problems: [] });
    expect(judged.escalation).toBeUndefined();
  });

  it('says what went wrong: intent, escalation, entities', () => {
    const judged = judge(
      { text: 'cancel A1001 and B2002', intent: 'order.cancel', escalate: false, entities: { orderNumber: ['A1001', 'B2002'], email: [] } },
      classification('order.status', 0.2, { entities: [['orderNumber', 'A1001'], ['email', 'a@b.co']] }),
      settings,
    );
    expect(judged.predicted).toBe('None');
    expect(judged.escalation).toBe('low_confidence');
    expect(judged.problems).toEqual([
      'intent: expected order.cancel, got out of scope (escalated as low_confidence; top order.status 0.20)',
      'escalate: expected the bot to keep it, escalated as low_confidence (top order.status 0.20)',
      'entity orderNumber: expected A1001, B2002, got A1001',
      'entity email: expected none, got a@b.co',
    ]);
  });

  it('explains a score between the two thresholds (the bot asks to rephrase)', () => {
    const judged = judge({ text: 'hmm', intent: 'help', escalate: false }, classification('help', 0.4), settings);
    expect(judged.problems).toEqual(['intent: expected help, got out of scope (top help 0.40 is under NLU_THRESHOLD 0.5: the bot asks to rephrase)']);
  });

  it('expects an out-of-scope case to escalate, and judges escalation by any reason', () => {
    const kept = judge({ text: 'weather?', intent: 'None', escalate: true }, classification('help', 0.95), settings);
    expect(kept.problems).toEqual(['intent: expected out of scope, got help (0.95)', 'escalate: expected a person, the bot kept it (top help 0.95)']);
    const asked = judge({ text: 'get me a human', intent: 'agent.request', escalate: true }, classification('agent.request', 0.9), settings);
    expect(asked.escalation).toBe('customer_request');
    expect(asked.problems).toEqual([]);
  });

  it('uses the locale\'s calibrated threshold through the policy', () => {
    const calibrated = { nluThreshold: 0.5, policy: policy(0.35, { en: 0.8 }) };
    expect(judge({ text: 'x', intent: 'help', escalate: false }, classification('help', 0.7), calibrated).escalation).toBe('low_confidence');
    expect(judge({ text: 'x', intent: 'help', escalate: false }, classification('help', 0.7, { locale: 'es' }), calibrated).escalation).toBeUndefined();
  });

  it('leaves escalation unchecked when the case does not say', () => {
    expect(judge({ text: 'x', intent: 'help' }, classification('help', 0.2), settings).problems).toEqual([
      'intent: expected help, got out of scope (escalated as low_confidence; top help 0.20)',
    ]);
  });
});

describe('summarize', () => {
  it('counts accuracy, top-intent accuracy, escalation and entity cases', () => {
    const cases = [
      judge({ text: 'a', intent: 'help', escalate: false }, classification('help', 0.9), settings),
      judge({ text: 'b', intent: 'help', escalate: false }, classification('help', 0.2), settings),
      judge({ text: 'c', intent: 'None', escalate: true }, classification('None', 0), settings),
      judge({ text: 'd', intent: 'None', escalate: true }, classification('help', 0.9), settings),
      judge({ text: 'e', intent: 'help', entities: { orderNumber: [] } }, classification('help', 0.9), settings),
    ];
    const summary = summarize('en', cases);
    expect(summary.cases).toBe(5);
    expect(summary.metrics.accuracy).toBe(3 / 5);
    expect(summary.topIntentAccuracy).toBe(1); // a, b and e have the right top intent
    expect(summary.escalation).toEqual({
      checked: 4,
      correct: 2,
      accuracy: 0.5,
      outOfScope: 2,
      outOfScopeEscalated: 1,
      shouldStay: 2,
      escalatedUnnecessarily: 1,
    });
    expect(summary.entities).toEqual({ checked: 1, passed: 1 });
    expect(summary.failures.map((failure) => failure.text)).toEqual(['b', 'd']);
  });
});
