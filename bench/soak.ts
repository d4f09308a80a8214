/**
 * Soak: a steady load on one host for minutes, to show that nothing grows
 * without bound (memory, the inbox backlog, latency).
 *
 * One host runs as its own process (`switchboard serve`, the demo bot, Redis,
 * the SMS channel pointed at a fake Twilio API on loopback). SOAK_CUSTOMERS
 * customers text it over signed webhooks, each waiting for the reply to its
 * message before the next one, paced so the whole load is SOAK_RATE messages
 * per second. Every SOAK_SAMPLE_SECONDS the bench records the host's memory
 * and event-loop lag (from its /metrics), Redis's memory and the inbox
 * backlog, and the reply latency (webhook posted → reply at the platform) of
 * that window.
 *
 *   npm run bench:soak                       (5 minutes; starts its own redis-server)
 *   SOAK_MINUTES=30 SOAK_RATE=40 npm run bench:soak
 *   REDIS_URL=redis://… npm run bench:soak
 *
 * Prints a line per window and writes bench/results/soak.json. A benchmark:
 * it measures and reports, it never asserts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createStoreKeys } from '../src/store/redis-keys.ts';
import { HostProcess } from '../test/faults/support/host-process.ts';
import { customerNumber, newSmsAccount, postSmsText } from '../test/faults/support/sms-load.ts';
import { FakeTwilioApi } from '../test/support/fake-twilio-api.ts';
import { benchRedis } from './redis-server.ts';
import { DEMO_TEXTS, HOST_NODE_OPTIONS, demoHostEnv } from './support/demo-host.ts';
import { percentile, slope } from './support/stats.ts';

const MINUTES = Number(process.env.SOAK_MINUTES ?? 5);
const RATE = Number(process.env.SOAK_RATE ?? 20);
const CUSTOMERS = Number(process.env.SOAK_CUSTOMERS ?? 40);
const SAMPLE_SECONDS = Number(process.env.SOAK_SAMPLE_SECONDS ?? 10);
const RESULTS_FILE = path.join(import.meta.dirname, 'results', 'soak.json');

interface Window {
  /** Seconds since the load started, at the end of the window. */
  t: number;
  sent: number;
  replied: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number } | undefined;
  hostRssMb: number | undefined;
  hostHeapUsedMb: number | undefined;
  eventLoopLagP99Ms: number | undefined;
  redisUsedMemoryMb: number | undefined;
  inboxBacklog: number | undefined;
  transcriptEntries?: number;
}

