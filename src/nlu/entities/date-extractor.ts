import dateTime from '@microsoft/recognizers-text-date-time';
import { blankSpan } from './blank-span.ts';
import { calendarDate, isoDay, nextOccurrence } from './calendar-days.ts';
import { ENGLISH_DATES } from './common-dates-en.ts';
import { SPANISH_DATES } from './common-dates-es.ts';
import { readCommonDates, type CommonDateWords } from './common-dates.ts';
import type { EntityMatch, ExtractionContext } from './entity-match.ts';

/*
 * Dates, resolved to ISO `YYYY-MM-DD`: "tomorrow", "next Friday",
 * "25 December", "pasado mañana", "el 25 de diciembre", "12/03/2026".
 *
 * The forms customers write most are read by a few rules per language
 * (common-dates-<language>.ts); what they leave goes to Microsoft's
 * Recognizers-Text date-time recognizer (the one botbuilder-dialogs' prompts
 * use, already installed with it), in the locale's culture, with the
 * message's own time as the reference, only when a date word is left in it:
 * the recognizer takes 5-20 ms a message, the rules microseconds. Numeric
 * dates are read here instead, in the order the corpus says (`dmy` or
 * `mdy`): the recognizer has one English culture, `en-us`, which would read
 * a British 12/03/2026 as 3 December.
 *
 * A date without a year ("25 December", "Monday") is the next such day from
 * the reference day on (today included): the dialogs ask for dates to come
 * (a pick-up, a callback). A span of several days ("next week") is not a
 * date; a time on a day ("tomorrow at 5pm", "el lunes por la tarde") is that day.
 */

export type NumericDateOrder = 'dmy' | 'mdy';

/** Recognizers-Text cultures by language; a locale without one has no date entity. */
const CULTURES: Readonly<Record<string, string>> = {
  en: 'en-us',
  es: 'es-es',
  fr: 'fr-fr',
  pt: 'pt-br',
  de: 'de-de',
  it: 'it-it',
  nl: 'nl-nl',
  zh: 'zh-cn',
  ja: 'ja-jp',
};

export const dateCultureOf = (locale: string): string | undefined => CULTURES[locale.slice(0, 2).toLowerCase()];

/** The order numeric dates are read in when the corpus does not say: month first only in (US) English. */
export const defaultNumericDateOrder = (locale: string): NumericDateOrder => (locale.startsWith('en') ? 'mdy' : 'dmy');

/**
 * Words the recognizer takes for a date although in a chat they almost never
 * are: weekday and month abbreviations that are common words ("mi pedido"
 * is "my order", not "Wednesday"; "may I", "sat", "mar" is "sea").
 */
const NOT_A_DATE = new Set([
  'mon', 'tue', 'tues', 'wed', 'thu', 'thur', 'thurs', 'fri', 'sat', 'sun', 'may', 'mar', 'jun', 'jul',
  'lu', 'ma', 'mi', 'ju', 'vi', 'sa', 'do', 'lun', 'mie', 'mié', 'jue', 'vie', 'sab', 'sáb', 'dom',
]);

/**
 * What the recognizer reads more reliably, each character replaced by one so
 * offsets stay those of the message. Spanish: without acute accents (it
 * resolves "el sábado" to 0000-00-00 but "el sabado" right), and "manana",
 * as people type it, with its ñ (it misses "manana").
 */
const SPELLINGS: Readonly<Record<string, ReadonlyArray<[RegExp, (match: string) => string]>>> = {
  es: [
    [/[áéíóúü]/giu, (vowel) => vowel.normalize('NFD').charAt(0)],
    [/\bmanana\b/giu, (word) => (word === word.toUpperCase() ? 'MAÑANA' : 'mañana')],
  ],
};

/** The common forms read without the recognizer, by language (common-dates.ts). */
const COMMON_DATES: Readonly<Record<string, CommonDateWords>> = { en: ENGLISH_DATES, es: SPANISH_DATES };

const NUMERIC_DATE = /(?<![\p{N}/.-])(\d{1,2})([/.-])(\d{1,2})(?:\2(\d{4}|\d{2}))?(?![\p{N}]|[/.-]\p{N})/gu;

const ISO_DATE = /^(\d{4}-\d{2}-\d{2})/;

export interface DateExtractorSettings {
  locale: string;
  numericDates?: NumericDateOrder;
}

