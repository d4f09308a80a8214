import { join } from 'node:path';
import { LuaCommandSet, luaReply, unexpectedReply, type ScriptDefinition } from '../store/lua-commands.ts';
import type { RedisClient } from '../store/redis-connection.ts';
import { withHandoffLuaErrors } from './handoff-errors.ts';

/**
 * The agent queue's Lua scripts, read from src/handoff/lua/ and registered
 * with `defineCommand` (EVALSHA, falling back to EVAL). Each script's header
 * documents its KEYS, ARGV and reply; the wrappers below are the typed face
 * of those headers and check the reply's shape rather than trust it. Script
 * errors (SBQ_*) become the queue's errors here, in handoff-errors.ts.
 */
// `sbq` (switchboard queue) prefix: the store defines `sb…` commands on the
// same client, and defineCommand overwrites silently on a name clash. None is
// readOnly: reads must see the writes just made, not a replica's past.
const SCRIPTS = {
  sbqEnqueue: { file: 'enqueue.lua', numberOfKeys: 2 },
  sbqClaimNamed: { file: 'claim-named.lua', numberOfKeys: 3 },
  sbqClaimNext: { file: 'claim-next.lua' },
  sbqAssign: { file: 'assign.lua', numberOfKeys: 3 },
  sbqTransferToSkill: { file: 'transfer-to-skill.lua', numberOfKeys: 3 },
  sbqRelease: { file: 'release.lua', numberOfKeys: 2 },
  sbqRemove: { file: 'remove.lua', numberOfKeys: 1 },
  sbqTouchAgent: { file: 'touch-agent.lua', numberOfKeys: 1 },
  sbqReapExpiredAgents: { file: 'reap-expired-agents.lua', numberOfKeys: 1 },
  sbqWaiting: { file: 'waiting.lua' },
  sbqPosition: { file: 'position.lua', numberOfKeys: 1 },
  sbqHeldBy: { file: 'held-by.lua', numberOfKeys: 1 },
} as const satisfies Record<string, ScriptDefinition>;

type ScriptName = keyof typeof SCRIPTS;

// Scripts without numberOfKeys take a varying key count, passed first by the caller.
const COMMANDS = new LuaCommandSet(join(import.meta.dirname, 'lua'), SCRIPTS);

/** A ticket as HGETALL gives it, as a record of strings. */
export type TicketHash = Record<string, string>;

export type ClaimReply =
  | { outcome: 'claimed'; ticket: TicketHash }
  | { outcome: 'taken' | 'empty' | 'at_capacity' | 'not_eligible' };

export type AssignReply = { outcome: 'assigned'; ticket: TicketHash } | { outcome: 'at_capacity' | 'not_found' };

export interface PositionReply {
  skill: string;
  position: number;
  length: number;
  averageIntervalMs: number | undefined;
}

