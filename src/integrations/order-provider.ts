/** An order as the business's systems describe it to the bot and the agents. */
export interface Order {
  orderNumber: string;
  status: 'processing' | 'shipped' | 'delivered' | 'cancelled';
  /** ISO date of the last status change (shipped on, delivered on…). */
  statusDate: string;
  /** ISO date the order is expected to arrive, while it is on its way. */
  estimatedDelivery?: string;
  items: string[];
  /** What the customer paid, in the store's currency. */
  total: number;
  customerEmail?: string;
}

/**
 * How a customer without their order number says who they are: the e-mail
 * address (as written) or the phone number (E.164) they ordered with.
 */
export type OrderContact = { email: string } | { phone: string };

/** Looks orders up in the business's systems. */
export interface OrderProvider {
  findOrder(orderNumber: string): Promise<Order | undefined>;
  /** The orders placed with this e-mail address or phone number, most recent first, at most `limit`. */
  findOrdersByContact(contact: OrderContact, limit: number): Promise<Order[]>;
  /** Marks an order cancelled; refuses (returns false) once it has shipped. */
  cancelOrder(orderNumber: string): Promise<boolean>;
}
