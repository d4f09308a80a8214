import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { inject } from 'vitest';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Conversation } from '../../src/core/conversation.ts';
import { startHost, type Host, type HostOptions } from '../../src/host.ts';
import type { IntentClassifier } from '../../src/nlu/intent-classifier.ts';
import { loadIntentClassifier } from '../../src/nlu/load-intent-classifier.ts';
import { createTestLogger, type LogSink } from './log-sink.ts';

/** Tests share one model cache, so the demo corpus is trained once per run, not per file. */
export const TEST_MODEL_CACHE = path.resolve('.cache/test-models');

let demoClassifier: Promise<IntentClassifier> | undefined;

/** The demo bot's classifier, trained (or loaded from the cache) once per test file. */
export function demoIntentClassifier(): Promise<IntentClassifier> {
  demoClassifier ??= loadIntentClassifier({
    intentsDir: path.resolve('intents'),
    cacheDir: TEST_MODEL_CACHE,
    logger: createTestLogger('silent').logger,
  }).then((loaded) => loaded.classifier);
  return demoClassifier;
}

export interface TestHostSettings {
  /** Use the test Redis (with a fresh key prefix) instead of the in-memory stores; 'cluster' for the test Redis Cluster. */
  redis?: boolean | 'cluster';
  /** Reuse this key prefix (to restart a host onto the same data). */
  keyPrefix?: string;
  env?: Record<string, string>;
  options?: HostOptions;
}

export interface TestHost extends Host {
  readonly sink: LogSink;
  readonly keyPrefix: string;
}

/** A real host on a free loopback port, with the demo bot, logging into memory. */
export async function startTestHost(settings: TestHostSettings = {}): Promise<TestHost> {
  const keyPrefix = settings.keyPrefix ?? `test-${randomUUID().slice(0, 8)}`;
  const config: Config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
    MODEL_CACHE_DIR: TEST_MODEL_CACHE,
    REDIS_KEY_PREFIX: keyPrefix,
    ...(settings.redis === 'cluster'
      ? { REDIS_CLUSTER_NODES: inject('redisClusterNodes') }
      : settings.redis
        ? { REDIS_URL: inject('redisUrl') }
        : {}),
    ...settings.env,
  });
  const { logger, sink } = createTestLogger();
  const host = await startHost(config, {
    logger,
    classifier: await demoIntentClassifier(),
    ...settings.options,
  });
  return { ...host, sink, keyPrefix };
}

/** A new web chat conversation on `host` (no address to reply to: the transcript is the delivery). */
export async function newWebchatConversation(host: Host): Promise<Conversation> {
  const { conversation } = await host.stores.conversations.getOrCreate({
    channel: 'webchat',
    conversationKey: `webchat:${Math.random().toString(36).slice(2)}`,
    userId: 'u',
    address: {},
    locale: 'en',
  });
  return conversation;
}
