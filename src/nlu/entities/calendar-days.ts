/*
 * Calendar days as ISO `YYYY-MM-DD` strings, which compare in date order as
 * plain strings. Arithmetic goes through UTC so a daylight-saving change
 * cannot move a day.
 */

/** `YYYY-MM-DD` when year, month and day make a real date. */
export function calendarDate(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1) return undefined;
  return date.toISOString().slice(0, 10);
}

/** The day a reference time falls on in the host's time zone (as "tomorrow" is counted from it). */
export function isoDay(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

const utc = (day: string): Date => new Date(`${day}T00:00:00Z`);

export function addDays(day: string, days: number): string {
  const date = utc(day);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday: weeks start on Monday, as the date recognizer counts "next Friday". */
export const weekdayOf = (day: string): number => (utc(day).getUTCDay() + 6) % 7;

/** The next `month`/`day` from `today` on (today included); 29 February: the next year that has one. */
export function nextOccurrence(month: number, day: number, today: string): string | undefined {
  const year = Number(today.slice(0, 4));
  for (let next = year; next <= year + 8; next += 1) {
    const date = calendarDate(next, month, day);
    if (date !== undefined && date >= today) return date;
  }
  return undefined;
}

/** The next day numbered `day` of this month or the next from `today` on, when one of them has it. */
export function nextDayOfMonth(day: number, today: string): string | undefined {
  const [year = 0, month = 0] = today.split('-').map(Number);
  const thisMonth = calendarDate(year, month, day);
  if (thisMonth !== undefined && thisMonth >= today) return thisMonth;
  return month === 12 ? calendarDate(year + 1, 1, day) : calendarDate(year, month + 1, day);
}
