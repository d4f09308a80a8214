/**
 * End to end: how fast Switchboard turns a customer's message into a reply,
 * beside the fastest things the same machine does in the same run.
 *
 *   npm run bench                  (about 7 minutes; starts its own redis-server)
 *   BENCH_QUICK=1 npm run bench    (a smoke run of about 2 minutes; rough figures)
 *   BENCH_CONVERSATIONS=128 npm run bench
 *   BENCH_SCENARIOS=bare-relay,twilio-redis BENCH_PROFILE=1 npm run bench   (some only; hosts under --cpu-prof)
 *
 * Every server runs as its own process (Switchboard hosts through
 * `switchboard serve`, the bare servers from bench/e2e/servers/); this
 * process is the load generator and the fake platforms (Twilio's Messages
 * API, the Bot Framework's OpenID, token and connector endpoints) on
 * loopback. Scenarios, in this order:
 *
 *   bare-relay        the same signed webhook in, one reply out (measured first and again last)
 *   bare-echo         an Express JSON echo
 *   botbuilder-echo   botbuilder's CloudAdapter echo bot, JWT checked, reply to the fake connector
 *   twilio-redis      Switchboard, demo bot, Redis, SMS channel (+ a sustained run watching memory)
 *   webchat-redis     the same over the web chat API, replies on the event stream
 *   twilio-memory     the same as twilio-redis with the in-memory stores
 *   two-hosts-redis   two host processes on one Redis
 *
 * Each: a warm-up, the closed loop (BENCH_CONVERSATIONS customers, each
 * waiting for its reply: the maximum rate), then the open loop at half that
 * rate (latency, message due → reply at the fake platform). Then the demo
 * model's classification speed. Prints a table and writes
 * bench/results/e2e.json (BENCH_OUTPUT to write elsewhere; a quick or
 * partial run writes bench/results/e2e.partial.local.json). A benchmark: it measures and
 * reports, it never asserts.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { newSmsAccount } from '../test/faults/support/sms-load.ts';
import { FakeBotFramework } from '../test/support/fake-bot-framework.ts';
import { FakeTwilioApi } from '../test/support/fake-twilio-api.ts';
import { HttpSender } from './e2e/http-sender.ts';
import { measureSystem, type Measurement } from './e2e/measure.ts';
import { measureNlu, type NluFigures } from './e2e/nlu-figures.ts';
import { ReplyClock } from './e2e/reply-clock.ts';
import { checkTargets, formatTable, nluEntry, scenarioEntry, type ScenarioEntry } from './e2e/report.ts';
import { BENCH_LOG_DIR, SCENARIOS, type BenchContext, type ScenarioName } from './e2e/scenarios.ts';
import { benchSettings } from './e2e/settings.ts';
import { benchRedis } from './redis-server.ts';
import { HOST_NODE_OPTIONS } from './support/demo-host.ts';

const write = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

/** The bare relay's runs (first and last) differing by more than this means the machine was disturbed. */
const DISTURBED = 0.15;

