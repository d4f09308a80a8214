import { describe, expect, it } from 'vitest';
import { expandTemplate, templateProblem, TEMPLATE_PLACEHOLDERS } from '../../../src/integrations/http-context-provider.ts';
import { TtlCache } from '../../../src/integrations/ttl-cache.ts';
import { customerAddressOf } from '../../../src/integrations/customer-provider.ts';

describe('URL templates of the HTTP context provider', () => {
  it('fills placeholders URL-encoded, and gives up when a value is missing', () => {
    expect(expandTemplate('https://crm.test/customers?phone={phone}', { phone: '+44 7700 900101' })).toBe(
      'https://crm.test/customers?phone=%2B44%207700%20900101',
    );
    expect(expandTemplate('https://crm.test/orders/{orderNumber}', { orderNumber: 'A1/../1' })).toBe('https://crm.test/orders/A1%2F..%2F1');
    expect(expandTemplate('https://crm.test/customers?phone={phone}', { phone: undefined })).toBeUndefined();
  });

  it('names unknown placeholders and non-http URLs', () => {
    expect(templateProblem('https://crm.test/c?p={phone}', TEMPLATE_PLACEHOLDERS.customerUrl)).toBeUndefined();
    expect(templateProblem('https://crm.test/c?p={email}', TEMPLATE_PLACEHOLDERS.customerUrl)).toMatch(/unknown placeholder \{email\}/);
    expect(templateProblem('ftp://crm.test/{orderNumber}', TEMPLATE_PLACEHOLDERS.orderUrl)).toMatch(/http/);
    expect(templateProblem('not a url', TEMPLATE_PLACEHOLDERS.orderUrl)).toMatch(/http/);
  });
});

describe('customerAddressOf', () => {
  const conversation = (channel: 'sms' | 'whatsapp' | 'messenger' | 'webchat', userId: string) => ({ id: 'conv-1', channel, userId });
  it('gives the phone number on SMS and WhatsApp, the channel id elsewhere', () => {
    expect(customerAddressOf(conversation('sms', '+447700900101'))).toEqual({ channel: 'sms', id: '+447700900101', phone: '+447700900101' });
    expect(customerAddressOf(conversation('sms', 'whatsapp:+447700900101'))).toMatchObject({ phone: '+447700900101' });
    expect(customerAddressOf(conversation('whatsapp', '447700900101'))).toMatchObject({ phone: '+447700900101' });
    expect(customerAddressOf(conversation('messenger', '6290312040125187'))).toEqual({ channel: 'messenger', id: '6290312040125187' });
    expect(customerAddressOf(conversation('webchat', 'webchat-user:x'))).toEqual({ channel: 'webchat', id: 'conv-1' });
  });
});

describe('TtlCache', () => {
  it('reuses answers for the TTL, shares concurrent loads, and never keeps failures', async () => {
    let now = 0;
    const cache = new TtlCache<number>(1000, 10, () => now);
    let loads = 0;
    const load = () => Promise.resolve((loads += 1));
    expect(await Promise.all([cache.get('a', load), cache.get('a', load)])).toEqual([1, 1]);
    now = 999;
    expect(await cache.get('a', load)).toBe(1);
    now = 1000;
    expect(await cache.get('a', load)).toBe(2);
    await expect(cache.get('b', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    expect(await cache.get('b', load)).toBe(3);
  });

  it('keeps at most maxEntries answers, dropping the oldest', async () => {
    const cache = new TtlCache<string>(60_000, 2);
    let loads = 0;
    const load = (value: string) => () => {
      loads += 1;
      return Promise.resolve(value);
    };
    await cache.get('a', load('a'));
    await cache.get('b', load('b'));
    await cache.get('c', load('c'));
    await cache.get('b', load('b'));
    expect(loads).toBe(3);
    await cache.get('a', load('a'));
    expect(loads).toBe(4);
  });
});
