const WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
const STARS = /^(?:[⭐★🌟]\s*){1,5}$/u;
const STAR = /[⭐★🌟]/gu;
const RATING =
  /^(?:(?:i(?:'d| would)?|we(?:'d)?)\s+(?:give|rate)\s+(?:(?:it|you|that|them|him|her)\s+)?(?:an?\s+)?)?([1-5]|one|two|three|four|five)(?:\s*(?:\/\s*(?:5|five)|out\s+of\s+(?:5|five)|stars?|[⭐★🌟]))?$/u;

/**
 * A 1–5 satisfaction rating in a customer's answer, or undefined when the
 * answer is something else (then it is an ordinary message for the bot).
 * Understands digits ("4", "4/5", "4 out of 5", "4 stars", "4️⃣"), words
 * ("four", "I'd give it a four") and stars ("⭐⭐⭐⭐", "★★★★").
 */
export function recognizeRating(text: string): number | undefined {
  const normalized = text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\uFE0E\uFE0F\u20E3]/g, '') // emoji presentation and keycap marks: "4️⃣" is "4"
    .replace(/[’`]/g, "'")
    .trim()
    .replace(/^[\s"'(]+|[\s"')!.]+$/g, '')
    .replace(/\s+/g, ' ');
  if (normalized === '') return undefined;
  if (STARS.test(normalized)) return normalized.match(STAR)?.length;
  const match = RATING.exec(normalized);
  const value = match?.[1];
  if (value === undefined) return undefined;
  return WORDS[value] ?? Number(value);
}
