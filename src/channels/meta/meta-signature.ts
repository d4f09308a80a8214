import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = 'ok' | 'missing' | 'invalid';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

/**
 * Checks Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256(app secret, raw body)>`
 * (shared/CHANNELS.md §2) over the exact bytes received, in constant time.
 */
export function checkMetaSignature(appSecret: string, rawBody: Buffer, header: string | undefined): SignatureCheck {
  if (header === undefined || header.trim() === '') return 'missing';
  const match = SIGNATURE.exec(header.trim());
  if (!match?.[1]) return 'invalid';
  const expected = createHmac('sha256', appSecret).update(rawBody).digest();
  const given = Buffer.from(match[1], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected) ? 'ok' : 'invalid';
}

/** Compares two secrets in constant time, whatever their lengths (both are hashed first). */
export function secretsMatch(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected));
}
