import { endianness } from 'node:os';
import { z } from 'zod';
import type { IntentScore } from './intent-classifier.ts';
import { countTerms, type FeatureSettings, type TermBag, type TermCounts, type TextAnalysis } from './text-features.ts';

/*
 * The linear intent classifier: TF-IDF over hashed word 1–2-grams (stems)
 * and character 3–5-grams (text-features.ts), each block L2-normalised,
 * and a multiclass linear SVM (Crammer–Singer hinge loss, L2-regularised)
 * trained by seeded stochastic gradient descent. Scores are turned into
 * probabilities by a softmax at a fixed scale (chosen on CLINC150's
 * validation split, see bench/nlu-clinc150.ts), and the out-of-scope score
 * compares the best in-scope intent's margin with a reject margin (or with
 * a trained out-of-scope intent's margin, when the corpus designates one).
 *
 * Everything is deterministic: the same samples and settings give the same
 * model, bit for bit (a seeded shuffle, no clocks, no parallelism), and a
 * model restored from `toJSON()` scores exactly like the one trained.
 * Sparse math on typed arrays; the trained weights are kept sparse (CSR:
 * only the (feature, intent) pairs the hinge loss ever touched).
 */

export interface LinearSettings extends FeatureSettings {
  /** Passes over the training set. */
  epochs: number;
  /** Seed of the shuffle before each pass. */
  seed: number;
  /** Initial step size; it decays linearly to 2% of this over the training. */
  learningRate: number;
  /** L2 regularisation strength (per step, scaled by the step size). */
  l2: number;
  /** Softmax scale turning margins into probabilities: p ∝ exp(scale · margin). */
  probabilityScale: number;
  /** The margin below which, with no trained out-of-scope intent, a message is more out of scope than not. */
  rejectMargin: number;
  /** Added to the out-of-scope intents' margin when comparing it with the best in-scope margin. */
  outOfScopeOffset: number;
}

/** Chosen on CLINC150's train and val splits (bench/nlu-clinc150.ts), never on test. */
export const DEFAULT_LINEAR_SETTINGS: Readonly<LinearSettings> = Object.freeze({
  hashBits: 18,
  wordNgramMax: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  epochs: 8,
  seed: 1,
  learningRate: 0.5,
  l2: 1e-4,
  probabilityScale: 10,
  rejectMargin: 0.5,
  outOfScopeOffset: 0.25,
});

export interface LinearSample {
  analysis: TextAnalysis;
  intent: string;
}

export interface LinearClassification {
  /** The intents with a probability of at least 0.001 (always the best one), best first. */
  intents: IntentScore[];
  /** 0..1, higher = less like anything the model was taught. */
  outOfScope: number;
}

const FORMAT = 'switchboard-linear-intent-model';
const VERSION = 1;
const MIN_STEP_FRACTION = 0.02;
/** A row with weights for at least this share of the classes is also kept dense. */
const DENSE_ROW_FILL = 0.25;
/** Intents less likely than this are not reported as candidates (at a scale of 10, 0.7 below the best margin). */
const MIN_CANDIDATE_SCORE = 0.001;

/** A column per hashed term seen in training: words first, then characters. */
class Vocabulary {
  private readonly wordColumns: Int32Array;
  private readonly charColumns: Int32Array;

  constructor(
    readonly hashBits: number,
    /** Hashed buckets of the word block, ascending; column = index. */
    readonly wordBuckets: Int32Array,
    /** Hashed buckets of the character block, ascending; column = wordBuckets.length + index. */
    readonly charBuckets: Int32Array,
  ) {
    this.wordColumns = columnsOf(wordBuckets, hashBits, 0);
    this.charColumns = columnsOf(charBuckets, hashBits, wordBuckets.length);
  }

  get size(): number {
    return this.wordBuckets.length + this.charBuckets.length;
  }

  wordColumn(bucket: number): number {
    return this.wordColumns[bucket] ?? -1;
  }

  charColumn(bucket: number): number {
    return this.charColumns[bucket] ?? -1;
  }
}

function columnsOf(buckets: Int32Array, hashBits: number, offset: number): Int32Array {
  const columns = new Int32Array(2 ** hashBits).fill(-1);
  buckets.forEach((bucket, index) => {
    columns[bucket] = offset + index;
  });
  return columns;
}

/** A sparse feature vector: columns and their values. */
interface SparseVector {
  columns: Int32Array;
  values: Float64Array;
}

