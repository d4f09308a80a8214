import { z } from 'zod';
import { SwitchboardError } from './core/errors.ts';

/**
 * Every setting comes from an environment variable, validated once at
 * start-up. Defaults run the demo with no Redis and no credentials.
 * The README's configuration table lists these; keep the two in step.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'must start with redis:// or rediss://')
    .optional(),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dot, dash and underscore only')
    .default('sb'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_CONTENT: booleanFromEnv.default(false),
  NLU_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  MAX_MESSAGE_LENGTH: z.coerce.number().int().min(1).max(100_000).default(4096),
  TRANSCRIPT_LIMIT: z.coerce.number().int().min(10).max(100_000).default(500),
  INTENTS_DIR: z.string().min(1).default('intents'),
  MODEL_CACHE_DIR: z.string().min(1).default('.cache/switchboard'),
  BOT_MODULE: z.string().min(1).default('dialogs/index.ts'),
  ORDERS_FILE: z.string().min(1).default('dialogs/data/orders.json'),
  DIALOG_STATE_TTL_SECONDS: z.coerce.number().int().min(60).default(30 * 24 * 3600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
});

export type Config = ReturnType<typeof toConfig>;

function toConfig(v: z.output<typeof configSchema>) {
  return {
    port: v.PORT,
    host: v.HOST,
    redisUrl: v.REDIS_URL,
    redisKeyPrefix: v.REDIS_KEY_PREFIX,
    logLevel: v.LOG_LEVEL,
    logContent: v.LOG_CONTENT,
    nluThreshold: v.NLU_THRESHOLD,
    maxMessageLength: v.MAX_MESSAGE_LENGTH,
    transcriptLimit: v.TRANSCRIPT_LIMIT,
    intentsDir: v.INTENTS_DIR,
    modelCacheDir: v.MODEL_CACHE_DIR,
    botModule: v.BOT_MODULE,
    ordersFile: v.ORDERS_FILE,
    dialogStateTtlSeconds: v.DIALOG_STATE_TTL_SECONDS,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
  };
}

/** Reads the configuration; a bad value throws `invalid_config` naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new SwitchboardError('invalid_config', `Invalid configuration: ${problems}`);
  }
  return toConfig(parsed.data);
}
