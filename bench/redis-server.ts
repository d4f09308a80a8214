import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';

/**
 * A Redis for a benchmark: REDIS_URL when set (keys under the bench's own
 * prefix, nothing flushed), otherwise a private redis-server on a free
 * loopback port without persistence, like the integration tests' global
 * setup (test/support/global-setup.ts), stopped when the bench ends.
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
  const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-bench-redis-'));
  const port = await freePort();
  const child = spawn(
    binary,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { stdio: 'ignore' },
  );
  const url = `redis://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    await stopProcess(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForServer(url, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, host: '127.0.0.1', port, password: undefined, own: true, stop };
}

export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here; keep looking
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  server.close();
  await once(server, 'close');
  if (address === null || typeof address === 'string') throw new Error('No TCP port was assigned.');
  return address.port;
}

async function waitForServer(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error('redis-server exited at start-up.');
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      probe.disconnect();
    }
  }
  throw new Error('redis-server did not answer within 10 s.');
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}
