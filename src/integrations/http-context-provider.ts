import { z } from 'zod';
import type { Logger } from '../logger.ts';
import {
  contextUnavailable,
  isContextUnavailable,
  type ContextProvider,
  type CustomerAddress,
  type CustomerCase,
  type CustomerProfile,
} from './customer-provider.ts';
import type { Order, OrderContact } from './order-provider.ts';
import { customerCaseSchema, customerProfileSchema, orderSchema } from './schemas.ts';
import { TtlCache } from './ttl-cache.ts';

/**
 * The business's own API, described by URL templates. Placeholders are
 * replaced by URL-encoded values; a lookup whose template needs a value the
 * channel does not give (`{phone}` on Messenger) is skipped: nobody found.
 */
export interface HttpContextProviderSettings {
  /** GET, placeholders `{channel}`, `{id}`, `{phone}`: the customer, 404 when unknown. */
  customerUrl?: string | undefined;
  /** GET, placeholder `{orderNumber}`: the order, 404 when there is none. */
  orderUrl: string;
  /**
   * GET, placeholders `{customerId}`, `{email}`, `{phone}`: the customer's
   * orders. A template with only `{email}` and/or `{phone}` also serves the
   * orders of a contact the customer types in the chat (findOrdersByContact).
   */
  customerOrdersUrl?: string | undefined;
  /** GET, same placeholders: the customer's cases. */
  customerCasesUrl?: string | undefined;
  /** POST, placeholder `{orderNumber}`: 2xx cancelled; 404, 409 or 422 refused. */
  cancelOrderUrl?: string | undefined;
  /** Sent with every request, e.g. `{ name: 'Authorization', value: 'Bearer …' }`. */
  authHeader?: { name: string; value: string } | undefined;
  /** Per request. */
  timeoutMs: number;
  /** How long answers (including "not found") are reused; 0 turns the cache off. */
  cacheTtlMs: number;
  logger: Logger;
}

export const TEMPLATE_PLACEHOLDERS = {
  customerUrl: ['channel', 'id', 'phone'],
  orderUrl: ['orderNumber'],
  customerOrdersUrl: ['customerId', 'email', 'phone'],
  customerCasesUrl: ['customerId', 'email', 'phone'],
  cancelOrderUrl: ['orderNumber'],
} as const;

const PLACEHOLDER = /\{([A-Za-z]+)\}/g;

/** Problems with a URL template (unknown placeholders, not http(s)), for configuration checks. */
export function templateProblem(template: string, allowed: readonly string[]): string | undefined {
  const unknown = [...template.matchAll(PLACEHOLDER)].map((match) => match[1] ?? '').filter((name) => !allowed.includes(name));
  if (unknown.length > 0) return `unknown placeholder {${unknown[0] ?? ''}}; use ${allowed.map((name) => `{${name}}`).join(', ')}`;
  try {
    const url = new URL(template.replace(PLACEHOLDER, 'x'));
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'must be an http:// or https:// URL';
  } catch {
    return 'must be an http:// or https:// URL';
  }
  return undefined;
}

/** The template with its placeholders filled, or undefined when a value is missing. */
export function expandTemplate(template: string, values: Record<string, string | undefined>): string | undefined {
  const missing: string[] = [];
  const url = template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined || value === '') {
      missing.push(name);
      return '';
    }
    return encodeURIComponent(value);
  });
  return missing.length > 0 ? undefined : url;
}

const orEnvelope = <Schema extends z.ZodType>(schema: Schema, key: string) =>
  z.union([schema, z.object({ [key]: schema })]).transform((value) =>
    typeof value === 'object' && value !== null && key in value && !Array.isArray(value)
      ? (value as Record<string, z.output<Schema>>)[key]
      : (value as z.output<Schema>),
  );

const customerAnswer = z.union([z.null(), orEnvelope(customerProfileSchema, 'customer')]);
const orderAnswer = orEnvelope(orderSchema, 'order');
const ordersAnswer = orEnvelope(z.array(orderSchema), 'orders');
const casesAnswer = orEnvelope(z.array(customerCaseSchema), 'cases');

/**
 * Customers, orders and cases from the business's HTTP API: JSON over GET
 * (POST to cancel), an optional auth header, a timeout per request, and a
 * TTL cache of answers (not of failures). A timeout, a network error, a 5xx
 * or an answer of the wrong shape is `context_unavailable`; 404 is "none".
 * URLs are never logged with their query or placeholders filled in (they
 * carry phone numbers and e-mail addresses).
 */
export class HttpContextProvider implements ContextProvider {
  private readonly cache: TtlCache<unknown>;

  constructor(private readonly settings: HttpContextProviderSettings) {
    this.cache = new TtlCache(settings.cacheTtlMs);
  }

