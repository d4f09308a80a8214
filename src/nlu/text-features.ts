/*
 * The features of the linear intent classifier (linear-model.ts): hashed
 * counts of word 1..n-grams over the language's stems and of character
 * n-grams inside each token, computed from what NLP.js's language pipeline
 * (normalizer, tokenizer, stemmer) makes of an utterance. Plain TypeScript:
 * NLP.js itself is only touched in nlpjs-runtime.ts.
 */

/** One utterance as NLP.js's language pipeline sees it. */
export interface TextAnalysis {
  /** The tokens of the normalised text (lower case, no diacritics), in order. */
  tokens: readonly string[];
  /** The language's stem of each token, in the same order. */
  stems: readonly string[];
}

export interface FeatureSettings {
  /** Terms are hashed into 2^hashBits buckets per block. */
  hashBits: number;
  /** Word n-grams from 1 to this (over stems, with sentence-boundary markers from 2 up). */
  wordNgramMax: number;
  /** Character n-grams from `charNgramMin` to `charNgramMax`, within each token padded with spaces. */
  charNgramMin: number;
  charNgramMax: number;
}

/** Hashed terms and how often each occurs, in order of first appearance. */
export interface TermBag {
  buckets: Int32Array;
  counts: Int32Array;
}

/** The terms of one utterance, one bag per block (words, characters). */
export interface TermCounts {
  words: TermBag;
  chars: TermBag;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/** Seeds that keep unigrams, bigrams, … and character n-grams apart in the hash space. */
const WORD_SEED = 0x9e3779b9;
const CHAR_SEED = 0x85ebca6b;
const BOUNDARY_START = '\u0002';
const BOUNDARY_END = '\u0003';

/** FNV-1a over UTF-16 code units, continued from `hash`. */
function fnv(hash: number, text: string): number {
  let h = hash;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, FNV_PRIME);
  }
  return h;
}

/**
 * Counts buckets in an open-addressing table (a Map's job, without its
 * allocations: this runs for every message), remembering first appearances.
 */
class BagBuilder {
  private slots = new Int32Array(256).fill(-1);
  private slotCounts = new Int32Array(256);
  private order = new Int32Array(128);
  private size = 0;

  add(bucket: number): void {
    if (this.size * 2 >= this.slots.length) this.grow();
    const slot = this.find(bucket);
    if (this.slots[slot] === -1) {
      this.slots[slot] = bucket;
      this.order[this.size] = slot;
      this.size += 1;
    }
    this.slotCounts[slot] = (this.slotCounts[slot] ?? 0) + 1;
  }

  /** The bag, and the builder emptied for the next utterance. */
  take(): TermBag {
    const buckets = new Int32Array(this.size);
    const counts = new Int32Array(this.size);
    for (let i = 0; i < this.size; i += 1) {
      const slot = this.order[i] ?? 0;
      buckets[i] = this.slots[slot] ?? 0;
      counts[i] = this.slotCounts[slot] ?? 0;
      this.slots[slot] = -1;
      this.slotCounts[slot] = 0;
    }
    this.size = 0;
    return { buckets, counts };
  }

  private find(bucket: number): number {
    const mask = this.slots.length - 1;
    let slot = Math.imul(bucket, 0x9e3779b1) >>> 0 & mask;
    while (this.slots[slot] !== -1 && this.slots[slot] !== bucket) slot = (slot + 1) & mask;
    return slot;
  }

  private grow(): void {
    const old = { slots: this.slots, counts: this.slotCounts, order: this.order.subarray(0, this.size) };
    this.slots = new Int32Array(old.slots.length * 2).fill(-1);
    this.slotCounts = new Int32Array(old.slots.length * 2);
    this.order = new Int32Array(old.slots.length);
    const size = this.size;
    for (let i = 0; i < size; i += 1) {
      const from = old.order[i] ?? 0;
      const bucket = old.slots[from] ?? 0;
      const slot = this.find(bucket);
      this.slots[slot] = bucket;
      this.slotCounts[slot] = old.counts[from] ?? 0;
      this.order[i] = slot;
    }
  }
}

// Scratch tables: countTerms is synchronous, so one pair serves every call.
const wordBag = new BagBuilder();
const charBag = new BagBuilder();

/** The hashed word and character n-gram counts of one analysed utterance. Deterministic. */
export function countTerms(analysis: TextAnalysis, settings: FeatureSettings): TermCounts {
  const mask = 2 ** settings.hashBits - 1;
  const stems = analysis.stems.filter((stem) => stem.length > 0);
  for (const stem of stems) wordBag.add((fnv(fnv(FNV_OFFSET ^ WORD_SEED, '1'), stem) >>> 0) & mask);
  if (settings.wordNgramMax >= 2) {
    const sequence = [BOUNDARY_START, ...stems, BOUNDARY_END];
    for (let n = 2; n <= settings.wordNgramMax; n += 1) {
      for (let start = 0; start + n <= sequence.length; start += 1) {
        let hash = fnv(FNV_OFFSET ^ WORD_SEED, String(n));
        for (let i = start; i < start + n; i += 1) hash = fnv(fnv(hash, ' '), sequence[i] ?? '');
        wordBag.add((hash >>> 0) & mask);
      }
    }
  }

  const { charNgramMin: min, charNgramMax: max } = settings;
  for (const token of analysis.tokens) {
    if (token.length === 0) continue;
    const padded = ` ${token} `;
    for (let start = 0; start + min <= padded.length; start += 1) {
      // One pass per start position: the hash of the n-gram grows by one character at a time.
      let hash = FNV_OFFSET ^ CHAR_SEED;
      for (let n = 1; n <= max && start + n <= padded.length; n += 1) {
        hash = Math.imul(hash ^ padded.charCodeAt(start + n - 1), FNV_PRIME);
        if (n >= min) charBag.add((hash >>> 0) & mask);
      }
    }
  }
  return { words: wordBag.take(), chars: charBag.take() };
}
