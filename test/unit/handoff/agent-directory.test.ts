import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AgentDirectory, hashAgentToken, newAgentToken } from '../../../src/handoff/agent-directory.ts';

const token = newAgentToken();
const sam = { id: 'sam', name: 'Sam', skills: ['general', 'orders'], capacity: 3, tokenSha256: hashAgentToken(token) };

describe('AgentDirectory', () => {
  it('loads agents from AGENTS and AGENTS_FILE and authenticates by token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'agents-'));
    const file = path.join(dir, 'agents.json');
    const kimToken = newAgentToken();
    writeFileSync(
      file,
      JSON.stringify({ agents: [{ id: 'kim', name: 'Kim', skills: ['returns'], capacity: 1, tokenSha256: hashAgentToken(kimToken) }] }),
    );
    const directory = await AgentDirectory.load({ file, json: JSON.stringify([sam]) });
    expect(directory.size).toBe(2);
    expect(directory.authenticate(token)?.id).toBe('sam');
    expect(directory.authenticate(kimToken)?.id).toBe('kim');
    expect(directory.authenticate('not-a-token')).toBeUndefined();
    expect(directory.get('kim')?.skills).toEqual(['returns']);
  });

  it('refuses bad configuration, naming where', async () => {
    await expect(AgentDirectory.load({ json: '[{' })).rejects.toThrow(/AGENTS is not valid JSON/);
    await expect(AgentDirectory.load({ json: JSON.stringify([{ ...sam, capacity: 0 }]) })).rejects.toThrow(/AGENTS: 0\.capacity/);
    await expect(AgentDirectory.load({ json: JSON.stringify([{ ...sam, tokenSha256: token }]) })).rejects.toThrow(/tokenSha256/);
    await expect(AgentDirectory.load({ json: JSON.stringify([{ ...sam, password: 'x' }]) })).rejects.toThrow(/AGENTS/);
    await expect(AgentDirectory.load({ json: JSON.stringify([sam, sam]) })).rejects.toThrow(/appears twice/);
    await expect(AgentDirectory.load({ file: '/nonexistent/agents.json' })).rejects.toThrow(/cannot be read/);
  });

  it('makes one demo agent with every skill and a fresh token', () => {
    const { directory, token: demoToken } = AgentDirectory.demo(['general', 'returns', 'general']);
    expect(directory.all()).toEqual([expect.objectContaining({ id: 'demo-agent', skills: ['general', 'returns'] })]);
    expect(directory.authenticate(demoToken)?.id).toBe('demo-agent');
    expect(AgentDirectory.demo(['general']).token).not.toBe(demoToken);
  });
});
