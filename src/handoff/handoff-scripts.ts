import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisClient } from '../store/redis-connection.ts';
import { withHandoffLuaErrors } from './handoff-errors.ts';

/**
 * The agent queue's Lua scripts, read from src/handoff/lua/ and registered
 * with `defineCommand` (EVALSHA, falling back to EVAL). Each script's header
 * documents its KEYS, ARGV and reply; the wrappers below are the typed face
 * of those headers and check the reply's shape rather than trust it. Script
 * errors (SBQ_*) become the queue's errors here, in handoff-errors.ts.
 */
interface ScriptDefinition {
  file: string;
  /** Omitted for scripts whose key count varies: the call passes it first. */
  numberOfKeys?: number;
}

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

const SCRIPT_DIR = join(import.meta.dirname, 'lua');

// Read once, on first use: a missing file fails the first queue call loudly.
let sources: Map<ScriptName, string> | undefined;
function scriptSource(name: ScriptName): string {
  sources ??= new Map(
    (Object.keys(SCRIPTS) as ScriptName[]).map((key) => [key, readFileSync(join(SCRIPT_DIR, SCRIPTS[key].file), 'utf8')]),
  );
  const source = sources.get(name);
  if (source === undefined) throw new Error(`Lua script ${name} is not loaded.`);
  return source;
}

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
  for (const name of Object.keys(SCRIPTS) as ScriptName[]) {
    const definition: ScriptDefinition = SCRIPTS[name];
    client.defineCommand(
      name,
      definition.numberOfKeys === undefined
        ? { lua: scriptSource(name) }
        : { lua: scriptSource(name), numberOfKeys: definition.numberOfKeys },
    );
  }
  const run = (name: ScriptName, args: (string | number)[]): Promise<unknown> =>
    withHandoffLuaErrors(() => invoke(client, name, args));

  const scripts: HandoffScripts = {
    async enqueue(ticketKey, queueKey, conversationId, score, fields) {
      const reply = await run('sbqEnqueue', [ticketKey, queueKey, conversationId, score, ...fields]);
      return asFlag(reply, 'sbqEnqueue');
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
      if (outcome === 'assigned') return { outcome, ticket: asHash(ticket, 'sbqAssign') };
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
      return asFlag(reply, 'sbqTransferToSkill');
    },
    async release(ticketKey, heldKey, conversationId, agentId) {
      return asFlag(await run('sbqRelease', [ticketKey, heldKey, conversationId, agentId]), 'sbqRelease');
    },
    async remove(ticketKey, base, conversationId) {
      return asFlag(await run('sbqRemove', [ticketKey, base, conversationId]), 'sbqRemove');
    },
    async touchAgent(seenKey, agentId, now) {
      return asInteger(await run('sbqTouchAgent', [seenKey, agentId, now]), 'sbqTouchAgent');
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
          agentId: asString(agentId, 'sbqReapExpiredAgents'),
          requeued: requeued.map((hash: unknown) => asHash(hash, 'sbqReapExpiredAgents')),
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
      const averageText = asString(average, 'sbqPosition');
      const averageIntervalMs = averageText === '' ? undefined : Number(averageText);
      if (averageIntervalMs !== undefined && !Number.isFinite(averageIntervalMs)) throw unexpectedReply('sbqPosition');
      return {
        skill: asString(skill, 'sbqPosition'),
        position: asInteger(position, 'sbqPosition'),
        length: asInteger(length, 'sbqPosition'),
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

/**
 * Calls a command that defineCommand attached to the client. ioredis adds
 * it as a plain property, so its type is not known statically; the reply is
 * `unknown` and each wrapper checks it.
 */
async function invoke(client: RedisClient, name: ScriptName, args: (string | number)[]): Promise<unknown> {
  const command: unknown = Reflect.get(client, name);
  if (typeof command !== 'function') throw new Error(`Redis command ${name} is not defined.`);
  const pending: unknown = Reflect.apply(command, client, args);
  return await pending;
}

function unexpectedReply(script: ScriptName): Error {
  return new Error(`Unexpected reply from Lua script ${script}.`);
}

function asString(reply: unknown, script: ScriptName): string {
  if (typeof reply !== 'string') throw unexpectedReply(script);
  return reply;
}

function asInteger(reply: unknown, script: ScriptName): number {
  if (typeof reply !== 'number' || !Number.isInteger(reply)) throw unexpectedReply(script);
  return reply;
}

function asFlag(reply: unknown, script: ScriptName): boolean {
  const flag = asInteger(reply, script);
  if (flag !== 0 && flag !== 1) throw unexpectedReply(script);
  return flag === 1;
}

/** `{ outcome, ticket? }` as the claim and assign scripts reply. */
function asOutcome(reply: unknown, script: ScriptName): [string, unknown] {
  if (!Array.isArray(reply) || reply.length < 1 || reply.length > 2) throw unexpectedReply(script);
  const [outcome, ticket] = reply as unknown[];
  return [asString(outcome, script), ticket];
}

const CLAIM_OUTCOMES_WITHOUT_TICKET = new Set(['taken', 'empty', 'at_capacity', 'not_eligible'] as const);
type ClaimOutcomeWithoutTicket = typeof CLAIM_OUTCOMES_WITHOUT_TICKET extends Set<infer T> ? T : never;
const isClaimOutcomeWithoutTicket = (value: string): value is ClaimOutcomeWithoutTicket =>
  (CLAIM_OUTCOMES_WITHOUT_TICKET as Set<string>).has(value);

function asClaimReply(reply: unknown, script: ScriptName): ClaimReply {
  const [outcome, ticket] = asOutcome(reply, script);
  if (outcome === 'claimed') return { outcome, ticket: asHash(ticket, script) };
  if (isClaimOutcomeWithoutTicket(outcome)) return { outcome };
  throw unexpectedReply(script);
}

/** HGETALL's flat [field, value, field, value…] reply as a record. */
function asHash(reply: unknown, script: ScriptName): TicketHash {
  if (!Array.isArray(reply) || reply.length % 2 !== 0) throw unexpectedReply(script);
  const hash: TicketHash = {};
  for (let i = 0; i < reply.length; i += 2) {
    hash[asString(reply[i], script)] = asString(reply[i + 1], script);
  }
  return hash;
}

function asHashArray(reply: unknown, script: ScriptName): TicketHash[] {
  if (!Array.isArray(reply)) throw unexpectedReply(script);
  return reply.map((hash: unknown) => asHash(hash, script));
}
