import dateTime from '@microsoft/recognizers-text-date-time';
import { blankSpan } from './blank-span.ts';
import type { EntityMatch, ExtractionContext } from './entity-match.ts';

/*
 * Dates, resolved to ISO `YYYY-MM-DD`: "tomorrow", "next Friday",
 * "25 December", "pasado mañana", "el 25 de diciembre", "12/03/2026".
 *
 * Words go to Microsoft's Recognizers-Text date-time recognizer (the one
 * botbuilder-dialogs' prompts use, already installed with it), in the
 * locale's culture, with the message's own time as the reference. Numeric
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

/**
 * Words without which a message holds no date the recognizer would find, by
 * language: the recognizer takes milliseconds a message (hundreds of regular
 * expressions), so a message with none of these (most of them) skips it. A
 * standalone number counts ("the 25th", "el 3"); one inside a word (an order
 * number, A1001) does not. A language without a list always asks the recognizer.
 */
const STANDALONE_NUMBER = String.raw`(?<![\p{L}\p{N}])\d{1,4}(?:st|nd|rd|th|º|ª|o|a)?(?![\p{L}\p{N}])`;
const DATE_HINTS: Readonly<Record<string, RegExp>> = {
  en: new RegExp(
    String.raw`${STANDALONE_NUMBER}|\b(?:today|tonight|tomorrow|tmrw|yesterday|next|this|last|coming|week|weekend|day|days|morning|afternoon|evening|night|noon|christmas|xmas|easter|new year|monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|first|second|third|fourth|fifth|tenth|twentieth|thirtieth)\b`,
    'iu',
  ),
  es: new RegExp(
    String.raw`${STANDALONE_NUMBER}|(?<!\p{L})(?:hoy|mañana|manana|ayer|pasado|próximo|proximo|próxima|proxima|siguiente|que viene|semana|finde|día|dia|días|dias|tarde|noche|mediodía|mediodia|navidad|nochebuena|reyes|año nuevo|lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre|primero|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|quince|veinte|treinta)(?!\p{L})`,
    'iu',
  ),
};

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
  // Built once: `recognizeDateTime` builds a recognizer (hundreds of regular
  // expressions) on every call, which made each message cost milliseconds.
  const model = new dateTime.DateTimeRecognizer(culture).getDateTimeModel(culture, true);
  const hints = DATE_HINTS[culture.slice(0, 2)];
  return (text, { referenceDate }) => {
    const today = isoDay(referenceDate);
    const numeric = numericDates(text, order, today);
    // The recognizer sees the text without the numeric dates (read above), spelt as it reads best.
    let masked = numeric.reduce((rest, found) => blankSpan(rest, found.start, found.end), text);
    for (const [pattern, respell] of spellings) masked = masked.replace(pattern, respell);
    if (hints && !hints.test(masked)) return numeric;
    const worded = model.parse(masked, referenceDate).flatMap((result): EntityMatch[] => {
      const value = resolveDate(result.typeName, result.resolution, today);
      if (value === undefined || !looksLikeADate(result.text)) return [];
      return [{ value, start: result.start, end: result.end + 1 }];
    });
    return [...numeric, ...worded].sort((a, b) => a.start - b.start);
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

function nextOccurrence(month: number, day: number, today: string): string | undefined {
  const year = Number(today.slice(0, 4));
  const thisYear = calendarDate(year, month, day);
  if (thisYear !== undefined && thisYear >= today) return thisYear;
  // 29 February: the next year that has one.
  for (let next = year + 1; next <= year + 8; next += 1) {
    const date = calendarDate(next, month, day);
    if (date !== undefined) return date;
  }
  return undefined;
}

/** `YYYY-MM-DD` when year, month and day make a real date. */
function calendarDate(year: number, month: number, day: number): string | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

const fullYear = (year: string): number => (year.length === 2 ? 2000 + Number(year) : Number(year));

/** The reference day in the host's time zone, as the recognizer counts "tomorrow" from it. */
function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
