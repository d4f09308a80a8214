import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import { MemoryStatsStore, RedisStatsStore, type StatsStore } from '../reports/stats-store.ts';
import { createRedisClient } from '../store/redis-connection.ts';
import { MemoryWebhookStore } from './memory-webhook-store.ts';
import { RedisWebhookStore } from './redis-webhook-store.ts';
import type { WebhookStore } from './webhook-store.ts';

export interface OutboundStores {
  /** Event subscriptions made through the API, and deliveries not yet made. */
  webhooks: WebhookStore;
  /** The supervisor's figures. */
  stats: StatsStore;
  close(): Promise<void>;
}

/**
 * Redis (on a connection of their own, under REDIS_KEY_PREFIX) when REDIS_URL
 * is set, so pending deliveries survive a restart and every host adds to the
 * same figures; memory otherwise.
 */
export function openOutboundStores(config: Config, logger: Logger): OutboundStores {
  if (!config.redisUrl) {
    return { webhooks: new MemoryWebhookStore(), stats: new MemoryStatsStore(), close: () => Promise.resolve() };
  }
  const client = createRedisClient(config.redisUrl, logger, { connectionName: 'switchboard-outbound' });
  return {
    webhooks: new RedisWebhookStore(client, config.redisKeyPrefix),
    stats: new RedisStatsStore(client, config.redisKeyPrefix),
    async close() {
      await client.quit().catch(() => client.disconnect());
    },
  };
}