/** Term counts → sublinear TF-IDF, each block L2-normalised (terms unseen in training count in the norm). */
class Weighting {
  constructor(
    readonly vocabulary: Vocabulary,
    /** Smoothed IDF per column. */
    readonly idf: Float32Array,
    /** The IDF of a term no training utterance had. */
    readonly unseenIdf: number,
  ) {}

  vectorize(terms: TermCounts): SparseVector {
    const size = terms.words.buckets.length + terms.chars.buckets.length;
    const columns = new Int32Array(size);
    const values = new Float64Array(size);
    let used = this.block(terms.words, true, columns, values, 0);
    used = this.block(terms.chars, false, columns, values, used);
    return { columns: columns.subarray(0, used), values: values.subarray(0, used) };
  }

  /** Writes one block's known terms from `start`; returns the new end. */
  private block(bag: TermBag, words: boolean, columns: Int32Array, values: Float64Array, start: number): number {
    const { vocabulary, idf, unseenIdf } = this;
    const { buckets, counts } = bag;
    let end = start;
    let squares = 0;
    for (let i = 0; i < buckets.length; i += 1) {
      const bucket = buckets[i] ?? 0;
      const column = words ? vocabulary.wordColumn(bucket) : vocabulary.charColumn(bucket);
      const value = (1 + Math.log(counts[i] ?? 1)) * (column < 0 ? unseenIdf : (idf[column] ?? unseenIdf));
      squares += value * value;
      if (column >= 0) {
        columns[end] = column;
        values[end] = value;
        end += 1;
      }
    }
    if (squares > 0) {
      const norm = Math.sqrt(squares);
      for (let i = start; i < end; i += 1) values[i] = (values[i] ?? 0) / norm;
    }
    return end;
  }
}

/**
 * Compressed sparse rows: the weights of column j are classes/values[rowStart[j] .. rowStart[j+1]).
 * Values are float32 numbers (as stored), held as float64 for fast arithmetic.
 */
interface SparseWeights {
  rowStart: Int32Array;
  classes: Uint16Array;
  values: Float64Array;
}

export class LinearIntentModel {
  /** 1 for the classes of out-of-scope intents. */
  private readonly isOutOfScope: Uint8Array;
  /**
   * Rows with weights for many classes, also laid out densely (a plain loop
   * is faster than the sparse one there); denseStart[j] is row j's offset in
   * `denseRows`, or -1. The margins are the same either way.
   */
  private readonly denseStart: Int32Array;
  private readonly denseRows: Float64Array;

  private constructor(
    readonly settings: Readonly<LinearSettings>,
    /** Intent names, in the order of the model's classes. */
    readonly intents: readonly string[],
    /** Intents taught as "out of scope" examples (a subset of `intents`). */
    readonly outOfScopeIntents: readonly string[],
    private readonly weighting: Weighting,
    private readonly weights: SparseWeights,
    private readonly bias: Float32Array,
  ) {
    this.isOutOfScope = Uint8Array.from(intents.map((intent) => (outOfScopeIntents.includes(intent) ? 1 : 0)));
    const { rowStart, classes, values } = weights;
    const classCount = intents.length;
    const columns = rowStart.length - 1;
    this.denseStart = new Int32Array(columns).fill(-1);
    let denseCount = 0;
    for (let column = 0; column < columns; column += 1) {
      if ((rowStart[column + 1] ?? 0) - (rowStart[column] ?? 0) >= classCount * DENSE_ROW_FILL) {
        this.denseStart[column] = denseCount * classCount;
        denseCount += 1;
      }
    }
    this.denseRows = new Float64Array(denseCount * classCount);
    for (let column = 0; column < columns; column += 1) {
      const offset = this.denseStart[column] ?? -1;
      if (offset < 0) continue;
      for (let i = rowStart[column] ?? 0; i < (rowStart[column + 1] ?? 0); i += 1) {
        this.denseRows[offset + (classes[i] ?? 0)] = values[i] ?? 0;
      }
    }
  }