async function main(): Promise<void> {
  const settings = benchSettings();
  const output =
    process.env.BENCH_OUTPUT ??
    // A quick or partial run never replaces the full results.
    path.join(import.meta.dirname, 'results', settings.quick || settings.only ? 'e2e.partial.local.json' : 'e2e.json');
  const startedAt = Date.now();
  const loadAtStart = loadavg();
  write(
    `e2e bench: ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${loadAtStart.map((load) => load.toFixed(2)).join(' ')}; ` +
      `${settings.conversations} conversations, phases ${settings.warmupSeconds}/${settings.closedSeconds}/${settings.openSeconds} s` +
      `${settings.quick ? ' (quick)' : ''}; server logs in ${path.relative(process.cwd(), BENCH_LOG_DIR)}/`,
  );

  const wanted = (name: string): boolean => settings.only?.has(name) ?? true;
  // Alone first, with nothing else running: the model's own speed.
  let nlu: NluFigures | undefined;
  if (wanted('nlu')) {
    write('nlu: the demo model, classify after classify');
    nlu = await measureNlu(settings.nluSeconds);
    write(`  ${nlu.classificationsPerSecond} classifications/s, p99 ${nlu.latencyMs.p99} ms over ${nlu.texts} texts`);
  }

  const redisServer = await benchRedis();
  const redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
  const account = newSmsAccount();
  const bfApp = { id: randomBytes(16).toString('hex'), password: randomBytes(16).toString('hex') };
  const profileDir = path.join(BENCH_LOG_DIR, 'profiles');
  const context: BenchContext = {
    conversations: settings.conversations,
    hostNodeOptions: [...settings.hostNodeOptions, ...(settings.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
    redisUrl: redisServer.url,
    redis,
    account,
    twilio: await FakeTwilioApi.start(account.accountSid, account.authToken),
    bf: await FakeBotFramework.start(bfApp.id, bfApp.password),
    bfApp,
    sender: new HttpSender(settings.conversations),
  };

  const measured = new Map<string, Measurement[]>();
  const run = async (name: ScenarioName): Promise<Measurement> => {
    const scenario = SCENARIOS[name];
    write(`${name}: ${scenario.description}`);
    // Each Redis scenario starts from an empty server (a fresh key prefix too), so none pays for another's data.
    if (redisServer.own) await redis.flushall();
    const clock = new ReplyClock(settings.replyTimeoutMs);
    const running = await scenario.start(context, clock);
    try {
      const measurement = await measureSystem(running.system, clock, settings, {
        ...(scenario.store === 'redis' ? { redis } : {}),
        sustain: name === 'twilio-redis' && settings.sustainSeconds > 0,
        log: write,
      });
      const { unmatched, late } = measurement.stray;
      if (unmatched + late > 0) write(`  (${unmatched} replies matched no message, ${late} came after their timeout)`);
      measured.set(name, [...(measured.get(name) ?? []), measurement]);
      return measurement;
    } finally {
      clock.close();
      await running.stop();
    }
  };

  try {
    for (const name of ['bare-relay', 'bare-echo', 'botbuilder-echo', 'twilio-redis', 'webchat-redis', 'twilio-memory', 'two-hosts-redis', 'bare-relay'] as const) {
      if (wanted(name)) await run(name);
    }
  } finally {
    context.sender.close();
    await context.twilio.stop();
    await context.bf.close();
    redis.disconnect();
    await redisServer.stop();
  }

  const relayRuns = (measured.get('bare-relay') ?? []).map((measurement) => measurement.closed.rate);
  const bareRelayPerSecond = relayRuns.reduce((sum, rate) => sum + rate, 0) / relayRuns.length;
  const bareEchoPerSecond = measured.get('bare-echo')?.[0]?.closed.rate ?? Number.NaN;
  const limits = { bareRelayPerSecond, bareEchoPerSecond };
  const entries = new Map<string, ScenarioEntry>();
  for (const name of ['twilio-redis', 'webchat-redis', 'twilio-memory', 'two-hosts-redis', 'bare-relay', 'bare-echo', 'botbuilder-echo'] as const) {
    const measurement = measured.get(name)?.[0];
    if (!measurement) continue;
    const entry = scenarioEntry(SCENARIOS[name], measurement, limits);
    if (name === 'bare-relay') {
      entry.messagesPerSecond = Math.round(bareRelayPerSecond * 10) / 10;
      entry.ratio = 1;
      entry.runs = relayRuns;
    }
    entries.set(name, entry);
  }
  const one = entries.get('twilio-redis');
  const two = entries.get('two-hosts-redis');
  if (one && two) {
    two.scaleOut = {
      oneHostPerSecond: one.messagesPerSecond,
      throughputRatio: Math.round((two.messagesPerSecond / one.messagesPerSecond) * 100) / 100,
      cpuMsPerMessageOneHost: one.cpuMsPerMessage,
      cpuMsPerMessageChange: Math.round((two.cpuMsPerMessage / one.cpuMsPerMessage - 1) * 1000) / 1000,
    };
  }
  const checks = checkTargets(entries);
  const drift = relayRuns.length === 2 ? Math.abs((relayRuns[1] ?? 0) / (relayRuns[0] ?? 1) - 1) : 0;
  const loadAtEnd = loadavg();

  write();
  const nluFigures = nlu === undefined ? undefined : nluEntry(nlu);
  write(formatTable([...entries.values()], nluFigures, checks));
  write();
  write(
    `bare relay first/last: ${relayRuns.join(' / ')} msg/s` +
      (drift > DISTURBED ? ` — they differ by ${Math.round(drift * 100)}%: the machine was busy with something else; run again` : ''),
  );
  if (settings.profile) write(`CPU profiles of the hosts in ${path.relative(process.cwd(), profileDir)}/`);
  write(`load average at the end: ${loadAtEnd.map((load) => load.toFixed(2)).join(' ')}; ${Math.round((Date.now() - startedAt) / 1000)} s in all`);

  const report = {
    benchmark: 'e2e',
    date: new Date().toISOString(),
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
      loadAverageAtStart: loadAtStart.map((load) => Math.round(load * 100) / 100),
      loadAverageAtEnd: loadAtEnd.map((load) => Math.round(load * 100) / 100),
    },
    settings,
    switchboardHostNodeOptions: [...HOST_NODE_OPTIONS, ...settings.hostNodeOptions],
    loadGenerator:
      'bench/e2e (ours: every Twilio webhook needs its own signature and MessageSid, every Bot Framework activity a JWT); ' +
      'node:http keep-alive agent, one socket per conversation; one process, which also runs the fake platforms; every server in its own process',
    bareRelayDrift: Math.round(drift * 1000) / 1000,
    scenarios: [...entries.values(), ...(nluFigures ? [nluFigures] : [])],
    targets: checks,
    seconds: Math.round((Date.now() - startedAt) / 1000),
  };
  mkdirSync(path.dirname(output), { recursive: true });
  writeFileSync(output, `${JSON.stringify(report, null, 2)}\n`);
  write(`written to ${path.relative(process.cwd(), output)}`);
}

await main();
