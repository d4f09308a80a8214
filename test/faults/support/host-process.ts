import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';

/** Where the hosts' logs go (git-ignored), one file per host, for when a fault test fails. */
export const FAULT_LOG_DIR = path.resolve('test-results/faults');

/**
 * A Switchboard host as its own process, started the way an operator starts
 * one (`switchboard serve`, configured by environment variables), so that the
 * fault tests can kill it for real. Runs `node --import tsx src/cli/main.ts
 * serve` directly (not the tsx CLI, which would put a second process in
 * between and take the signal itself).
 */
export class HostProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string,
    private readonly log: WriteStream,
  ) {}

  static async start(name: string, env: Record<string, string>): Promise<HostProcess> {
    mkdirSync(FAULT_LOG_DIR, { recursive: true });
    const log = createWriteStream(path.join(FAULT_LOG_DIR, `${name}.log`));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stderr.pipe(log, { end: false });
    const lines = createInterface({ input: child.stdout });
    const listening = new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`host ${name} did not start within 30 s (see ${FAULT_LOG_DIR}/${name}.log)`)), 30_000);
      lines.on('line', (line) => {
        log.write(`${line}\n`);
        if (!line.includes('Switchboard is listening')) return;
        const url = (JSON.parse(line) as { url?: string }).url;
        if (url) {
          clearTimeout(timer);
          resolve(url);
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`host ${name} exited (${code ?? signal ?? '?'}) before listening (see ${FAULT_LOG_DIR}/${name}.log)`));
      });
    });
    const url = await listening;
    return new HostProcess(name, child, url, log);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGSTOP: the process freezes (a long GC pause, a starved VM, a debugger), sockets and all, until `resume`. */
  freeze(): void {
    if (this.alive) this.child.kill('SIGSTOP');
  }

  /** SIGCONT: the frozen process carries on where it was, unaware that time passed. */
  resume(): void {
    if (this.alive) this.child.kill('SIGCONT');
  }

  /** SIGKILL: the process is gone at once, mid-request and mid-turn, with nothing cleaned up. */
  async kill(): Promise<void> {
    if (!this.alive) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGKILL');
    await exited;
  }

  /** SIGTERM: a graceful stop (turns in flight finish), or SIGKILL after 15 s. */
  async stop(): Promise<void> {
    if (this.alive) {
      const exited = once(this.child, 'exit');
      this.child.kill('SIGTERM');
      const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    }
    this.log.end();
  }
}
