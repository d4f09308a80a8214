import type { EntityMatch } from './entity-match.ts';

/*
 * E-mail addresses as customers type them, including internationalised ones
 * (`josé@ejemplo.es`, `用户@例子.广告`): a local part of letters, digits and
 * `._%+-`, an `@`, and dot-separated labels of letters and digits (hyphens
 * inside) ending in a top-level domain of two or more letters. The
 * lookarounds keep it from starting or ending inside a longer word, and
 * anything around it (HTML tags, `mailto:`, brackets, emoji) is left out.
 * This is deliberately not RFC 5322 (quoted local parts, IP literals): those
 * are not what people write in a chat.
 */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}_%+-](?:[\p{L}\p{N}._%+-]*[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]*[\p{L}\p{N}])?\.)+\p{L}{2,}(?![\p{L}\p{N}-])/gu;

/**
 * Every e-mail address in `text`. The value has its domain lower-cased
 * (domains are case-insensitive; the local part is kept as written, as only
 * the receiving server may interpret it).
 */
export function extractEmails(text: string): EntityMatch[] {
  return [...text.matchAll(EMAIL)].map((match) => {
    const address = match[0];
    const at = address.lastIndexOf('@');
    return {
      value: `${address.slice(0, at)}@${address.slice(at + 1).toLowerCase()}`,
      start: match.index,
      end: match.index + address.length,
    };
  });
}
