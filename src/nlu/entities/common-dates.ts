import { addDays, weekdayOf } from './calendar-days.ts';
import { blankSpan } from './blank-span.ts';
import type { EntityMatch } from './entity-match.ts';

/*
 * The dates customers write most ("tomorrow", "on Sunday", "next Friday",
 * "25 December", "el 3 de marzo", "pasado mañana"), read by a few regular
 * expressions per language instead of Microsoft's Recognizers-Text, which
 * runs hundreds of them and takes 5-20 ms a message. Whatever a language's
 * rules do not settle is left in the text for that recognizer, so rarer
 * forms ("in 3 days", "Christmas Eve") are still found.
 *
 * A rule's match is read as a day, as not a date at all ("por la mañana" is
 * "in the morning"), or as unsure: then its words stay for the recognizer
 * and no later rule reads them (so "monday" in "last monday" is not read as
 * the next Monday).
 */

export type DateReading = { day: string } | 'not-a-date' | 'unsure';

export interface DateRule {
  /** Global, case-insensitive, Unicode; named groups are handed to `read`. */
  pattern: RegExp;
  read(groups: Readonly<Record<string, string | undefined>>, today: string): DateReading;
}

export interface CommonDateWords {
  /** Tried in order, each on what earlier rules left: longer forms first. */
  rules: readonly DateRule[];
  /** Words that may still make a date once the rules have read theirs: the recognizer is asked only when one is left. */
  leftForRecognizer: RegExp;
}

export interface CommonDatesRead {
  found: EntityMatch[];
  /** The text with what the rules settled blanked out (offsets kept), for the recognizer. */
  rest: string;
}

export function readCommonDates(text: string, words: CommonDateWords, today: string): CommonDatesRead {
  const found: EntityMatch[] = [];
  let rest = text;
  let unread = text;
  for (const rule of words.rules) {
    for (const match of unread.matchAll(rule.pattern)) {
      const start = match.index;
      const end = start + match[0].length;
      const reading = rule.read(match.groups ?? {}, today);
      unread = blankSpan(unread, start, end);
      if (reading === 'unsure') continue;
      rest = blankSpan(rest, start, end);
      if (reading !== 'not-a-date') found.push({ value: reading.day, start, end });
    }
  }
  return { found, rest };
}

/** A whole word or phrase: no letter or digit may touch it on either side (`\b` knows only ASCII). */
export const wholeWords = (source: string): string => String.raw`(?<![\p{L}\p{N}])(?:${source})(?![\p{L}\p{N}])`;

export const rulePattern = (source: string): RegExp => new RegExp(wholeWords(source), 'giu');

/** Alternatives of a word table, longest first so "thurs" is tried before "thu". */
export const alternatives = (words: Iterable<string>): string =>
  [...words].sort((a, b) => b.length - a.length).map((word) => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');

/**
 * Which day a weekday name means:
 * - `nearest`: the next such day, today included ("on Sunday", "el lunes");
 * - `after-today`: the next such day after today ("this coming Monday");
 * - `next-week`: that day of the week after this one, weeks starting on
 *   Monday ("next Friday" on a Thursday is eight days on), as Recognizers-Text reads it;
 * - `last-week`: that day of the week before this one ("last Friday").
 */
export type WeekdayRelation = 'nearest' | 'after-today' | 'next-week' | 'last-week';

export function weekdayDay(weekday: number, relation: WeekdayRelation, today: string): string {
  const todayWeekday = weekdayOf(today);
  const ahead = (weekday - todayWeekday + 7) % 7;
  switch (relation) {
    case 'nearest':
      return addDays(today, ahead);
    case 'after-today':
      return addDays(today, ahead === 0 ? 7 : ahead);
    case 'next-week':
      return addDays(today, 7 - todayWeekday + weekday);
    case 'last-week':
      return addDays(today, -7 - todayWeekday + weekday);
  }
}
