import { findOnPath, startRedisServer } from '../test/support/redis-server.ts';

export { findOnPath };

/**
 * A Redis for a benchmark: REDIS_URL when set (keys under the bench's own
 * prefix, nothing flushed), otherwise a private redis-server on a free
 * loopback port without persistence, like the integration tests' global
 * setup (test/support/redis-server.ts), stopped when the bench ends.
 */
export interface BenchRedis {
  url: string;
  host: string;
  port: number;
  password: string | undefined;
  /** Whether the bench started this server (and so owns all of it). */
  own: boolean;
  stop(): Promise<void>;
}

export async function benchRedis(): Promise<BenchRedis> {
  const configured = process.env.REDIS_URL;
  if (configured !== undefined && configured !== '') {
    const url = new URL(configured);
    return {
      url: configured,
      host: url.hostname || '127.0.0.1',
      port: Number(url.port || 6379),
      password: url.password === '' ? undefined : decodeURIComponent(url.password),
      own: false,
      stop: () => Promise.resolve(),
    };
  }
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new Error('The bench needs Redis: install redis-server, or set REDIS_URL to a server it may write to.');
  }
  const server = await startRedisServer(binary);
  const port = Number(new URL(server.url).port);
  return { url: server.url, host: '127.0.0.1', port, password: undefined, own: true, stop: server.stop };
}
