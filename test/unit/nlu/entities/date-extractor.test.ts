import { describe, expect, it } from 'vitest';
import { dateExtractor } from '../../../../src/nlu/entities/date-extractor.ts';

// Thursday 26 November 2026, noon in the host's time zone.
const referenceDate = new Date(2026, 10, 26, 12);
const english = dateExtractor({ locale: 'en', numericDates: 'dmy' });
const american = dateExtractor({ locale: 'en' });
const spanish = dateExtractor({ locale: 'es' });
const dates = (extract: typeof english, text: string) => extract(text, { referenceDate }).map((found) => found.value);

describe('dateExtractor', () => {
  it.each([
    ['tomorrow', '2026-11-27'],
    ['can you pick it up next friday?', '2026-12-04'],
    ['on 25 December', '2026-12-25'],
    ['the 25th of december', '2026-12-25'],
    ['12/03/2026', '2026-03-12'],
    ['on 3/2 please', '2027-02-03'],
    ['monday', '2026-11-30'],
    ['today', '2026-11-26'],
    ['tomorrow at 5pm', '2026-11-27'],
    ['in 3 days', '2026-11-29'],
  ])('reads English %j as %s', (text, value) => {
    expect(dates(english, text)).toEqual([value]);
  });

  it.each([
    ['mañana', '2026-11-27'],
    ['manana', '2026-11-27'],
    ['pasado mañana', '2026-11-28'],
    ['el próximo viernes', '2026-12-04'],
    ['el proximo viernes', '2026-12-04'],
    ['el 25 de diciembre', '2026-12-25'],
    ['12/03/2026', '2026-03-12'],
    ['el sábado', '2026-11-28'],
    ['hoy', '2026-11-26'],
    ['el 3 de marzo', '2027-03-03'],
  ])('reads Spanish %j as %s', (text, value) => {
    expect(dates(spanish, text)).toEqual([value]);
  });

  it('reads numeric dates month first in US English unless the corpus says otherwise', () => {
    expect(dates(american, '12/03/2026')).toEqual(['2026-12-03']);
    expect(dates(english, '12/03/2026')).toEqual(['2026-03-12']);
  });

  it.each([
    [spanish, 'mi pedido'],
    [spanish, 'mi teléfono es 612 345 678'],
    [english, 'may I return it?'],
    [english, 'next week'],
    [english, 'it is 3 days late'],
    [english, 'where is order 12345'],
    [english, 'A1001'],
    [english, ''],
    [english, '👍🎉'],
    [english, '<b>hello</b>'],
    [english, '31/02/2026'],
  ])('finds no date in %#: %j', (extract, text) => {
    expect(dates(extract, text)).toEqual([]);
  });

  it('gives the offsets of the date as written', () => {
    const text = 'pick up on 25 December please';
    const [found] = english(text, { referenceDate });
    expect(text.slice(found?.start, found?.end)).toBe('25 December');
  });

  it('refuses a locale it has no recognizer for', () => {
    expect(() => dateExtractor({ locale: 'sv' })).toThrow(/dates cannot be recognised in locale "sv"/);
  });
});
