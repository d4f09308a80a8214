import { findPhoneNumbersInText, isSupportedCountry, type CountryCode } from 'libphonenumber-js';
import type { EntityMatch } from './entity-match.ts';

const WORD_CHARACTER = /[\p{L}\p{N}]/u;
/** Written with its country: `+34…`, `0034…` (the international prefix most of the world dials). */
const INTERNATIONAL = /^\s*(?:\+|00)/;
/**
 * Every digit libphonenumber-js reads (ASCII, fullwidth, Arabic-Indic) is a
 * decimal digit: a text without one holds no phone number, and most
 * messages have none, so the library's scan of the text is skipped.
 */
const DIGIT = /\p{Nd}/u;

/** Whether `country` is an ISO 3166-1 alpha-2 code libphonenumber-js has numbering rules for. */
export const isPhoneCountry = (country: string): country is CountryCode => isSupportedCountry(country);

/**
 * Phone numbers, normalised to E.164 (`+34612345678`), found with
 * libphonenumber-js: international ones (`+34 612 345 678`, `0034…`) in any
 * locale, and national ones (`612 34 56 78`, `(415) 555-0100`) when the
 * corpus names the country they belong to (`defaultCountry`); without it a
 * national number is not taken, since its country would be a guess.
 *
 * An international number counts when its length is possible for its
 * country (`extended`: libphonenumber's POSSIBLE leniency), not only when
 * its range is assigned: the country is written, and reserved fiction ranges
 * (+44 7700 900xxx) and ranges newer than the library's metadata still reach
 * the agent; a lookup by an unassigned number simply finds nobody. A
 * national number must be a valid one of its country: "order 5551234" is an
 * order number, not a local number somewhere. And a number must stand on
 * its own: one that starts or ends inside a word is part of something else
 * ("A1001 612" is an order number and a number, not the phone number 1001 612).
 */
export function phoneExtractor(defaultCountry: CountryCode | undefined): (text: string) => EntityMatch[] {
  return (text) => {
    if (!DIGIT.test(text)) return [];
    return findPhoneNumbersInText(text, { ...(defaultCountry ? { defaultCountry } : {}), extended: true })
      .filter((found) => !WORD_CHARACTER.test(text.charAt(found.startsAt - 1)) && !WORD_CHARACTER.test(text.charAt(found.endsAt)))
      .filter((found) => INTERNATIONAL.test(text.slice(found.startsAt, found.endsAt)) || found.number.isValid())
      .map((found) => ({ value: found.number.number, start: found.startsAt, end: found.endsAt }));
  };
}
