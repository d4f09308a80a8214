/**
 * Splits a reply into parts of at most `limit` units, where `measure` says
 * how many units a string takes (characters by default; SMS counts GSM-7 or
 * UCS-2 units). Breaks at a paragraph, line, sentence or word boundary when
 * one falls in the second half of a part, and never inside a surrogate pair.
 */
export function splitText(text: string, limit: number, measure: (part: string) => number = codePointLength): string[] {
  if (limit < 1) throw new RangeError('limit must be at least 1');
  const parts: string[] = [];
  let rest = text;
  while (measure(rest) > limit) {
    const cut = longestPrefix(rest, limit, measure);
    const head = rest.slice(0, cut);
    const boundary = bestBoundary(head);
    const end = boundary > cut / 2 ? boundary : cut;
    const part = rest.slice(0, end).trimEnd();
    if (part !== '') parts.push(part);
    rest = rest.slice(end).trimStart();
  }
  if (rest.trim() !== '' || parts.length === 0) parts.push(rest);
  return parts;
}

const codePointLength = (text: string): number => {
  let count = 0;
  for (const _codePoint of text) count += 1;
  return count;
};

/** The longest prefix (in UTF-16 index) that fits, never splitting a surrogate pair. */
function longestPrefix(text: string, limit: number, measure: (part: string) => number): number {
  let low = 1;
  let high = text.length;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (measure(text.slice(0, middle)) <= limit) low = middle;
    else high = middle - 1;
  }
  const code = text.charCodeAt(low - 1);
  return code >= 0xd800 && code <= 0xdbff && low > 1 ? low - 1 : low;
}

/** Index just after the last paragraph, line, sentence or word break in `text`, or 0. */
function bestBoundary(text: string): number {
  for (const pattern of [/\n\n(?=[^\n]*$)/, /\n(?=[^\n]*$)/, /[.!?]\s(?=[^.!?]*$)/, /\s(?=\S*$)/]) {
    const match = pattern.exec(text);
    if (match) return match.index + match[0].length;
  }
  return 0;
}
