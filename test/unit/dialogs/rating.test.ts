import { describe, expect, it } from 'vitest';
import { recognizeRating } from '../../../src/dialogs/rating.ts';

describe('recognizeRating', () => {
  it.each([
    ['5', 5],
    [' 4 ', 4],
    ['3.', 3],
    ['4/5', 4],
    ['4 / 5', 4],
    ['2 out of 5', 2],
    ['5 stars', 5],
    ['1 star', 1],
    ['five', 5],
    ['Four!', 4],
    ['two stars', 2],
    ["I'd give it a four", 4],
    ['I would rate you 5', 5],
    ['⭐⭐⭐⭐', 4],
    ['⭐️⭐️⭐️', 3],
    ['★★★★★', 5],
    ['4️⃣', 4],
    ['５', 5],
    ['cuatro', 4],
    ['Cinco!', 5],
    ['le doy un 4', 4],
    ['te daría un tres', 3],
    ['4 de 5', 4],
    ['2 sobre 5', 2],
    ['5 estrellas', 5],
    ['una estrella', 1],
  ])('reads %j as %i', (text, rating) => {
    expect(recognizeRating(text)).toBe(rating);
  });

  it.each(['0', '6', '10', '45', 'where is my order A1001', 'I have 3 questions', 'five stars would be too much', '⭐⭐⭐⭐⭐⭐', '', '   ', 'great', 'tengo 3 preguntas', 'dos pedidos', 'cinco estrellas sería demasiado'])(
    'does not take %j as a rating',
    (text) => {
      expect(recognizeRating(text)).toBeUndefined();
    },
  );
});