const write = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** One value of a Prometheus text exposition (the first sample of that name, with or without the host's `switchboard_` prefix). */
function metric(text: string, name: string): number | undefined {
  const names = [name, `switchboard_${name}`];
  const line = text
    .split('\n')
    .find((candidate) => names.some((known) => candidate.startsWith(`${known} `) || candidate.startsWith(`${known}{`)));
  const value = line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
  return value === undefined || Number.isNaN(value) ? undefined : value;
}

async function main(): Promise<void> {
  const redisServer = await benchRedis();
  const account = newSmsAccount();
  const fake = await FakeTwilioApi.start(account.accountSid, account.authToken);
  const keyPrefix = `soak-${randomBytes(4).toString('hex')}`;
  // Reply arrival, per customer: the next reply to a number resolves its waiter.
  const waiting = new Map<string, () => void>();
  fake.beforeAnswer = (to) => {
    const resolve = waiting.get(to);
    waiting.delete(to);
    resolve?.();
    return Promise.resolve(undefined);
  };
  const host = await HostProcess.start('soak', demoHostEnv({ redisUrl: redisServer.url, keyPrefix, account, twilioApiUrl: fake.url }), {
    nodeOptions: HOST_NODE_OPTIONS,
  });
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  const stream = createStoreKeys(keyPrefix).inboxStream();
  write(`soak: ${MINUTES} min, ${RATE} msg/s from ${CUSTOMERS} customers, one host (pid in ${host.name}.log), ${cpus().length} CPUs`);

  const windows: Window[] = [];
  let latencies: number[] = [];
  let sent = 0;
  let replied = 0;
  let timeouts = 0;
  let refused = 0;
  const startedAt = Date.now();
  let endsAt = startedAt + MINUTES * 60_000;
  // Ctrl-C ends the load early; the host, the fake API and Redis are still stopped and the results written.
  process.once('SIGINT', () => {
    endsAt = Date.now();
  });
  // Each customer sends about RATE / CUSTOMERS messages a second: one, then the reply, then a pause.
  const cycleMs = (1000 * CUSTOMERS) / RATE;

  const customer = async (index: number) => {
    const number = customerNumber(index);
    let n = 0;
    // Spread the customers' first messages over one cycle.
    await new Promise((resolve) => setTimeout(resolve, (cycleMs * index) / CUSTOMERS));
    while (Date.now() < endsAt) {
      const cycleStart = Date.now();
      n += 1;
      const reply = new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => {
          waiting.delete(number);
          resolve(false);
        }, 30_000);
        waiting.set(number, () => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      const before = performance.now();
      const status = await postSmsText(host.url, account, number, DEMO_TEXTS[n % DEMO_TEXTS.length] ?? 'hello', `${keyPrefix}-${index}-${n}`);
      sent += 1;
      if (status !== 200) {
        refused += 1;
        waiting.delete(number);
      } else if (await reply) {
        replied += 1;
        latencies.push(performance.now() - before);
      } else {
        timeouts += 1;
      }
      const rest = cycleMs - (Date.now() - cycleStart);
      if (rest > 0) await new Promise((resolve) => setTimeout(resolve, rest));
    }
  };

  const sampler = setInterval(() => {
    void (async () => {
      const sorted = latencies.sort((a, b) => a - b);
      latencies = [];
      const [metrics, info, backlog] = await Promise.all([
        fetch(`${host.url}/metrics`).then((response) => response.text()).catch(() => ''),
        redis.info('memory').catch(() => ''),
        redis.xlen(stream).catch(() => undefined),
      ]);
      const usedMemory = /used_memory:(\d+)/.exec(info)?.[1];
      const mb = (bytes: number | undefined) => (bytes === undefined ? undefined : Math.round((bytes / 1_048_576) * 10) / 10);
      const window: Window = {
        t: Math.round((Date.now() - startedAt) / 1000),
        sent,
        replied,
        latencyMs:
          sorted.length === 0
            ? undefined
            : {
                p50: Math.round(percentile(sorted, 50)),
                p95: Math.round(percentile(sorted, 95)),
                p99: Math.round(percentile(sorted, 99)),
                max: Math.round(sorted[sorted.length - 1] ?? 0),
              },
        hostRssMb: mb(metric(metrics, 'process_resident_memory_bytes')),
        hostHeapUsedMb: mb(metric(metrics, 'nodejs_heap_size_used_bytes')),
        eventLoopLagP99Ms: ((lag) => (lag === undefined ? undefined : Math.round(lag * 10_000) / 10))(metric(metrics, 'nodejs_eventloop_lag_p99_seconds')),
        redisUsedMemoryMb: mb(usedMemory === undefined ? undefined : Number(usedMemory)),
        inboxBacklog: backlog,
      };
      windows.push(window);
      write(
        `t=${String(window.t).padStart(5)}s  sent ${String(sent).padStart(7)}  replied ${String(replied).padStart(7)}  ` +
          `p50/p99 ${window.latencyMs ? `${window.latencyMs.p50}/${window.latencyMs.p99}` : '-'} ms  ` +
          `rss ${window.hostRssMb ?? '?'} MB  heap ${window.hostHeapUsedMb ?? '?'} MB  lag p99 ${window.eventLoopLagP99Ms ?? '?'} ms  ` +
          `redis ${window.redisUsedMemoryMb ?? '?'} MB  backlog ${window.inboxBacklog ?? '?'}`,
      );
    })();
  }, SAMPLE_SECONDS * 1000);

  try {
    await Promise.all(Array.from({ length: CUSTOMERS }, (_, index) => customer(index)));
  } finally {
    clearInterval(sampler);
    await host.stop();
    redis.disconnect();
    await fake.stop();
    await redisServer.stop();
  }

  // Growth after the first minute (warm-up: the model, caches, connection pools).
  const settled = windows.filter((window) => window.t >= 60);
  const perMinute = (pick: (window: Window) => number | undefined) => {
    const points = settled.flatMap((window): [number, number][] => {
      const value = pick(window);
      return value === undefined ? [] : [[window.t / 60, value]];
    });
    const value = slope(points);
    return value === undefined ? undefined : Math.round(value * 100) / 100;
  };
  // The heap is a sawtooth (it grows until the collector runs): the lowest value of each minute is its floor.
  const floors = new Map<number, number>();
  for (const window of settled) {
    if (window.hostHeapUsedMb === undefined) continue;
    const minute = Math.floor(window.t / 60);
    floors.set(minute, Math.min(floors.get(minute) ?? Number.POSITIVE_INFINITY, window.hostHeapUsedMb));
  }
  const floorSlope = slope([...floors]);
  const summary = {
    sent,
    replied,
    timeouts,
    refused,
    messagesPerSecond: Math.round((sent / ((Date.now() - startedAt) / 1000)) * 10) / 10,
    rssMbPerMinuteAfterWarmup: perMinute((window) => window.hostRssMb),
    heapMbPerMinuteAfterWarmup: perMinute((window) => window.hostHeapUsedMb),
    heapFloorMbPerMinuteAfterWarmup: floorSlope === undefined ? undefined : Math.round(floorSlope * 100) / 100,
    heapFloorMbByMinute: Object.fromEntries(floors),
    redisMbPerMinuteAfterWarmup: perMinute((window) => window.redisUsedMemoryMb),
    p99MsPerMinuteAfterWarmup: perMinute((window) => window.latencyMs?.p99),
    maxInboxBacklog: Math.max(0, ...windows.map((window) => window.inboxBacklog ?? 0)),
  };
  write();
  write(`summary: ${JSON.stringify(summary)}`);
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(
    RESULTS_FILE,
    `${JSON.stringify(
      {
        benchmark: 'soak',
        date: new Date().toISOString(),
        machine: { cpus: cpus().length, node: process.version },
        settings: { minutes: MINUTES, rate: RATE, customers: CUSTOMERS, sampleSeconds: SAMPLE_SECONDS, bot: 'demo', channel: 'sms (fake Twilio API)' },
        summary,
        windows,
      },
      null,
      2,
    )}\n`,
  );
  write(`written to ${path.relative(process.cwd(), RESULTS_FILE)}`);
}

await main();