  /**
   * Trains on `samples` (intents in order of first appearance). Intents named
   * in `outOfScopeIntents` that have samples are trained like any other and
   * then read as the out-of-scope evidence.
   */
  static train(
    samples: readonly LinearSample[],
    settings: Readonly<LinearSettings> = DEFAULT_LINEAR_SETTINGS,
    outOfScopeIntents: readonly string[] = [],
  ): LinearIntentModel {
    const intents = [...new Set(samples.map((sample) => sample.intent))];
    if (intents.length === 0) throw new Error('the linear classifier needs at least one training utterance');
    if (intents.length > 0xffff) throw new Error('the linear classifier supports at most 65,535 intents');
    const classOf = new Map(intents.map((intent, index) => [intent, index]));
    const terms = samples.map((sample) => countTerms(sample.analysis, settings));
    const weighting = fitWeighting(terms, settings.hashBits);
    const vectors = terms.map((counts) => weighting.vectorize(counts));
    const labels = Int32Array.from(samples.map((sample) => classOf.get(sample.intent) ?? 0));
    const { weights, bias } = trainCrammerSinger(vectors, labels, intents.length, weighting.vocabulary.size, settings);
    const designated = intents.filter((intent) => outOfScopeIntents.includes(intent));
    return new LinearIntentModel(settings, intents, designated, weighting, weights, bias);
  }

  /** Rebuilds a model from `toJSON()`'s output; throws when it is not one. */
  static fromJSON(json: unknown): LinearIntentModel {
    const parsed = modelJsonSchema.parse(json);
    const { settings } = parsed;
    const vocabulary = new Vocabulary(
      settings.hashBits,
      decode(parsed.vocabulary.words, Int32Array),
      decode(parsed.vocabulary.chars, Int32Array),
    );
    const idf = decode(parsed.idf, Float32Array);
    const weights: SparseWeights = {
      rowStart: decode(parsed.weights.rowStart, Int32Array),
      classes: decode(parsed.weights.classes, Uint16Array),
      values: Float64Array.from(decode(parsed.weights.values, Float32Array)),
    };
    const bias = decode(parsed.bias, Float32Array);
    const intents = parsed.intents;
    const columns = vocabulary.size;
    const nonZero = weights.values.length;
    const consistent =
      idf.length === columns &&
      weights.rowStart.length === columns + 1 &&
      weights.rowStart[0] === 0 &&
      weights.rowStart[columns] === nonZero &&
      weights.classes.length === nonZero &&
      bias.length === intents.length &&
      weights.classes.every((index) => index < intents.length) &&
      parsed.outOfScopeIntents.every((intent) => intents.includes(intent)) &&
      [...vocabulary.wordBuckets, ...vocabulary.charBuckets].every((bucket) => bucket >= 0 && bucket < 2 ** settings.hashBits);
    if (!consistent) throw new Error('the linear model is inconsistent (corrupt or truncated)');
    const weighting = new Weighting(vocabulary, idf, parsed.unseenIdf);
    return new LinearIntentModel(settings, intents, parsed.outOfScopeIntents, weighting, weights, bias);
  }

  toJSON(): LinearModelJson {
    const vocabulary = this.weighting.vocabulary;
    return {
      format: FORMAT,
      version: VERSION,
      settings: { ...this.settings },
      intents: [...this.intents],
      outOfScopeIntents: [...this.outOfScopeIntents],
      unseenIdf: this.weighting.unseenIdf,
      vocabulary: { words: encode(vocabulary.wordBuckets), chars: encode(vocabulary.charBuckets) },
      idf: encode(this.weighting.idf),
      weights: {
        rowStart: encode(this.weights.rowStart),
        classes: encode(this.weights.classes),
        values: encode(Float32Array.from(this.weights.values)),
      },
      bias: encode(this.bias),
    };
  }

  /** The raw margins of every intent (model order) for one analysed utterance. */
  margins(analysis: TextAnalysis): Float64Array {
    const vector = this.weighting.vectorize(countTerms(analysis, this.settings));
    const margins = Float64Array.from(this.bias);
    const classCount = margins.length;
    const { rowStart, classes, values } = this.weights;
    const { denseStart, denseRows } = this;
    for (let k = 0; k < vector.columns.length; k += 1) {
      const column = vector.columns[k] ?? 0;
      const value = vector.values[k] ?? 0;
      const offset = denseStart[column] ?? -1;
      if (offset >= 0) {
        for (let c = 0; c < classCount; c += 1) margins[c] = (margins[c] ?? 0) + value * (denseRows[offset + c] ?? 0);
        continue;
      }
      const end = rowStart[column + 1] ?? 0;
      for (let i = rowStart[column] ?? 0; i < end; i += 1) {
        const index = classes[i] ?? 0;
        margins[index] = (margins[index] ?? 0) + value * (values[i] ?? 0);
      }
    }
    return margins;
  }

