/** A typed value found in a message by a built-in extractor, before it is given the corpus's name. */
export interface EntityMatch {
  /** The normalised value: an e-mail address, an E.164 number, an ISO date. */
  value: string;
  /** Offsets in the message, end exclusive. */
  start: number;
  end: number;
}

/** What an extractor may need besides the text. */
export interface ExtractionContext {
  /**
   * When the message was written: "tomorrow" and "next Friday" count from
   * this day, in the host's time zone.
   */
  referenceDate: Date;
}

export type EntityExtractor = (text: string, context: ExtractionContext) => EntityMatch[];
