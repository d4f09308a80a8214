import dateTime from '@microsoft/recognizers-text-date-time';
import { describe, expect, it, vi } from 'vitest';
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

  it.each([
    [english, 'what are your opening hours on sunday?', '2026-11-29'],
    [english, 'tonight', '2026-11-26'],
    [english, 'this morning', '2026-11-26'],
    [english, 'tomorrow evening', '2026-11-27'],
    [english, 'the day after tomorrow', '2026-11-28'],
    [english, 'this coming sunday', '2026-11-29'],
    [english, 'this thursday', '2026-11-26'],
    [english, 'last friday', '2026-11-20'],
    [english, 'monday morning', '2026-11-30'],
    [english, 'December 25th', '2026-12-25'],
    [english, 'dec. 1, 2027', '2027-12-01'],
    [english, 'on 5 may', '2027-05-05'],
    [english, 'on the 1st', '2026-12-01'],
    [english, 'the 23rd', '2026-12-23'],
    [english, 'a week from monday', '2026-11-30'],
    [english, 'christmas eve', '2026-12-24'],
    [spanish, 'mañana por la mañana', '2026-11-27'],
    [spanish, 'el viernes que viene', '2026-11-27'],
    [spanish, 'el lunes pasado', '2026-11-16'],
    [spanish, 'este domingo', '2026-11-29'],
    [spanish, 'el día 25', '2026-12-25'],
    [spanish, 'el 31', '2026-12-31'],
    [spanish, 'el primero de diciembre', '2026-12-01'],
    [spanish, 'el 2 de mayo de 2027', '2027-05-02'],
    [spanish, 'EL SÁBADO POR LA TARDE', '2026-11-28'],
    [spanish, 'esta noche', '2026-11-26'],
  ])('reads the common form %#: %j as %s, and what it leaves with the recognizer', (extract, text, value) => {
    expect(dates(extract, text)).toEqual([value]);
  });

  it.each([
    [english, 'good morning'],
    [english, 'mondays are busy'],
    [english, 'I ordered 2 shirts'],
    [spanish, 'por la mañana'],
    [spanish, 'llega tarde'],
    [spanish, '¿los lunes abren?'],
    [spanish, 'el 5% de descuento'],
    [spanish, 'hace días que espero'],
  ])('finds no date in the everyday words %#: %j', (extract, text) => {
    expect(dates(extract, text)).toEqual([]);
  });

  it('reads two dates in one message, each at its place', () => {
    const text = 'not tomorrow, on 25 December';
    expect(english(text, { referenceDate }).map((found) => [found.value, text.slice(found.start, found.end)])).toEqual([
      ['2026-11-27', 'tomorrow'],
      ['2026-12-25', '25 December'],
    ]);
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

  it("builds the recognizer's model only for the first message the rules leave a date word in", () => {
    const builds = vi.spyOn(dateTime.DateTimeRecognizer.prototype, 'getDateTimeModel');
    try {
      const extract = dateExtractor({ locale: 'en' });
      expect(dates(extract, 'what are your opening hours on sunday?')).toEqual(['2026-11-29']);
      expect(dates(extract, 'tomorrow at 5pm')).toEqual(['2026-11-27']);
      expect(builds).not.toHaveBeenCalled();
      expect(dates(extract, 'in 3 days')).toEqual(['2026-11-29']);
      expect(dates(extract, 'on 25 December')).toEqual(['2026-12-25']);
      expect(builds).toHaveBeenCalledTimes(1);
    } finally {
      builds.mockRestore();
    }
  });

  it('refuses a locale it has no recognizer for', () => {
    expect(() => dateExtractor({ locale: 'sv' })).toThrow(/dates cannot be recognised in locale "sv"/);
  });
});
