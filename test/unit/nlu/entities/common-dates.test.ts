import { describe, expect, it } from 'vitest';
import { addDays, nextDayOfMonth, nextOccurrence, weekdayOf } from '../../../../src/nlu/entities/calendar-days.ts';
import { readCommonDates, rulePattern, weekdayDay, type CommonDateWords } from '../../../../src/nlu/entities/common-dates.ts';

// Thursday 26 November 2026.
const today = '2026-11-26';

describe('calendar days', () => {
  it('counts across months, years and leap days', () => {
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2028-03-01', -1)).toBe('2028-02-29');
    expect(weekdayOf(today)).toBe(3);
    expect(nextOccurrence(2, 29, today)).toBe('2028-02-29');
    expect(nextDayOfMonth(26, today)).toBe('2026-11-26');
    expect(nextDayOfMonth(31, today)).toBe('2026-12-31');
    expect(nextDayOfMonth(30, '2027-01-31')).toBeUndefined();
    expect(nextDayOfMonth(5, '2026-12-20')).toBe('2027-01-05');
  });

  it.each([
    ['nearest', 3, '2026-11-26'],
    ['nearest', 0, '2026-11-30'],
    ['after-today', 3, '2026-12-03'],
    ['next-week', 4, '2026-12-04'],
    ['next-week', 0, '2026-11-30'],
    ['last-week', 4, '2026-11-20'],
  ] as const)('reads weekday %s %i from a Thursday as %s', (relation, weekday, day) => {
    expect(weekdayDay(weekday, relation, today)).toBe(day);
  });
});

describe('readCommonDates', () => {
  const words: CommonDateWords = {
    rules: [
      { pattern: rulePattern(String.raw`last\s+monday`), read: () => 'unsure' },
      { pattern: rulePattern('monday'), read: () => ({ day: '2026-11-30' }) },
      { pattern: rulePattern('good morning'), read: () => 'not-a-date' },
    ],
    leftForRecognizer: /monday/iu,
  };

  it('blanks what it settles for the recognizer, keeping offsets, and leaves what it is unsure of', () => {
    const read = readCommonDates('good morning: last monday or monday?', words, today);
    expect(read.found).toEqual([{ value: '2026-11-30', start: 29, end: 35 }]);
    expect(read.rest).toBe('            : last monday or       ?');
  });
});
