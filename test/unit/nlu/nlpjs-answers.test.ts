import { describe, expect, it } from 'vitest';
import {
  nerOutputSchema,
  readNerOutput,
  readSentimentOutput,
  sentimentOutputSchema,
  wellFormedNerEntities,
  wellFormedSentimentOutput,
} from '../../../src/nlu/nlpjs-answers.ts';

/** Shaped as NLP.js's NER answers, with the fields it adds that we do not read. */
const nerOutput = {
  locale: 'en',
  utterance: 'is order c1234 the big one',
  entities: [
    { start: 9, end: 13, len: 5, accuracy: 0.95, sourceText: 'c1234', utteranceText: 'c1234', entity: 'orderNumber', type: 'regex' },
    { start: 19, end: 21, len: 3, levenshtein: 0, accuracy: 1, entity: 'size', type: 'enum', option: 'large', sourceText: 'big', utteranceText: 'big' },
  ],
};

const sentimentOutput = { sentiment: { score: -0.75, numWords: 4, numHits: 1, average: -0.19, type: 'senticon', locale: 'en', vote: 'negative' } };

describe('NLP.js answers', () => {
  it('reads well-formed NER answers by hand exactly as the schema does', () => {
    for (const output of [nerOutput, { entities: [] }]) {
      expect(wellFormedNerEntities(output)).toEqual(nerOutputSchema.parse(output).entities);
      expect(readNerOutput(output)).toEqual(nerOutputSchema.parse(output).entities);
    }
  });

  it.each([
    ['no entities', {}],
    ['entities not a list', { entities: {} }],
    ['a negative start', { entities: [{ ...nerOutput.entities[0], start: -1 }] }],
    ['a fractional end', { entities: [{ ...nerOutput.entities[0], end: 1.5 }] }],
    ['a numeric option', { entities: [{ ...nerOutput.entities[1], option: 3 }] }],
    ['no sourceText', { entities: [{ ...nerOutput.entities[0], sourceText: undefined }] }],
    ['a null entity', { entities: [null] }],
  ])('leaves an NER answer with %s to the schema, which throws', (_name, output) => {
    expect(wellFormedNerEntities(output)).toBeUndefined();
    expect(() => nerOutputSchema.parse(output)).toThrow();
    expect(() => readNerOutput(output)).toThrow();
  });

  it('reads well-formed sentiment answers by hand exactly as the schema does', () => {
    for (const vote of ['positive', 'negative', 'neutral']) {
      const output = { sentiment: { ...sentimentOutput.sentiment, vote } };
      expect(wellFormedSentimentOutput(output)).toEqual(sentimentOutputSchema.parse(output));
      expect(readSentimentOutput(output)).toEqual(sentimentOutputSchema.parse(output).sentiment);
    }
  });

  it.each([
    ['no sentiment', {}],
    ['an unknown vote', { sentiment: { score: 0, vote: 'mixed' } }],
    ['a NaN score', { sentiment: { score: Number.NaN, vote: 'neutral' } }],
    ['a string score', { sentiment: { score: '1', vote: 'positive' } }],
  ])('leaves a sentiment answer with %s to the schema, which throws', (_name, output) => {
    expect(wellFormedSentimentOutput(output)).toBeUndefined();
    expect(() => sentimentOutputSchema.parse(output)).toThrow();
    expect(() => readSentimentOutput(output)).toThrow();
  });
});
