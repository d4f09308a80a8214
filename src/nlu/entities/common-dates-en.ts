import { addDays, calendarDate, nextDayOfMonth, nextOccurrence } from './calendar-days.ts';
import { alternatives, rulePattern, weekdayDay, wholeWords, type CommonDateWords, type DateReading, type WeekdayRelation } from './common-dates.ts';

/* English dates customers write most; see common-dates.ts. */

const MONTHS: Readonly<Record<string, number>> = {
  january: 1, jan: 1, february: 2, feb: 2, march: 3, mar: 3, april: 4, apr: 4, may: 5, june: 6, jun: 6,
  july: 7, jul: 7, august: 8, aug: 8, september: 9, sep: 9, sept: 9, october: 10, oct: 10,
  november: 11, nov: 11, december: 12, dec: 12,
};

const WEEKDAYS: Readonly<Record<string, number>> = {
  monday: 0, tuesday: 1, wednesday: 2, thursday: 3, friday: 4, saturday: 5, sunday: 6,
};

/** Days counted from today; a part of the day after one is the same day ("tomorrow morning"). */
const RELATIVE_DAYS: Readonly<Record<string, number>> = {
  'day before yesterday': -2, yesterday: -1, today: 0, tonight: 0, 'this morning': 0, 'this afternoon': 0,
  'this evening': 0, tomorrow: 1, tmrw: 1, tmr: 1, 'day after tomorrow': 2,
};

const MODIFIERS: Readonly<Record<string, WeekdayRelation>> = {
  this: 'nearest', coming: 'after-today', 'this coming': 'after-today', next: 'next-week', last: 'last-week',
};

const PART_OF_DAY = String.raw`(?:\s+(?:morning|afternoon|evening|night))?`;
const ORDINAL = '(?:st|nd|rd|th)';
const MONTH = String.raw`(?<month>${alternatives(Object.keys(MONTHS))})\.?`;
const YEAR = String.raw`(?:,?\s+(?<year>(?:19|20)\d\d))?`;
const COUNT = String.raw`(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|few|a\s+couple\s+of|couple\s+of)`;
const phrase = (words: string): string => words.toLowerCase().replace(/\s+/g, ' ').replace(/^the /, '');

function dayOfMonth(groups: Readonly<Record<string, string | undefined>>, today: string, certain: boolean): DateReading {
  const month = MONTHS[phrase(groups.month ?? '')];
  const day = Number(groups.day);
  if (month === undefined || !certain) return 'unsure';
  const date = groups.year === undefined ? nextOccurrence(month, day, today) : calendarDate(Number(groups.year), month, day);
  return date === undefined ? 'unsure' : { day: date };
}

export const ENGLISH_DATES: CommonDateWords = {
  rules: [
    {
      // "25 December", "the 3rd of March 2027"; "5 may" only with "the", "of" or "5th" ("order 5 may be late").
      pattern: rulePattern(String.raw`(?<the>the\s+)?(?<day>\d{1,2})(?<ordinal>${ORDINAL})?(?<of>\s+of)?\s+${MONTH}${YEAR}`),
      read: (groups, today) =>
        dayOfMonth(groups, today, phrase(groups.month ?? '') !== 'may' || Boolean(groups.the ?? groups.ordinal ?? groups.of)),
    },
    {
      // "December 25th", "dec 25, 2026"
      pattern: rulePattern(String.raw`${MONTH}\s+(?:the\s+)?(?<day>\d{1,2})${ORDINAL}?${YEAR}`),
      read: (groups, today) => dayOfMonth(groups, today, true),
    },
    {
      pattern: rulePattern(String.raw`(?:the\s+)?(?<word>${alternatives(Object.keys(RELATIVE_DAYS)).replaceAll(' ', String.raw`\s+`)})${PART_OF_DAY}`),
      read: ({ word = '' }, today) => {
        const days = RELATIVE_DAYS[phrase(word)];
        return days === undefined ? 'unsure' : { day: addDays(today, days) };
      },
    },
    {
      // "on Sunday", "next Friday", "this coming Monday morning"; "a week from Monday" is the recognizer's.
      pattern: rulePattern(
        String.raw`(?<from>(?:from|after|before)\s+)?(?:(?<modifier>this\s+coming|coming|next|this|last)\s+)?(?<weekday>${alternatives(Object.keys(WEEKDAYS))})${PART_OF_DAY}`,
      ),
      read: ({ from, modifier, weekday = '' }, today) => {
        const day = WEEKDAYS[weekday.toLowerCase()];
        const relation = modifier === undefined ? 'nearest' : MODIFIERS[phrase(modifier)];
        if (from !== undefined || day === undefined || relation === undefined) return 'unsure';
        return { day: weekdayDay(day, relation, today) };
      },
    },
    {
      // "on the 3rd", "the 25th": the next such day of the month.
      pattern: rulePattern(String.raw`(?:(?:on\s+)?the|on)\s+(?<day>\d{1,2})${ORDINAL}`),
      read: ({ day }, today) => {
        const date = nextDayOfMonth(Number(day), today);
        return date === undefined ? 'unsure' : { day: date };
      },
    },
  ],
  leftForRecognizer: new RegExp(
    [
      wholeWords(
        String.raw`today|tonight|tomorrow|tmrw|tmr|yesterday|christmas|xmas|easter|new\s+year|halloween|thanksgiving|\d{1,2}${ORDINAL}|monday|tuesday|wednesday|thursday|friday|saturday|sunday|january|february|march|april|june|july|august|september|october|november|december`,
      ),
      // "in 3 days", "a week from Monday", "two weeks from now"; not "it's been 10 days" or "this weekend" (no one day).
      wholeWords(
        String.raw`(?:in|within)\s+${COUNT}\s+(?:days?|weeks?|months?|fortnight)|${COUNT}\s+(?:days?|weeks?|months?|fortnight)\s+(?:from|after|later)`,
      ),
      // "may 5", "5 may": an abbreviation or "may" counts only beside a number.
      wholeWords(String.raw`(?:may|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\.?\s*\d{1,2}|\d{1,2}${ORDINAL}?\s+(?:of\s+)?(?:may|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)`),
    ].join('|'),
    'iu',
  ),
};
