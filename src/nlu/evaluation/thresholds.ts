import { NO_INTENT, type Classification } from '../intent-classifier.ts';
import { ratio } from './metrics.ts';

/*
 * Choosing the escalation threshold (HANDOFF_THRESHOLD) from a validation set
 * of in-scope and out-of-scope messages. A message is escalated when its
 * in-scope confidence is below the threshold; a confidence of 0 (nothing
 * matched) is always escalated, as the escalation policy does.
 *
 * Two ways to choose:
 *   - `bestAccuracyThreshold`: CLINC150's protocol (Larson et al. 2019): the
 *     threshold with the best accuracy when out-of-scope is its own class
 *     (an in-scope message counts when accepted with the right intent, an
 *     out-of-scope one when escalated);
 *   - `thresholdForEscalationRate`: the highest threshold at which at most
 *     that share of in-scope messages would be escalated unnecessarily.
 */

/** One validation message, classified. */
export interface ScoredExample {
  /** The score compared with the threshold: escalated when below it. */
  confidence: number;
  /** False for an out-of-scope message. */
  inScope: boolean;
  /** In scope and the top intent is the expected one. */
  correct: boolean;
}

export interface ThresholdOutcome {
  threshold: number;
  /** Out-of-scope as its own class: (in-scope accepted and right + out-of-scope escalated) / all. */
  accuracy: number;
  /** In-scope messages accepted with the right intent / in-scope messages. */
  inScopeAccuracy: number;
  /** Out-of-scope messages escalated / out-of-scope messages (null without any). */
  oosRecall: number | null;
  /** In-scope messages escalated (unnecessarily) / in-scope messages. */
  escalationRate: number;
  inScope: number;
  outOfScope: number;
}

/**
 * The score calibration compares with the threshold: `1 − outOfScope` when
 * the classification carries an out-of-scope score in [0, 1] (higher = more
 * likely out of scope), else the top intent's raw score; 0 when the top
 * intent is `None` or one of the bot's out-of-scope intents (the policy
 * escalates those whatever the score).
 */
export function inScopeConfidence(
  classification: Classification,
  outOfScopeIntents: ReadonlySet<string> = new Set(),
): number {
  const { top } = classification;
  if (top.intent === NO_INTENT || outOfScopeIntents.has(top.intent)) return 0;
  const outOfScope = outOfScopeScore(classification);
  return outOfScope === undefined ? top.score : 1 - outOfScope;
}

/** The classifier's optional out-of-scope score, when it gives one. */
export function outOfScopeScore(classification: Classification): number | undefined {
  const value: unknown = (classification as Classification & { outOfScope?: unknown }).outOfScope;
  return typeof value === 'number' && Number.isFinite(value) ? Math.min(1, Math.max(0, value)) : undefined;
}

/** Which score `inScopeConfidence` used, for the calibration file. */
export function confidenceSource(classification: Classification): 'topScore' | 'oneMinusOutOfScope' {
  return outOfScopeScore(classification) === undefined ? 'topScore' : 'oneMinusOutOfScope';
}

const escalatedAt = (confidence: number, threshold: number): boolean => confidence <= 0 || confidence < threshold;

/** What a given threshold does on the examples. */
export function outcomeAt(examples: readonly ScoredExample[], threshold: number): ThresholdOutcome {
  let inScope = 0;
  let outOfScope = 0;
  let acceptedCorrect = 0;
  let inScopeEscalated = 0;
  let oosEscalated = 0;
  for (const example of examples) {
    const escalated = escalatedAt(example.confidence, threshold);
    if (example.inScope) {
      inScope += 1;
      if (escalated) inScopeEscalated += 1;
      else if (example.correct) acceptedCorrect += 1;
    } else {
      outOfScope += 1;
      if (escalated) oosEscalated += 1;
    }
  }
  return {
    threshold,
    accuracy: ratio(acceptedCorrect + oosEscalated, inScope + outOfScope),
    inScopeAccuracy: ratio(acceptedCorrect, inScope),
    oosRecall: outOfScope === 0 ? null : oosEscalated / outOfScope,
    escalationRate: ratio(inScopeEscalated, inScope),
    inScope,
    outOfScope,
  };
}

