import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';

describe('configuration', () => {
  it('runs the demo with nothing set: in-memory stores, port 3000', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, redisUrl: undefined, maxMessageLength: 4096, logLevel: 'info' });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).redisUrl).toBeUndefined();
  });

  it('reads and converts values', () => {
    const config = loadConfig({ PORT: '8080', NLU_THRESHOLD: '0.35', LOG_CONTENT: 'true', REDIS_URL: 'redis://r:6379/2' });
    expect(config).toMatchObject({ port: 8080, nluThreshold: 0.35, logContent: true, redisUrl: 'redis://r:6379/2' });
  });

  it('chooses the intent classifier and the out-of-scope threshold', () => {
    expect(loadConfig({})).toMatchObject({ nluClassifier: 'linear', handoff: { outOfScopeThreshold: 0.3 } });
    expect(loadConfig({ NLU_CLASSIFIER: 'nlpjs', OOS_THRESHOLD: '0.6' })).toMatchObject({
      nluClassifier: 'nlpjs',
      handoff: { outOfScopeThreshold: 0.6 },
    });
  });

  it.each([
    ['NLU_CLASSIFIER', 'bert'],
    ['OOS_THRESHOLD', '2'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['NLU_THRESHOLD', '1.5'],
    ['MAX_MESSAGE_LENGTH', '0'],
    ['LOG_LEVEL', 'loud'],
    ['REDIS_URL', 'localhost:6379'],
    ['LOG_CONTENT', 'maybe'],
  ])('stops on a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(new RegExp(`${name}:`));
  });
});
