import type { WaterfallStep, WaterfallStepContext } from 'botbuilder-dialogs';
import type { Order, OrderProvider } from '../src/integrations/order-provider.ts';
import { isContextUnavailable } from '../src/integrations/customer-provider.ts';
import { forget, recall, remember, requestHandoff } from '../src/dialogs/turn-services.ts';
import { ORDERS_UNAVAILABLE } from './answers.ts';
import { askForOrderNumber, GAVE_UP_ON_ORDER_NUMBER, ORDER_NUMBER_PROMPT, orderNumberIn } from './order-number.ts';

const ORDER_NUMBER_KEY = 'orderNumber';

/** The order the first steps found, for the steps after them. */
export const foundOrder = (step: WaterfallStepContext): Order => step.result as Order;

/**
 * The two steps every order dialog starts with: find the order number (from
 * this message, or one the customer already gave, asking only when neither),
 * then look the order up. The next step receives the Order as `step.result`.
 */
export function findOrderSteps(orders: OrderProvider, purpose: string): WaterfallStep[] {
  return [
    async (step) => {
      const known = orderNumberIn(step.context) ?? recall(step.context, ORDER_NUMBER_KEY);
      if (known) return step.next(known);
      return step.prompt(ORDER_NUMBER_PROMPT, askForOrderNumber(purpose));
    },
    async (step) => {
      const orderNumber = step.result as string;
      if (!orderNumber) {
        await step.context.sendActivity(GAVE_UP_ON_ORDER_NUMBER);
        return step.endDialog();
      }
      let order: Order | undefined;
      try {
        order = await orders.findOrder(orderNumber);
      } catch (error) {
        // The order system did not answer in time: say so at once and let a person take it.
        if (!isContextUnavailable(error)) throw error;
        remember(step.context, ORDER_NUMBER_KEY, orderNumber);
        await step.context.sendActivity(ORDERS_UNAVAILABLE);
        requestHandoff(step.context, `The order system did not answer when the bot looked up order ${orderNumber}.`);
        return step.endDialog();
      }
      if (!order) {
        forget(step.context, ORDER_NUMBER_KEY);
        await step.context.sendActivity(
          `I couldn't find order ${orderNumber}. Please check the number in your confirmation e-mail and send it again.`,
        );
        return step.endDialog();
      }
      remember(step.context, ORDER_NUMBER_KEY, order.orderNumber);
      return step.next(order);
    },
  ];
}

/** "24 November 2026" from an ISO date, in the conversation's language. */
export function longDate(isoDate: string, locale = 'en-GB'): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: 'UTC' }).format(
    new Date(`${isoDate}T00:00:00Z`),
  );
}

export const describeItems = (order: Order): string => order.items.join(', ');
