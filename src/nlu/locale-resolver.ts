/**
 * Maps the locale a client asks for (`en-GB`, `es`, `ES-mx`) to one the
 * classifier was trained for, by language; anything else gets the first.
 */
export function localeResolver(supported: readonly string[]): (requested: string | undefined) => string {
  const fallback = supported[0] ?? 'en';
  return (requested) => {
    const language = requested?.split('-')[0]?.toLowerCase();
    return supported.find((locale) => locale.toLowerCase() === language) ?? fallback;
  };
}
