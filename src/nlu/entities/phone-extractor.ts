import { findPhoneNumbersInText, isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import type { EntityMatch } from './entity-match.ts';

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/** Whether `country` is an ISO 3166-1 alpha-2 code libphonenumber-js has numbering rules for. */
export const isPhoneCountry = (country: string): country is CountryCode => isSupportedCountry(country);

/**
 * Phone numbers, normalised to E.164 (`+34612345678`), found with
 * libphonenumber-js: international ones (`+34 612 345 678`, `0034…`) in any
 * locale, and national ones (`612 34 56 78`, `(415) 555-0100`) when the
 * corpus names the country they belong to (`defaultCountry`); without it a
 * national number is not taken, since its country would be a guess.
 *
 * A number counts when its length is possible for its country
 * (`extended`: libphonenumber's POSSIBLE leniency), not only when its range is assigned:
 * reserved fiction ranges (+44 7700 900xxx) and ranges newer than the
 * library's metadata still reach the agent, and a lookup by an unassigned
 * number simply finds nobody. A number must stand on its own: one that
 * starts or ends inside a word is part of something else ("A1001 612" is
 * an order number and a number, not the phone number 1001 612); dates are
 * not phone numbers either.
 */
export function phoneExtractor(defaultCountry: CountryCode | undefined): (text: string) => EntityMatch[] {
  return (text) =>
    findPhoneNumbersInText(text, { ...(defaultCountry ? { defaultCountry } : {}), extended: true })
      .filter((found) => !WORD_CHARACTER.test(text.charAt(found.startsAt - 1)) && !WORD_CHARACTER.test(text.charAt(found.endsAt)))
      .map((found) => ({ value: found.number.number, start: found.startsAt, end: found.endsAt }));
}
