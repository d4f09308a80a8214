import { Cluster, Redis } from 'ioredis';
import type { Logger } from '../logger.ts';

/**
 * What the Redis-backed stores accept: a standalone client or a cluster.
 * Every script keeps its keys in one slot (see redis-keys.ts), so both work.
 */
export type RedisClient = Redis | Cluster;

export interface RedisClientOptions {
  /** Shows in `CLIENT LIST`, which helps when many hosts share a server. */
  connectionName?: string;
}

/**
 * A client for `url` (redis:// or rediss://), connecting at once so a wrong
 * URL shows at start-up rather than on the first message.
 */
export function createRedisClient(
  url: string,
  logger: Logger,
  options: RedisClientOptions = {},
): Redis {
  const log = logger.child({ component: 'redis', redis: redactRedisUrl(url) });
  const client = new Redis(url, {
    lazyConnect: false,
    connectionName: options.connectionName ?? 'switchboard',
    // A command waits through a few reconnect attempts, then fails: a turn
    // or a webhook should get an error it can report, not hang while Redis
    // is away. (ioredis's default is 20, i.e. a very long wait.)
    maxRetriesPerRequest: 3,
    // A server that accepted the connection but does not answer (stopped,
    // or a network that drops packets) fails a command after this long
    // instead of holding a webhook or a turn forever.
    commandTimeout: COMMAND_TIMEOUT_MS,
    connectTimeout: 10_000,
    // Exponential backoff from 100 ms, capped at 5 s, with jitter so that a
    // fleet of hosts does not reconnect in lockstep after a Redis restart.
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt, 6), 5_000) + Math.floor(Math.random() * 200),
  });
  // Without an 'error' listener ioredis would print every failed reconnect
  // to stderr itself. The message never holds the password; the URL in the
  // bindings is redacted.
  client.on('error', (error: unknown) => {
    log.error({ err: error }, 'redis connection error');
  });
  client.on('reconnecting', (delayMs: unknown) => {
    log.warn({ delayMs }, 'redis reconnecting');
  });
  client.on('ready', () => {
    log.info('redis ready');
  });
  return client;
}

/** How long one command may wait for its reply (see createRedisClient). */
const COMMAND_TIMEOUT_MS = 5_000;

/**
 * A Redis Cluster client from seed nodes (REDIS_CLUSTER_NODES): `host:port`,
 * or `redis://` / `rediss://` URLs whose credentials and TLS apply to every
 * node (the first URL's). ioredis discovers the other nodes and the slot map
 * from the seeds, follows MOVED/ASK redirections and refreshes the map when
 * the cluster changes. Every script and multi-key command of Switchboard keeps
 * its keys in one hash slot (see redis-keys.ts, handoff-keys.ts).
 */
export function createRedisCluster(nodes: readonly string[], logger: Logger, options: RedisClientOptions = {}): Cluster {
  const seeds = nodes.map((node) => new URL(/^rediss?:\/\//.test(node) ? node : `redis://${node}`));
  const first = seeds[0];
  if (!first) throw new TypeError('A Redis Cluster needs at least one seed node.');
  const log = logger.child({ component: 'redis', redisCluster: seeds.map((seed) => `${seed.hostname}:${seed.port}`).join(',') });
  const retryStrategy = (attempt: number) => Math.min(100 * 2 ** Math.min(attempt, 6), 5_000) + Math.floor(Math.random() * 200);
  const cluster = new Cluster(
    seeds.map((seed) => ({ host: seed.hostname.replace(/^\[|\]$/g, ''), port: Number(seed.port || 6379) })),
    {
      clusterRetryStrategy: retryStrategy,
      redisOptions: {
        connectionName: options.connectionName ?? 'switchboard',
        maxRetriesPerRequest: 3,
        commandTimeout: COMMAND_TIMEOUT_MS,
        connectTimeout: 10_000,
        ...(first.username === '' ? {} : { username: decodeURIComponent(first.username) }),
        ...(first.password === '' ? {} : { password: decodeURIComponent(first.password) }),
        ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
      },
    },
  );
  cluster.on('error', (error: unknown) => {
    log.error({ err: error }, 'redis cluster error');
  });
  cluster.on('ready', () => {
    log.info('redis cluster ready');
  });
  cluster.on('+node', () => {
    log.debug('redis cluster node added');
  });
  return cluster;
}

/** Whether the client is connected and serving commands right now (no waiting). */
export function isRedisReady(client: RedisClient): boolean {
  return client.status === 'ready';
}

/** The URL with its password (and a username's password-like token) masked. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    // Not a URL we can parse: say nothing of it rather than risk a secret.
    return '[unparseable redis url]';
  }
}

/**
 * Readiness: true when Redis answers PING within `timeoutMs`. A client that
 * is still connecting gets that long to finish (so this also serves to wait
 * for the first connection at start-up); a closed one answers false at once.
 */
export async function pingRedis(client: RedisClient, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => {
      resolve(false);
    }, timeoutMs);
  });
  // Any reply at all means the server is there and serving commands.
  const ping = client.ping().then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([ping, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A second connection with the same options, e.g. for pub/sub. */
export function duplicateClient(client: RedisClient): RedisClient {
  return client instanceof Cluster ? client.duplicate() : client.duplicate();
}
