import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** 256 random bits: the only key to a web chat conversation. */
export const newWebchatToken = (): string => randomBytes(32).toString('base64url');

/** Only the hash is stored, so a leaked store does not leak working tokens. */
export const hashWebchatToken = (token: string): string =>
  createHash('sha256').update(token, 'utf8').digest('hex');

export function webchatTokenMatches(token: string, storedHash: string): boolean {
  const presented = Buffer.from(hashWebchatToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
