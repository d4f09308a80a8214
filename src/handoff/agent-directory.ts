import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { SwitchboardError } from '../core/errors.ts';
import type { QueueAgent } from './agent-queue.ts';

/** An agent as configured. The token itself is never stored, only its SHA-256. */
export interface Agent extends QueueAgent {
  name: string;
  tokenSha256: string;
  /** `supervisor`: may open the supervisor view (GET /api/agent/supervisor/summary). */
  roles?: AgentRole[];
}

export const AGENT_ROLES = ['supervisor'] as const;
export type AgentRole = (typeof AGENT_ROLES)[number];

const agentSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits, dot, dash and underscore'),
    name: z.string().min(1).max(100),
    skills: z.array(z.string().regex(/^[\p{L}\p{N}_-]{1,64}$/u)).min(1),
    capacity: z.number().int().min(1).max(100),
    tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'the hex SHA-256 of the token (npm run agents:token makes one)'),
    roles: z.array(z.enum(AGENT_ROLES)).optional(),
  })
  .strict();
const agentsSchema = z.array(agentSchema);
const agentsFileSchema = z.object({ agents: agentsSchema }).strict();

export const hashAgentToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');
export const newAgentToken = (): string => randomBytes(32).toString('base64url');

export interface AgentSources {
  /** A JSON file `{ "agents": [...] }` (AGENTS_FILE). */
  file?: string | undefined;
  /** A JSON array of agents (AGENTS). */
  json?: string | undefined;
}

/**
 * The agents who may sign in, from configuration. Tokens are compared by
 * their hashes in constant time, against every agent, so the time taken says
 * nothing about which agent (if any) nearly matched.
 */
export class AgentDirectory {
  private readonly byId: ReadonlyMap<string, Agent>;

  constructor(agents: readonly Agent[]) {
    const byId = new Map<string, Agent>();
    for (const agent of agents) {
      if (byId.has(agent.id)) throw new SwitchboardError('invalid_agents', `Agent id "${agent.id}" appears twice.`);
      byId.set(agent.id, agent);
    }
    this.byId = byId;
  }

  /** Reads AGENTS_FILE and AGENTS (both may be given; ids must not repeat). */
  static async load(sources: AgentSources): Promise<AgentDirectory> {
    const agents: Agent[] = [];
    if (sources.file) {
      const text = await readFile(sources.file, 'utf8').catch((error: unknown) => {
        throw new SwitchboardError('invalid_agents', `AGENTS_FILE ${sources.file ?? ''} cannot be read.`, 400, {
          cause: error,
        });
      });
      agents.push(...parseAgents(text, agentsFileSchema, `AGENTS_FILE ${sources.file}`).agents);
    }
    if (sources.json) agents.push(...parseAgents(sources.json, agentsSchema, 'AGENTS'));
    return new AgentDirectory(agents);
  }

  /** One agent who can do everything, for the zero-setup demo; returns the directory and the token. */
  static demo(skills: readonly string[]): { directory: AgentDirectory; token: string } {
    const token = newAgentToken();
    const agent: Agent = {
      id: 'demo-agent',
      name: 'Demo Agent',
      skills: [...new Set(skills)],
      capacity: 3,
      tokenSha256: hashAgentToken(token),
      // The zero-setup demo is one person trying everything, the supervisor view included.
      roles: ['supervisor'],
    };
    return { directory: new AgentDirectory([agent]), token };
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): Agent | undefined {
    return this.byId.get(id);
  }

  all(): Agent[] {
    return [...this.byId.values()];
  }

  authenticate(token: string): Agent | undefined {
    const presented = Buffer.from(hashAgentToken(token), 'hex');
    let found: Agent | undefined;
    for (const agent of this.byId.values()) {
      if (timingSafeEqual(presented, Buffer.from(agent.tokenSha256, 'hex'))) found = agent;
    }
    return found;
  }
}

function parseAgents<Schema extends z.ZodType>(text: string, schema: Schema, source: string): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new SwitchboardError('invalid_agents', `${source} is not valid JSON.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new SwitchboardError(
      'invalid_agents',
      `${source}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
    );
  }
  return parsed.data;
}
