import path from 'node:path';
import { TEST_MODEL_CACHE } from '../../support/test-host.ts';
import type { SmsAccount } from './sms-load.ts';

/**
 * The environment of a fault test's host: its Redis, the SMS channel pointed
 * at the fake Twilio API on loopback, and the echo bot (one `ack <text>`
 * reply per message, nothing ever escalated), so replies can be counted per
 * message and their order checked.
 */
export function faultHostEnv(settings: {
  redisUrl: string;
  keyPrefix: string;
  account: SmsAccount;
  twilioApiUrl: string;
  claimIdleMs: number;
  extra?: Record<string, string>;
}): Record<string, string> {
  return {
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.keyPrefix,
    TWILIO_ACCOUNT_SID: settings.account.accountSid,
    TWILIO_AUTH_TOKEN: settings.account.authToken,
    TWILIO_API_BASE_URL: settings.twilioApiUrl,
    PUBLIC_BASE_URL: settings.account.publicBaseUrl,
    BOT_MODULE: path.resolve('test/faults/echo-bot/index.ts'),
    INTENTS_DIR: path.resolve('test/faults/echo-bot/intents'),
    MODEL_CACHE_DIR: TEST_MODEL_CACHE,
    // Nothing goes to a person: every message gets its `ack`.
    HANDOFF_THRESHOLD: '0',
    NLU_CLASSIFIER: 'nlpjs',
    OOS_THRESHOLD: '1',
    CSAT_ENABLED: 'false',
    INBOX_CLAIM_IDLE_MS: String(settings.claimIdleMs),
    // A dead host's conversations wait at most this long for its turn locks.
    TURN_LOCK_TTL_MS: String(settings.claimIdleMs),
    SHUTDOWN_TIMEOUT_MS: '3000',
    LOG_LEVEL: 'info',
    ...settings.extra,
  };
}