  async findCustomer(address: CustomerAddress): Promise<CustomerProfile | undefined> {
    if (!this.settings.customerUrl) return undefined;
    const url = expandTemplate(this.settings.customerUrl, { channel: address.channel, id: address.id, phone: address.phone });
    if (!url) return undefined;
    const answer = await this.get(url, 'customer', customerAnswer);
    return answer ?? undefined;
  }

  async findOrder(orderNumber: string): Promise<Order | undefined> {
    const url = expandTemplate(this.settings.orderUrl, { orderNumber: orderNumber.toUpperCase() });
    if (!url) return undefined;
    return structuredClone(await this.get(url, 'order', orderAnswer));
  }

  async customerOrders(customer: CustomerProfile, limit: number): Promise<Order[]> {
    const url = this.settings.customerOrdersUrl && expandTemplate(this.settings.customerOrdersUrl, customerValues(customer));
    if (!url) return [];
    const orders = (await this.get(url, 'customer orders', ordersAnswer)) ?? [];
    return structuredClone([...orders].sort((a, b) => b.statusDate.localeCompare(a.statusDate)).slice(0, limit));
  }

  /** Through customerOrdersUrl, when it needs nothing but `{email}` or `{phone}`; none otherwise. */
  async findOrdersByContact(contact: OrderContact, limit: number): Promise<Order[]> {
    const values = 'email' in contact ? { email: contact.email } : { phone: contact.phone };
    const url = this.settings.customerOrdersUrl && expandTemplate(this.settings.customerOrdersUrl, values);
    if (!url) return [];
    const orders = (await this.get(url, 'customer orders', ordersAnswer)) ?? [];
    return structuredClone([...orders].sort((a, b) => b.statusDate.localeCompare(a.statusDate)).slice(0, limit));
  }

  async customerCases(customer: CustomerProfile, limit: number): Promise<CustomerCase[]> {
    const url = this.settings.customerCasesUrl && expandTemplate(this.settings.customerCasesUrl, customerValues(customer));
    if (!url) return [];
    const cases = (await this.get(url, 'customer cases', casesAnswer)) ?? [];
    return structuredClone(cases.slice(0, limit));
  }

  async cancelOrder(orderNumber: string): Promise<boolean> {
    const template = this.settings.cancelOrderUrl;
    if (!template) throw contextUnavailable('Orders cannot be cancelled here: no cancel URL is configured.');
    const url = expandTemplate(template, { orderNumber: orderNumber.toUpperCase() });
    if (!url) return false;
    const response = await this.request(url, 'POST', 'cancel order');
    await response.body?.cancel().catch(() => undefined);
    const orderUrl = expandTemplate(this.settings.orderUrl, { orderNumber: orderNumber.toUpperCase() });
    if (orderUrl) this.cache.delete(`order ${orderUrl}`);
    if (response.ok) return true;
    if ([404, 409, 422].includes(response.status)) return false;
    throw this.unavailable('cancel order', `HTTP ${response.status}`);
  }

  /** A cached GET: the parsed answer, or undefined for 404/410. */
  private get<Schema extends z.ZodType>(url: string, what: string, schema: Schema): Promise<z.output<Schema> | undefined> {
    return this.cache.get(`${what} ${url}`, async () => {
      const response = await this.request(url, 'GET', what);
      if (response.status === 404 || response.status === 410) {
        await response.body?.cancel().catch(() => undefined);
        return undefined;
      }
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw this.unavailable(what, `HTTP ${response.status}`);
      }
      let json: unknown;
      try {
        json = await response.json();
      } catch (error) {
        throw this.unavailable(what, isContextUnavailable(error) ? error.message : 'the answer is not JSON', error);
      }
      const parsed = schema.safeParse(json);
      if (!parsed.success) throw this.unavailable(what, `unexpected answer (${parsed.error.issues[0]?.path.join('.') ?? ''}: ${parsed.error.issues[0]?.message ?? ''})`);
      return parsed.data;
    }) as Promise<z.output<Schema> | undefined>;
  }

  private async request(url: string, method: 'GET' | 'POST', what: string): Promise<Response> {
    const { authHeader, timeoutMs } = this.settings;
    try {
      return await fetch(url, {
        method,
        headers: { accept: 'application/json', ...(authHeader ? { [authHeader.name]: authHeader.value } : {}) },
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      throw this.unavailable(what, timedOut ? `no answer within ${timeoutMs} ms` : 'network error', error);
    }
  }

  private unavailable(what: string, problem: string, cause?: unknown) {
    this.settings.logger.warn({ lookup: what, problem }, 'context provider lookup failed');
    return contextUnavailable(`The ${what} lookup failed: ${problem}.`, cause);
  }
}

function customerValues(customer: CustomerProfile): Record<string, string | undefined> {
  return { customerId: customer.id, email: customer.email, phone: customer.phone };
}
