import { Router } from 'express';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The host's Prometheus metrics, one registry per host (tests run several
 * hosts in one process, so nothing goes in prom-client's global registry).
 * Labels are bounded sets (channel, reason, outcome), never ids or text.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly turns = new Counter({
    name: 'switchboard_turns_total',
    help: 'Customer messages by channel and outcome: answered, escalated, failed, with_person (the bot stayed silent), attachments_only.',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly escalations = new Counter({
    name: 'switchboard_escalations_total',
    help: 'Conversations handed to a person, by reason and skill.',
    labelNames: ['reason', 'skill'] as const,
    registers: [this.registry],
  });
  readonly queueWait = new Histogram({
    name: 'switchboard_queue_wait_seconds',
    help: 'Time from entering the agent queue to being assigned, by skill.',
    labelNames: ['skill'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600],
    registers: [this.registry],
  });
  readonly nluLatency = new Histogram({
    name: 'switchboard_nlu_seconds',
    help: 'Time to classify one message.',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25],
    registers: [this.registry],
  });
  readonly sendFailures = new Counter({
    name: 'switchboard_channel_send_failures_total',
    help: 'Messages a platform did not accept, by channel.',
    labelNames: ['channel'] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: 'switchboard_queue_depth',
    help: 'Conversations waiting for an agent, by skill (read at scrape time).',
    labelNames: ['skill'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'switchboard_' });
  }

  /** Called at each scrape to refresh values that are read, not counted (queue depth). */
  onScrape(refresh: () => Promise<void>): void {
    this.refreshers.push(refresh);
  }

  async render(): Promise<string> {
    await Promise.all(this.refreshers.map((refresh) => refresh()));
    return this.registry.metrics();
  }

  private readonly refreshers: (() => Promise<void>)[] = [];
}

export function metricsRoutes(metrics: Metrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const body = await metrics.render();
    res.type(metrics.registry.contentType).send(body);
  });
  return router;
}
