import type { Conversation } from '../core/conversation.ts';
import { SwitchboardError, isSwitchboardError } from '../core/errors.ts';
import type { ChannelName } from '../core/messages.ts';
import type { Order, OrderProvider } from './order-provider.ts';

/**
 * How a channel knows the person writing: the key a business system looks a
 * customer up by.
 */
export interface CustomerAddress {
  channel: ChannelName;
  /**
   * The channel's own id of the customer: the phone number (SMS, `+…`, or
   * `whatsapp:+…` through Twilio), the wa_id (WhatsApp, digits), the PSID
   * (Messenger), the conversation id (web chat), the user id (Bot Framework).
   */
  id: string;
  /** The E.164 phone number, on SMS and WhatsApp. */
  phone?: string;
}

/** A customer as the business's systems describe them to the bot and the agents. */
export interface CustomerProfile {
  id: string;
  /** Full name, as agents see it. */
  name: string;
  /** What the bot calls them ("Hi Sam"); the first word of `name` when absent. */
  firstName?: string;
  email?: string;
  phone?: string;
  /** A loyalty tier, segment or plan, shown to agents as it is. */
  tier?: string;
}

/** An open or recent support case (ticket) of the customer. */
export interface CustomerCase {
  id: string;
  subject: string;
  status: string;
  /** ISO date or date-time of the last change. */
  updatedAt?: string;
}

/** Finds customers by channel address, and their orders and cases. */
export interface CustomerProvider {
  /** The customer behind a channel address, or undefined when the business does not know them. */
  findCustomer(address: CustomerAddress): Promise<CustomerProfile | undefined>;
  /** The customer's orders, most recent first, at most `limit`. */
  customerOrders(customer: CustomerProfile, limit: number): Promise<Order[]>;
  /** The customer's cases, most recent first, at most `limit`. */
  customerCases(customer: CustomerProfile, limit: number): Promise<CustomerCase[]>;
}

/**
 * Everything the bot and the agents learn from the business's systems:
 * orders (for the order dialogs) and customers. Implementations: the demo's
 * JSON files (json-context-provider.ts) and a generic HTTP provider
 * (http-context-provider.ts). Any method may throw `context_unavailable`
 * when the system does not answer in time; callers say so rather than wait.
 */
export interface ContextProvider extends OrderProvider, CustomerProvider {}

const PHONE = /^\+[1-9]\d{5,14}$/;

/** The address the customer of this conversation is looked up by. */
export function customerAddressOf(conversation: Pick<Conversation, 'id' | 'channel' | 'userId'>): CustomerAddress {
  const { channel, userId } = conversation;
  switch (channel) {
    case 'sms': {
      const phone = userId.replace(/^whatsapp:/, '');
      return { channel, id: userId, ...(PHONE.test(phone) ? { phone } : {}) };
    }
    case 'whatsapp': {
      const phone = `+${userId}`;
      return { channel, id: userId, ...(PHONE.test(phone) ? { phone } : {}) };
    }
    case 'webchat':
      // A web chat visitor is anonymous; the conversation id is what the business's site knows.
      return { channel, id: conversation.id };
    case 'messenger':
    case 'botframework':
      return { channel, id: userId };
  }
}

/** What a customer is called in a greeting. */
export const firstNameOf = (customer: CustomerProfile): string =>
  customer.firstName ?? customer.name.trim().split(/\s+/)[0] ?? customer.name;

/** The business's system did not answer (in time, or sensibly). */
export const contextUnavailable = (message: string, cause?: unknown): SwitchboardError =>
  new SwitchboardError('context_unavailable', message, 503, { cause });

export const isContextUnavailable = (error: unknown): error is SwitchboardError =>
  isSwitchboardError(error) && error.code === 'context_unavailable';
