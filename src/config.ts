import { z } from 'zod';
import { SwitchboardError } from './core/errors.ts';
import { DEFAULT_OOS_THRESHOLD } from './handoff/escalation-policy.ts';
import { ESCALATION_REASONS } from './handoff/escalation-reason.ts';
import { DEFAULT_NLU_CLASSIFIER, NLU_CLASSIFIERS } from './nlu/nlpjs-classifier.ts';
import {
  apiKeysFromEnv,
  eventWebhooksFromEnv,
  headerFromEnv,
  urlTemplateFromEnv,
} from './outbound/integration-config.ts';

/**
 * Every setting comes from an environment variable, validated once at
 * start-up. Defaults run the demo with no Redis and no credentials.
 * The README's configuration table lists these; keep the two in step.
 */
const booleanFromEnv = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const SKILL_PATTERN = /^[\p{L}\p{N}_-]{1,64}$/u;

/** `a=1,b=2` → Map; each value checked by `value`. */
function pairs<Value extends z.ZodType>(shape: string, value: Value, keys?: readonly string[]) {
  return z.string().transform((text, ctx) => {
    const result = new Map<string, z.output<Value>>();
    for (const pair of text.split(',').map((part) => part.trim()).filter(Boolean)) {
      const [key, raw, ...rest] = pair.split('=').map((part) => part.trim());
      const parsed = value.safeParse(raw);
      if (key && keys && !keys.includes(key)) {
        ctx.addIssue({ code: 'custom', message: `"${key}" is not one of ${keys.join(', ')}` });
        return z.NEVER;
      }
      if (!key || raw === undefined || rest.length > 0 || !parsed.success) {
        ctx.addIssue({ code: 'custom', message: `expected ${shape} pairs separated by commas; "${pair}" is not one` });
        return z.NEVER;
      }
      result.set(key, parsed.data);
    }
    return result;
  });
}

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
  // Redis Cluster instead of one server: seed nodes, `host:port` or `redis[s]://[user:password@]host:port`.
  REDIS_CLUSTER_NODES: z
    .string()
    .transform((text, ctx) => {
      const nodes = text.split(',').map((node) => node.trim()).filter(Boolean);
      const bad = nodes.find((node) => !/^(?:rediss?:\/\/(?:[^@/]*@)?)?[A-Za-z0-9.\-[\]:]+:\d{1,5}\/?$/.test(node));
      if (nodes.length === 0 || bad !== undefined) {
        ctx.addIssue({ code: 'custom', message: `expected host:port (or redis://host:port) entries separated by commas${bad ? `; "${bad}" is not one` : ''}` });
        return z.NEVER;
      }
      return nodes;
    })
    .optional(),
  // The durable inbox (README "Reliability and scaling").
  INBOX_CLAIM_IDLE_MS: z.coerce.number().int().min(500).max(3_600_000).default(15_000),
  INBOX_CONCURRENCY: z.coerce.number().int().min(1).max(10_000).default(64),
  TURN_LOCK_TTL_MS: z.coerce.number().int().min(1_000).max(600_000).default(10_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_CONTENT: booleanFromEnv.default(false),
  NLU_THRESHOLD: z.coerce.number().min(0).max(1).default(0.5),
  NLU_CLASSIFIER: z.enum(NLU_CLASSIFIERS).default(DEFAULT_NLU_CLASSIFIER),
  // Unset: each locale's calibration.json measured on the out-of-scope score, else DEFAULT_OOS_THRESHOLD.
  OOS_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  MAX_MESSAGE_LENGTH: z.coerce.number().int().min(1).max(100_000).default(4096),
  TRANSCRIPT_LIMIT: z.coerce.number().int().min(10).max(100_000).default(500),
  INTENTS_DIR: z.string().min(1).default('intents'),
  MODEL_CACHE_DIR: z.string().min(1).default('.cache/switchboard'),
  BOT_MODULE: z.string().min(1).default('dialogs/index.ts'),
  ORDERS_FILE: z.string().min(1).default('dialogs/data/orders.json'),
  DIALOG_STATE_TTL_SECONDS: z.coerce.number().int().min(60).default(30 * 24 * 3600),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).default(10_000),
  PUBLIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),

  // Unset: each locale's calibration.json (intents calibrate), else DEFAULT_HANDOFF_THRESHOLD.
  HANDOFF_THRESHOLD: z.coerce.number().min(0).max(1).optional(),
  NEGATIVE_SENTIMENT_THRESHOLD: z.coerce.number().max(0).default(-0.5),
  REPEATED_FALLBACK_LIMIT: z.coerce.number().int().min(1).default(2),
  HANDOFF_WORDS: z.string().optional(),
  HANDOFF_SKILLS: pairs('intent=skill', z.string().regex(SKILL_PATTERN, 'a skill is letters, digits, - and _')).default(
    new Map(),
  ),
  HANDOFF_DEFAULT_SKILL: z.string().regex(SKILL_PATTERN).default('general'),
  HANDOFF_PRIORITIES: pairs('reason=priority', z.coerce.number().int().min(0).max(1000), ESCALATION_REASONS).default(
    new Map([
      ['negative_sentiment', 10],
      ['customer_request', 5],
    ]),
  ),
  HANDOFF_AUTO_ASSIGN: booleanFromEnv.default(true),
  AGENT_LEASE_MS: z.coerce.number().int().min(1_000).default(60_000),
  NO_AGENT_TIMEOUT_MS: z.coerce.number().int().min(1_000).default(120_000),
  // Unset: the notice in the conversation's language (src/handoff/handoff-notices.ts); set: this text in every language.
  NO_AGENT_MESSAGE: z.string().min(1).optional(),
  HANDOFF_SWEEP_MS: z.coerce.number().int().min(100).default(2_000),
  // Unset: the reply in the conversation's language (src/core/turn-text.ts); set: this text in every language.
  TEXT_ONLY_REPLY: z.string().min(1).optional(),
  AGENTS_FILE: z.string().min(1).optional(),
  AGENTS: z.string().min(1).optional(),

  // Business integrations: customer context, notifications API, outbound events, CSAT (README "Integrations").
  CUSTOMERS_FILE: z.string().min(1).default('dialogs/data/customers.json'),
  CONTEXT_PROVIDER: z.enum(['json', 'http']).default('json'),
  CONTEXT_HTTP_CUSTOMER_URL: urlTemplateFromEnv('customerUrl').optional(),
  CONTEXT_HTTP_ORDER_URL: urlTemplateFromEnv('orderUrl').optional(),
  CONTEXT_HTTP_CUSTOMER_ORDERS_URL: urlTemplateFromEnv('customerOrdersUrl').optional(),
  CONTEXT_HTTP_CUSTOMER_CASES_URL: urlTemplateFromEnv('customerCasesUrl').optional(),
  CONTEXT_HTTP_CANCEL_ORDER_URL: urlTemplateFromEnv('cancelOrderUrl').optional(),
  CONTEXT_HTTP_AUTH_HEADER: headerFromEnv.optional(),
  CONTEXT_TIMEOUT_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
  CONTEXT_CACHE_TTL_MS: z.coerce.number().int().min(0).default(60_000),
  API_KEYS: apiKeysFromEnv.optional(),
  EVENT_WEBHOOKS: eventWebhooksFromEnv.optional(),
  EVENT_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  EVENT_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(10).default(5_000),
  EVENT_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(10_000),
  CSAT_ENABLED: booleanFromEnv.default(true),

  // Platform channels: each is enabled when its credentials are set (see README).
  TWILIO_ACCOUNT_SID: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'an Account SID: AC followed by 32 hex digits').optional(),
  TWILIO_AUTH_TOKEN: z.string().min(1).optional(),
  TWILIO_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://api.twilio.com'),
  TWILIO_MESSAGING_SERVICE_SID: z.string().regex(/^MG[0-9a-fA-F]{32}$/).optional(),
  META_APP_SECRET: z.string().min(1).optional(),
  META_VERIFY_TOKEN: z.string().min(1).optional(),
  MESSENGER_PAGE_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_ACCESS_TOKEN: z.string().min(1).optional(),
  WHATSAPP_PHONE_NUMBER_ID: z.string().regex(/^\d+$/, 'digits only').optional(),
  GRAPH_API_BASE_URL: z.url({ protocol: /^https?$/ }).default('https://graph.facebook.com'),
  GRAPH_API_VERSION: z.string().regex(/^v\d+\.\d+$/, 'like v21.0').default('v21.0'),
  MicrosoftAppId: z.string().min(1).optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).optional(),
  MicrosoftAppTenantId: z.string().min(1).optional(),
  // Bot Framework endpoints (botbuilder's ToBotFromChannelOpenIdMetadataUrl, ToBotFromChannelTokenIssuer,
  // ToChannelFromBotLoginUrl): Microsoft's public cloud unless set, for private clouds and tests.
  BOTFRAMEWORK_OPENID_METADATA_URL: z.url({ protocol: /^https?$/ }).default('https://login.botframework.com/v1/.well-known/openidconfiguration'),
  BOTFRAMEWORK_TOKEN_ISSUER: z.string().min(1).default('https://api.botframework.com'),
  BOTFRAMEWORK_LOGIN_URL: z.url({ protocol: /^https?$/ }).default('https://login.microsoftonline.com/botframework.com'),
});

