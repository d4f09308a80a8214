import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { unauthorized } from '../core/errors.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    /** Which API key made the request: the first 8 hex digits of its SHA-256 (safe to log). */
    apiKeyId: string;
  }
}

const digest = (key: string): Buffer => createHash('sha256').update(key, 'utf8').digest();

/**
 * The keys of API_KEYS, for the business's own systems (notifications,
 * event subscriptions). Only their SHA-256 digests are kept; a presented key
 * is compared with every one in constant time, so the time taken says
 * nothing about which key (if any) nearly matched.
 */
export class ApiKeys {
  private readonly digests: Buffer[];

  constructor(keys: readonly string[]) {
    this.digests = keys.map(digest);
  }

  get size(): number {
    return this.digests.length;
  }

  /** The key's id (see `apiKeyId`), or undefined when it is not one of ours. */
  authenticate(key: string): string | undefined {
    const presented = digest(key);
    let found: Buffer | undefined;
    for (const candidate of this.digests) {
      if (timingSafeEqual(presented, candidate)) found = candidate;
    }
    return found?.toString('hex').slice(0, 8);
  }
}

/** `Authorization: Bearer <API key>` or 401. */
export function requireApiKey(keys: ApiKeys): RequestHandler {
  return (req, res, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,256})$/.exec(req.header('authorization') ?? '');
    const id = match?.[1] ? keys.authenticate(match[1]) : undefined;
    if (!id) {
      throw unauthorized(
        keys.size === 0
          ? 'No API keys are configured on this host (API_KEYS).'
          : 'Send an API key as "Authorization: Bearer <key>".',
      );
    }
    res.locals.apiKeyId = id;
    next();
  };
}
