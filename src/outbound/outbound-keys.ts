/**
 * Redis keys of the outbound area (event webhooks) and of the supervisor's
 * figures, with the host's key prefix (REDIS_KEY_PREFIX, default `sb`):
 *
 *   sb:{webhooks}:subscriptions   hash: subscription id -> JSON (made through the API)
 *   sb:{webhooks}:due             zset: delivery id -> when it is next due (ms)
 *   sb:{webhooks}:deliveries      hash: delivery id -> JSON (event, subscription, attempts)
 *   sb:{stats:<day>}:counts       hash: counter -> value, for one UTC day (kept 40 days)
 *   sb:{stats:<day>}:wait         list: queue waits of the day, ms (newest first, capped)
 *   sb:{stats:<day>}:handle       list: `<agentId> <ms>` handle times of the day (capped)
 *
 * The webhook keys share the hash tag `{webhooks}` (the claim and reschedule
 * scripts touch two of them); one day's figures share `{stats:<day>}`, so
 * every script and MULTI runs unchanged on Redis Cluster.
 */
export function outboundKeys(prefix: string) {
  if (prefix === '' || /[{}]/.test(prefix)) throw new TypeError(`Invalid Redis key prefix "${prefix}".`);
  const webhooks = `${prefix}:{webhooks}`;
  const day = (date: string) => `${prefix}:{stats:${date}}`;
  return Object.freeze({
    subscriptions: `${webhooks}:subscriptions`,
    due: `${webhooks}:due`,
    deliveries: `${webhooks}:deliveries`,
    statsCounts: (date: string) => `${day(date)}:counts`,
    statsWaits: (date: string) => `${day(date)}:wait`,
    statsHandles: (date: string) => `${day(date)}:handle`,
  });
}
