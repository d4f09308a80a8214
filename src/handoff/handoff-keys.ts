import { DEFAULT_KEY_PREFIX } from '../store/redis-keys.ts';

/**
 * Every Redis key of the handoff area (the agent queue), built in one place.
 *
 * Layout, with the default prefix `sb`:
 *
 *   sb:{handoff}:queue:<skill>            zset: waiting conversation ids, score = order (queue-rules.ts)
 *   sb:{handoff}:ticket:<conversationId>  hash: the ticket (conversationId, channel, skill, priority,
 *                                         reason, enqueuedAt; + agentId, assignedAt while held)
 *   sb:{handoff}:agent:<agentId>:held     set: conversation ids the agent holds (its size is its load)
 *   sb:{handoff}:agents:seen              zset: agent id → when it was last seen (ms), for leases
 *   sb:{handoff}:claim-rate:<skill>       hash: lastClaimAt, avgIntervalMs (moving average), backlog
 *                                         (1 when the last claim left conversations waiting)
 *
 * A ticket exists exactly while its conversation is queued or held: held
 * when it has an `agentId`, otherwise waiting in `queue:<its skill>`.
 *
 * Every key carries the one hash tag `{handoff}`. Claiming the next
 * conversation picks the lowest score across several skill queues and moves
 * it into an agent's held set in one script, and reaping touches the queues
 * and held sets of any number of agents: on Redis Cluster a script may only
 * touch keys of one slot, so the whole area has to share one. The trade-off:
 * the agent queue lives on one shard and does not scale out with the cluster
 * (conversations, transcripts and dialog state, which are most of the data
 * and traffic, still do). The queue holds only small tickets of conversations
 * waiting for or talking to a person, so one shard serves it comfortably;
 * the bench (`npm run bench:queue`) gives the figures.
 *
 * Scripts get the keys they know in advance as KEYS (so the cluster client
 * routes them to the slot), and build the others they find on the way (the
 * ticket of the conversation they picked, the held set of its holder, the
 * claim rate of its skill) from `base`, passed as ARGV[1], with the same
 * suffixes as below. test/integration/handoff/agent-queue.test.ts checks
 * that the two agree.
 */
export const HANDOFF_HASH_TAG = 'handoff';

export interface HandoffKeys {
  /** The prefix every key starts with (followed by `:`). */
  readonly prefix: string;
  /** `<prefix>:{handoff}:`, the start of every key of the area. */
  readonly base: string;
  /** The zset of conversations waiting in a skill. */
  queue(skill: string): string;
  /** The hash of a conversation's ticket. */
  ticket(conversationId: string): string;
  /** The set of conversations an agent holds. */
  agentHeld(agentId: string): string;
  /** The zset of agents by last-seen time. */
  readonly agentsSeen: string;
  /** The hash of a skill's claim rate. */
  claimRate(skill: string): string;
}

export function createHandoffKeys(prefix: string = DEFAULT_KEY_PREFIX): HandoffKeys {
  // Same rule as the store's keys: a brace in the prefix would change the
  // hash tag of every key.
  if (prefix === '' || /[{}]/.test(prefix)) {
    throw new TypeError(`Invalid Redis key prefix "${prefix}": it must be non-empty and brace-free.`);
  }
  const base = `${prefix}:{${HANDOFF_HASH_TAG}}:`;
  return Object.freeze({
    prefix,
    base,
    queue: (skill: string) => `${base}queue:${skill}`,
    ticket: (conversationId: string) => `${base}ticket:${conversationId}`,
    agentHeld: (agentId: string) => `${base}agent:${agentId}:held`,
    agentsSeen: `${base}agents:seen`,
    claimRate: (skill: string) => `${base}claim-rate:${skill}`,
  });
}
