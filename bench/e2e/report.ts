import type { NluFigures } from './nlu-figures.ts';
import type { Measurement, PhaseFigures } from './measure.ts';
import type { Scenario } from './scenarios.ts';

/** One scenario's line of bench/results/e2e.json (the field names first). */
export interface ScenarioEntry {
  name: string;
  description: string;
  hosts: number;
  store: 'redis' | 'memory' | null;
  /** Closed loop, `conversations` customers each waiting for its reply: replies a second. */
  messagesPerSecond: number;
  /** The bare relay's and bare echo's rates in the same run (the bare relay's is the mean of its runs). */
  bareRelayPerSecond: number;
  bareEchoPerSecond: number;
  /** messagesPerSecond ÷ bareRelayPerSecond. */
  ratio: number;
  /** Open loop at a fixed arrival rate of half messagesPerSecond: message due → reply received. */
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  openLoopRate: number;
  /** CPU (user + system, /proc) of the scenario's server processes per message, closed loop. */
  cpuMsPerMessage: number;
  /** The same at half the maximum rate (open loop). */
  cpuMsPerMessageAtHalfRate: number;
  /** The largest VmHWM of the server processes, from before the warm-up to the end of the scenario. */
  peakRssMb: number;
  /** The load generator's own CPU per message in the closed loop (it shares the two cores). */
  loadGeneratorCpuMsPerMessage: number;
  redisCpuMsPerMessage?: number;
  /** Messages sent, replied, refused and lost per phase; replies that matched no message or came too late. */
  counts: { closed: Counts; open: Counts; unmatchedReplies: number; lateReplies: number };
  sustained?: Measurement['sustained'];
  /** The bare relay, measured first and last: how much the machine moved in between. */
  runs?: number[];
  /** Two hosts against one (twilio-redis). */
  scaleOut?: { oneHostPerSecond: number; throughputRatio: number; cpuMsPerMessageOneHost: number; cpuMsPerMessageChange: number };
}

