/**
 * The end-to-end bench's knobs, from environment variables. BENCH_QUICK=1
 * shortens every phase for a smoke run (figures are then rough: short
 * windows, little warm-up).
 */
const quick = process.env.BENCH_QUICK === '1' || process.env.BENCH_QUICK === 'true';

function positive(name: string, fallback: number, orZero = false): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0 || (value === 0 && !orZero)) {
    throw new Error(`${name} must be a positive number${orZero ? ' or 0' : ''} (got "${raw}")`);
  }
  return value;
}

export interface BenchSettings {
  quick: boolean;
  /** Simulated customers, each with one message in flight at a time in the closed loop. */
  conversations: number;
  /** Closed loop before measuring (JIT, caches, connection pools), not counted. */
  warmupSeconds: number;
  /** The closed-loop window: the maximum rate. */
  closedSeconds: number;
  /** The open-loop window at half that rate: the latencies. */
  openSeconds: number;
  /** A longer open-loop run of one host, sampling its memory, to see whether it stays flat (0: none). */
  sustainSeconds: number;
  /** A message without its reply after this long counts as lost (and the loop goes on). */
  replyTimeoutMs: number;
  /** NLU: how long the classifier is called in a loop. */
  nluSeconds: number;
  /** BENCH_SCENARIOS: only these (comma-separated names; the NLU as `nlu`), for profiling or a second look at one. */
  only: ReadonlySet<string> | undefined;
  /** BENCH_PROFILE=1: Switchboard hosts run with --cpu-prof, profiles in test-results/bench/profiles/. */
  profile: boolean;
  /** BENCH_HOST_NODE_OPTIONS: more options for node running each Switchboard host (space-separated), to try a setting. */
  hostNodeOptions: readonly string[];
}

export function benchSettings(): BenchSettings {
  return {
    quick,
    conversations: Math.round(positive('BENCH_CONVERSATIONS', 64)),
    warmupSeconds: positive('BENCH_WARMUP_SECONDS', quick ? 2 : 5),
    closedSeconds: positive('BENCH_CLOSED_SECONDS', quick ? 3 : 10),
    openSeconds: positive('BENCH_OPEN_SECONDS', quick ? 3 : 15),
    sustainSeconds: positive('BENCH_SUSTAIN_SECONDS', quick ? 5 : 60, true),
    replyTimeoutMs: positive('BENCH_REPLY_TIMEOUT_MS', 30_000),
    nluSeconds: positive('BENCH_NLU_SECONDS', quick ? 2 : 5),
    only: process.env.BENCH_SCENARIOS ? new Set(process.env.BENCH_SCENARIOS.split(',').map((name) => name.trim())) : undefined,
    profile: process.env.BENCH_PROFILE === '1',
    hostNodeOptions: (process.env.BENCH_HOST_NODE_OPTIONS ?? '').split(' ').filter((option) => option !== ''),
  };
}
