import { startRedisCluster } from './redis-cluster.ts';
import { findOnPath, startRedisServer } from './redis-server.ts';
import type { TestProject } from 'vitest/node';

/**
 * Integration tests talk to a real Redis. With REDIS_URL set, they use that
 * server (each test file under its own random key prefix; nothing is
 * flushed). Otherwise a private redis-server is started on a free loopback
 * port, without persistence, in a temp dir, and stopped after the run.
 * With neither, the run fails and says what to do: a skipped integration
 * suite looks like a passing one.
 */
declare module 'vitest' {
  export interface ProvidedContext {
    /** redis:// URL of the server integration tests use. */
    redisUrl: string;
    /** `host:port,…` seed nodes of the Redis Cluster the cluster variants of the tests use. */
    redisClusterNodes: string;
  }
}


export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const stops: (() => Promise<void>)[] = [];
  const stopAll = async () => {
    await Promise.all(stops.map((stop) => stop()));
  };
  try {
    const [url, nodes] = await Promise.all([standalone(stops), cluster(stops)]);
    project.provide('redisUrl', url);
    project.provide('redisClusterNodes', nodes);
  } catch (error) {
    await stopAll();
    throw error;
  }
  return stopAll;
}

/**
 * The store, dialog storage, agent queue and inbox suites, and one end-to-end
 * web chat and handoff test, also run against a Redis Cluster (three masters
 * on loopback, started here from the same redis-server binary), unless
 * REDIS_CLUSTER_NODES names one to use.
 */
async function cluster(stops: (() => Promise<void>)[]): Promise<string> {
  const configured = process.env.REDIS_CLUSTER_NODES;
  if (configured !== undefined && configured !== '') return configured;
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new Error(
      'Integration tests need redis-server to start a local Redis Cluster (Debian/Ubuntu: `apt-get install redis-server`), ' +
        'or REDIS_CLUSTER_NODES naming the seed nodes (host:port,…) of a cluster they may write to.',
    );
  }
  const started = await startRedisCluster(binary);
  stops.push(started.stop);
  return started.nodes;
}

async function standalone(stops: (() => Promise<void>)[]): Promise<string> {
  const configured = process.env.REDIS_URL;
  if (configured !== undefined && configured !== '') return configured;
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new Error(
      'Integration tests need Redis: install redis-server (Debian/Ubuntu: `apt-get install redis-server`, ' +
        'macOS: `brew install redis`) so the tests can start their own, or set REDIS_URL to a server ' +
        'they may write to (keys are namespaced per test file; nothing is flushed).',
    );
  }
  const server = await startRedisServer(binary);
  stops.push(server.stop);
  return server.url;
}
