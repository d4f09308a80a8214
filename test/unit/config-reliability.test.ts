import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { isStoreUnavailableError, storeUnavailable } from '../../src/store/store-errors.ts';

describe('configuration: Redis Cluster and the durable inbox', () => {
  it('defaults: one Redis or none, claims after 15 s, 64 inbox entries in hand, turn locks of 10 s', () => {
    expect(loadConfig({})).toMatchObject({
      redisClusterNodes: undefined,
      inbox: { claimIdleMs: 15_000, concurrency: 64, turnLockTtlMs: 10_000 },
    });
  });

  it('reads cluster seed nodes as host:port or redis:// URLs', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000, 10.0.0.2:7001,redis-c:7002' }).redisClusterNodes).toEqual([
      '10.0.0.1:7000',
      '10.0.0.2:7001',
      'redis-c:7002',
    ]);
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'rediss://user:pw@a.example:6380' }).redisClusterNodes).toEqual([
      'rediss://user:pw@a.example:6380',
    ]);
  });

  it.each([
    ['REDIS_CLUSTER_NODES', 'just-a-host'],
    ['REDIS_CLUSTER_NODES', ' , '],
    ['INBOX_CLAIM_IDLE_MS', '10'],
    ['INBOX_CONCURRENCY', '0'],
    ['TURN_LOCK_TTL_MS', 'soon'],
  ])('refuses %s=%s, naming the variable', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('refuses REDIS_URL and REDIS_CLUSTER_NODES together', () => {
    expect(() => loadConfig({ REDIS_URL: 'redis://r:6379', REDIS_CLUSTER_NODES: 'r:7000' })).toThrow(/REDIS_CLUSTER_NODES/);
  });
});

describe('store_unavailable', () => {
  it('recognises the errors that mean Redis is not there right now, and nothing else', () => {
    const unavailable = [
      new Error('Connection is closed.'),
      new Error('Command timed out'),
      new Error('connect ECONNREFUSED 127.0.0.1:6379'),
      new Error('LOADING Redis is loading the dataset in memory'),
      new Error('CLUSTERDOWN The cluster is down'),
      Object.assign(new Error('Reached the max retries per request limit (which is 3).'), { name: 'MaxRetriesPerRequestError' }),
      storeUnavailable(),
    ];
    for (const error of unavailable) expect(isStoreUnavailableError(error), error.message).toBe(true);
    // Wrapped, as botbuilder-dialogs wraps what a dialog's storage threw (DialogContextError keeps it as `error`).
    const wrapped = Object.assign(new Error('Reached the max retries per request limit (which is 3).'), {
      name: 'DialogContextError',
      error: Object.assign(new Error('whatever'), { name: 'MaxRetriesPerRequestError' }),
    });
    expect(isStoreUnavailableError(wrapped)).toBe(true);
    expect(isStoreUnavailableError(new Error('outer', { cause: new Error('Connection is closed.') }))).toBe(true);
    for (const error of [new Error('ERR syntax error'), new Error('SB_ETAG_CONFLICT'), 'Connection is closed.', undefined]) {
      expect(isStoreUnavailableError(error)).toBe(false);
    }
    expect(storeUnavailable()).toMatchObject({ code: 'store_unavailable', status: 503 });
  });
});
