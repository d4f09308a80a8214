import type { PendingDelivery, WebhookStore, WebhookSubscription } from './webhook-store.ts';

/** Subscriptions and pending deliveries in memory: lost on restart (use Redis to keep them). */
export class MemoryWebhookStore implements WebhookStore {
  private readonly subs = new Map<string, WebhookSubscription>();
  private readonly deliveries = new Map<string, { delivery: PendingDelivery; dueAt: number }>();

  subscriptions(): Promise<WebhookSubscription[]> {
    return Promise.resolve([...this.subs.values()].map((subscription) => structuredClone(subscription)));
  }

  addSubscription(subscription: WebhookSubscription): Promise<void> {
    this.subs.set(subscription.id, structuredClone(subscription));
    return Promise.resolve();
  }

  removeSubscription(id: string): Promise<boolean> {
    return Promise.resolve(this.subs.delete(id));
  }

  enqueue(delivery: PendingDelivery, dueAt: number): Promise<void> {
    this.deliveries.set(delivery.id, { delivery: structuredClone(delivery), dueAt });
    return Promise.resolve();
  }

  claimDue(now: number, leaseUntil: number, limit: number): Promise<PendingDelivery[]> {
    const due = [...this.deliveries.values()]
      .filter((entry) => entry.dueAt <= now)
      .sort((a, b) => a.dueAt - b.dueAt)
      .slice(0, limit);
    for (const entry of due) entry.dueAt = leaseUntil;
    return Promise.resolve(due.map((entry) => structuredClone(entry.delivery)));
  }

  complete(id: string): Promise<void> {
    this.deliveries.delete(id);
    return Promise.resolve();
  }

  reschedule(delivery: PendingDelivery, dueAt: number): Promise<boolean> {
    if (!this.deliveries.has(delivery.id)) return Promise.resolve(false);
    this.deliveries.set(delivery.id, { delivery: structuredClone(delivery), dueAt });
    return Promise.resolve(true);
  }

  pendingCount(): Promise<number> {
    return Promise.resolve(this.deliveries.size);
  }
}
