import { randomBytes, randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../http/metrics.ts';
import type { OutboundEvent, OutboundEventType } from './event-types.ts';
import { SIGNATURE_HEADER, signBody } from './webhook-signature.ts';
import type { PendingDelivery, WebhookStore, WebhookSubscription } from './webhook-store.ts';

export interface EventWebhookSettings {
  /** Attempts in all before a delivery is given up. */
  maxAttempts: number;
  /** Wait before the first retry; doubled for each next one (with jitter), at most an hour. */
  retryBaseMs: number;
  /** Per attempt. */
  timeoutMs: number;
}

export interface EventWebhookDependencies {
  store: WebhookStore;
  /** From EVENT_WEBHOOKS: always there, never deleted through the API. */
  configured: readonly { id?: string | undefined; url: string; secret: string; events?: OutboundEventType[] | undefined }[];
  settings: EventWebhookSettings;
  logger: Logger;
  metrics?: Metrics;
}

const MAX_BACKOFF_MS = 3600_000;
/** Deliveries sent at once by one host. */
const BATCH = 20;

/** Something that emits outbound events (the handoff observer, CSAT). */
export interface EventEmitter {
  emit(type: OutboundEventType, data: Record<string, unknown>): Promise<void>;
}

/**
 * Outbound events to the business's systems: each event is stored as one
 * pending delivery per matching subscription (Redis with REDIS_URL, so a
 * restart or another host carries on), then POSTed as JSON signed with
 * HMAC-SHA256 (`X-Switchboard-Signature-256`), and retried with exponential
 * backoff until a 2xx answer or EVENT_WEBHOOK_MAX_ATTEMPTS. Every host polls
 * for due deliveries; a claim leases a delivery to one host at a time.
 */
export class EventWebhooks implements EventEmitter {
  private timer: NodeJS.Timeout | undefined;
  private draining: Promise<void> | undefined;
  private again = false;
  private stopped = false;
  /** Aborts the attempts in flight when the host stops (they are tried again, not counted). */
  private aborter = new AbortController();
  private readonly configured: WebhookSubscription[];

  constructor(private readonly deps: EventWebhookDependencies) {
    this.configured = deps.configured.map(({ id, url, secret, events }, index) => ({
      id: id ?? `config-${index + 1}`,
      url,
      secret,
      ...(events ? { events } : {}),
      source: 'config' as const,
    }));
  }

  /** Every subscription: configured ones first. */
  async subscriptions(): Promise<WebhookSubscription[]> {
    return [...this.configured, ...(await this.deps.store.subscriptions())];
  }

  async subscribe(input: { url: string; events?: OutboundEventType[]; secret?: string }): Promise<WebhookSubscription> {
    const subscription: WebhookSubscription = {
      id: `sub_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      url: input.url,
      secret: input.secret ?? randomBytes(32).toString('base64url'),
      ...(input.events ? { events: [...new Set(input.events)] } : {}),
      source: 'api',
      createdAt: Date.now(),
    };
    await this.deps.store.addSubscription(subscription);
    this.deps.logger.info({ subscriptionId: subscription.id, host: hostOf(subscription.url), events: subscription.events ?? 'all' }, 'event subscription added');
    return subscription;
  }

  isConfigured(id: string): boolean {
    return this.configured.some((subscription) => subscription.id === id);
  }

  async unsubscribe(id: string): Promise<boolean> {
    const removed = await this.deps.store.removeSubscription(id);
    if (removed) this.deps.logger.info({ subscriptionId: id }, 'event subscription removed');
    return removed;
  }

  /** Stores one delivery per subscription to this event, then starts sending. Never throws. */
  async emit(type: OutboundEventType, data: Record<string, unknown>): Promise<void> {
    try {
      const targets = (await this.subscriptions()).filter((subscription) => !subscription.events || subscription.events.includes(type));
      if (targets.length === 0) return;
      const now = Date.now();
      const event: OutboundEvent = { id: `evt_${randomUUID().replace(/-/g, '')}`, type, occurredAt: new Date(now).toISOString(), data };
      for (const subscription of targets) {
        await this.deps.store.enqueue(
          { id: `dlv_${randomUUID().replace(/-/g, '')}`, subscriptionId: subscription.id, event, attempts: 0, createdAt: now },
          now,
        );
      }
      this.kick();
    } catch (error) {
      this.deps.logger.error({ err: error, event: type }, 'outbound event not stored');
    }
  }

  /** Polls for due deliveries (retries, and those left by a host that stopped). */
  start(): void {
    this.stopped = false;
    if (this.aborter.signal.aborted) this.aborter = new AbortController();
    const every = Math.min(1_000, Math.max(20, Math.floor(this.deps.settings.retryBaseMs / 2)));
    this.timer ??= setInterval(() => this.kick(), every);
    this.timer.unref();
    this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    this.timer = undefined;
    this.aborter.abort();
    await this.draining;
  }

  /** Sends what is due now; resolves when this round is done (for tests). */
  async flush(): Promise<void> {
    this.kick();
    while (this.draining) await this.draining;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'event delivery round failed'))
      .finally(() => {
        this.draining = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async drain(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const leaseUntil = now + this.deps.settings.timeoutMs + 5_000;
      const due = await this.deps.store.claimDue(now, leaseUntil, BATCH);
      if (due.length === 0) return;
      const subscriptions = new Map((await this.subscriptions()).map((subscription) => [subscription.id, subscription]));
      await Promise.all(due.map((delivery) => this.attempt(delivery, subscriptions.get(delivery.subscriptionId))));
      if (due.length < BATCH || this.stopped) return;
    }
  }

  private async attempt(delivery: PendingDelivery, subscription: WebhookSubscription | undefined): Promise<void> {
    const { logger, metrics, settings, store } = this.deps;
    const { event } = delivery;
    if (!subscription) {
      // Unsubscribed since: nobody wants it any more.
      await store.complete(delivery.id);
      metrics?.eventDeliveries.inc({ event: event.type, outcome: 'dropped' });
      return;
    }
    const attempt = delivery.attempts + 1;
    const log = logger.child({ event: event.type, eventId: event.id, deliveryId: delivery.id, subscriptionId: subscription.id, attempt });
    const startedAt = performance.now();
    const problem = await post(subscription, delivery, attempt, settings.timeoutMs, this.aborter.signal);
    const ms = Math.round(performance.now() - startedAt);
    if (problem === ABORTED) {
      // The host is stopping: due again at once, for the next host, as if never tried.
      await store.reschedule(delivery, Date.now());
      log.info('event delivery interrupted by shutdown; left for the next host');
      return;
    }
    if (problem === undefined) {
      await store.complete(delivery.id);
      metrics?.eventDeliveries.inc({ event: event.type, outcome: 'delivered' });
      log.info({ host: hostOf(subscription.url), ms }, 'event delivered');
      return;
    }
    if (attempt >= settings.maxAttempts) {
      await store.complete(delivery.id);
      metrics?.eventDeliveries.inc({ event: event.type, outcome: 'failed' });
      log.error({ host: hostOf(subscription.url), problem, ms, sinceMs: Date.now() - delivery.createdAt }, 'event delivery given up');
      return;
    }
    const backoff = Math.min(settings.retryBaseMs * 2 ** (attempt - 1), MAX_BACKOFF_MS) * (0.8 + Math.random() * 0.4);
    const rescheduled = await store.reschedule({ ...delivery, attempts: attempt }, Date.now() + Math.round(backoff));
    if (rescheduled) metrics?.eventDeliveries.inc({ event: event.type, outcome: 'retried' });
    log.warn({ host: hostOf(subscription.url), problem, ms, retryInMs: Math.round(backoff) }, 'event delivery failed; will retry');
  }
}

const ABORTED = 'aborted by shutdown';

/** One POST; undefined on a 2xx answer, else what went wrong. */
async function post(
  subscription: WebhookSubscription,
  delivery: PendingDelivery,
  attempt: number,
  timeoutMs: number,
  stop: AbortSignal,
): Promise<string | undefined> {
  const body = JSON.stringify(delivery.event);
  try {
    const response = await fetch(subscription.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Switchboard-Webhooks/1',
        'x-switchboard-event': delivery.event.type,
        'x-switchboard-delivery': delivery.id,
        'x-switchboard-attempt': String(attempt),
        [SIGNATURE_HEADER]: signBody(subscription.secret, body),
      },
      body,
      redirect: 'manual',
      signal: AbortSignal.any([AbortSignal.timeout(timeoutMs), stop]),
    });
    await response.body?.cancel().catch(() => undefined);
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    if (stop.aborted) return ABORTED;
    return error instanceof Error && error.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'network error';
  }
}

/** The receiver's host, for logs (never the path or query, which may carry tokens). */
function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid';
  }
}
