import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { ApiKeys } from '../../../src/outbound/api-keys.ts';
import { signBody, verifySignature } from '../../../src/outbound/webhook-signature.ts';

describe('webhook signatures', () => {
  it('are sha256= and the hex HMAC of the raw body, checked in constant time', () => {
    const body = '{"id":"evt_1","type":"csat.received","data":{"rating":5}}';
    const header = signBody('s3cret-s3cret-s3cret', body);
    expect(header).toBe(`sha256=${createHmac('sha256', 's3cret-s3cret-s3cret').update(body).digest('hex')}`);
    expect(verifySignature('s3cret-s3cret-s3cret', body, header)).toBe(true);
    expect(verifySignature('s3cret-s3cret-s3cret', `${body} `, header)).toBe(false);
    expect(verifySignature('another-secret-here', body, header)).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', body, undefined)).toBe(false);
    expect(verifySignature('s3cret-s3cret-s3cret', body, 'sha256=00')).toBe(false);
  });
});

describe('API keys', () => {
  it('accept only the configured keys and name them by a digest prefix', () => {
    const keys = new ApiKeys(['key-one-0123456789abcdef', 'key-two-0123456789abcdef']);
    const id = keys.authenticate('key-two-0123456789abcdef');
    expect(id).toMatch(/^[0-9a-f]{8}$/);
    expect(keys.authenticate('key-one-0123456789abcdef')).not.toBe(id);
    expect(keys.authenticate('key-two-0123456789abcdeF')).toBeUndefined();
    expect(new ApiKeys([]).authenticate('key-two-0123456789abcdef')).toBeUndefined();
  });
});

describe('integration configuration', () => {
  it('has working defaults: JSON context, CSAT on, no keys, no webhooks', () => {
    const config = loadConfig({});
    expect(config.context).toMatchObject({ provider: 'json', timeoutMs: 2000, cacheTtlMs: 60_000 });
    expect(config.customersFile).toBe('dialogs/data/customers.json');
    expect(config.csatEnabled).toBe(true);
    expect(config.apiKeys).toEqual([]);
    expect(config.eventWebhooks).toMatchObject({ subscriptions: [], maxAttempts: 8, retryBaseMs: 5000, timeoutMs: 10_000 });
  });

  it('reads the HTTP provider, keys and webhooks', () => {
    const config = loadConfig({
      CONTEXT_PROVIDER: 'http',
      CONTEXT_HTTP_ORDER_URL: 'https://shop.test/orders/{orderNumber}',
      CONTEXT_HTTP_CUSTOMER_URL: 'https://crm.test/customers?phone={phone}',
      CONTEXT_HTTP_AUTH_HEADER: 'X-Api-Key:  abc def',
      API_KEYS: ' first-key-0123456789 ,second-key-0123456789',
      EVENT_WEBHOOKS: '[{"url":"https://crm.test/hooks","secret":"0123456789abcdef","events":["csat.received"]}]',
      CSAT_ENABLED: 'false',
    });
    expect(config.context.http).toMatchObject({
      orderUrl: 'https://shop.test/orders/{orderNumber}',
      customerUrl: 'https://crm.test/customers?phone={phone}',
      authHeader: { name: 'X-Api-Key', value: 'abc def' },
    });
    expect(config.apiKeys).toEqual(['first-key-0123456789', 'second-key-0123456789']);
    expect(config.eventWebhooks.subscriptions).toEqual([{ url: 'https://crm.test/hooks', secret: '0123456789abcdef', events: ['csat.received'] }]);
    expect(config.csatEnabled).toBe(false);
  });

  it.each([
    [{ CONTEXT_PROVIDER: 'http' }, /CONTEXT_HTTP_ORDER_URL/],
    [{ CONTEXT_HTTP_ORDER_URL: 'https://shop.test/orders/{order}' }, /CONTEXT_HTTP_ORDER_URL: unknown placeholder \{order\}/],
    [{ CONTEXT_HTTP_AUTH_HEADER: 'no colon' }, /CONTEXT_HTTP_AUTH_HEADER/],
    [{ API_KEYS: 'short' }, /API_KEYS/],
    [{ EVENT_WEBHOOKS: '{not json' }, /EVENT_WEBHOOKS/],
    [{ EVENT_WEBHOOKS: '[{"url":"https://x.test","secret":"short"}]' }, /EVENT_WEBHOOKS/],
    [{ EVENT_WEBHOOKS: '[{"url":"https://x.test","secret":"0123456789abcdef","events":["order.shipped"]}]' }, /EVENT_WEBHOOKS/],
    [{ CONTEXT_TIMEOUT_MS: '10' }, /CONTEXT_TIMEOUT_MS/],
  ])('refuses %j naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});
