import type { Redis } from 'ioredis';
import { processCpuMs, processPeakRssMb, processRssMb, resetPeakRss } from '../support/proc-stats.ts';
import { slope, summarizeLatencies, type LatencySummary } from '../support/stats.ts';
import { closedLoop, openLoop, type LoadTarget, type PhaseResult } from './load-loops.ts';
import type { ReplyClock } from './reply-clock.ts';
import type { BenchSettings } from './settings.ts';

/** A server (one or more processes) under load, from the load generator's side. */
export interface SystemUnderTest {
  /** The processes whose CPU time and memory are the scenario's: the hosts, or the bare server. */
  pids: readonly number[];
  target: LoadTarget;
  /** Forgets what the fake platforms recorded, between phases, so the load generator keeps nothing. */
  forget(): void;
}

export interface PhaseFigures {
  seconds: number;
  sent: number;
  replied: number;
  failed: number;
  lost: number;
  /** Replies a second. */
  rate: number;
  latencyMs: LatencySummary;
  /** CPU time (user + system, from /proc) of the system's processes per reply. */
  cpuMsPerMessage: number;
  /** The same for the load generator (this process), which shares the cores. */
  loadGeneratorCpuMsPerMessage: number;
  /** The same for redis-server (INFO cpu), when the system uses Redis. */
  redisCpuMsPerMessage?: number;
}

export interface Measurement {
  /** Replies that matched no message, and replies that came after their message was given up on (a bug if not 0). */
  stray: { unmatched: number; late: number };
  closed: PhaseFigures;
  /** At half the closed loop's rate. */
  open: PhaseFigures;
  /** The processes' largest VmHWM, counted from just before the warm-up. */
  peakRssMb: number;
  /** A longer open-loop run, sampling the processes' RSS (when asked for). */
  sustained?: PhaseFigures & { rssMb: { start: number; end: number; max: number; slopePerMinute: number | undefined; samples: [number, number][] } };
}

interface CpuSnapshot {
  system: number;
  self: number;
  redis: number | undefined;
}

async function redisCpuMs(redis: Redis | undefined): Promise<number | undefined> {
  if (!redis) return undefined;
  const info = await redis.info('cpu');
  const seconds = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? Number.NaN);
  return (seconds('used_cpu_user') + seconds('used_cpu_sys')) * 1000;
}

async function snapshot(pids: readonly number[], redis: Redis | undefined): Promise<CpuSnapshot> {
  const self = process.cpuUsage();
  return {
    system: pids.reduce((sum, pid) => sum + processCpuMs(pid), 0),
    self: (self.user + self.system) / 1000,
    redis: await redisCpuMs(redis),
  };
}

function figures(phase: PhaseResult, before: CpuSnapshot, after: CpuSnapshot): PhaseFigures {
  const per = (ms: number) => (phase.replied === 0 ? Number.NaN : Math.round((ms / phase.replied) * 1000) / 1000);
  return {
    seconds: phase.seconds,
    sent: phase.sent,
    replied: phase.replied,
    failed: phase.failed,
    lost: phase.lost,
    rate: Math.round((phase.replied / phase.seconds) * 10) / 10,
    latencyMs: summarizeLatencies(phase.latenciesMs),
    cpuMsPerMessage: per(after.system - before.system),
    loadGeneratorCpuMsPerMessage: per(after.self - before.self),
    ...(before.redis === undefined || after.redis === undefined ? {} : { redisCpuMsPerMessage: per(after.redis - before.redis) }),
  };
}

/**
 * The measurement every scenario gets: a warm-up, the closed loop (the
 * maximum rate), then the open loop at half that rate (the latencies), and,
 * when asked, a longer open-loop run watching memory. CPU time is read from
 * /proc before and after each phase; the peak RSS is counted from before the
 * warm-up, so start-up (model loading, compilation) is not in it.
 */
