import { describe, expect, it } from 'vitest';
import type { Entity } from '../../../../src/nlu/intent-classifier.ts';
import { withoutOverlaps } from '../../../../src/nlu/entities/overlapping-entities.ts';

const entity = (name: string, start: number, end: number): Entity => ({ entity: name, value: name, sourceText: '', start, end });

describe('withoutOverlaps', () => {
  it('keeps the longer of two overlapping entities, and all that do not overlap, in text order', () => {
    const kept = withoutOverlaps([entity('orderNumber', 4, 9), entity('email', 0, 20), entity('date', 25, 30)]);
    expect(kept.map((found) => found.entity)).toEqual(['email', 'date']);
  });

  it('gives a tie to the entity listed first (the corpus\'s own)', () => {
    expect(withoutOverlaps([entity('orderNumber', 0, 5), entity('phoneNumber', 2, 7)]).map((found) => found.entity)).toEqual(['orderNumber']);
  });

  it('keeps touching entities', () => {
    expect(withoutOverlaps([entity('a', 0, 5), entity('b', 5, 9)])).toHaveLength(2);
  });
});
