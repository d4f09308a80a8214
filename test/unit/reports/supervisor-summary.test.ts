import { describe, expect, it } from 'vitest';
import { MemoryStatsStore, utcDay } from '../../../src/reports/stats-store.ts';
import { supervisorSummary } from '../../../src/reports/supervisor-summary.ts';

describe('supervisorSummary', () => {
  it('adds up the days of the period, with nearest-rank percentiles', async () => {
    const stats = new MemoryStatsStore();
    const now = Date.parse('2026-11-30T12:00:00Z');
    const today = utcDay(now);
    const yesterday = utcDay(now - 24 * 3600_000);
    const longAgo = utcDay(now - 10 * 24 * 3600_000);
    await stats.increment(today, { bot_conversations: 6, escalated_conversations: 1, escalations: 1, 'reason:customer_request': 1, 'intent:agent.request': 1, 'csat:5': 1 });
    await stats.increment(yesterday, { bot_conversations: 4, escalated_conversations: 1, escalations: 2, 'reason:low_confidence': 2, 'intent:None': 2, 'csat:3': 1 });
    await stats.increment(longAgo, { bot_conversations: 100 });
    for (const ms of [1000, 2000, 3000, 4000, 60_000]) await stats.addWait(today, ms);
    await stats.addHandle(today, 'sam', 120_000);
    await stats.addHandle(yesterday, 'sam', 60_000);
    await stats.addHandle(today, 'kim', 30_000);

    const summary = await supervisorSummary({
      stats,
      days: 7,
      now,
      agentName: (id) => ({ sam: 'Sam', kim: 'Kim' })[id] ?? id,
      queueDepth: () => Promise.resolve(new Map([['general', 2]])),
    });
    expect(summary.period).toEqual({ days: 7, from: '2026-11-24', to: '2026-11-30' });
    expect(summary.conversations).toEqual({ bot: 10, escalated: 2, contained: 8, containmentRate: 0.8 });
    expect(summary.escalations).toMatchObject({ total: 3, byIntent: { None: 2, 'agent.request': 1 } });
    expect(summary.escalations.byReason).toMatchObject({ low_confidence: 2, customer_request: 1, out_of_scope: 0 });
    expect(summary.queueWait).toEqual({ samples: 5, p50: 3, p90: 60, p95: 60, max: 60 });
    expect(summary.handleTime).toMatchObject({ samples: 3, averageSeconds: 70, p50: 60 });
    expect(summary.handleTime.byAgent).toEqual([
      { agentId: 'sam', name: 'Sam', conversations: 2, averageSeconds: 90 },
      { agentId: 'kim', name: 'Kim', conversations: 1, averageSeconds: 30 },
    ]);
    expect(summary.csat).toEqual({ responses: 2, average: 4, satisfiedRate: 0.5, distribution: { '1': 0, '2': 0, '3': 1, '4': 0, '5': 1 } });
    expect(summary.live).toEqual({ queueDepth: { general: 2 } });
  });

  it('says null, not zero, when there is nothing to rate', async () => {
    const summary = await supervisorSummary({ stats: new MemoryStatsStore(), days: 1, agentName: (id) => id, queueDepth: () => Promise.resolve(new Map()) });
    expect(summary.conversations.containmentRate).toBeNull();
    expect(summary.queueWait).toEqual({ samples: 0, p50: null, p90: null, p95: null, max: null });
    expect(summary.csat.average).toBeNull();
  });
});
