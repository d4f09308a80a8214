import type { Conversation } from '../core/conversation.ts';
import {
  customerAddressOf,
  type ContextProvider,
  type CustomerCase,
  type CustomerProfile,
} from './customer-provider.ts';
import type { Order } from './order-provider.ts';

/** How many recent orders and cases agents see. */
export const RECENT_ORDERS = 5;
export const RECENT_CASES = 5;

/** What agents see of the customer from the business's systems. */
export interface CustomerContext {
  /** `found`: a known customer; `unknown`: the systems do not know this address; `unavailable`: they did not answer. */
  lookup: 'found' | 'unknown' | 'unavailable';
  profile?: CustomerProfile;
  orders: Order[];
  cases: CustomerCase[];
  /** Parts that could not be loaded for a found customer (their system did not answer). */
  unavailable?: ('orders' | 'cases')[];
}

/**
 * The customer behind a conversation, with their recent orders and cases.
 * Never throws: a system that does not answer (in its timeout) gives
 * `lookup: 'unavailable'` and the agent sees the conversation anyway.
 */
export async function loadCustomerContext(provider: ContextProvider, conversation: Conversation): Promise<CustomerContext> {
  let profile: CustomerProfile | undefined;
  try {
    profile = await provider.findCustomer(customerAddressOf(conversation));
  } catch {
    return { lookup: 'unavailable', orders: [], cases: [] };
  }
  if (!profile) return { lookup: 'unknown', orders: [], cases: [] };
  const [orders, cases] = await Promise.allSettled([
    provider.customerOrders(profile, RECENT_ORDERS),
    provider.customerCases(profile, RECENT_CASES),
  ]);
  const unavailable = [
    ...(orders.status === 'rejected' ? (['orders'] as const) : []),
    ...(cases.status === 'rejected' ? (['cases'] as const) : []),
  ];
  return {
    lookup: 'found',
    profile,
    orders: orders.status === 'fulfilled' ? orders.value : [],
    cases: cases.status === 'fulfilled' ? cases.value : [],
    ...(unavailable.length > 0 ? { unavailable } : {}),
  };
}
