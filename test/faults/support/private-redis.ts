import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { findOnPath, freePort, stopProcess, waitForPong } from '../../support/redis-process.ts';

/**
 * A redis-server of the fault test's own, which the test may stop and start
 * again on the same port with its data (append-only file, fsync on every
 * write, so a stop loses nothing that was acknowledged), or pause.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly dir: string,
    private readonly binary: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<PrivateRedis> {
    const binary = findOnPath('redis-server');
    if (!binary) throw new Error('The fault tests need redis-server on the PATH (apt-get install redis-server).');
    const redis = new PrivateRedis(await freePort(), mkdtempSync(path.join(tmpdir(), 'switchboard-fault-redis-')), binary);
    await redis.run();
    return redis;
  }

  /** Stops the server the way an operator (or a crash of the machine it runs on, minus the data loss) would. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    // SIGTERM: redis-server syncs the append-only file and exits.
    if (child) await stopProcess(child);
  }

  /** Starts the server again on the same port, from its data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.run();
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async run(): Promise<void> {
    const child = spawn(
      this.binary,
      [
        '--port', String(this.port),
        '--bind', '127.0.0.1',
        '--save', '',
        '--appendonly', 'yes',
        '--appendfsync', 'always',
        '--dir', this.dir,
      ],
      { stdio: 'ignore' },
    );
    this.child = child;
    await waitForPong(this.port, child, 10_000);
  }
}
