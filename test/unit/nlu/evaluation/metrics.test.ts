import { describe, expect, it } from 'vitest';
import { classificationMetrics, f1Score, ratio, round4 } from '../../../../src/nlu/evaluation/metrics.ts';

const pairs = (...rows: Array<[string, string, string?]>) =>
  rows.map(([expected, predicted, text]) => ({ expected, predicted, ...(text === undefined ? {} : { text }) }));

describe('classificationMetrics', () => {
  // a: 3 expected, 2 right, 1 taken for b.   b: 2 expected, 1 right, 1 taken for None.
  // None: 1 expected, taken for a.           Predicted: a ×3 (2 right), b ×2 (1 right), None ×1 (0 right).
  const predictions = pairs(
    ['a', 'a', 'a1'],
    ['a', 'a', 'a2'],
    ['a', 'b', 'a3'],
    ['b', 'b', 'b1'],
    ['b', 'None', 'b2'],
    ['None', 'a', 'n1'],
  );
  const metrics = classificationMetrics(predictions);
  const label = (name: string) => metrics.labels.find((entry) => entry.label === name);

  it('counts precision, recall, F1, support and predictions per label', () => {
    expect(label('a')).toEqual({ label: 'a', precision: 2 / 3, recall: 2 / 3, f1: 2 / 3, support: 3, predicted: 3 });
    expect(label('b')).toEqual({ label: 'b', precision: 1 / 2, recall: 1 / 2, f1: 1 / 2, support: 2, predicted: 2 });
    expect(label('None')).toEqual({ label: 'None', precision: 0, recall: 0, f1: 0, support: 1, predicted: 1 });
    expect(metrics.labels.map((entry) => entry.label)).toEqual(['None', 'a', 'b']);
  });

  it('gives accuracy, macro F1 over supported labels and support-weighted F1', () => {
    expect(metrics.total).toBe(6);
    expect(metrics.correct).toBe(3);
    expect(metrics.accuracy).toBe(0.5);
    expect(metrics.macroF1).toBeCloseTo((2 / 3 + 1 / 2 + 0) / 3, 12);
    expect(metrics.weightedF1).toBeCloseTo((3 * (2 / 3) + 2 * (1 / 2)) / 6, 12);
  });

  it('lists confused pairs, most frequent first, then by name, with examples', () => {
    const confusions = classificationMetrics(
      pairs(['x', 'y', 't1'], ['x', 'y', 't2'], ['x', 'y', 't3'], ['x', 'y', 't4'], ['b', 'a', 't5'], ['a', 'b', 't6'], ['x', 'x']),
      { examplesPerPair: 2 },
    ).confusions;
    expect(confusions).toEqual([
      { expected: 'x', predicted: 'y', count: 4, examples: ['t1', 't2'] },
      { expected: 'a', predicted: 'b', count: 1, examples: ['t6'] },
      { expected: 'b', predicted: 'a', count: 1, examples: ['t5'] },
    ]);
    expect(classificationMetrics(pairs(['x', 'y'], ['a', 'b']), { maxConfusions: 1 }).confusions).toHaveLength(1);
  });

  it('gives a predicted-only label zero precision and zero support, outside the macro average', () => {
    const only = classificationMetrics(pairs(['a', 'a'], ['a', 'z']));
    expect(only.labels.find((entry) => entry.label === 'z')).toEqual({ label: 'z', precision: 0, recall: 0, f1: 0, support: 0, predicted: 1 });
    expect(only.macroF1).toBeCloseTo(f1Score(1, 0.5), 12);
  });

  it('is all zeros for nothing', () => {
    expect(classificationMetrics([])).toEqual({ labels: [], total: 0, correct: 0, accuracy: 0, macroF1: 0, weightedF1: 0, confusions: [] });
  });
});

describe('helpers', () => {
  it('F1 is the harmonic mean, 0 when both are 0', () => {
    expect(f1Score(1, 1)).toBe(1);
    expect(f1Score(0.5, 1)).toBeCloseTo(2 / 3, 12);
    expect(f1Score(0, 0)).toBe(0);
  });

  it('ratio is 0 over nothing; round4 keeps four decimals', () => {
    expect(ratio(1, 0)).toBe(0);
    expect(ratio(1, 4)).toBe(0.25);
    expect(round4(2 / 3)).toBe(0.6667);
  });
});
