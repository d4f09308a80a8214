import { hashAgentToken, newAgentToken } from '../../src/handoff/agent-directory.ts';
import { SseClient } from './sse-client.ts';

export interface TestAgent {
  id: string;
  name: string;
  skills: string[];
  capacity: number;
  token: string;
}

export function testAgent(id: string, skills: string[] = ['general'], capacity = 3): TestAgent {
  return { id, name: `Agent ${id}`, skills, capacity, token: newAgentToken() };
}

/** The AGENTS variable for these agents (tokens stored hashed, as in production). */
export const agentsEnv = (agents: TestAgent[]): string =>
  JSON.stringify(
    agents.map(({ id, name, skills, capacity, token }) => ({ id, name, skills, capacity, tokenSha256: hashAgentToken(token) })),
  );

/** An agent's side of the agent API, over real HTTP. */
export class AgentClient {
  constructor(
    readonly baseUrl: string,
    readonly agent: TestAgent,
  ) {}

  get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.agent.token}` };
  }

  request(method: string, path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}/api/agent${path}`, {
      method,
      headers: { ...this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const response = await this.request(method, path, body);
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  claim(conversationId?: string): Promise<Response> {
    return this.request('POST', '/queue/claim', conversationId === undefined ? undefined : { conversationId });
  }

  send(conversationId: string, text: string): Promise<Response> {
    return this.request('POST', `/conversations/${conversationId}/messages`, { text });
  }

  release(conversationId: string, note?: string): Promise<Response> {
    return this.request('POST', `/conversations/${conversationId}/release`, note === undefined ? undefined : { note });
  }

  transfer(conversationId: string, target: { skill: string } | { agentId: string }): Promise<Response> {
    return this.request('POST', `/conversations/${conversationId}/transfer`, target);
  }

  context<T = Record<string, unknown>>(conversationId: string): Promise<T> {
    return this.json<T>('GET', `/conversations/${conversationId}`);
  }

  /** Opens the live stream and waits until the server says it is subscribed. */
  async stream(): Promise<SseClient> {
    const client = await SseClient.open(`${this.baseUrl}/api/agent/stream`, this.auth);
    await client.next((event) => event.event === 'ready');
    return client;
  }
}
