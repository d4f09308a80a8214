import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, stopProcess, waitForPong } from './redis-process.ts';

export { findOnPath } from './redis-process.ts';

/**
 * A private redis-server on a free loopback port, without persistence, in a
 * temp dir: for the integration tests (global-setup.ts) and the benchmarks.
 */
const START_TIMEOUT_MS = 10_000;

export interface RunningServer {
  url: string;
  stop: () => Promise<void>;
}

export async function startRedisServer(binary: string): Promise<RunningServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-redis-'));
  // Another process can take the port between our probe and redis binding
  // it; then redis exits at once and we try another port.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const port = await freePort();
    const child = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    try {
      await waitForPong(port, child, START_TIMEOUT_MS);
      return {
        url: `redis://127.0.0.1:${port}`,
        stop: async () => {
          await stopProcess(child);
          rmSync(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await stopProcess(child);
      lastError = new Error(`redis-server did not start on port ${port}:\n${output}`, { cause: error });
    }
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
