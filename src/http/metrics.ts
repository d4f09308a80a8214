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
  // Integrations, notifications, outbound events, CSAT and the supervisor's figures (README "Integrations").
  readonly botConversations = new Counter({
    name: 'switchboard_bot_conversations_total',
    help: 'Conversations the bot answered, counted once, at their first customer message.',
    registers: [this.registry],
  });
  readonly escalatedConversations = new Counter({
    name: 'switchboard_escalated_conversations_total',
    help: 'Conversations handed to the agent queue, counted once, at their first escalation (containment = 1 - this / bot conversations).',
    registers: [this.registry],
  });
  readonly escalationsByIntent = new Counter({
    name: 'switchboard_escalations_by_intent_total',
    help: 'Escalations by the top intent of the message that escalated (None when nothing matched).',
    labelNames: ['intent'] as const,
    registers: [this.registry],
  });
  readonly containmentRate = new Gauge({
    name: 'switchboard_containment_rate',
    help: "Today's (UTC) share of the bot's conversations that never went to the agent queue, over all hosts (read at scrape time).",
    registers: [this.registry],
  });
  readonly handleTime = new Histogram({
    name: 'switchboard_handle_time_seconds',
    help: 'Time an agent held a conversation, from assignment to release.',
    buckets: [30, 60, 120, 300, 600, 900, 1800, 3600, 7200],
    registers: [this.registry],
  });
  readonly csatRatings = new Counter({
    name: 'switchboard_csat_ratings_total',
    help: 'Customer satisfaction ratings (1-5) given after an agent released the conversation.',
    labelNames: ['rating'] as const,
    registers: [this.registry],
  });
  readonly notifications = new Counter({
    name: 'switchboard_notifications_total',
    help: 'Notifications (POST /api/notifications) by channel and outcome: sent, refused (4xx), failed.',
    labelNames: ['channel', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly eventDeliveries = new Counter({
    name: 'switchboard_event_deliveries_total',
    help: 'Outbound event delivery attempts by event and outcome: delivered, retried, failed (given up), dropped (unsubscribed).',
    labelNames: ['event', 'outcome'] as const,
    registers: [this.registry],
  });
  readonly eventDeliveriesPending = new Gauge({
    name: 'switchboard_event_deliveries_pending',
    help: 'Outbound event deliveries waiting to be sent or retried, over all hosts (read at scrape time).',
    registers: [this.registry],
  });
  readonly contextLookups = new Counter({
    name: 'switchboard_context_lookups_total',
    help: 'Lookups in the business systems (customer, order, customer_orders, customer_cases, cancel_order) by outcome: found, not_found, unavailable.',
    labelNames: ['operation', 'outcome'] as const,
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