export interface HandoffScripts {
  /** enqueue.lua: whether the ticket was queued. */
  enqueue(ticketKey: string, queueKey: string, conversationId: string, score: number, fields: string[]): Promise<boolean>;
  /** claim-named.lua */
  claimNamed(
    keys: { ticket: string; held: string; seen: string },
    args: { base: string; conversationId: string; agentId: string; capacity: number; now: number; alpha: number; skills: string[] },
  ): Promise<ClaimReply>;
  /** claim-next.lua: `queues` are the keys of the agent's skills, no repeats. */
  claimNext(
    keys: { held: string; seen: string; queues: string[] },
    args: { base: string; agentId: string; capacity: number; now: number; alpha: number },
  ): Promise<ClaimReply>;
  /** assign.lua; `fromAgentId` '' for none. */
  assign(
    keys: { ticket: string; held: string; seen: string },
    args: { base: string; conversationId: string; agentId: string; capacity: number; now: number; fromAgentId: string },
  ): Promise<AssignReply>;
  /** transfer-to-skill.lua: whether it moved. */
  transferToSkill(
    keys: { ticket: string; held: string; queue: string },
    args: { conversationId: string; agentId: string; skill: string; now: number; maxPriority: number; band: number },
  ): Promise<boolean>;
  /** release.lua: whether it was released. */
  release(ticketKey: string, heldKey: string, conversationId: string, agentId: string): Promise<boolean>;
  /** remove.lua: whether there was a ticket. */
  remove(ticketKey: string, base: string, conversationId: string): Promise<boolean>;
  /** touch-agent.lua: the agent's last-seen time after the call. */
  touchAgent(seenKey: string, agentId: string, now: number): Promise<number>;
  /** reap-expired-agents.lua: each expired agent with the tickets it lost. */
  reapExpiredAgents(
    seenKey: string,
    args: { base: string; cutoff: number; now: number; maxPriority: number; band: number },
  ): Promise<{ agentId: string; requeued: TicketHash[] }[]>;
  /** waiting.lua: tickets in serving order; `limit` -1 for all. */
  waiting(queueKeys: string[], base: string, limit: number): Promise<TicketHash[]>;
  /** position.lua: undefined when the conversation is not waiting. */
  position(ticketKey: string, base: string, conversationId: string): Promise<PositionReply | undefined>;
  /** held-by.lua: the agent's tickets, in no order. */
  heldBy(heldKey: string, base: string, agentId: string): Promise<TicketHash[]>;
}

const registered = new WeakMap<RedisClient, HandoffScripts>();

/** Defines the queue's commands on `client` (once per client) and returns their wrappers. */
export function handoffScripts(client: RedisClient): HandoffScripts {
  const existing = registered.get(client);
  if (existing) return existing;
  const call = COMMANDS.runner(client);
  const run = (name: ScriptName, args: (string | number)[]): Promise<unknown> =>
    withHandoffLuaErrors(() => call(name, args));

  const scripts: HandoffScripts = {
    async enqueue(ticketKey, queueKey, conversationId, score, fields) {
      const reply = await run('sbqEnqueue', [ticketKey, queueKey, conversationId, score, ...fields]);
      return luaReply.flag(reply, 'sbqEnqueue');
    },
    async claimNamed(keys, args) {
      const reply = await run('sbqClaimNamed', [
        keys.ticket,
        keys.held,
        keys.seen,
        args.base,
        args.conversationId,
        args.agentId,
        args.capacity,
        args.now,
        args.alpha,
        ...args.skills,
      ]);
      return asClaimReply(reply, 'sbqClaimNamed');
    },
    async claimNext(keys, args) {
      const reply = await run('sbqClaimNext', [
        2 + keys.queues.length,
        keys.held,
        keys.seen,
        ...keys.queues,
        args.base,
        args.agentId,
        args.capacity,
        args.now,
        args.alpha,
      ]);
      return asClaimReply(reply, 'sbqClaimNext');
    },
    async assign(keys, args) {
      const reply = await run('sbqAssign', [
        keys.ticket,
        keys.held,
        keys.seen,
        args.base,
        args.conversationId,
        args.agentId,
        args.capacity,
        args.now,
        args.fromAgentId,
      ]);
      const [outcome, ticket] = asOutcome(reply, 'sbqAssign');
      if (outcome === 'assigned') return { outcome, ticket: luaReply.hash(ticket, 'sbqAssign') };
      if (outcome === 'at_capacity' || outcome === 'not_found') return { outcome };
      throw unexpectedReply('sbqAssign');
    },
    async transferToSkill(keys, args) {
      const reply = await run('sbqTransferToSkill', [
        keys.ticket,
        keys.held,
        keys.queue,
        args.conversationId,
        args.agentId,
        args.skill,
        args.now,
        args.maxPriority,
        args.band,
      ]);
      return luaReply.flag(reply, 'sbqTransferToSkill');
    },
    async release(ticketKey, heldKey, conversationId, agentId) {
      return luaReply.flag(await run('sbqRelease', [ticketKey, heldKey, conversationId, agentId]), 'sbqRelease');
    },
    async remove(ticketKey, base, conversationId) {
      return luaReply.flag(await run('sbqRemove', [ticketKey, base, conversationId]), 'sbqRemove');
    },
    async touchAgent(seenKey, agentId, now) {
      return luaReply.integer(await run('sbqTouchAgent', [seenKey, agentId, now]), 'sbqTouchAgent');
    },
    async reapExpiredAgents(seenKey, args) {
      const reply = await run('sbqReapExpiredAgents', [
        seenKey,
        args.base,
        args.cutoff,
        args.now,
        args.maxPriority,
        args.band,
      ]);
      if (!Array.isArray(reply)) throw unexpectedReply('sbqReapExpiredAgents');
      return reply.map((entry: unknown) => {
        if (!Array.isArray(entry) || entry.length !== 2) throw unexpectedReply('sbqReapExpiredAgents');
        const [agentId, requeued] = entry as unknown[];
        if (!Array.isArray(requeued)) throw unexpectedReply('sbqReapExpiredAgents');
        return {
          agentId: luaReply.string(agentId, 'sbqReapExpiredAgents'),
          requeued: requeued.map((hash: unknown) => luaReply.hash(hash, 'sbqReapExpiredAgents')),
        };
      });
    },
    async waiting(queueKeys, base, limit) {
      const reply = await run('sbqWaiting', [queueKeys.length, ...queueKeys, base, limit]);
      return asHashArray(reply, 'sbqWaiting');
    },
    async position(ticketKey, base, conversationId) {
      const reply = await run('sbqPosition', [ticketKey, base, conversationId]);
      if (reply === null) return undefined;
      if (!Array.isArray(reply) || reply.length !== 4) throw unexpectedReply('sbqPosition');
      const [skill, position, length, average] = reply as unknown[];
      const averageText = luaReply.string(average, 'sbqPosition');
      const averageIntervalMs = averageText === '' ? undefined : Number(averageText);
      if (averageIntervalMs !== undefined && !Number.isFinite(averageIntervalMs)) throw unexpectedReply('sbqPosition');
      return {
        skill: luaReply.string(skill, 'sbqPosition'),
        position: luaReply.integer(position, 'sbqPosition'),
        length: luaReply.integer(length, 'sbqPosition'),
        averageIntervalMs,
      };
    },
    async heldBy(heldKey, base, agentId) {
      return asHashArray(await run('sbqHeldBy', [heldKey, base, agentId]), 'sbqHeldBy');
    },
  };
  registered.set(client, scripts);
  return scripts;
}






