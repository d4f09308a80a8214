import { WaterfallDialog, type DialogTurnResult, type WaterfallStepContext } from 'botbuilder-dialogs';
import { forget, recall, remember, requestHandoff } from '../src/dialogs/turn-services.ts';
import { isContextUnavailable } from '../src/integrations/customer-provider.ts';
import type { Order, OrderContact, OrderProvider } from '../src/integrations/order-provider.ts';
import { botText, type OrderPurpose } from './bot-text.ts';
import { contactIn, describeContact, EMAIL_ENTITY, PHONE_ENTITY } from './order-contact.ts';
import { ORDER_NUMBER_EXAMPLE, ORDER_NUMBER_PROMPT, orderNumberIn } from './order-number.ts';

export const FIND_ORDER_DIALOG = 'findOrder';
const ORDER_NUMBER_KEY = 'orderNumber';
/** Orders listed when a contact has several; more is a wall of text. */
const LISTED_ORDERS = 5;
/** Lookups by contact before the dialog settles for "send the number when you have it". */
const MAX_CONTACT_ROUNDS = 2;

export interface FindOrderOptions {
  purpose: OrderPurpose;
  /** Set when the dialog asks again: the question, and how many contact lookups came before. */
  again?: { question: string; rounds: number };
}

/** Something to look the order up by. */
type Lead = { orderNumber: string } | { contact: OrderContact };

/**
 * Finds the order the customer means, and ends with it (or with undefined
 * when there is none to go on): from the order number in this message or
 * one they gave before; else from the e-mail address or phone number in
 * this message, or in their answer to "what's the order number?", by
 * looking up the orders placed with it (one: that one; several: which?).
 * The contact is remembered for the agent, the order number for the next
 * question.
 */
export function findOrderDialog(orders: OrderProvider): WaterfallDialog<FindOrderOptions> {
  return new WaterfallDialog<FindOrderOptions>(FIND_ORDER_DIALOG, [
    async (step) => {
      const options = optionsOf(step);
      const text = botText(step.context);
      if (!options.again) {
        const orderNumber = orderNumberIn(step.context) ?? recall(step.context, ORDER_NUMBER_KEY);
        if (orderNumber) return step.next({ orderNumber } satisfies Lead);
        const contact = contactIn(step.context);
        if (contact) return step.next({ contact } satisfies Lead);
      }
      return step.prompt(ORDER_NUMBER_PROMPT, {
        prompt: options.again?.question ?? text.askForOrder(options.purpose, ORDER_NUMBER_EXAMPLE),
        retryPrompt: text.notAnOrderNumber(ORDER_NUMBER_EXAMPLE),
      });
    },
    async (step) => {
      const text = botText(step.context);
      const found = leadOf(step);
      if (!found) {
        await step.context.sendActivity(text.gaveUpOnOrderNumber);
        return step.endDialog();
      }
      try {
        return 'orderNumber' in found ? await byNumber(step, orders, found.orderNumber) : await byContact(step, orders, found.contact);
      } catch (error) {
        // The order system did not answer in time: say so at once and let a person take it.
        if (!isContextUnavailable(error)) throw error;
        await step.context.sendActivity(text.ordersUnavailable);
        const what = 'orderNumber' in found ? `order ${found.orderNumber}` : `the orders of ${describeContact(found.contact)}`;
        requestHandoff(step.context, `The order system did not answer when the bot looked up ${what}.`);
        return step.endDialog();
      }
    },
  ]);
}

/** What the first step found, or, after the prompt, what its answer holds (nothing once it gave up). */
function leadOf(step: WaterfallStepContext<FindOrderOptions>): Lead | undefined {
  const result = step.result as Lead | string;
  if (typeof result !== 'string') return result;
  if (result === '') return undefined;
  const orderNumber = orderNumberIn(step.context);
  if (orderNumber) return { orderNumber };
  const contact = contactIn(step.context);
  return contact ? { contact } : undefined;
}

async function byNumber(step: WaterfallStepContext<FindOrderOptions>, orders: OrderProvider, orderNumber: string): Promise<DialogTurnResult> {
  remember(step.context, ORDER_NUMBER_KEY, orderNumber);
  const order = await orders.findOrder(orderNumber);
  if (!order) {
    forget(step.context, ORDER_NUMBER_KEY);
    await step.context.sendActivity(botText(step.context).orderNotFound(orderNumber));
    return step.endDialog();
  }
  remember(step.context, ORDER_NUMBER_KEY, order.orderNumber);
  return step.endDialog(order);
}

async function byContact(step: WaterfallStepContext<FindOrderOptions>, orders: OrderProvider, contact: OrderContact): Promise<DialogTurnResult> {
  const text = botText(step.context);
  const options = optionsOf(step);
  remember(step.context, 'email' in contact ? EMAIL_ENTITY : PHONE_ENTITY, describeContact(contact));
  const found: Order[] = await orders.findOrdersByContact(contact, LISTED_ORDERS);
  const [only] = found;
  if (only && found.length === 1) {
    remember(step.context, ORDER_NUMBER_KEY, only.orderNumber);
    return step.endDialog(only);
  }
  const rounds = (options.again?.rounds ?? 0) + 1;
  if (found.length === 0 && rounds >= MAX_CONTACT_ROUNDS) {
    await step.context.sendActivity(text.gaveUpOnOrderNumber);
    return step.endDialog();
  }
  const question = found.length === 0 ? text.noOrdersForContact(describeContact(contact)) : text.whichOrder(describeContact(contact), found);
  return step.replaceDialog(FIND_ORDER_DIALOG, { purpose: options.purpose, again: { question, rounds } } satisfies FindOrderOptions);
}

const optionsOf = (step: WaterfallStepContext<FindOrderOptions>): FindOrderOptions => step.options;

/** The order FIND_ORDER_DIALOG ended with, for the step after it (undefined: there is none to go on). */
export const foundOrder = (step: WaterfallStepContext): Order | undefined => step.result as Order | undefined;
