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
  }
}


export default async function setup(project: TestProject): Promise<(() => Promise<void>) | undefined> {
  const configured = process.env.REDIS_URL;
  if (configured !== undefined && configured !== '') {
    project.provide('redisUrl', configured);
    return undefined;
  }
  const binary = findOnPath('redis-server');
  if (!binary) {
    throw new Error(
      'Integration tests need Redis: install redis-server (Debian/Ubuntu: `apt-get install redis-server`, ' +
        'macOS: `brew install redis`) so the tests can start their own, or set REDIS_URL to a server ' +
        'they may write to (keys are namespaced per test file; nothing is flushed).',
    );
  }
  const server = await startRedisServer(binary);
  project.provide('redisUrl', server.url);
  return server.stop;
}
