import { describe, expect, it } from 'vitest';
import type { HandoffRecord } from '../../../src/handoff/handoff-record.ts';
import { conversationFromHash, conversationFromHashBySchema, wellFormedConversation } from '../../../src/store/conversation-hash.ts';

const handoff: HandoffRecord = {
  reason: 'customer_request',
  evidence: [{ intent: 'agent.request', score: 0.93 }, { intent: 'help', score: 0.04 }],
  entities: [{ entity: 'orderNumber', value: 'A1001' }],
  sentiment: -0.5,
  detail: 'asked twice',
  skill: 'orders',
  priority: 2,
  escalatedAt: 1_700_000_000_500,
  agentId: 'agent-1',
  assignedAt: 1_700_000_001_000,
  releasedAt: 1_700_000_002_000,
  releaseNote: 'refunded',
  csat: { rating: 5, at: 1_700_000_003_000 },
};

const base: Record<string, string> = {
  id: 'c-1',
  channel: 'sms',
  conversationKey: '+15550001111:+15550002222',
  userId: '+15550001111',
  address: JSON.stringify({ to: '+15550001111', from: '+15550002222' }),
  status: 'bot',
  locale: 'en',
  createdAt: '1700000000000',
  updatedAt: '1700000000123',
};

const valid: Array<[string, Record<string, string>]> = [
  ['a new conversation', base],
  ['one with lastCustomerMessageAt', { ...base, lastCustomerMessageAt: '1700000000100' }],
  ['one with a full handoff record', { ...base, status: 'assigned', handoff: JSON.stringify(handoff) }],
  [
    'one with a minimal handoff record, fields out of order and unknown fields',
    {
      ...base,
      status: 'queued',
      handoff: JSON.stringify({ escalatedAt: 1, priority: 0, skill: 'general', evidence: [], reason: 'low_confidence', note: 'x' }),
      transcriptSeq: '17',
    },
  ],
  ['an empty address and empty strings', { ...base, address: '{}', conversationKey: '', userId: '', locale: '' }],
  ['a webchat conversation, closed', { ...base, channel: 'webchat', status: 'closed', address: '{"sessionId":"s"}' }],
  ['timestamps Number() reads', { ...base, createdAt: ' 12 ', updatedAt: '1e3' }],
];

describe('conversationFromHash', () => {
  it('is undefined for an empty hash', () => {
    expect(conversationFromHash({})).toBeUndefined();
  });

  it.each(valid)('reads %s exactly as the schema does', (_name, hash) => {
    const fast = wellFormedConversation(hash);
    const bySchema = conversationFromHashBySchema(hash);
    expect(fast).toBeDefined();
    expect(conversationFromHash(hash)).toEqual(bySchema);
    expect(fast).toEqual(bySchema);
    // Same keys in the same order, not only equal values.
    expect(JSON.stringify(fast)).toBe(JSON.stringify(bySchema));
  });

  const invalid: Array<[string, Record<string, string>]> = [
    ['no id', { ...base, id: '' }],
    ['a missing id', Object.fromEntries(Object.entries(base).filter(([key]) => key !== 'id'))],
    ['an unknown channel', { ...base, channel: 'fax' }],
    ['an unknown status', { ...base, status: 'sleeping' }],
    ['an address that is not JSON', { ...base, address: '{to:' }],
    ['an address that is an array', { ...base, address: '["a"]' }],
    ['an address with a number', { ...base, address: '{"to":1}' }],
    ['an address that is null', { ...base, address: 'null' }],
    ['an empty timestamp', { ...base, createdAt: '' }],
    ['a timestamp that is not a number', { ...base, updatedAt: 'yesterday' }],
    ['an infinite timestamp', { ...base, updatedAt: 'Infinity' }],
    ['a bad lastCustomerMessageAt', { ...base, lastCustomerMessageAt: 'NaN' }],
    ['a handoff that is not JSON', { ...base, handoff: 'nope' }],
    ['a handoff with an unknown reason', { ...base, handoff: JSON.stringify({ ...handoff, reason: 'bored' }) }],
    ['a handoff without evidence', { ...base, handoff: JSON.stringify({ ...handoff, evidence: undefined }) }],
    ['a handoff with bad evidence', { ...base, handoff: JSON.stringify({ ...handoff, evidence: [{ intent: 'x', score: '1' }] }) }],
    ['a handoff with a bad entity', { ...base, handoff: JSON.stringify({ ...handoff, entities: [{ entity: 'x' }] }) }],
    ['a handoff with a null sentiment', { ...base, handoff: JSON.stringify({ ...handoff, sentiment: null }) }],
    ['a handoff with a numeric agentId', { ...base, handoff: JSON.stringify({ ...handoff, agentId: 7 }) }],
    ['a handoff with a string priority', { ...base, handoff: JSON.stringify({ ...handoff, priority: '1' }) }],
    ['a handoff with a csat of 6', { ...base, handoff: JSON.stringify({ ...handoff, csat: { rating: 6, at: 1 } }) }],
    ['a handoff with a csat of 2.5', { ...base, handoff: JSON.stringify({ ...handoff, csat: { rating: 2.5, at: 1 } }) }],
    ['a handoff with an infinite score', { ...base, handoff: '{"reason":"low_confidence","evidence":[{"intent":"x","score":1e400}],"skill":"s","priority":1,"escalatedAt":1}' }],
    ['a handoff that is an array', { ...base, handoff: '[]' }],
  ];

  it.each(invalid)('throws the schema’s error for %s', (_name, hash) => {
    let schemaError: unknown;
    try {
      conversationFromHashBySchema(hash);
    } catch (error) {
      schemaError = error;
    }
    expect(schemaError).toBeInstanceOf(Error);
    expect(wellFormedConversation(hash)).toBeUndefined();
    expect(() => conversationFromHash(hash)).toThrow((schemaError as Error).message);
    expect((schemaError as Error).message).toMatch(/^Malformed conversation record in Redis: /);
  });

  it('leaves an address with a __proto__ key to the schema, and agrees with it', () => {
    const hash = { ...base, address: '{"__proto__":"x","to":"+1"}' };
    expect(wellFormedConversation(hash)).toBeUndefined();
    expect(JSON.stringify(conversationFromHash(hash))).toBe(JSON.stringify(conversationFromHashBySchema(hash)));
  });
});
