/**
 * Agent queue throughput on Redis: enqueue, claim and release per second
 * with CONCURRENCY operations in flight on one connection, claim latency,
 * and `redis-benchmark` PING on the same server in the same run as the
 * baseline, so the figures read as "this many PINGs' worth" on any machine.
 *
 *   npm run bench:queue            (starts its own redis-server)
 *   REDIS_URL=redis://… npm run bench:queue
 *
 * Prints a table and writes bench/results/queue.json. A benchmark: it
 * measures and reports, it never asserts a timing.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import type { HandoffTicket, QueueAgent } from '../src/handoff/agent-queue.ts';
import { RedisAgentQueue } from '../src/handoff/redis-agent-queue.ts';
import { benchRedis, findOnPath, type BenchRedis } from './redis-server.ts';
import { percentile } from './support/stats.ts';

const OPERATIONS = Number(process.env.BENCH_OPS ?? 20_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PING_REQUESTS = 100_000;
const SKILLS = ['general', 'billing', 'tech', 'returns'];
const RESULTS_FILE = path.join(import.meta.dirname, 'results', 'queue.json');

interface OpResult {
  op: string;
  operations: number;
  seconds: number;
  opsPerSecond: number;
  latencyMs?: { p50: number; p99: number; max: number };
  /** Time the server spent in the script per call (INFO commandstats). */
  serverMicrosPerCall?: number;
}

const write = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** Runs `total` operations, `concurrency` at a time, timing each one. */
async function run(
  op: string,
  total: number,
  concurrency: number,
  task: (index: number) => Promise<void>,
): Promise<OpResult & { latencies: number[] }> {
  const latencies = new Array<number>(total);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        const index = next;
        next += 1;
        const before = performance.now();
        await task(index);
        latencies[index] = performance.now() - before;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1_000;
  return { op, operations: total, seconds, opsPerSecond: total / seconds, latencies };
}

function summarize(result: OpResult & { latencies: number[] }, withLatency: boolean): OpResult {
  const { latencies, ...rest } = result;
  if (!withLatency) return rest;
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (ms: number): number => Math.round(ms * 1_000) / 1_000;
  return {
    ...rest,
    latencyMs: { p50: round(percentile(sorted, 50)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? 0) },
  };
}

/**
 * Runs one measured operation and adds the time the server spent in the
 * script per call, from INFO commandstats (EVALSHA, plus EVAL for a script
 * the server had not cached). Without CONFIG RESETSTAT (managed Redis) the
 * server time is left out.
 */
async function measure(
  client: Redis,
  op: string,
  total: number,
  task: (index: number) => Promise<void>,
): Promise<OpResult> {
  const reset = await client.config('RESETSTAT').then(
    () => true,
    () => false,
  );
  const summary = summarize(await run(op, total, CONCURRENCY, task), true);
  if (!reset) return summary;
  const stats = await client.info('commandstats');
  let calls = 0;
  let usec = 0;
  for (const name of ['evalsha', 'eval']) {
    const match = new RegExp(`cmdstat_${name}:calls=(\\d+),usec=(\\d+)`).exec(stats);
    calls += Number(match?.[1] ?? 0);
    usec += Number(match?.[2] ?? 0);
  }
  return calls === 0 ? summary : { ...summary, serverMicrosPerCall: Math.round((usec / calls) * 100) / 100 };
}

/** `redis-benchmark -q -t ping`: requests per second of PING_INLINE and PING_MBULK. */
async function redisBenchmarkPing(server: BenchRedis): Promise<Record<string, number> | undefined> {
  const binary = findOnPath('redis-benchmark');
  if (!binary) return undefined;
  const args = ['-q', '-t', 'ping', '-n', String(PING_REQUESTS), '-h', server.host, '-p', String(server.port)];
  if (server.password !== undefined) args.push('-a', server.password, '--no-auth-warning');
  const { stdout } = await promisify(execFile)(binary, args, { maxBuffer: 10 * 1024 * 1024 });
  const rates: Record<string, number> = {};
  // -q prints progress with carriage returns, then one line per test.
  for (const line of stdout.split(/[\r\n]+/)) {
    const match = /^(PING_\w+):\s+([\d.]+) requests per second/.exec(line.trim());
    if (match?.[1] !== undefined && match[2] !== undefined) rates[match[1]] = Number(match[2]);
  }
  return rates;
}

