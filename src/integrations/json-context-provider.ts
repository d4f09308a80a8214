import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { ChannelName } from '../core/messages.ts';
import type {
  ContextProvider,
  CustomerAddress,
  CustomerCase,
  CustomerProfile,
} from './customer-provider.ts';
import type { Order, OrderContact } from './order-provider.ts';
import { customerCaseSchema, customerProfileSchema, orderSchema } from './schemas.ts';

const orderFileSchema = z.object({ orders: z.array(orderSchema) });

const CHANNELS = ['webchat', 'sms', 'messenger', 'whatsapp', 'botframework'] as const satisfies readonly ChannelName[];

const customerFileSchema = z.object({
  customers: z.array(
    customerProfileSchema.extend({
      /** E.164 numbers the customer texts or WhatsApps from. */
      phones: z.array(z.string().regex(/^\+[1-9]\d{5,14}$/, 'an E.164 number, e.g. +447700900101')).default([]),
      /** Other channel ids of the customer: PSIDs, web chat conversation ids, Bot Framework user ids. */
      channelIds: z.partialRecord(z.enum(CHANNELS), z.array(z.string().min(1))).default({}),
      cases: z.array(customerCaseSchema).default([]),
    }),
  ),
});

type StoredCustomer = z.output<typeof customerFileSchema>['customers'][number];

/**
 * Orders and customers from JSON files, for the demo and for tests: a
 * customer is found by phone number (SMS, WhatsApp) or by a channel id, and
 * their orders are those with their e-mail address; so are the orders of an
 * e-mail address a customer types, and of a phone number a known customer has. Cancellations are kept in
 * memory only: the files are sample data, not a database.
 */
export class JsonContextProvider implements ContextProvider {
  private constructor(
    private readonly orders: Map<string, Order>,
    private readonly customers: StoredCustomer[],
  ) {}

  /** Reads the order file and, if given, the customer file (which may be missing: no known customers). */
  static async fromFiles(ordersFile: string, customersFile?: string): Promise<JsonContextProvider> {
    const orders = parseFile(ordersFile, await readFile(ordersFile, 'utf8'), orderFileSchema).orders;
    let customers: StoredCustomer[] = [];
    if (customersFile) {
      const text = await readFile(customersFile, 'utf8').catch((error: unknown) => {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      });
      if (text !== undefined) customers = parseFile(customersFile, text, customerFileSchema).customers;
    }
    return new JsonContextProvider(new Map(orders.map((order) => [order.orderNumber.toUpperCase(), order])), customers);
  }

  findOrder(orderNumber: string): Promise<Order | undefined> {
    const order = this.orders.get(orderNumber.toUpperCase());
    return Promise.resolve(order && structuredClone(order));
  }

  findOrdersByContact(contact: OrderContact, limit: number): Promise<Order[]> {
    const email =
      'email' in contact
        ? contact.email.toLowerCase()
        : this.customers.find((customer) => customer.phones.includes(contact.phone) || customer.phone === contact.phone)?.email?.toLowerCase();
    return Promise.resolve(email === undefined ? [] : this.ordersOf(email, limit));
  }

  cancelOrder(orderNumber: string): Promise<boolean> {
    const order = this.orders.get(orderNumber.toUpperCase());
    if (!order || order.status !== 'processing') return Promise.resolve(false);
    order.status = 'cancelled';
    order.statusDate = new Date().toISOString().slice(0, 10);
    return Promise.resolve(true);
  }

  findCustomer(address: CustomerAddress): Promise<CustomerProfile | undefined> {
    const found = this.customers.find(
      (customer) =>
        (address.phone !== undefined && customer.phones.includes(address.phone)) ||
        (customer.channelIds[address.channel] ?? []).includes(address.id),
    );
    return Promise.resolve(found && profileOf(found));
  }

  customerOrders(customer: CustomerProfile, limit: number): Promise<Order[]> {
    const email = customer.email?.toLowerCase();
    return Promise.resolve(email ? this.ordersOf(email, limit) : []);
  }

  private ordersOf(email: string, limit: number): Order[] {
    const theirs = [...this.orders.values()]
      .filter((order) => order.customerEmail?.toLowerCase() === email)
      .sort((a, b) => b.statusDate.localeCompare(a.statusDate))
      .slice(0, limit);
    return structuredClone(theirs);
  }

  customerCases(customer: CustomerProfile, limit: number): Promise<CustomerCase[]> {
    const stored = this.customers.find((candidate) => candidate.id === customer.id);
    const cases = [...(stored?.cases ?? [])].sort((a, b) => (b.updatedAt ?? '').localeCompare(a.updatedAt ?? ''));
    return Promise.resolve(structuredClone(cases.slice(0, limit)));
  }
}

function profileOf(stored: StoredCustomer): CustomerProfile {
  const { phones: _phones, channelIds: _channelIds, cases: _cases, ...profile } = stored;
  return structuredClone(profile);
}

function parseFile<Schema extends z.ZodType>(file: string, text: string, schema: Schema): z.output<Schema> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file} is not valid JSON.`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new Error(`Invalid data file ${file}: ${parsed.error.message}`);
  return parsed.data;
}
