/** `text` with [start, end) replaced by spaces: what is left keeps the message's offsets. */
export function blankSpan(text: string, start: number, end: number): string {
  return text.slice(0, start) + ' '.repeat(end - start) + text.slice(end);
}