  classify(analysis: TextAnalysis): LinearClassification {
    const margins = this.margins(analysis);
    const scale = this.settings.probabilityScale;
    let max = -Infinity;
    let inScope = -Infinity;
    let outOfScope = -Infinity;
    for (let c = 0; c < margins.length; c += 1) {
      const margin = margins[c] ?? 0;
      max = Math.max(max, margin);
      if (this.isOutOfScope[c] === 1) outOfScope = Math.max(outOfScope, margin);
      else inScope = Math.max(inScope, margin);
    }
    const probabilities = new Float64Array(margins.length);
    let sum = 0;
    for (let c = 0; c < margins.length; c += 1) {
      const e = Math.exp(scale * ((margins[c] ?? 0) - max));
      probabilities[c] = e;
      sum += e;
    }
    // The candidates: the intents with a probability worth reporting (the best one always).
    const intents: IntentScore[] = [];
    for (let c = 0; c < margins.length; c += 1) {
      const score = (probabilities[c] ?? 0) / sum;
      if (score >= MIN_CANDIDATE_SCORE || margins[c] === max) intents.push({ intent: this.intents[c] ?? '', score });
    }
    intents.sort((a, b) => b.score - a.score || (a.intent < b.intent ? -1 : a.intent > b.intent ? 1 : 0));

    const reject = this.outOfScopeIntents.length > 0 ? outOfScope + this.settings.outOfScopeOffset : this.settings.rejectMargin;
    // Only out-of-scope intents were taught: nothing is in scope.
    const score = inScope === -Infinity ? 1 : sigmoid(scale * (reject - inScope));
    return { intents, outOfScope: score };
  }
}

function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

/** The vocabulary (every term seen in training) and smoothed IDF: log((1 + n) / (1 + df)) + 1. */
function fitWeighting(terms: readonly TermCounts[], hashBits: number): Weighting {
  const wordDf = new Map<number, number>();
  const charDf = new Map<number, number>();
  for (const counts of terms) {
    for (const bucket of counts.words.buckets) wordDf.set(bucket, (wordDf.get(bucket) ?? 0) + 1);
    for (const bucket of counts.chars.buckets) charDf.set(bucket, (charDf.get(bucket) ?? 0) + 1);
  }
  const wordBuckets = Int32Array.from(wordDf.keys()).sort();
  const charBuckets = Int32Array.from(charDf.keys()).sort();
  const n = terms.length;
  const idfOf = (df: number) => Math.log((1 + n) / (1 + df)) + 1;
  const idf = new Float32Array(wordBuckets.length + charBuckets.length);
  wordBuckets.forEach((bucket, index) => {
    idf[index] = idfOf(wordDf.get(bucket) ?? 0);
  });
  charBuckets.forEach((bucket, index) => {
    idf[wordBuckets.length + index] = idfOf(charDf.get(bucket) ?? 0);
  });
  return new Weighting(new Vocabulary(hashBits, wordBuckets, charBuckets), idf, Math.fround(idfOf(0)));
}

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Crammer–Singer multiclass hinge loss, max(0, 1 + max_{c≠y} w_c·x − w_y·x),
 * plus (λ/2)‖W‖², by SGD: each sample moves at most two classes' weights (the
 * true one and the worst violator). The weights are kept as scale · W so the
 * L2 shrink of every step costs one multiplication, and each feature's row
 * remembers which classes it has a weight for, so a forward pass only visits
 * those (the sums are the same as over the full rows: the others are zero).
 */