export function dateExtractor(settings: DateExtractorSettings): (text: string, context: ExtractionContext) => EntityMatch[] {
  const culture = dateCultureOf(settings.locale);
  if (culture === undefined) {
    throw new Error(`dates cannot be recognised in locale "${settings.locale}" (supported: ${Object.keys(CULTURES).join(', ')})`);
  }
  const order = settings.numericDates ?? defaultNumericDateOrder(settings.locale);
  const spellings = SPELLINGS[culture.slice(0, 2)] ?? [];
  // Built once, on the first message the rules leave a date word in:
  // `recognizeDateTime` would build a recognizer (hundreds of regular
  // expressions) on every call, and a culture's model holds about 40 MB of
  // the host's memory, which a bot whose customers write the common forms
  // never needs. The first such message waits about 130 ms for it.
  let model: ReturnType<dateTime.DateTimeRecognizer['getDateTimeModel']> | undefined;
  const recognizer = () => (model ??= new dateTime.DateTimeRecognizer(culture).getDateTimeModel(culture, true));
  const common = COMMON_DATES[culture.slice(0, 2)];
  return (text, { referenceDate }) => {
    const today = isoDay(referenceDate);
    const numeric = numericDates(text, order, today);
    // What is read here is blanked for the recognizer (offsets kept), spelt as it reads best.
    let rest = numeric.reduce((masked, found) => blankSpan(masked, found.start, found.end), text);
    for (const [pattern, respell] of spellings) rest = rest.replace(pattern, respell);
    let read = numeric;
    if (common) {
      const commonDates = readCommonDates(rest, common, today);
      read = [...numeric, ...commonDates.found];
      rest = commonDates.rest;
      if (!common.leftForRecognizer.test(rest)) return read.sort((a, b) => a.start - b.start);
    }
    const worded = recognizer().parse(rest, referenceDate).flatMap((result): EntityMatch[] => {
      const value = resolveDate(result.typeName, result.resolution, today);
      if (value === undefined || !looksLikeADate(result.text)) return [];
      return [{ value, start: result.start, end: result.end + 1 }];
    });
    return [...read, ...worded].sort((a, b) => a.start - b.start);
  };
}

function numericDates(text: string, order: NumericDateOrder, today: string): EntityMatch[] {
  const found: EntityMatch[] = [];
  for (const match of text.matchAll(NUMERIC_DATE)) {
    const [whole, first = '', , second = '', year] = match;
    const [day, month] = order === 'dmy' ? [Number(first), Number(second)] : [Number(second), Number(first)];
    const value = year === undefined ? nextOccurrence(month, day, today) : calendarDate(fullYear(year), month, day);
    if (value !== undefined) found.push({ value, start: match.index, end: match.index + whole.length });
  }
  return found;
}

/** The resolved date of one recognizer result, or undefined when it is not one day. */
function resolveDate(typeName: string, resolution: unknown, today: string): string | undefined {
  const values = valuesOf(resolution);
  let candidates: string[];
  switch (typeName) {
    case 'datetimeV2.date':
    case 'datetimeV2.datetime':
      candidates = values.map((value) => dayOf(value.value)).filter(isString);
      break;
    case 'datetimeV2.datetimerange':
      // "el lunes por la tarde": a range within one day is that day.
      candidates = values
        .filter((value) => dayOf(value.start) !== undefined && dayOf(value.start) === dayOf(value.end))
        .map((value) => dayOf(value.start))
        .filter(isString);
      break;
    default:
      return undefined;
  }
  return candidates.find((candidate) => candidate >= today) ?? candidates.at(-1);
}

interface ResolutionValue {
  value?: unknown;
  start?: unknown;
  end?: unknown;
}

function valuesOf(resolution: unknown): ResolutionValue[] {
  if (typeof resolution !== 'object' || resolution === null || !('values' in resolution)) return [];
  const { values } = resolution;
  return Array.isArray(values) ? values.filter((value): value is ResolutionValue => typeof value === 'object' && value !== null) : [];
}

/** The day of a resolved value, when it is a real date (the recognizer sometimes answers 0000-00-00). */
function dayOf(value: unknown): string | undefined {
  const day = typeof value === 'string' ? ISO_DATE.exec(value)?.[1] : undefined;
  if (day === undefined) return undefined;
  const [year = 0, month = 0, date = 0] = day.split('-').map(Number);
  return year >= 1900 ? calendarDate(year, month, date) : undefined;
}

const isString = (value: string | undefined): value is string => value !== undefined;

function looksLikeADate(text: string): boolean {
  const words = text.trim().toLowerCase();
  return /\p{N}/u.test(words) || (words.length >= 3 && !NOT_A_DATE.has(words));
}

const fullYear = (year: string): number => (year.length === 2 ? 2000 + Number(year) : Number(year));

