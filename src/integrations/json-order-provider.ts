import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Order, OrderProvider } from './order-provider.ts';

const orderFileSchema = z.object({
  orders: z.array(
    z.object({
      orderNumber: z.string().min(1),
      status: z.enum(['processing', 'shipped', 'delivered', 'cancelled']),
      statusDate: z.iso.date(),
      estimatedDelivery: z.iso.date().optional(),
      items: z.array(z.string()),
      total: z.number().nonnegative(),
      customerEmail: z.email().optional(),
    }),
  ),
});

/**
 * Orders from a JSON file, for the demo and for tests. Cancellations are kept
 * in memory only: the file is sample data, not a database.
 */
export class JsonOrderProvider implements OrderProvider {
  private constructor(private readonly orders: Map<string, Order>) {}

  static async fromFile(path: string): Promise<JsonOrderProvider> {
    const parsed = orderFileSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
    if (!parsed.success) {
      throw new Error(`Invalid order file ${path}: ${parsed.error.message}`);
    }
    return new JsonOrderProvider(
      new Map(parsed.data.orders.map((order) => [order.orderNumber.toUpperCase(), order])),
    );
  }

  findOrder(orderNumber: string): Promise<Order | undefined> {
    const order = this.orders.get(orderNumber.toUpperCase());
    return Promise.resolve(order && structuredClone(order));
  }

  cancelOrder(orderNumber: string): Promise<boolean> {
    const order = this.orders.get(orderNumber.toUpperCase());
    if (!order || order.status !== 'processing') return Promise.resolve(false);
    order.status = 'cancelled';
    order.statusDate = new Date().toISOString().slice(0, 10);
    return Promise.resolve(true);
  }
}
