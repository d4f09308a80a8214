import { join } from 'node:path';
import { z } from 'zod';
import { LuaCommandSet, luaReply } from '../store/lua-commands.ts';
import type { RedisClient } from '../store/redis-connection.ts';
import { OUTBOUND_EVENTS } from './event-types.ts';
import { outboundKeys } from './outbound-keys.ts';
import type { PendingDelivery, WebhookStore, WebhookSubscription } from './webhook-store.ts';

const COMMANDS = new LuaCommandSet(join(import.meta.dirname, 'lua'), {
  sbWebhooksClaimDue: { file: 'claim-due.lua', numberOfKeys: 2 },
  sbWebhooksReschedule: { file: 'reschedule.lua', numberOfKeys: 2 },
});

const subscriptionSchema = z.object({
  id: z.string(),
  url: z.string(),
  secret: z.string(),
  events: z.array(z.enum(OUTBOUND_EVENTS)).optional(),
  source: z.enum(['config', 'api']),
  createdAt: z.number().optional(),
});
const deliverySchema = z.object({
  id: z.string(),
  subscriptionId: z.string(),
  event: z.object({
    id: z.string(),
    type: z.enum(OUTBOUND_EVENTS),
    occurredAt: z.string(),
    data: z.record(z.string(), z.unknown()),
  }),
  attempts: z.number().int().min(0),
  createdAt: z.number(),
});

function parse<T>(schema: z.ZodType<T>, json: string, what: string): T {
  const parsed = schema.safeParse(JSON.parse(json));
  if (!parsed.success) throw new Error(`Malformed ${what} in Redis: ${parsed.error.message}`);
  return parsed.data;
}

/** Subscriptions and pending deliveries in Redis, shared by every host (see outbound-keys.ts). */
export class RedisWebhookStore implements WebhookStore {
  private readonly keys: ReturnType<typeof outboundKeys>;
  private readonly run: (name: 'sbWebhooksClaimDue' | 'sbWebhooksReschedule', args: (string | number)[]) => Promise<unknown>;

  constructor(
    private readonly client: RedisClient,
    keyPrefix: string,
  ) {
    this.keys = outboundKeys(keyPrefix);
    this.run = COMMANDS.runner(client);
  }

  async subscriptions(): Promise<WebhookSubscription[]> {
    const all = await this.client.hgetall(this.keys.subscriptions);
    return Object.values(all)
      .map((json) => parse(subscriptionSchema, json, 'webhook subscription'))
      .sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0));
  }

  async addSubscription(subscription: WebhookSubscription): Promise<void> {
    await this.client.hset(this.keys.subscriptions, subscription.id, JSON.stringify(subscription));
  }

  async removeSubscription(id: string): Promise<boolean> {
    return (await this.client.hdel(this.keys.subscriptions, id)) === 1;
  }

  async enqueue(delivery: PendingDelivery, dueAt: number): Promise<void> {
    await this.client
      .multi()
      .hset(this.keys.deliveries, delivery.id, JSON.stringify(delivery))
      .zadd(this.keys.due, dueAt, delivery.id)
      .exec();
  }

  async claimDue(now: number, leaseUntil: number, limit: number): Promise<PendingDelivery[]> {
    const reply = await this.run('sbWebhooksClaimDue', [this.keys.due, this.keys.deliveries, now, leaseUntil, limit]);
    return luaReply.stringArray(reply, 'claim-due').map((json) => parse(deliverySchema, json, 'webhook delivery'));
  }

  async complete(id: string): Promise<void> {
    await this.client.multi().zrem(this.keys.due, id).hdel(this.keys.deliveries, id).exec();
  }

  async reschedule(delivery: PendingDelivery, dueAt: number): Promise<boolean> {
    const reply = await this.run('sbWebhooksReschedule', [this.keys.due, this.keys.deliveries, delivery.id, JSON.stringify(delivery), dueAt]);
    return luaReply.flag(reply, 'reschedule');
  }

  pendingCount(): Promise<number> {
    return this.client.zcard(this.keys.due);
  }
}
