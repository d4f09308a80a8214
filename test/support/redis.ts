import { randomBytes } from 'node:crypto';
import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, inject } from 'vitest';

/**
 * Redis for one test file: clients to the test server and key prefixes that
 * no other file uses, so files run in parallel against one server and none
 * flushes another's data (or, with REDIS_URL, anyone else's). Every key under
 * the file's prefix is deleted and every client closed after the file.
 *
 *   const redis = useTestRedis();
 *   it('…', async () => { const store = new Store({ client: redis.client, keyPrefix: redis.prefix() }); });
 */
export interface TestRedis {
  /** A client shared by the file's tests (connected before the first test). */
  readonly client: Redis;
  /** A fresh prefix under the file's own, e.g. for one store in one test. */
  prefix(): string;
  /** Another connection (closed after the file), e.g. to act as a second host. */
  connect(): Redis;
}

export function useTestRedis(): TestRedis {
  const filePrefix = `sbtest_${randomBytes(6).toString('hex')}`;
  const clients: Redis[] = [];
  let shared: Redis | undefined;
  let counter = 0;

  const connect = (): Redis => {
    // Few retries: a test should fail fast, not hang, if Redis goes away.
    const client = new Redis(inject('redisUrl'), { maxRetriesPerRequest: 1, connectionName: filePrefix });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    shared = connect();
    await shared.ping();
  });

  afterAll(async () => {
    if (shared) await deleteKeys(shared, `${filePrefix}*`);
    await Promise.all(
      clients.map((client) =>
        client.quit().catch(() => {
          client.disconnect();
        }),
      ),
    );
  });

  return {
    get client(): Redis {
      if (!shared) throw new Error('useTestRedis().client is available inside tests and hooks only.');
      return shared;
    },
    prefix: () => `${filePrefix}_${(counter += 1)}`,
    connect,
  };
}

async function deleteKeys(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * The same for the test Redis Cluster (three masters, see redis-cluster.ts):
 * a cluster client and per-file key prefixes; keys are deleted from every
 * master after the file, one at a time (a multi-key command across slots
 * would be refused).
 */
export interface TestRedisCluster {
  readonly client: Cluster;
  prefix(): string;
  connect(): Cluster;
  /** The seed nodes, as REDIS_CLUSTER_NODES takes them. */
  readonly nodes: string;
}

export function useTestRedisCluster(): TestRedisCluster {
  const filePrefix = `sbtest_${randomBytes(6).toString('hex')}`;
  const clients: Cluster[] = [];
  let shared: Cluster | undefined;
  let counter = 0;
  const seeds = () =>
    inject('redisClusterNodes')
      .split(',')
      .map((node) => {
        const [host = '127.0.0.1', port = '6379'] = node.replace(/^rediss?:\/\//, '').split(':');
        return { host, port: Number(port) };
      });

  const connect = (): Cluster => {
    const client = new Cluster(seeds(), { redisOptions: { maxRetriesPerRequest: 1, connectionName: filePrefix } });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    shared = connect();
    await shared.set(`${filePrefix}:ready`, '1');
  });

  afterAll(async () => {
    if (shared) {
      for (const node of shared.nodes('master')) {
        let cursor = '0';
        do {
          const [next, keys] = await node.scan(cursor, 'MATCH', `${filePrefix}*`, 'COUNT', 500);
          for (const key of keys) await node.unlink(key);
          cursor = next;
        } while (cursor !== '0');
      }
    }
    await Promise.all(
      clients.map((client) =>
        client.quit().catch(() => {
          client.disconnect();
        }),
      ),
    );
  });

  return {
    get client(): Cluster {
      if (!shared) throw new Error('useTestRedisCluster().client is available inside tests and hooks only.');
      return shared;
    },
    prefix: () => `${filePrefix}_${(counter += 1)}`,
    connect,
    get nodes(): string {
      return inject('redisClusterNodes');
    },
  };
}
