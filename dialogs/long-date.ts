/** An ISO date (`2026-11-24`) written out in `locale`'s long style, read as a calendar day (UTC). */
export function longDate(isoDate: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${isoDate}T00:00:00Z`));
}