async function deleteKeys(client: Redis, pattern: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', pattern, 'COUNT', 1_000);
    if (keys.length > 0) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

async function main(): Promise<void> {
  const server = await benchRedis();
  const client = new Redis(server.url, { maxRetriesPerRequest: 1, connectionName: 'switchboard-bench' });
  const prefix = `sbbench_${randomBytes(4).toString('hex')}`;
  try {
    const serverInfo = await client.info('server');
    const redisVersion = /redis_version:(\S+)/.exec(serverInfo)?.[1] ?? 'unknown';
    const queue = new RedisAgentQueue({ client, keyPrefix: prefix });
    const now = Date.now();
    const ticket = (label: string, i: number): HandoffTicket => ({
      conversationId: `${label}-${i}`,
      channel: 'webchat',
      skill: SKILLS[i % SKILLS.length] ?? 'general',
      priority: i % 7 === 0 ? 5 : 0,
      reason: 'low_confidence',
      enqueuedAt: now + i,
    });
    // One agent per worker, each with every skill and room for everything:
    // the claims measure picking across four queues, never a refusal.
    const agents: QueueAgent[] = Array.from({ length: CONCURRENCY }, (_, i) => ({
      id: `bench-agent-${i}`,
      skills: SKILLS,
      capacity: OPERATIONS,
    }));

    // Warm-up: scripts loaded, code paths compiled.
    const warm = Math.min(2_000, OPERATIONS);
    await run('warm-up', warm, CONCURRENCY, (i) => queue.enqueue(ticket('warm', i)).then(() => undefined));
    await run('warm-up', warm, CONCURRENCY, async (i) => {
      const result = await queue.claim(agents[i % CONCURRENCY] as QueueAgent);
      if (result.outcome === 'claimed') await queue.release(result.ticket.conversationId, result.ticket.agentId);
    });
    await run('warm-up', warm, CONCURRENCY, () => client.ping().then(() => undefined));

    const results: OpResult[] = [];
    results.push(
      await measure(client, 'enqueue', OPERATIONS, async (i) => {
        if (!(await queue.enqueue(ticket('conv', i)))) throw new Error(`enqueue ${i} refused`);
      }),
    );

    const holders = new Map<string, string>();
    let worker = 0;
    results.push(
      await measure(client, 'claim', OPERATIONS, async () => {
        const agent = agents[(worker += 1) % CONCURRENCY] as QueueAgent;
        const result = await queue.claim(agent);
        if (result.outcome !== 'claimed') throw new Error(`claim answered ${result.outcome}`);
        holders.set(result.ticket.conversationId, agent.id);
      }),
    );

    const claimed = [...holders];
    results.push(
      await measure(client, 'release', claimed.length, async (i) => {
        const [conversationId, agentId] = claimed[i] ?? ['', ''];
        if (!(await queue.release(conversationId, agentId))) throw new Error(`release ${conversationId} refused`);
      }),
    );

    // The same client and concurrency doing PING: what Node + ioredis cost alone.
    const nodePingRun = await run('ping (ioredis)', OPERATIONS, CONCURRENCY, () => client.ping().then(() => undefined));
    results.push(summarize(nodePingRun, true));

    const ping = await redisBenchmarkPing(server);
    const baseline = ping?.PING_MBULK ?? ping?.PING_INLINE;

    write(`Agent queue on Redis ${redisVersion} (${server.own ? 'own redis-server' : server.url.replace(/\/\/[^@]*@/, '//***@')})`);
    write(`${OPERATIONS} ops each, ${CONCURRENCY} in flight on one connection; ${cpus().length} CPUs, Node ${process.version}`);
    write();
    const header = ['op', 'ops/s', '× PING', 'p50 ms', 'p99 ms', 'server µs'];
    const rows: string[][] = results.map((r) => [
      r.op,
      Math.round(r.opsPerSecond).toLocaleString('en-US'),
      baseline === undefined ? 'n/a' : (r.opsPerSecond / baseline).toFixed(3),
      r.latencyMs?.p50.toFixed(3) ?? '',
      r.latencyMs?.p99.toFixed(3) ?? '',
      r.serverMicrosPerCall?.toFixed(1) ?? '',
    ]);
    for (const [name, rate] of Object.entries(ping ?? {})) {
      rows.push([`${name} (redis-benchmark)`, Math.round(rate).toLocaleString('en-US'), baseline === undefined ? 'n/a' : (rate / baseline).toFixed(3), '', '', '']);
    }
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
    const format = (row: string[]): string =>
      row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
    write(format(header));
    for (const row of rows) write(format(row));
    write();
    write(
      ping === undefined
        ? 'redis-benchmark not found: no PING baseline.'
        : `× PING: rate over redis-benchmark PING_MBULK (-n ${PING_REQUESTS}, 50 clients, no pipelining) in this run.`,
    );
    write('Latency is per call as the caller sees it, including waiting behind the other calls in flight;');
    write('server µs is the time Redis spent running the script, per call (INFO commandstats).');

    const report = {
      bench: 'queue',
      date: new Date().toISOString(),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      cpuCount: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      redisVersion,
      redisServer: server.own ? 'started by the bench' : 'REDIS_URL',
      operations: OPERATIONS,
      concurrency: CONCURRENCY,
      connections: 1,
      skills: SKILLS.length,
      baseline: { tool: 'redis-benchmark -q -t ping', requests: PING_REQUESTS, ...ping },
      results: results.map((r) => ({
        ...r,
        opsPerSecond: Math.round(r.opsPerSecond),
        seconds: Math.round(r.seconds * 1_000) / 1_000,
        ratioToPing: baseline === undefined ? null : Math.round((r.opsPerSecond / baseline) * 1_000) / 1_000,
      })),
    };
    mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
    writeFileSync(RESULTS_FILE, `${JSON.stringify(report, null, 2)}\n`);
    write(`Wrote ${path.relative(process.cwd(), RESULTS_FILE)}`);
  } finally {
    if (!server.own) await deleteKeys(client, `${prefix}:*`);
    await client.quit().catch(() => client.disconnect());
    await server.stop();
  }
}

await main();
