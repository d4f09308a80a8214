import { describe, expect, it } from 'vitest';
import { percentile, slope, summarizeLatencies } from '../../../bench/support/stats.ts';

describe('bench statistics', () => {
  it('takes the nearest-rank percentile: the smallest value with at least p% at or below it', () => {
    const sorted = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 51)).toBe(3);
  });

  it('says NaN, not 0, when there is nothing to take a percentile of', () => {
    expect(percentile([], 50)).toBeNaN();
    expect(summarizeLatencies([]).p99).toBeNaN();
  });

  it('summarizes unsorted latencies without reordering them', () => {
    const latencies = [5, 1, 4, 2, 3];
    expect(summarizeLatencies(latencies)).toEqual({ p50: 3, p95: 5, p99: 5, max: 5 });
    expect(latencies).toEqual([5, 1, 4, 2, 3]);
    expect(summarizeLatencies([1.23456], 2)).toEqual({ p50: 1.23, p95: 1.23, p99: 1.23, max: 1.23 });
  });

  it('fits a least-squares slope', () => {
    expect(slope([[0, 1], [1, 3], [2, 5]])).toBeCloseTo(2);
    expect(slope([[0, 10], [60, 10]])).toBe(0);
    expect(slope([[1, 1]])).toBeUndefined();
    expect(slope([[1, 1], [1, 2]])).toBeUndefined();
  });
});
