import { addDays, calendarDate, nextDayOfMonth, nextOccurrence } from './calendar-days.ts';
import { alternatives, rulePattern, weekdayDay, wholeWords, type CommonDateWords, type WeekdayRelation } from './common-dates.ts';

/*
 * Spanish dates customers write most; see common-dates.ts. The text comes
 * spelt as the date extractor hands it on: without acute accents ("sabado",
 * "proximo", "dia") and "manana" as "mañana".
 */

const MONTHS: Readonly<Record<string, number>> = {
  enero: 1, febrero: 2, marzo: 3, abril: 4, mayo: 5, junio: 6, julio: 7, agosto: 8,
  septiembre: 9, setiembre: 9, octubre: 10, noviembre: 11, diciembre: 12,
};

const WEEKDAYS: Readonly<Record<string, number>> = {
  lunes: 0, martes: 1, miercoles: 2, jueves: 3, viernes: 4, sabado: 5, domingo: 6,
};

/** Days counted from today; "mañana" after "la" is the morning, read by the not-a-date rule below. */
const RELATIVE_DAYS: Readonly<Record<string, number>> = {
  'antes de ayer': -2, anteayer: -2, ayer: -1, hoy: 0, 'esta mañana': 0, 'esta tarde': 0, 'esta noche': 0,
  mañana: 1, 'pasado mañana': 2,
};

/**
 * As Recognizers-Text reads them: "el próximo viernes" as "next Friday" (that
 * day of next week), "el viernes que viene" as the next Friday after today.
 */
const MODIFIERS: Readonly<Record<string, WeekdayRelation>> = {
  este: 'nearest', proximo: 'next-week', 'que viene': 'after-today', pasado: 'last-week',
};

const PART_OF_DAY = String.raw`(?:\s+(?:por|a|en|de)\s+la\s+(?:mañana|tarde|noche))?`;
const COUNT = String.raw`(?:\d+|un|una|uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|quince|unos|unas|un\s+par\s+de)`;
const words = (phrase: string): string => phrase.toLowerCase().replace(/\s+/g, ' ');

export const SPANISH_DATES: CommonDateWords = {
  rules: [
    {
      // "25 de diciembre", "el día 3 de marzo de 2027", "el primero de mayo"
      pattern: rulePattern(
        String.raw`(?<day>\d{1,2}|primero|1º|1°|1ro)\s+de\s+(?<month>${alternatives(Object.keys(MONTHS))})(?:\s+(?:de|del)\s+(?<year>(?:19|20)\d\d))?`,
      ),
      read: ({ day = '', month = '', year }, today) => {
        const monthNumber = MONTHS[month.toLowerCase()] ?? 0;
        const dayNumber = /^\d+$/.test(day) ? Number(day) : 1;
        const date = year === undefined ? nextOccurrence(monthNumber, dayNumber, today) : calendarDate(Number(year), monthNumber, dayNumber);
        return date === undefined ? 'unsure' : { day: date };
      },
    },
    {
      pattern: rulePattern(
        String.raw`(?<word>${alternatives(Object.keys(RELATIVE_DAYS)).replaceAll(' ', String.raw`\s+`)})(?<!(?:la|por|de|en)\s+mañana)${PART_OF_DAY}`,
      ),
      read: ({ word = '' }, today) => {
        const days = RELATIVE_DAYS[words(word)];
        return days === undefined ? 'unsure' : { day: addDays(today, days) };
      },
    },
    {
      // "por la mañana", "toda la tarde": a part of the day, not a day; "los lunes": every Monday.
      pattern: rulePattern(String.raw`la\s+(?:mañana|tarde|noche)|los\s+(?:${alternatives(Object.keys(WEEKDAYS))})`),
      read: () => 'not-a-date',
    },
    {
      // "el sábado", "el próximo lunes", "el viernes que viene por la tarde"
      pattern: rulePattern(
        String.raw`(?:(?<before>este|proximo)\s+)?(?<weekday>${alternatives(Object.keys(WEEKDAYS))})(?:\s+(?<after>que\s+viene|proximo|pasado))?${PART_OF_DAY}`,
      ),
      read: ({ before, weekday = '', after }, today) => {
        const day = WEEKDAYS[weekday.toLowerCase()];
        const modifier = after ?? before;
        const relation = modifier === undefined ? 'nearest' : MODIFIERS[words(modifier)];
        if (day === undefined || relation === undefined || (before !== undefined && after !== undefined)) return 'unsure';
        return { day: weekdayDay(day, relation, today) };
      },
    },
    {
      // "el 25", "el día 3": the next such day of the month (not "el 5%").
      pattern: rulePattern(String.raw`el\s+(?:dia\s+)?(?<day>\d{1,2})(?:º|°)?(?!\s*%)`),
      read: ({ day }, today) => {
        const date = nextDayOfMonth(Number(day), today);
        return date === undefined ? 'unsure' : { day: date };
      },
    },
  ],
  leftForRecognizer: new RegExp(
    [
      wholeWords(
        String.raw`hoy|mañana|ayer|anteayer|navidad|nochebuena|nochevieja|reyes|año\s+nuevo|lunes|martes|miercoles|jueves|viernes|sabado|domingo|${alternatives(Object.keys(MONTHS))}`,
      ),
      // "dentro de 3 días", "en dos semanas"; not "ya pasó una semana" or "el fin de semana" (no one day).
      wholeWords(String.raw`(?:en|dentro\s+de)\s+${COUNT}\s+(?:dias?|semanas?|mes|meses)|${COUNT}\s+(?:dias?|semanas?)\s+(?:despues|mas\s+tarde)`),
    ].join('|'),
    'iu',
  ),
};
