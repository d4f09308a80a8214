/** Small statistics of benchmark samples: percentiles and trends. */

/**
 * Nearest-rank percentile of values sorted ascending: the smallest value
 * with at least p% of the values at or below it. NaN for no values, so an
 * empty sample never reads as a latency of 0.
 */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export interface LatencySummary {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** p50, p95, p99 and max of unsorted values (left as they are), rounded to `decimals`. */
export function summarizeLatencies(values: readonly number[], decimals = 1): LatencySummary {
  const sorted = [...values].sort((a, b) => a - b);
  const scale = 10 ** decimals;
  const round = (value: number): number => Math.round(value * scale) / scale;
  return {
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? Number.NaN),
  };
}

/** Least-squares slope of y over x (per unit of x); undefined for fewer than two points or one x. */
export function slope(points: readonly (readonly [number, number])[]): number | undefined {
  if (points.length < 2) return undefined;
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  const numerator = points.reduce((sum, [x, y]) => sum + (x - meanX) * (y - meanY), 0);
  const denominator = points.reduce((sum, [x]) => sum + (x - meanX) ** 2, 0);
  return denominator === 0 ? undefined : numerator / denominator;
}
