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

export type LookupOutcome = 'found' | 'not_found' | 'unavailable';

export interface GuardSettings {
  /** No call waits longer than this, whatever the provider does. */
  timeoutMs: number;
  logger: Logger;
  /** Counts each call (for `switchboard_context_lookups_total`). */
  onLookup?: (operation: string, outcome: LookupOutcome) => void;
}

/**
 * Wraps any provider (the framework's or a user's own) so that a slow or
 * failing business system never holds a turn or an agent's page beyond
 * `timeoutMs`: every call either answers in time or throws
 * `context_unavailable`, which dialogs turn into "I can't check right now".
 * A call that times out keeps running in the background; its answer is
 * dropped.
 */
export function guardContextProvider(provider: ContextProvider, settings: GuardSettings): ContextProvider {
  const guard = <T>(operation: string, call: () => Promise<T>, found: (value: T) => boolean): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(() => {
        reject(contextUnavailable(`The ${operation} lookup did not answer within ${settings.timeoutMs} ms.`));
      }, settings.timeoutMs);
      timer.unref();
    });
    const running = Promise.resolve().then(call);
    running.catch(() => undefined); // a late failure after the deadline is not unhandled
    return Promise.race([running, deadline])
      .then((value) => {
        settings.onLookup?.(operation, found(value) ? 'found' : 'not_found');
        return value;
      })
      .catch((error: unknown) => {
        settings.onLookup?.(operation, 'unavailable');
        const unavailable = isContextUnavailable(error)
          ? error
          : contextUnavailable(`The ${operation} lookup failed.`, error);
        settings.logger.warn({ operation, err: isContextUnavailable(error) ? undefined : error, problem: unavailable.message }, 'context lookup unavailable');
        throw unavailable;
      })
      .finally(() => clearTimeout(timer));
  };
  const present = (value: unknown) => value !== undefined;
  const nonEmpty = (value: unknown[]) => value.length > 0;
  return {
    findOrder: (orderNumber: string) => guard<Order | undefined>('order', () => provider.findOrder(orderNumber), present),
    findOrdersByContact: (contact: OrderContact, limit: number) =>
      guard<Order[]>('orders_by_contact', () => provider.findOrdersByContact(contact, limit), nonEmpty),
    cancelOrder: (orderNumber: string) => guard('cancel_order', () => provider.cancelOrder(orderNumber), (done) => done),
    findCustomer: (address: CustomerAddress) =>
      guard<CustomerProfile | undefined>('customer', () => provider.findCustomer(address), present),
    customerOrders: (customer: CustomerProfile, limit: number) =>
      guard<Order[]>('customer_orders', () => provider.customerOrders(customer, limit), nonEmpty),
    customerCases: (customer: CustomerProfile, limit: number) =>
      guard<CustomerCase[]>('customer_cases', () => provider.customerCases(customer, limit), nonEmpty),
  };
}