function trainCrammerSinger(
  vectors: readonly SparseVector[],
  labels: Int32Array,
  classes: number,
  columns: number,
  settings: Readonly<LinearSettings>,
): { weights: SparseWeights; bias: Float32Array } {
  const w = new Float32Array(columns * classes);
  /** Row j's classes with a weight: activeClasses[j·classes .. j·classes + activeCount[j]). */
  const activeCount = new Uint16Array(columns);
  const activeClasses = new Uint16Array(columns * classes);
  const isActive = new Uint8Array(columns * classes);
  const activate = (row: number, column: number, c: number): void => {
    if (isActive[row + c] === 1) return;
    isActive[row + c] = 1;
    const count = activeCount[column] ?? 0;
    activeClasses[row + count] = c;
    activeCount[column] = count + 1;
  };
  const bias = new Float64Array(classes);
  const margins = new Float64Array(classes);
  const order = Int32Array.from(vectors.keys());
  const next = random(settings.seed);
  const total = Math.max(1, settings.epochs * vectors.length);
  let scale = 1;
  let step = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch += 1) {
    for (let i = order.length - 1; i > 0; i -= 1) {
      const j = Math.floor(next() * (i + 1));
      const swap = order[i] ?? 0;
      order[i] = order[j] ?? 0;
      order[j] = swap;
    }
    for (const sample of order) {
      const rate = settings.learningRate * Math.max(MIN_STEP_FRACTION, 1 - step / total);
      step += 1;
      const { columns: cols, values } = vectors[sample] as SparseVector;
      const label = labels[sample] ?? 0;
      margins.set(bias);
      for (let k = 0; k < cols.length; k += 1) {
        const column = cols[k] ?? 0;
        const row = column * classes;
        const value = (values[k] ?? 0) * scale;
        const end = row + (activeCount[column] ?? 0);
        for (let a = row; a < end; a += 1) {
          const c = activeClasses[a] ?? 0;
          margins[c] = (margins[c] ?? 0) + value * (w[row + c] ?? 0);
        }
      }
      let violator = -1;
      let worst = -Infinity;
      for (let c = 0; c < classes; c += 1) {
        if (c !== label && (margins[c] ?? 0) > worst) {
          worst = margins[c] ?? 0;
          violator = c;
        }
      }
      scale *= 1 - rate * settings.l2;
      if (scale < 1e-6) {
        for (let q = 0; q < w.length; q += 1) w[q] = (w[q] ?? 0) * scale;
        scale = 1;
      }
      if (violator < 0 || 1 + worst - (margins[label] ?? 0) <= 0) continue;
      const move = rate / scale;
      for (let k = 0; k < cols.length; k += 1) {
        const column = cols[k] ?? 0;
        const row = column * classes;
        const delta = (values[k] ?? 0) * move;
        activate(row, column, label);
        activate(row, column, violator);
        w[row + label] = (w[row + label] ?? 0) + delta;
        w[row + violator] = (w[row + violator] ?? 0) - delta;
      }
      bias[label] = (bias[label] ?? 0) + rate;
      bias[violator] = (bias[violator] ?? 0) - rate;
    }
  }
  return { weights: toSparse(w, scale, columns, classes), bias: Float32Array.from(bias) };
}

function toSparse(w: Float32Array, scale: number, columns: number, classes: number): SparseWeights {
  const rowStart = new Int32Array(columns + 1);
  const classIndex: number[] = [];
  const values: number[] = [];
  for (let column = 0; column < columns; column += 1) {
    const row = column * classes;
    for (let c = 0; c < classes; c += 1) {
      const value = Math.fround((w[row + c] ?? 0) * scale);
      if (value !== 0) {
        classIndex.push(c);
        values.push(value);
      }
    }
    rowStart[column + 1] = values.length;
  }
  return { rowStart, classes: Uint16Array.from(classIndex), values: Float64Array.from(values) };
}

type TypedArray = Int32Array | Uint16Array | Float32Array;
type TypedArrayConstructor<T extends TypedArray> = {
  new (buffer: ArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
};

/** Typed arrays travel as base64 of their little-endian bytes. */
function encode(array: TypedArray): string {
  requireLittleEndian();
  return Buffer.from(array.buffer, array.byteOffset, array.byteLength).toString('base64');
}

function decode<T extends TypedArray>(text: string, type: TypedArrayConstructor<T>): T {
  requireLittleEndian();
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length % type.BYTES_PER_ELEMENT !== 0) throw new Error('the linear model is inconsistent (truncated array)');
  // Copy into a fresh, aligned buffer: Buffer.from may hand out a slice of a shared pool.
  const copy = new ArrayBuffer(bytes.length);
  new Uint8Array(copy).set(bytes);
  return new type(copy, 0, bytes.length / type.BYTES_PER_ELEMENT);
}

function requireLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('the linear model file format needs a little-endian machine');
}

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/);

const settingsSchema = z.object({
  hashBits: z.number().int().min(8).max(24),
  wordNgramMax: z.number().int().min(1).max(4),
  charNgramMin: z.number().int().min(1).max(8),
  charNgramMax: z.number().int().min(1).max(8),
  epochs: z.number().int().min(0),
  seed: z.number().int(),
  learningRate: z.number().positive(),
  l2: z.number().min(0),
  probabilityScale: z.number().positive(),
  rejectMargin: z.number(),
  outOfScopeOffset: z.number(),
});

const modelJsonSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  settings: settingsSchema,
  intents: z.array(z.string().min(1)).min(1),
  outOfScopeIntents: z.array(z.string().min(1)),
  unseenIdf: z.number().positive(),
  vocabulary: z.object({ words: base64, chars: base64 }),
  idf: base64,
  weights: z.object({ rowStart: base64, classes: base64, values: base64 }),
  bias: base64,
});

export type LinearModelJson = z.input<typeof modelJsonSchema>;
