import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** Where the hosts' logs go (git-ignored), one file per host, for when a fault test fails. */
export const FAULT_LOG_DIR = path.resolve('test-results/faults');

/** How long a host may take to say it listens (it may have to train the intent model first). */
const START_TIMEOUT_MS = 30_000;

export interface HostProcessOptions {
  /**
   * The module to run and its arguments (default: the host's CLI,
   * `src/cli/main.ts serve`). Any server that logs a JSON line with a `url`
   * and a message ending in "is listening" can be run this way (the
   * benchmarks run their bare servers so).
   */
  command?: readonly string[];
  /** Where its log goes (default FAULT_LOG_DIR), as `<name>.log`. */
  logDir?: string;
  /** Options for node itself (e.g. `--cpu-prof`, which NODE_OPTIONS does not take). */
  nodeOptions?: readonly string[];
}

/**
 * A Switchboard host as its own process, started the way an operator starts
 * one (`switchboard serve`, configured by environment variables), so that the
 * fault tests can kill it for real. Runs `node --import tsx src/cli/main.ts
 * serve` directly (not the tsx CLI, which would put a second process in
 * between and take the signal itself), so `pid` is the host's own.
 *
 * Its stdout and stderr go straight to its log file (the file is the
 * child's own descriptor): the test or benchmark process spends nothing on
 * the host's log lines, which matters when it is also the load generator.
 */
export class HostProcess {
  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(name: string, env: Record<string, string>, options: HostProcessOptions = {}): Promise<HostProcess> {
    const logDir = options.logDir ?? FAULT_LOG_DIR;
    mkdirSync(logDir, { recursive: true });
    const logFile = path.join(logDir, `${name}.log`);
    const log = openSync(logFile, 'w');
    let child: ChildProcess;
    try {
      child = spawn(process.execPath, [...(options.nodeOptions ?? []), '--import', 'tsx', ...(options.command ?? ['src/cli/main.ts', 'serve'])], {
        env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
        stdio: ['ignore', log, log],
      });
    } finally {
      // The child has its own copy of the descriptor.
      closeSync(log);
    }
    const url = await listeningUrl(name, child, logFile);
    return new HostProcess(name, child, url);
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** The host's process id (for /proc figures: CPU time, peak memory). */
  get pid(): number {
    const pid = this.child.pid;
    if (pid === undefined) throw new Error(`host ${this.name} has no pid`);
    return pid;
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
    if (!this.alive) return;
    const exited = once(this.child, 'exit');
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Reads the log as it grows until the server says where it listens; rejects if it exits or takes too long. */
async function listeningUrl(name: string, child: ChildProcess, logFile: string): Promise<string> {
  let exit: string | undefined;
  child.once('exit', (code, signal) => {
    exit = String(code ?? signal ?? '?');
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const url = findListeningUrl(readFileSync(logFile, 'utf8'));
    if (url !== undefined) return url;
    if (exit !== undefined) throw new Error(`host ${name} exited (${exit}) before listening (see ${logFile})`);
    await sleep(50);
  }
  child.kill('SIGKILL');
  throw new Error(`host ${name} did not start within ${START_TIMEOUT_MS / 1000} s (see ${logFile})`);
}

/** The `url` of the first JSON log line whose message ends in "is listening". */
function findListeningUrl(log: string): string | undefined {
  for (const line of log.split('\n')) {
    if (!line.includes('is listening')) continue;
    try {
      const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown };
      if (typeof parsed.msg === 'string' && parsed.msg.endsWith('is listening') && typeof parsed.url === 'string') return parsed.url;
    } catch {
      // Not a JSON line (a stack trace…): keep looking.
    }
  }
  return undefined;
}
