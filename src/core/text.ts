/**
 * Message length as customers see it: Unicode code points, so an emoji counts
 * once and not as two UTF-16 units. (Grapheme clusters would count 👍🏽 once
 * rather than twice, but platforms' own limits are not grapheme-based either.)
 */
export function countCharacters(text: string): number {
  let count = 0;
  for (const _codePoint of text) count += 1;
  return count;
}
