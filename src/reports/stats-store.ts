import type { RedisClient } from '../store/redis-connection.ts';
import { outboundKeys } from '../outbound/outbound-keys.ts';

/** One UTC day's figures, as the supervisor view adds them up. */
export interface DayStats {
  /** Named counters: `bot_conversations`, `escalated_conversations`, `reason:<code>`, `intent:<name>`, `csat:<1-5>`… */
  counts: Record<string, number>;
  /** Queue waits, ms. */
  waits: number[];
  /** Handle times, ms, by agent. */
  handles: { agentId: string; ms: number }[];
}

/**
 * The supervisor's figures per UTC day, shared by every host (Redis) or kept
 * by one (memory). Days are `YYYY-MM-DD`; Redis keeps them 40 days. Sample
 * lists keep the day's latest SAMPLE_CAP values.
 */
export interface StatsStore {
  increment(day: string, counters: Readonly<Record<string, number>>): Promise<void>;
  addWait(day: string, ms: number): Promise<void>;
  addHandle(day: string, agentId: string, ms: number): Promise<void>;
  read(day: string): Promise<DayStats>;
}

export const SAMPLE_CAP = 10_000;
const TTL_SECONDS = 40 * 24 * 3600;

export const utcDay = (at: number): string => new Date(at).toISOString().slice(0, 10);

export class MemoryStatsStore implements StatsStore {
  private readonly days = new Map<string, DayStats>();

  increment(day: string, counters: Readonly<Record<string, number>>): Promise<void> {
    const stats = this.day(day);
    for (const [name, by] of Object.entries(counters)) stats.counts[name] = (stats.counts[name] ?? 0) + by;
    return Promise.resolve();
  }

  addWait(day: string, ms: number): Promise<void> {
    const { waits } = this.day(day);
    waits.unshift(ms);
    waits.splice(SAMPLE_CAP);
    return Promise.resolve();
  }

  addHandle(day: string, agentId: string, ms: number): Promise<void> {
    const { handles } = this.day(day);
    handles.unshift({ agentId, ms });
    handles.splice(SAMPLE_CAP);
    return Promise.resolve();
  }

  read(day: string): Promise<DayStats> {
    return Promise.resolve(structuredClone(this.days.get(day) ?? { counts: {}, waits: [], handles: [] }));
  }

  private day(day: string): DayStats {
    let stats = this.days.get(day);
    if (!stats) {
      stats = { counts: {}, waits: [], handles: [] };
      this.days.set(day, stats);
    }
    return stats;
  }
}

/** Keys in outbound-keys.ts: one hash and two capped lists per day, under the day's hash tag. */
export class RedisStatsStore implements StatsStore {
  private readonly keys: ReturnType<typeof outboundKeys>;

  constructor(
    private readonly client: RedisClient,
    keyPrefix: string,
  ) {
    this.keys = outboundKeys(keyPrefix);
  }

  async increment(day: string, counters: Readonly<Record<string, number>>): Promise<void> {
    const key = this.keys.statsCounts(day);
    const multi = this.client.multi();
    for (const [name, by] of Object.entries(counters)) multi.hincrby(key, name, by);
    await multi.expire(key, TTL_SECONDS).exec();
  }

  addWait(day: string, ms: number): Promise<void> {
    return this.push(this.keys.statsWaits(day), String(Math.round(ms)));
  }

  addHandle(day: string, agentId: string, ms: number): Promise<void> {
    return this.push(this.keys.statsHandles(day), `${agentId} ${Math.round(ms)}`);
  }

  async read(day: string): Promise<DayStats> {
    const [counts, waits, handles] = await Promise.all([
      this.client.hgetall(this.keys.statsCounts(day)),
      this.client.lrange(this.keys.statsWaits(day), 0, -1),
      this.client.lrange(this.keys.statsHandles(day), 0, -1),
    ]);
    return {
      counts: Object.fromEntries(Object.entries(counts).map(([name, value]) => [name, Number(value)])),
      waits: waits.map(Number).filter(Number.isFinite),
      handles: handles.flatMap((line) => {
        const space = line.lastIndexOf(' ');
        const ms = Number(line.slice(space + 1));
        return space > 0 && Number.isFinite(ms) ? [{ agentId: line.slice(0, space), ms }] : [];
      }),
    };
  }

  private async push(key: string, value: string): Promise<void> {
    await this.client
      .multi()
      .lpush(key, value)
      .ltrim(key, 0, SAMPLE_CAP - 1)
      .expire(key, TTL_SECONDS)
      .exec();
  }
}
