const WORDS: Record<string, number> = {
  one: 1, two: 2, three: 3, four: 4, five: 5,
  uno: 1, un: 1, una: 1, dos: 2, tres: 3, cuatro: 4, cinco: 5,
};
const STARS = /^(?:[⭐★🌟]\s*){1,5}$/u;
const STAR = /[⭐★🌟]/gu;
const NUMBER = '([1-5]|one|two|three|four|five|uno|un|una|dos|tres|cuatro|cinco)';
/** English: "I'd give it a four", "4 out of 5", "4 stars". */
const RATING_EN = new RegExp(
  `^(?:(?:i(?:'d| would)?|we(?:'d)?)\\s+(?:give|rate)\\s+(?:(?:it|you|that|them|him|her)\\s+)?(?:an?\\s+)?)?${NUMBER}(?:\\s*(?:\\/\\s*(?:5|five)|out\\s+of\\s+(?:5|five)|stars?|[⭐★🌟]))?$`,
  'u',
);
/** Spanish: "le doy un 4", "un cuatro", "4 de 5", "4 sobre 5", "4 estrellas" (accents already removed). */
const RATING_ES = new RegExp(
  `^(?:(?:(?:le|les|te|os)\\s+)?(?:doy|daria|pongo|pondria)\\s+)?(?:(?:un|una)\\s+)?${NUMBER}(?:\\s*(?:\\/\\s*(?:5|cinco)|(?:de|sobre)\\s+(?:5|cinco)|estrellas?|[⭐★🌟]))?$`,
  'u',
);

/**
 * A 1–5 satisfaction rating in a customer's answer, or undefined when the
 * answer is something else (then it is an ordinary message for the bot).
 * Understands digits ("4", "4/5", "4 out of 5", "4 stars", "4️⃣"), words in
 * English and Spanish ("four", "I'd give it a four", "cuatro", "le doy un
 * 4", "4 de 5") and stars ("⭐⭐⭐⭐", "★★★★").
 */
export function recognizeRating(text: string): number | undefined {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\uFE0E\uFE0F\u20E3]/g, '') // emoji presentation and keycap marks: "4️⃣" is "4"
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '') // "daría" is "daria"
    .replace(/[’`]/g, "'")
    .trim()
    .replace(/^[\s"'(¡¿]+|[\s"')!.]+$/g, '')
    .replace(/\s+/g, ' ');
  if (normalized === '') return undefined;
  if (STARS.test(normalized)) return normalized.match(STAR)?.length;
  const value = (RATING_EN.exec(normalized) ?? RATING_ES.exec(normalized))?.[1];
  if (value === undefined) return undefined;
  return WORDS[value] ?? Number(value);
}
