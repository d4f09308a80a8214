/*
 * Text the bot says in each of its languages. A catalogue maps each locale
 * to one object of the same interface:
 *
 *   interface Notices { joined(agent: string): string; … }
 *   const NOTICES = { en: { joined: … }, es: { joined: … } } satisfies Catalogue<Notices>;
 *
 * `Catalogue<M>` needs every locale of FRAMEWORK_LOCALES, and `M` every key,
 * so a language missing a key, or a locale added here without its texts,
 * fails the typecheck instead of speaking English at run time. A bot's own
 * catalogue may use its own locales (`Catalogue<M, 'en' | 'es' | 'fr'>`).
 */

/** The languages Switchboard's own customer-facing text (handoff notices, CSAT, apologies) is written in. */
export const FRAMEWORK_LOCALES = ['en', 'es'] as const;
export type FrameworkLocale = (typeof FRAMEWORK_LOCALES)[number];

export type Catalogue<Messages, Locale extends string = FrameworkLocale> = Readonly<Record<Locale, Messages>>;

/**
 * The messages for `locale` (`es`, `es-MX` and `ES` all read `es`), or those
 * of `fallback` (default `en`) when the catalogue has no such language: a
 * bot trained for a language the catalogue lacks still gets an answer.
 */
export function messagesFor<Messages, Locale extends string>(
  catalogue: Catalogue<Messages, Locale>,
  locale: string,
  fallback: Locale = 'en' as Locale,
): Messages {
  const language = locale.toLowerCase().split(/[-_]/)[0] ?? '';
  return isLocaleOf(catalogue, language) ? catalogue[language] : catalogue[fallback];
}

function isLocaleOf<Locale extends string>(catalogue: Readonly<Record<Locale, unknown>>, key: string): key is Locale {
  return Object.hasOwn(catalogue, key);
}