export async function measureSystem(
  system: SystemUnderTest,
  clock: ReplyClock,
  settings: BenchSettings,
  options: { redis?: Redis; sustain?: boolean; log: (line: string) => void },
): Promise<Measurement> {
  const { pids, target } = system;
  const peakResettable = pids.every((pid) => resetPeakRss(pid));
  if (!peakResettable) options.log('  (VmHWM could not be reset: the peak includes start-up)');
  await closedLoop(target, clock, settings.conversations, settings.warmupSeconds);
  system.forget();

  const beforeClosed = await snapshot(pids, options.redis);
  const closedRun = await closedLoop(target, clock, settings.conversations, settings.closedSeconds);
  const closed = figures(closedRun, beforeClosed, await snapshot(pids, options.redis));
  system.forget();
  options.log(
    `  closed loop, ${settings.conversations} conversations: ${closed.rate} msg/s, ${closed.cpuMsPerMessage} ms CPU/msg` +
      (closed.failed + closed.lost > 0 ? ` (${closed.failed} refused, ${closed.lost} lost)` : ''),
  );

  const rate = Math.max(1, closed.rate / 2);
  const beforeOpen = await snapshot(pids, options.redis);
  const openRun = await openLoop(target, clock, settings.conversations, rate, settings.openSeconds);
  const open = figures(openRun, beforeOpen, await snapshot(pids, options.redis));
  system.forget();
  options.log(
    `  open loop at ${Math.round(rate * 10) / 10}/s: p50 ${open.latencyMs.p50} / p95 ${open.latencyMs.p95} / p99 ${open.latencyMs.p99} ms, ${open.cpuMsPerMessage} ms CPU/msg` +
      (open.failed + open.lost > 0 ? ` (${open.failed} refused, ${open.lost} lost)` : ''),
  );

  const measurement: Measurement = { stray: { unmatched: 0, late: 0 }, closed, open, peakRssMb: peakRss(pids) };
  if (options.sustain) {
    const startedAt = performance.now();
    const samples: [number, number][] = [];
    const sample = () => samples.push([Math.round((performance.now() - startedAt) / 100) / 10, round1(pids.reduce((sum, pid) => sum + processRssMb(pid), 0))]);
    sample();
    const sampler = setInterval(sample, 2_000);
    const beforeSustained = await snapshot(pids, options.redis);
    const sustainedRun = await openLoop(target, clock, settings.conversations, rate, settings.sustainSeconds);
    const sustainedFigures = figures(sustainedRun, beforeSustained, await snapshot(pids, options.redis));
    clearInterval(sampler);
    sample();
    system.forget();
    const perSecond = slope(samples);
    const rssMb = {
      start: samples[0]?.[1] ?? Number.NaN,
      end: samples.at(-1)?.[1] ?? Number.NaN,
      max: Math.max(...samples.map(([, mb]) => mb)),
      slopePerMinute: perSecond === undefined ? undefined : Math.round(perSecond * 60 * 100) / 100,
      samples,
    };
    measurement.sustained = { ...sustainedFigures, rssMb };
    measurement.peakRssMb = peakRss(pids);
    options.log(
      `  sustained ${settings.sustainSeconds} s at ${Math.round(rate * 10) / 10}/s: p99 ${sustainedFigures.latencyMs.p99} ms, ` +
        `RSS ${rssMb.start} → ${rssMb.end} MB (${rssMb.slopePerMinute ?? '?'} MB/min), peak ${measurement.peakRssMb} MB`,
    );
  }
  measurement.stray = { unmatched: clock.unmatched, late: clock.late };
  return measurement;
}

const round1 = (value: number): number => Math.round(value * 10) / 10;

/** The largest peak RSS of the processes (each host's own peak: the figure the 250 MB budget is about). */
function peakRss(pids: readonly number[]): number {
  return round1(Math.max(...pids.map((pid) => processPeakRssMb(pid))));
}
