/** One candidate intent with the classifier's raw score for it (0..1). */
export interface IntentScore {
  intent: string;
  score: number;
}

/** A piece of the utterance recognised as a typed value (an order number, an e-mail…). */
export interface Entity {
  /** The entity's name as the corpus defines it, e.g. `orderNumber`. */
  entity: string;
  /** The normalised value, e.g. `A1001`. */
  value: string;
  /** The text as the customer wrote it. */
  sourceText: string;
  /** Offsets in the utterance, end exclusive: `text.slice(start, end) === sourceText`. */
  start: number;
  end: number;
}

export interface Sentiment {
  /** Negative below zero, positive above (NLP.js's normalised score). */
  score: number;
  vote: 'positive' | 'negative' | 'neutral';
}

export interface Classification {
  locale: string;
  /** Every candidate, best first. Never empty: `None` when nothing matched. */
  intents: IntentScore[];
  /** The best candidate and its raw score (not NLP.js's thresholded `None`/1.0). */
  top: IntentScore;
  entities: Entity[];
  sentiment: Sentiment;
  /**
   * How far the message is from anything the classifier was taught, 0..1
   * (higher = less known), when the classifier gives one (the linear one
   * does). Separate from `top.score`, which stays the top intent's own score.
   */
  outOfScope?: number;
}

export interface ClassifyOptions {
  /**
   * When the message was written (default: now). Relative dates ("tomorrow",
   * "el viernes") resolve from this day; a regression suite fixes it so its
   * expectations do not change with the calendar.
   */
  referenceDate?: Date;
}

/** Which of the bot's locales a message is in, and why (see language-detector.ts). */
export interface LocaleDetection {
  locale: string;
  /** `switched` when the message is clearly in another of the bot's languages than `current`. */
  reason: 'single_locale' | 'too_short' | 'same' | 'weak' | 'switched';
}

/** Understands one customer message. The only NLU surface the rest of `src/` sees. */
export interface IntentClassifier {
  readonly locales: readonly string[];
  classify(text: string, locale: string, options?: ClassifyOptions): Promise<Classification>;
  /** The locale to read `text` in, for a conversation currently in `current`: NLP.js's guess, or `current` when it is unsure. */
  detectLocale(text: string, current: string): LocaleDetection;
}

/** The intent name the classifier returns when no trained intent matches at all. */
export const NO_INTENT = 'None';
