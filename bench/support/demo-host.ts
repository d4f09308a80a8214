import path from 'node:path';
import type { SmsAccount } from '../../test/faults/support/sms-load.ts';

/**
 * Node options of a host as `npm start` runs one (README, "Operations"):
 * an explicit heap limit, without which V8 sizes the heap from the
 * machine's memory and, under a high allocation rate, lets the old
 * generation grow to about four times the live set before collecting it.
 */
export const HOST_NODE_OPTIONS: readonly string[] = ['--max-old-space-size=512'];

/**
 * The demo bot as the benchmarks run it: a host process (`switchboard
 * serve`) with the SMS channel pointed at a fake Twilio API on loopback,
 * Redis or the in-memory stores, and logging at `info` as in production.
 */
export function demoHostEnv(settings: {
  /** Unset: the in-memory stores (the zero-setup default). */
  redisUrl?: string;
  keyPrefix: string;
  account: SmsAccount;
  twilioApiUrl: string;
}): Record<string, string> {
  return {
    ...(settings.redisUrl === undefined ? {} : { REDIS_URL: settings.redisUrl }),
    REDIS_KEY_PREFIX: settings.keyPrefix,
    TWILIO_ACCOUNT_SID: settings.account.accountSid,
    TWILIO_AUTH_TOKEN: settings.account.authToken,
    TWILIO_API_BASE_URL: settings.twilioApiUrl,
    PUBLIC_BASE_URL: settings.account.publicBaseUrl,
    MODEL_CACHE_DIR: path.resolve('.cache/switchboard'),
    LOG_LEVEL: 'info',
  };
}

/**
 * Questions the demo bot answers with exactly one reply each, whatever came
 * before (no dialog waits for an answer after them, none goes to a person),
 * so replies can be counted and timed per message.
 */
export const DEMO_TEXTS: readonly string[] = [
  'when are you open?',
  'how much is express delivery?',
  'thanks!',
  'hello',
  'what are your opening hours on sunday?',
];
