/*
 * Deterministic stratified K-fold splits for `intents test --cross-validation K`:
 * every item lands in exactly one test fold, and each label's items are spread
 * over the folds as evenly as possible (sizes differ by at most one), so every
 * fold's test set looks like the corpus. The same seed gives the same folds
 * on every machine.
 */

/** mulberry32: a small, fast, seedable PRNG. Returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A Fisher–Yates shuffle of a copy of `items`. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    const a = out[i] as T;
    out[i] = out[j] as T;
    out[j] = a;
  }
  return out;
}

/**
 * Assigns each item a fold in 0..k-1, stratified by `labelOf`. Labels are
 * taken in sorted order and each label's items are shuffled with the seeded
 * PRNG, then dealt round-robin; each label starts dealing where the previous
 * one stopped, so the folds' total sizes also differ by at most one.
 * Returns the fold of each item, index-aligned with `items`.
 */
export function stratifiedFolds<T>(items: readonly T[], labelOf: (item: T) => string, k: number, seed: number): number[] {
  if (!Number.isInteger(k) || k < 2) throw new RangeError(`k must be an integer of at least 2, got ${k}`);
  const byLabel = new Map<string, number[]>();
  items.forEach((item, index) => {
    const label = labelOf(item);
    const indices = byLabel.get(label) ?? [];
    indices.push(index);
    byLabel.set(label, indices);
  });
  const random = seededRandom(seed);
  const folds = new Array<number>(items.length).fill(0);
  let next = 0;
  for (const label of [...byLabel.keys()].sort()) {
    for (const index of shuffled(byLabel.get(label) ?? [], random)) {
      folds[index] = next;
      next = (next + 1) % k;
    }
  }
  return folds;
}
