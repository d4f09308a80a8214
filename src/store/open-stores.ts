import { MemoryStorage, type Storage } from 'botbuilder';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ConversationStore } from './conversation-store.ts';
import type { EventBus } from './event-bus.ts';
import type { AgentQueue } from '../handoff/agent-queue.ts';
import { MemoryAgentQueue } from '../handoff/memory-agent-queue.ts';
import { RedisAgentQueue } from '../handoff/redis-agent-queue.ts';
import type { DedupeStore } from './dedupe-store.ts';
import { MemoryDedupeStore } from './memory-dedupe-store.ts';
import { RedisDedupeStore } from './redis-dedupe-store.ts';
import { RedisTurnLock } from './redis-turn-lock.ts';
import { SingleHostTurnLock, type TurnLock } from './turn-lock.ts';
import { MemoryConversationStore } from './memory-conversation-store.ts';
import { MemoryEventBus } from './memory-event-bus.ts';
import type { InboxQueue } from './inbox-queue.ts';
import { MemoryInboxQueue } from './memory-inbox-queue.ts';
import { RedisInboxQueue } from './redis-inbox-queue.ts';
import { createRedisClient, createRedisCluster, isRedisReady, pingRedis } from './redis-connection.ts';
import { RedisConversationStore } from './redis-conversation-store.ts';
import { RedisDialogStorage } from './redis-dialog-storage.ts';
import { RedisEventBus } from './redis-event-bus.ts';

/** Every persistent part of a host, chosen together: all in Redis, or all in memory. */
export interface Stores {
  readonly kind: 'redis' | 'memory';
  readonly conversations: ConversationStore;
  readonly dialogState: Storage;
  readonly events: EventBus;
  readonly agentQueue: AgentQueue;
  readonly dedupe: DedupeStore;
  readonly turnLock: TurnLock;
  /** The durable inbox: accepted customer messages waiting for (or in) their turn. */
  readonly inbox: InboxQueue;
  /** Whether the backing store answers (readiness). */
  ping(): Promise<boolean>;
  /** Whether the store is connected right now, without waiting: webhooks answer 503 at once when not. */
  available(): boolean;
  close(): Promise<void>;
}

/** Redis when REDIS_URL (or REDIS_CLUSTER_NODES) is set; otherwise the zero-setup in-memory stores. */
export async function openStores(config: Config, logger: Logger): Promise<Stores> {
  if (!config.redisUrl && !config.redisClusterNodes) {
    logger.info('REDIS_URL is not set: conversations live in memory and are lost on restart');
    const events = new MemoryEventBus({ logger });
    return {
      kind: 'memory',
      conversations: new MemoryConversationStore({ transcriptCap: config.transcriptLimit }),
      dialogState: new MemoryStorage(),
      events,
      agentQueue: new MemoryAgentQueue(),
      dedupe: new MemoryDedupeStore(),
      turnLock: new SingleHostTurnLock(),
      inbox: new MemoryInboxQueue({ logger, concurrency: config.inbox.concurrency }),
      ping: () => Promise.resolve(true),
      available: () => true,
      close: async () => {
        await events.close();
      },
    };
  }
  const client = config.redisClusterNodes
    ? createRedisCluster(config.redisClusterNodes, logger)
    : createRedisClient(config.redisUrl ?? '', logger);
  const keyPrefix = config.redisKeyPrefix;
  const events = new RedisEventBus({ client, keyPrefix, logger });
  if (!(await pingRedis(client, 5_000))) {
    logger.warn('Redis does not answer yet; starting anyway, /readyz says not ready until it does');
  }
  return {
    kind: 'redis',
    conversations: new RedisConversationStore({ client, keyPrefix, transcriptCap: config.transcriptLimit }),
    dialogState: new RedisDialogStorage({ client, keyPrefix, ttlSeconds: config.dialogStateTtlSeconds }),
    events,
    agentQueue: new RedisAgentQueue({ client, keyPrefix }),
    dedupe: new RedisDedupeStore({ client, keyPrefix }),
    turnLock: new RedisTurnLock({ client, keyPrefix, ttlMs: config.inbox.turnLockTtlMs }),
    inbox: new RedisInboxQueue({
      client,
      keyPrefix,
      logger,
      claimIdleMs: config.inbox.claimIdleMs,
      concurrency: config.inbox.concurrency,
    }),
    ping: () => pingRedis(client),
    available: () => isRedisReady(client),
    async close() {
      await events.close();
      await client.quit().catch(() => client.disconnect());
    },
  };
}