/** The NLU's line of bench/results/e2e.json: the demo model's classification speed (see nlu-figures.ts). */
export interface NluEntry {
  name: 'nlu';
  description: string;
  model: string;
  texts: number;
  classifications: number;
  classificationsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function nluEntry(nlu: NluFigures): NluEntry {
  return {
    name: 'nlu',
    description: 'the demo model alone in the load generator process: classify after classify over the regression suites’ texts',
    model: nlu.model,
    texts: nlu.texts,
    classifications: nlu.classifications,
    classificationsPerSecond: nlu.classificationsPerSecond,
    p50Ms: nlu.latencyMs.p50,
    p95Ms: nlu.latencyMs.p95,
    p99Ms: nlu.latencyMs.p99,
    maxMs: nlu.latencyMs.max,
  };
}

interface Counts {
  sent: number;
  replied: number;
  failed: number;
  lost: number;
}

const counts = (phase: PhaseFigures): Counts => ({ sent: phase.sent, replied: phase.replied, failed: phase.failed, lost: phase.lost });
const round = (value: number, decimals = 2): number => Math.round(value * 10 ** decimals) / 10 ** decimals;

export function scenarioEntry(
  scenario: Scenario,
  measurement: Measurement,
  limits: { bareRelayPerSecond: number; bareEchoPerSecond: number },
): ScenarioEntry {
  const { closed, open } = measurement;
  return {
    name: scenario.name,
    description: scenario.description,
    hosts: scenario.hosts,
    store: scenario.store ?? null,
    messagesPerSecond: closed.rate,
    bareRelayPerSecond: round(limits.bareRelayPerSecond, 1),
    bareEchoPerSecond: round(limits.bareEchoPerSecond, 1),
    ratio: round(closed.rate / limits.bareRelayPerSecond, 3),
    p50Ms: open.latencyMs.p50,
    p95Ms: open.latencyMs.p95,
    p99Ms: open.latencyMs.p99,
    maxMs: open.latencyMs.max,
    openLoopRate: round(closed.rate / 2, 1),
    cpuMsPerMessage: closed.cpuMsPerMessage,
    cpuMsPerMessageAtHalfRate: open.cpuMsPerMessage,
    peakRssMb: measurement.peakRssMb,
    loadGeneratorCpuMsPerMessage: closed.loadGeneratorCpuMsPerMessage,
    ...(closed.redisCpuMsPerMessage === undefined ? {} : { redisCpuMsPerMessage: closed.redisCpuMsPerMessage }),
    counts: { closed: counts(closed), open: counts(open), unmatchedReplies: measurement.stray.unmatched, lateReplies: measurement.stray.late },
    ...(measurement.sustained ? { sustained: measurement.sustained } : {}),
  };
}

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

/** The targets, as measured in this run (reported, never asserted). */
export function checkTargets(entries: ReadonlyMap<string, ScenarioEntry>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const one = entries.get('twilio-redis');
  const two = entries.get('two-hosts-redis');
  if (one) {
    checks.push({ target: 'one host with Redis ≥ 50% of the bare relay', measured: `${Math.round(one.ratio * 1000) / 10}%`, met: one.ratio >= 0.5 });
  }
  for (const name of ['twilio-redis', 'webchat-redis', 'twilio-memory', 'two-hosts-redis']) {
    const entry = entries.get(name);
    if (entry) checks.push({ target: `${name}: p99 inbound → reply < 50 ms at half the maximum rate`, measured: `${entry.p99Ms} ms`, met: entry.p99Ms < 50 });
  }
  if (two?.scaleOut) {
    const change = two.scaleOut.cpuMsPerMessageChange;
    checks.push({
      target: 'CPU per message with two hosts within 15% of one host',
      measured: `${change >= 0 ? '+' : ''}${Math.round(change * 1000) / 10}% (${two.scaleOut.cpuMsPerMessageOneHost} → ${two.cpuMsPerMessage} ms)`,
      met: Math.abs(change) <= 0.15,
    });
  }
  if (one) {
    checks.push({ target: 'host peak RSS ≤ 250 MB with the demo model', measured: `${one.peakRssMb} MB`, met: one.peakRssMb <= 250 });
    const rss = one.sustained?.rssMb;
    if (rss) {
      const growth = (rss.end - rss.start) / rss.start;
      checks.push({
        target: `host RSS flat over a sustained run (end within 5% of start, ${one.sustained?.seconds ?? '?'} s)`,
        measured: `${rss.start} → ${rss.end} MB (${rss.slopePerMinute ?? '?'} MB/min)`,
        met: growth <= 0.05,
      });
    }
  }
  return checks;
}

/** The short table on stdout. */
export function formatTable(entries: readonly ScenarioEntry[], nlu: NluEntry | undefined, checks: readonly TargetCheck[]): string {
  const header = ['scenario', 'msg/s', '÷ relay', 'p50 ms', 'p95 ms', 'p99 ms', 'CPU ms/msg', 'peak RSS MB'];
  const rows = entries.map((entry) => [
    entry.name,
    entry.messagesPerSecond.toFixed(0),
    entry.ratio.toFixed(3),
    entry.p50Ms.toFixed(1),
    entry.p95Ms.toFixed(1),
    entry.p99Ms.toFixed(1),
    entry.cpuMsPerMessage.toFixed(3),
    entry.peakRssMb.toFixed(0),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (row: readonly string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join('  ');
  const lines = [line(header), ...rows.map(line)];
  const two = entries.find((entry) => entry.scaleOut);
  if (two?.scaleOut) {
    lines.push(
      '',
      `two hosts ÷ one host: ${two.scaleOut.throughputRatio.toFixed(2)}× the messages a second, ` +
        `CPU/msg ${two.scaleOut.cpuMsPerMessageOneHost} → ${two.cpuMsPerMessage} ms (${two.scaleOut.cpuMsPerMessageChange >= 0 ? '+' : ''}${(two.scaleOut.cpuMsPerMessageChange * 100).toFixed(1)}%)`,
    );
  }
  if (nlu) {
    lines.push(
      `NLU (${nlu.model}): ${nlu.classificationsPerSecond.toLocaleString('en-US')} classifications/s, p50 ${nlu.p50Ms} / p99 ${nlu.p99Ms} ms`,
    );
  }
  if (checks.length > 0) {
    lines.push('', 'targets:');
    for (const check of checks) lines.push(`  ${check.met ? 'met    ' : 'NOT met'}  ${check.target}: ${check.measured}`);
  }
  return lines.join('\n');
}
