import { z } from 'zod';
import { dateCultureOf, dateExtractor } from './date-extractor.ts';
import { extractEmails } from './email-extractor.ts';
import type { EntityExtractor } from './entity-match.ts';
import { isPhoneCountry, phoneExtractor } from './phone-extractor.ts';

/*
 * Entities Switchboard extracts itself, declared in a corpus file by kind
 * instead of by regex (the name is the corpus's own):
 *
 *   "entities": {
 *     "email": { "builtin": "email" },
 *     "phoneNumber": { "builtin": "phoneNumber", "defaultCountry": "ES" },
 *     "date": { "builtin": "date", "numericDates": "dmy" }
 *   }
 *
 * They run after NLP.js's NER rather than inside it: NLP.js's builtin slot
 * (`extract-builtin-<locale>`) is handed only the text and the locale, and
 * "tomorrow" needs the day the message was written.
 */

export const BUILTIN_ENTITY_KINDS = ['email', 'phoneNumber', 'date'] as const;
export type BuiltinEntityKind = (typeof BUILTIN_ENTITY_KINDS)[number];

export const builtinEntitySchema = z.discriminatedUnion('builtin', [
  z.strictObject({ builtin: z.literal('email') }),
  z.strictObject({
    builtin: z.literal('phoneNumber'),
    /** The country of numbers written without one (ISO 3166-1 alpha-2, e.g. "ES"); without it only international numbers count. */
    defaultCountry: z
      .string()
      .refine(isPhoneCountry, 'must be an ISO 3166-1 alpha-2 country code with a numbering plan, e.g. "ES"')
      .optional(),
  }),
  z.strictObject({
    builtin: z.literal('date'),
    /** How 12/03/2026 is read: day first (`dmy`) or month first (`mdy`); default `mdy` in English, `dmy` elsewhere. */
    numericDates: z.enum(['dmy', 'mdy']).optional(),
  }),
]);

export type BuiltinEntity = z.output<typeof builtinEntitySchema>;

/** Whether the built-in entity can run for `locale` (dates need a recognizer culture), or why not. */
export function builtinProblem(entity: BuiltinEntity, locale: string): string | undefined {
  if (entity.builtin === 'date' && dateCultureOf(locale) === undefined) {
    return `"date" entities are not available for locale "${locale}"`;
  }
  return undefined;
}

/** The extractor of a built-in entity in `locale`. */
export function builtinExtractor(entity: BuiltinEntity, locale: string): EntityExtractor {
  switch (entity.builtin) {
    case 'email':
      return extractEmails;
    case 'phoneNumber': {
      const extract = phoneExtractor(entity.defaultCountry !== undefined && isPhoneCountry(entity.defaultCountry) ? entity.defaultCountry : undefined);
      return (text) => extract(text);
    }
    case 'date':
      return dateExtractor({ locale, ...(entity.numericDates ? { numericDates: entity.numericDates } : {}) });
  }
}
