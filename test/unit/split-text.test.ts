import { describe, expect, it } from 'vitest';
import { splitText } from '../../src/channels/split-text.ts';

describe('splitText', () => {
  it('leaves a short text whole', () => {
    expect(splitText('hello', 10)).toEqual(['hello']);
  });

  it('breaks at sentences and words, never over the limit', () => {
    const text = 'First sentence here. Second one is longer than that. Third.';
    const parts = splitText(text, 25);
    expect(parts.every((part) => part.length <= 25)).toBe(true);
    expect(parts.join(' ')).toBe(text);
    expect(parts[0]).toBe('First sentence here.');
  });

  it('prefers a paragraph break', () => {
    expect(splitText('aaaa aaaa\n\nbbbb bbbb', 15)).toEqual(['aaaa aaaa', 'bbbb bbbb']);
  });

  it('cuts a long word where it must', () => {
    expect(splitText('x'.repeat(25), 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('never splits an emoji', () => {
    const parts = splitText('😀'.repeat(5), 2);
    expect(parts).toEqual(['😀😀', '😀😀', '😀']);
  });

  it('uses the given measure', () => {
    const doubled = (part: string) => part.length * 2;
    expect(splitText('abcdef', 4, doubled)).toEqual(['ab', 'cd', 'ef']);
  });
});
