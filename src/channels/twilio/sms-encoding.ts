import { splitText } from '../split-text.ts';

/**
 * How an SMS body is encoded and how many segments it takes (3GPP TS 23.038).
 * A body made only of GSM-7 characters is sent in 7-bit units, where the
 * extension table's characters (€, [, ], {, }, \, ^, ~, |, form feed) take
 * two units (an escape and the character); one character outside GSM-7
 * (an emoji, “curly quotes”, an en dash) switches the whole body to UCS-2,
 * counted in UTF-16 units. One segment holds 160 GSM-7 units or 70 UCS-2
 * units; a concatenated message's segments hold 153 or 67 (the rest is the
 * concatenation header).
 */
export type SmsEncoding = 'GSM-7' | 'UCS-2';

export interface SmsMeasure {
  encoding: SmsEncoding;
  /** GSM-7 septets or UCS-2 (UTF-16) units. */
  units: number;
  segments: number;
}

/** Twilio refuses a `Body` longer than this (shared/CHANNELS.md §1). */
export const SMS_BODY_LIMIT = 1600;

const GSM7_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM7_EXTENSION = '\f^{}\\[~]|€';

const BASIC = new Set(GSM7_BASIC);
const EXTENSION = new Set(GSM7_EXTENSION);

const SINGLE = { 'GSM-7': 160, 'UCS-2': 70 } as const;
const CONCATENATED = { 'GSM-7': 153, 'UCS-2': 67 } as const;

/** GSM-7 units of one character, or undefined when GSM-7 cannot carry it. */
function gsm7Units(character: string): 1 | 2 | undefined {
  if (BASIC.has(character)) return 1;
  if (EXTENSION.has(character)) return 2;
  return undefined;
}

export function smsEncoding(text: string): SmsEncoding {
  for (const character of text) if (gsm7Units(character) === undefined) return 'UCS-2';
  return 'GSM-7';
}

/** Units of each character (by code point) in the body's encoding. */
function unitsPerCharacter(text: string, encoding: SmsEncoding): number[] {
  const units: number[] = [];
  for (const character of text) units.push(encoding === 'GSM-7' ? (gsm7Units(character) ?? 1) : character.length);
  return units;
}

/** The body's length in its encoding's units: what the 1,600 limit is checked against. */
export function smsUnits(text: string): number {
  const encoding = smsEncoding(text);
  return encoding === 'UCS-2' ? text.length : unitsPerCharacter(text, encoding).reduce((sum, units) => sum + units, 0);
}

/**
 * Encoding, units and segments of one body. Segments are packed the way
 * handsets reassemble them: an escaped GSM-7 pair or a UTF-16 surrogate pair
 * is never split across two segments, so a segment may hold one unit less.
 */
export function measureSms(text: string): SmsMeasure {
  const encoding = smsEncoding(text);
  const perCharacter = unitsPerCharacter(text, encoding);
  const units = perCharacter.reduce((sum, value) => sum + value, 0);
  if (units <= SINGLE[encoding]) return { encoding, units, segments: 1 };
  const capacity = CONCATENATED[encoding];
  let segments = 1;
  let used = 0;
  for (const value of perCharacter) {
    if (used + value > capacity) {
      segments += 1;
      used = 0;
    }
    used += value;
  }
  return { encoding, units, segments };
}

/**
 * Splits a reply into SMS bodies of at most `limit` units each (1,600 by
 * default), at paragraph, sentence or word boundaries where possible. Each
 * body is measured in its own encoding, so a GSM-7 part is not penalised by
 * an emoji in another part.
 */
export function splitSms(text: string, limit = SMS_BODY_LIMIT): string[] {
  return splitText(text, limit, smsUnits);
}