/** `{ outcome, ticket? }` as the claim and assign scripts reply. */
function asOutcome(reply: unknown, script: ScriptName): [string, unknown] {
  if (!Array.isArray(reply) || reply.length < 1 || reply.length > 2) throw unexpectedReply(script);
  const [outcome, ticket] = reply as unknown[];
  return [luaReply.string(outcome, script), ticket];
}

const CLAIM_OUTCOMES_WITHOUT_TICKET = new Set(['taken', 'empty', 'at_capacity', 'not_eligible'] as const);
type ClaimOutcomeWithoutTicket = typeof CLAIM_OUTCOMES_WITHOUT_TICKET extends Set<infer T> ? T : never;
const isClaimOutcomeWithoutTicket = (value: string): value is ClaimOutcomeWithoutTicket =>
  (CLAIM_OUTCOMES_WITHOUT_TICKET as Set<string>).has(value);

function asClaimReply(reply: unknown, script: ScriptName): ClaimReply {
  const [outcome, ticket] = asOutcome(reply, script);
  if (outcome === 'claimed') return { outcome, ticket: luaReply.hash(ticket, script) };
  if (isClaimOutcomeWithoutTicket(outcome)) return { outcome };
  throw unexpectedReply(script);
}

function asHashArray(reply: unknown, script: ScriptName): TicketHash[] {
  if (!Array.isArray(reply)) throw unexpectedReply(script);
  return reply.map((hash: unknown) => luaReply.hash(hash, script));
}