export type Config = ReturnType<typeof toConfig>;

/** HANDOFF_THRESHOLD when neither the variable nor a locale's calibration.json sets it. */
export const DEFAULT_HANDOFF_THRESHOLD = 0.35;

function toConfig(v: z.output<typeof configSchema>) {
  return {
    port: v.PORT,
    host: v.HOST,
    redisUrl: v.REDIS_URL,
    redisKeyPrefix: v.REDIS_KEY_PREFIX,
    redisClusterNodes: v.REDIS_CLUSTER_NODES,
    inbox: { claimIdleMs: v.INBOX_CLAIM_IDLE_MS, concurrency: v.INBOX_CONCURRENCY, turnLockTtlMs: v.TURN_LOCK_TTL_MS },
    logLevel: v.LOG_LEVEL,
    logContent: v.LOG_CONTENT,
    nluThreshold: v.NLU_THRESHOLD,
    nluClassifier: v.NLU_CLASSIFIER,
    maxMessageLength: v.MAX_MESSAGE_LENGTH,
    transcriptLimit: v.TRANSCRIPT_LIMIT,
    intentsDir: v.INTENTS_DIR,
    modelCacheDir: v.MODEL_CACHE_DIR,
    botModule: v.BOT_MODULE,
    ordersFile: v.ORDERS_FILE,
    customersFile: v.CUSTOMERS_FILE,
    context: contextConfig(v),
    apiKeys: v.API_KEYS ?? [],
    eventWebhooks: {
      subscriptions: v.EVENT_WEBHOOKS ?? [],
      maxAttempts: v.EVENT_WEBHOOK_MAX_ATTEMPTS,
      retryBaseMs: v.EVENT_WEBHOOK_RETRY_BASE_MS,
      timeoutMs: v.EVENT_WEBHOOK_TIMEOUT_MS,
    },
    csatEnabled: v.CSAT_ENABLED,
    dialogStateTtlSeconds: v.DIALOG_STATE_TTL_SECONDS,
    shutdownTimeoutMs: v.SHUTDOWN_TIMEOUT_MS,
    textOnlyReply: v.TEXT_ONLY_REPLY,
    publicBaseUrl: v.PUBLIC_BASE_URL?.replace(/\/$/, ''),
    handoff: {
      threshold: v.HANDOFF_THRESHOLD ?? DEFAULT_HANDOFF_THRESHOLD,
      /** HANDOFF_THRESHOLD was set: it applies to every locale, over any calibration file. */
      thresholdFromEnv: v.HANDOFF_THRESHOLD !== undefined,
      outOfScopeThreshold: v.OOS_THRESHOLD ?? DEFAULT_OOS_THRESHOLD,
      /** OOS_THRESHOLD was set: it applies to every locale, over any calibration file. */
      outOfScopeThresholdFromEnv: v.OOS_THRESHOLD !== undefined,
      negativeSentimentScore: v.NEGATIVE_SENTIMENT_THRESHOLD,
      repeatedFallbackLimit: v.REPEATED_FALLBACK_LIMIT,
      words: v.HANDOFF_WORDS?.split(',').map((word) => word.trim()).filter(Boolean),
      skills: v.HANDOFF_SKILLS,
      defaultSkill: v.HANDOFF_DEFAULT_SKILL,
      priorities: v.HANDOFF_PRIORITIES,
      autoAssign: v.HANDOFF_AUTO_ASSIGN,
      agentLeaseMs: v.AGENT_LEASE_MS,
      noAgentTimeoutMs: v.NO_AGENT_TIMEOUT_MS,
      noAgentMessage: v.NO_AGENT_MESSAGE,
      sweepMs: v.HANDOFF_SWEEP_MS,
    },
    agentsFile: v.AGENTS_FILE,
    agentsJson: v.AGENTS,
    twilio: {
      accountSid: v.TWILIO_ACCOUNT_SID,
      authToken: v.TWILIO_AUTH_TOKEN,
      apiBaseUrl: v.TWILIO_API_BASE_URL.replace(/\/$/, ''),
      messagingServiceSid: v.TWILIO_MESSAGING_SERVICE_SID,
    },
    meta: {
      appSecret: v.META_APP_SECRET,
      verifyToken: v.META_VERIFY_TOKEN,
      messengerPageAccessToken: v.MESSENGER_PAGE_ACCESS_TOKEN,
      whatsappAccessToken: v.WHATSAPP_ACCESS_TOKEN,
      whatsappPhoneNumberId: v.WHATSAPP_PHONE_NUMBER_ID,
      graphApiBaseUrl: v.GRAPH_API_BASE_URL.replace(/\/$/, ''),
      graphApiVersion: v.GRAPH_API_VERSION,
    },
    botFramework: {
      appId: v.MicrosoftAppId,
      appPassword: v.MicrosoftAppPassword,
      appType: v.MicrosoftAppType,
      tenantId: v.MicrosoftAppTenantId,
      openIdMetadataUrl: v.BOTFRAMEWORK_OPENID_METADATA_URL,
      tokenIssuer: v.BOTFRAMEWORK_TOKEN_ISSUER,
      loginUrl: v.BOTFRAMEWORK_LOGIN_URL.replace(/\/$/, ''),
    },
  };
}

