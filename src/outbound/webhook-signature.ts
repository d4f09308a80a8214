import { createHmac, timingSafeEqual } from 'node:crypto';

/** The header every delivery carries: `sha256=` and the hex HMAC-SHA256 of the raw body, keyed with the subscription's secret. */
export const SIGNATURE_HEADER = 'x-switchboard-signature-256';

export function signBody(secret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * What a receiver does (shown here so tests and README use the same code):
 * recompute the HMAC over the exact bytes received and compare in constant
 * time. Parse the JSON only after this passes.
 */
export function verifySignature(secret: string, body: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(signBody(secret, body));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
