import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { freePort, stopProcess } from './redis-process.ts';

/**
 * A private Redis Cluster of three masters (no replicas) on free loopback
 * ports, from the same redis-server binary the other tests use, without
 * persistence, in a temp dir. The slots are split in three and the nodes
 * introduced by hand (CLUSTER ADDSLOTS and MEET), which is what
 * `redis-cli --cluster create … --cluster-replicas 0` does, minus the need
 * for redis-cli. Starts in about a second.
 */
const START_TIMEOUT_MS = 15_000;
const SLOTS = 16_384;

export interface RunningCluster {
  /** `host:port` of every master, comma-separated (the REDIS_CLUSTER_NODES format). */
  nodes: string;
  stop: () => Promise<void>;
}

export async function startRedisCluster(binary: string, masters = 3): Promise<RunningCluster> {
  const dir = mkdtempSync(path.join(tmpdir(), 'switchboard-cluster-'));
  const children: ChildProcess[] = [];
  const admins: Redis[] = [];
  const stop = async () => {
    for (const admin of admins) admin.disconnect();
    await Promise.all(children.map(stopProcess));
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ports: number[] = [];
    for (let index = 0; index < masters; index += 1) ports.push(await freePort((port) => usableClusterPort(port, ports)));
    for (const port of ports) {
      const child = spawn(
        binary,
        [
          '--port', String(port),
          '--bind', '127.0.0.1',
          '--cluster-enabled', 'yes',
          '--cluster-config-file', `nodes-${port}.conf`,
          '--cluster-node-timeout', '3000',
          '--save', '',
          '--appendonly', 'no',
          '--dir', dir,
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
    }
    for (const port of ports) {
      const admin = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => 50 });
      admin.on('error', () => {
        // Refused while the node starts; untilAnswers waits for it.
      });
      admins.push(admin);
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    await Promise.all(admins.map((admin) => untilAnswers(admin, deadline)));
    // Contiguous slot ranges, one per master, then everyone meets the first.
    await Promise.all(
      admins.map((admin, index) => {
        const from = Math.floor((SLOTS * index) / masters);
        const to = Math.floor((SLOTS * (index + 1)) / masters) - 1;
        return admin.call('CLUSTER', 'ADDSLOTSRANGE', String(from), String(to));
      }),
    );
    for (const port of ports.slice(1)) await admins[0]?.call('CLUSTER', 'MEET', '127.0.0.1', String(port));
    for (const admin of admins) await untilClusterOk(admin, masters, deadline);
    return { nodes: ports.map((port) => `127.0.0.1:${port}`).join(','), stop };
  } catch (error) {
    await stop();
    throw new Error(`The test Redis Cluster did not start: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}

async function untilAnswers(admin: Redis, deadline: number): Promise<void> {
  await admin.connect().catch(() => undefined);
  while (Date.now() < deadline) {
    if ((await admin.ping().catch(() => undefined)) === 'PONG') return;
    await sleep(50);
  }
  throw new Error('a cluster node did not answer PING');
}

async function untilClusterOk(admin: Redis, masters: number, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    const info = String(await admin.call('CLUSTER', 'INFO'));
    if (info.includes('cluster_state:ok') && info.includes(`cluster_known_nodes:${masters}`)) return;
    await sleep(50);
  }
  throw new Error('the cluster did not reach cluster_state:ok');
}

/** The cluster bus listens on port + 10000: keep both in range and distinct. */
const usableClusterPort = (port: number, taken: readonly number[]): boolean => port + 10_000 <= 65_535 && !taken.includes(port);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