/** Where customer and order context comes from (the demo's JSON files, or the business's HTTP API). */
function contextConfig(v: z.output<typeof configSchema>) {
  const http =
    v.CONTEXT_PROVIDER === 'http'
      ? {
          customerUrl: v.CONTEXT_HTTP_CUSTOMER_URL,
          orderUrl: v.CONTEXT_HTTP_ORDER_URL ?? '',
          customerOrdersUrl: v.CONTEXT_HTTP_CUSTOMER_ORDERS_URL,
          customerCasesUrl: v.CONTEXT_HTTP_CUSTOMER_CASES_URL,
          cancelOrderUrl: v.CONTEXT_HTTP_CANCEL_ORDER_URL,
          authHeader: v.CONTEXT_HTTP_AUTH_HEADER,
        }
      : undefined;
  if (http && !http.orderUrl) {
    throw new SwitchboardError('invalid_config', 'Invalid configuration: CONTEXT_HTTP_ORDER_URL: required when CONTEXT_PROVIDER is http');
  }
  return { provider: v.CONTEXT_PROVIDER, http, timeoutMs: v.CONTEXT_TIMEOUT_MS, cacheTtlMs: v.CONTEXT_CACHE_TTL_MS };
}

/** Reads the configuration; a bad value throws `invalid_config` naming the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(
    Object.entries(env).filter(([, value]) => value !== undefined && value !== ''),
  );
  if (present.REDIS_URL !== undefined && present.REDIS_CLUSTER_NODES !== undefined) {
    throw new SwitchboardError('invalid_config', 'Invalid configuration: REDIS_CLUSTER_NODES: set either REDIS_URL or REDIS_CLUSTER_NODES, not both');
  }
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((issue) => `${issue.path.join('.')}: ${issue.message}`)
      .join('; ');
    throw new SwitchboardError('invalid_config', `Invalid configuration: ${problems}`);
  }
  return toConfig(parsed.data);
}