interface Cut {
  /** Escalated: confidence ≤ `lower` (the open lower end of the threshold's interval). */
  lower: number;
  /** The threshold may be anything in (lower, upper]. */
  upper: number;
  inScopeEscalated: number;
  correctAccepted: number;
  oosEscalated: number;
}

/**
 * Every distinct way a threshold in (0, 1] can split the examples, lowest
 * first: cut j escalates the examples whose confidence is at most the j-th
 * smallest distinct positive confidence.
 */
function cuts(examples: readonly ScoredExample[]): Cut[] {
  const positive = [...new Set(examples.map((e) => e.confidence).filter((c) => c > 0))].sort((a, b) => a - b);
  const bounds = [0, ...positive.filter((c) => c < 1)];
  const result: Cut[] = [];
  for (let j = 0; j < bounds.length; j += 1) {
    const lower = bounds[j] ?? 0;
    const upper = bounds[j + 1] ?? 1;
    let inScopeEscalated = 0;
    let correctAccepted = 0;
    let oosEscalated = 0;
    for (const example of examples) {
      const escalated = example.confidence <= lower;
      if (example.inScope) {
        if (escalated) inScopeEscalated += 1;
        else if (example.correct) correctAccepted += 1;
      } else if (escalated) oosEscalated += 1;
    }
    result.push({ lower, upper, inScopeEscalated, correctAccepted, oosEscalated });
  }
  return result;
}

function requireInScope(examples: readonly ScoredExample[]): void {
  if (!examples.some((e) => e.inScope)) throw new RangeError('calibration needs in-scope examples');
}

/**
 * CLINC150's protocol: the threshold with the best accuracy with
 * out-of-scope as its own class. Among equally good cuts next to each other,
 * the middle one (the most margin on both sides); the threshold is the
 * roundest number in its interval.
 */
export function bestAccuracyThreshold(examples: readonly ScoredExample[]): ThresholdOutcome {
  requireInScope(examples);
  if (!examples.some((e) => !e.inScope)) {
    throw new RangeError('the best-accuracy protocol needs out-of-scope examples too');
  }
  const all = cuts(examples);
  const score = (cut: Cut) => cut.correctAccepted + cut.oosEscalated;
  const best = Math.max(...all.map(score));
  const first = all.findIndex((cut) => score(cut) === best);
  let last = first;
  while (last + 1 < all.length && score(all[last + 1] as Cut) === best) last += 1;
  const chosen = all[Math.floor((first + last) / 2)] as Cut;
  return outcomeAt(examples, roundestIn(chosen.lower, chosen.upper));
}

/**
 * The highest threshold at which at most `rate` of the in-scope examples
 * are escalated (so as many out-of-scope ones as possible are).
 */
export function thresholdForEscalationRate(examples: readonly ScoredExample[], rate: number): ThresholdOutcome {
  requireInScope(examples);
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`the target escalation rate must be in [0, 1), got ${rate}`);
  const inScope = examples.filter((e) => e.inScope).length;
  const allowed = Math.floor(rate * inScope + 1e-9);
  const all = cuts(examples);
  let chosen = all[0] as Cut;
  for (const cut of all) if (cut.inScopeEscalated <= allowed) chosen = cut;
  return outcomeAt(examples, roundestIn(chosen.lower, chosen.upper));
}

/**
 * The number with the fewest decimals in (lower, upper], nearest the middle:
 * 0.42 rather than 0.41873. `upper` itself always qualifies.
 */
export function roundestIn(lower: number, upper: number): number {
  const middle = (lower + upper) / 2;
  for (let decimals = 1; decimals <= 8; decimals += 1) {
    const step = 10 ** -decimals;
    const candidate = Number((Math.round(middle / step) * step).toFixed(decimals));
    if (candidate > lower && candidate <= upper) return candidate;
  }
  return upper;
}
