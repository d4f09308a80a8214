import { describe, expect, it } from 'vitest';
import { seededRandom, shuffled, stratifiedFolds } from '../../../../src/nlu/evaluation/folds.ts';

const items = [
  ...Array.from({ length: 10 }, (_, i) => ({ label: 'a', id: `a${i}` })),
  ...Array.from({ length: 7 }, (_, i) => ({ label: 'b', id: `b${i}` })),
  ...Array.from({ length: 3 }, (_, i) => ({ label: 'c', id: `c${i}` })),
];
const labelOf = (item: { label: string }) => item.label;

describe('stratifiedFolds', () => {
  it('is deterministic for a seed and changes with it', () => {
    const first = stratifiedFolds(items, labelOf, 3, 7);
    expect(stratifiedFolds(items, labelOf, 3, 7)).toEqual(first);
    expect(stratifiedFolds(items, labelOf, 3, 8)).not.toEqual(first);
  });

  it('puts every item in exactly one fold in 0..k-1', () => {
    const folds = stratifiedFolds(items, labelOf, 4, 1);
    expect(folds).toHaveLength(items.length);
    for (const fold of folds) expect(fold >= 0 && fold < 4).toBe(true);
  });

  it('spreads each label over the folds within one item, and the folds too', () => {
    const k = 3;
    const folds = stratifiedFolds(items, labelOf, k, 42);
    for (const label of ['a', 'b', 'c']) {
      const perFold = Array.from({ length: k }, (_, fold) => items.filter((item, i) => item.label === label && folds[i] === fold).length);
      expect(Math.max(...perFold) - Math.min(...perFold), label).toBeLessThanOrEqual(1);
    }
    const sizes = Array.from({ length: k }, (_, fold) => folds.filter((f) => f === fold).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it('refuses fewer than two folds', () => {
    expect(() => stratifiedFolds(items, labelOf, 1, 1)).toThrow(RangeError);
    expect(() => stratifiedFolds(items, labelOf, 2.5, 1)).toThrow(RangeError);
  });
});

describe('seededRandom and shuffled', () => {
  it('repeat for a seed and stay in [0, 1)', () => {
    const a = seededRandom(123);
    const b = seededRandom(123);
    const draws = Array.from({ length: 100 }, () => a());
    expect(Array.from({ length: 100 }, () => b())).toEqual(draws);
    for (const value of draws) expect(value >= 0 && value < 1).toBe(true);
  });

  it('shuffles a copy, keeping every element', () => {
    const input = [1, 2, 3, 4, 5, 6, 7, 8];
    const output = shuffled(input, seededRandom(9));
    expect(input).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...output].sort((x, y) => x - y)).toEqual(input);
    expect(shuffled(input, seededRandom(9))).toEqual(output);
  });
});
