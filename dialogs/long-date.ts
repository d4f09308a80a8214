/** Formatters by locale: building one costs about 55 µs, using one about 1 µs. */
const formatters = new Map<string, Intl.DateTimeFormat>();

/** An ISO date (`2026-11-24`) written out in `locale`'s long style, read as a calendar day (UTC). */
export function longDate(isoDate: string, locale: string): string {
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' });
    formatters.set(locale, formatter);
  }
  return formatter.format(new Date(`${isoDate}T00:00:00Z`));
}
