import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RedisClient } from './redis-connection.ts';

/** One Lua script: its file, and its key count (omitted when the caller passes it first). */
export interface ScriptDefinition {
  file: string;
  numberOfKeys?: number;
}

/**
 * A folder of Lua scripts registered as ioredis commands with `defineCommand`
 * (EVALSHA, falling back to EVAL). Sources are read once, on first use, so a
 * missing file fails the first call loudly; each client gets the commands once.
 * Command names must be unique per client: defineCommand overwrites silently.
 */
export class LuaCommandSet<Name extends string> {
  private sources: Map<Name, string> | undefined;
  private readonly defined = new WeakSet<RedisClient>();

  constructor(
    private readonly dir: string,
    private readonly scripts: Readonly<Record<Name, ScriptDefinition>>,
  ) {}

  /** Defines the commands on `client` (once) and returns a function that calls them. */
  runner(client: RedisClient): (name: Name, args: (string | number)[]) => Promise<unknown> {
    if (!this.defined.has(client)) {
      for (const name of Object.keys(this.scripts) as Name[]) {
        const { numberOfKeys } = this.scripts[name];
        client.defineCommand(name, numberOfKeys === undefined ? { lua: this.source(name) } : { lua: this.source(name), numberOfKeys });
      }
      this.defined.add(client);
    }
    return (name, args) => invoke(client, name, args);
  }

  private source(name: Name): string {
    this.sources ??= new Map(
      (Object.keys(this.scripts) as Name[]).map((key) => [key, withIncludes(this.dir, this.scripts[key].file)]),
    );
    const source = this.sources.get(name);
    if (source === undefined) throw new Error(`Lua script ${name} is not loaded.`);
    return source;
  }
}

/**
 * A script's source with each `--- @include "name"` line replaced by
 * `<dir>/includes/name.lua` (as bullmq's scripts do): Redis runs one
 * self-contained source, so what several scripts share is pasted in here,
 * once, rather than kept in copies. Includes do not nest.
 */
function withIncludes(dir: string, file: string): string {
  return readFileSync(join(dir, file), 'utf8').replace(/^--- @include "([\w-]+)"$/gm, (_line, included: string) =>
    readFileSync(join(dir, 'includes', `${included}.lua`), 'utf8').trimEnd(),
  );
}

/**
 * Calls a command that defineCommand attached to the client. ioredis adds
 * it as a plain property, so its type is not known statically; the reply is
 * `unknown` and each wrapper checks it with the readers below.
 */
async function invoke(client: RedisClient, name: string, args: (string | number)[]): Promise<unknown> {
  const command: unknown = Reflect.get(client, name);
  if (typeof command !== 'function') throw new Error(`Redis command ${name} is not defined.`);
  const pending: unknown = Reflect.apply(command, client, args);
  return await pending;
}

export function unexpectedReply(script: string): Error {
  return new Error(`Unexpected reply from Lua script ${script}.`);
}

/** Readers of script replies: each checks the shape instead of trusting it. */
export const luaReply = {
  string(reply: unknown, script: string): string {
    if (typeof reply !== 'string') throw unexpectedReply(script);
    return reply;
  },
  integer(reply: unknown, script: string): number {
    if (typeof reply !== 'number' || !Number.isInteger(reply)) throw unexpectedReply(script);
    return reply;
  },
  /** 0 or 1. */
  flag(reply: unknown, script: string): boolean {
    const flag = luaReply.integer(reply, script);
    if (flag !== 0 && flag !== 1) throw unexpectedReply(script);
    return flag === 1;
  },
  stringArray(reply: unknown, script: string): string[] {
    if (!Array.isArray(reply)) throw unexpectedReply(script);
    return reply.map((item: unknown) => luaReply.string(item, script));
  },
  /** HGETALL's flat [field, value, field, value…] reply as a record. */
  hash(reply: unknown, script: string): Record<string, string> {
    const flat = luaReply.stringArray(reply, script);
    if (flat.length % 2 !== 0) throw unexpectedReply(script);
    const hash: Record<string, string> = {};
    for (let i = 0; i < flat.length; i += 2) hash[flat[i] as string] = flat[i + 1] as string;
    return hash;
  },
};
