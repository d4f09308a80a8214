import { ESCALATION_REASONS } from '../handoff/escalation-reason.ts';
import { utcDay, type DayStats, type StatsStore } from './stats-store.ts';

export interface Percentiles {
  /** How many values the figures are over. */
  samples: number;
  p50: number | null;
  p90: number | null;
  p95: number | null;
  max: number | null;
}

/** What a support lead runs the team by, over the last `days` UTC days (today included). */
export interface SupervisorSummary {
  period: { days: number; from: string; to: string };
  conversations: {
    /** Conversations the bot answered (counted at their first message). */
    bot: number;
    /** Of those, handed to the agent queue at least once. */
    escalated: number;
    /** Never went to the queue. */
    contained: number;
    /** contained / bot, null when the bot had none. */
    containmentRate: number | null;
  };
  escalations: { total: number; byReason: Record<string, number>; byIntent: Record<string, number> };
  /** From entering the queue to an agent taking it, seconds. */
  queueWait: Percentiles;
  /** From an agent taking it to releasing it, seconds. */
  handleTime: Percentiles & {
    averageSeconds: number | null;
    byAgent: { agentId: string; name: string; conversations: number; averageSeconds: number }[];
  };
  csat: {
    responses: number;
    average: number | null;
    /** Share of 4 and 5 ratings, null without responses. */
    satisfiedRate: number | null;
    distribution: Record<'1' | '2' | '3' | '4' | '5', number>;
  };
  /** Now, not over the period. */
  live: { queueDepth: Record<string, number> };
}

const DAY_MS = 24 * 3600_000;
const round = (value: number, places = 1): number => Math.round(value * 10 ** places) / 10 ** places;

/** Nearest-rank percentiles of values in ms, in seconds. */
function percentiles(valuesMs: number[]): Percentiles {
  const sorted = [...valuesMs].sort((a, b) => a - b);
  const at = (p: number): number | null => {
    if (sorted.length === 0) return null;
    const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
    return round((sorted[rank - 1] ?? 0) / 1000);
  };
  return { samples: sorted.length, p50: at(50), p90: at(90), p95: at(95), max: at(100) };
}

/** Adds up the stored days into the supervisor's summary. */
export async function supervisorSummary(input: {
  stats: StatsStore;
  days: number;
  now?: number;
  agentName: (agentId: string) => string;
  queueDepth: () => Promise<Map<string, number>>;
}): Promise<SupervisorSummary> {
  const now = input.now ?? Date.now();
  const dayNames = Array.from({ length: input.days }, (_, index) => utcDay(now - index * DAY_MS));
  const [days, depth] = await Promise.all([Promise.all(dayNames.map((day) => input.stats.read(day))), input.queueDepth()]);
  const merged: DayStats = { counts: {}, waits: [], handles: [] };
  for (const day of days) {
    for (const [name, value] of Object.entries(day.counts)) merged.counts[name] = (merged.counts[name] ?? 0) + value;
    merged.waits.push(...day.waits);
    merged.handles.push(...day.handles);
  }
  const count = (name: string): number => merged.counts[name] ?? 0;
  const prefixed = (prefix: string): Record<string, number> =>
    Object.fromEntries(
      Object.entries(merged.counts)
        .filter(([name]) => name.startsWith(prefix))
        .map(([name, value]) => [name.slice(prefix.length), value] as const)
        .sort((a, b) => b[1] - a[1]),
    );

  const bot = count('bot_conversations');
  const escalated = Math.min(bot, count('escalated_conversations'));
  const byReason = Object.fromEntries(ESCALATION_REASONS.map((reason) => [reason, count(`reason:${reason}`)]));

  const byAgent = new Map<string, { total: number; conversations: number }>();
  for (const { agentId, ms } of merged.handles) {
    const agent = byAgent.get(agentId) ?? { total: 0, conversations: 0 };
    agent.total += ms;
    agent.conversations += 1;
    byAgent.set(agentId, agent);
  }
  const handleTotal = merged.handles.reduce((sum, handle) => sum + handle.ms, 0);

  const distribution = { '1': count('csat:1'), '2': count('csat:2'), '3': count('csat:3'), '4': count('csat:4'), '5': count('csat:5') };
  const responses = Object.values(distribution).reduce((sum, value) => sum + value, 0);
  const ratingSum = Object.entries(distribution).reduce((sum, [rating, value]) => sum + Number(rating) * value, 0);

  return {
    period: { days: input.days, from: dayNames.at(-1) ?? utcDay(now), to: utcDay(now) },
    conversations: {
      bot,
      escalated,
      contained: bot - escalated,
      containmentRate: bot > 0 ? round((bot - escalated) / bot, 3) : null,
    },
    escalations: { total: count('escalations'), byReason, byIntent: prefixed('intent:') },
    queueWait: percentiles(merged.waits),
    handleTime: {
      ...percentiles(merged.handles.map((handle) => handle.ms)),
      averageSeconds: merged.handles.length > 0 ? round(handleTotal / merged.handles.length / 1000) : null,
      byAgent: [...byAgent.entries()]
        .map(([agentId, { total, conversations }]) => ({
          agentId,
          name: input.agentName(agentId),
          conversations,
          averageSeconds: round(total / conversations / 1000),
        }))
        .sort((a, b) => b.conversations - a.conversations),
    },
    csat: {
      responses,
      average: responses > 0 ? round(ratingSum / responses, 2) : null,
      satisfiedRate: responses > 0 ? round((distribution['4'] + distribution['5']) / responses, 3) : null,
      distribution,
    },
    live: { queueDepth: Object.fromEntries(depth) },
  };
}
