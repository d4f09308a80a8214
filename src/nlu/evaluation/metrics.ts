/*
 * The metric math of `switchboard intents test`: per-label precision, recall,
 * F1 and support from (expected, predicted) pairs, accuracy, macro and
 * weighted F1, and the most confused pairs. Pure functions, no I/O.
 */

export interface LabelledPrediction {
  expected: string;
  predicted: string;
  /** Shown as an example of a confusion. */
  text?: string;
}

export interface LabelMetrics {
  label: string;
  /** Of the messages predicted as this label, the share that were it (0 when none were predicted). */
  precision: number;
  /** Of the messages that are this label, the share predicted as it (0 when there are none). */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  /** Messages whose expected label is this one. */
  support: number;
  /** Messages predicted as this label. */
  predicted: number;
}

export interface ConfusedPair {
  expected: string;
  predicted: string;
  count: number;
  /** Up to `examplesPerPair` texts, in input order. */
  examples: string[];
}

export interface ClassificationMetrics {
  /** Every label that was expected or predicted, sorted by name. */
  labels: LabelMetrics[];
  total: number;
  correct: number;
  /** correct / total (0 when there is nothing). */
  accuracy: number;
  /** Mean F1 over the labels with support. */
  macroF1: number;
  /** F1 averaged with each label weighted by its support. */
  weightedF1: number;
  /** Most frequent (expected ≠ predicted) pairs first; ties by name. */
  confusions: ConfusedPair[];
}

export interface MetricsOptions {
  /** How many confused pairs to keep (default: all). */
  maxConfusions?: number;
  /** Example texts kept per confused pair (default 3). */
  examplesPerPair?: number;
}

export function classificationMetrics(
  predictions: readonly LabelledPrediction[],
  options: MetricsOptions = {},
): ClassificationMetrics {
  const examplesPerPair = options.examplesPerPair ?? 3;
  const support = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const truePositives = new Map<string, number>();
  const pairs = new Map<string, ConfusedPair>();
  const increment = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

  let correct = 0;
  for (const { expected, predicted, text } of predictions) {
    increment(support, expected);
    increment(predictedCount, predicted);
    if (expected === predicted) {
      correct += 1;
      increment(truePositives, expected);
      continue;
    }
    const key = JSON.stringify([expected, predicted]);
    let pair = pairs.get(key);
    if (!pair) {
      pair = { expected, predicted, count: 0, examples: [] };
      pairs.set(key, pair);
    }
    pair.count += 1;
    if (text !== undefined && pair.examples.length < examplesPerPair) pair.examples.push(text);
  }

  const names = [...new Set([...support.keys(), ...predictedCount.keys()])].sort(compareNames);
  const labels = names.map((label): LabelMetrics => {
    const tp = truePositives.get(label) ?? 0;
    const labelSupport = support.get(label) ?? 0;
    const labelPredicted = predictedCount.get(label) ?? 0;
    const precision = ratio(tp, labelPredicted);
    const recall = ratio(tp, labelSupport);
    return { label, precision, recall, f1: f1Score(precision, recall), support: labelSupport, predicted: labelPredicted };
  });

  const supported = labels.filter((label) => label.support > 0);
  const total = predictions.length;
  const confusions = [...pairs.values()].sort(
    (a, b) => b.count - a.count || compareNames(a.expected, b.expected) || compareNames(a.predicted, b.predicted),
  );
  return {
    labels,
    total,
    correct,
    accuracy: ratio(correct, total),
    macroF1: supported.length === 0 ? 0 : supported.reduce((sum, label) => sum + label.f1, 0) / supported.length,
    weightedF1: total === 0 ? 0 : supported.reduce((sum, label) => sum + label.f1 * label.support, 0) / total,
    confusions: options.maxConfusions === undefined ? confusions : confusions.slice(0, options.maxConfusions),
  };
}

export function f1Score(precision: number, recall: number): number {
  return precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
}

/** part / whole, 0 when whole is 0. */
export function ratio(part: number, whole: number): number {
  return whole === 0 ? 0 : part / whole;
}

/** Rounds for reports and baselines: 4 decimals are plenty and keep diffs readable. */
export function round4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}

const compareNames = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
