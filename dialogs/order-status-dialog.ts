import { WaterfallDialog } from 'botbuilder-dialogs';
import type { Order, OrderProvider } from '../src/integrations/order-provider.ts';
import { describeItems, findOrderSteps, foundOrder, longDate } from './find-order-steps.ts';

export const ORDER_STATUS_DIALOG = 'orderStatus';

export function orderStatusText(order: Order): string {
  const what = `Order ${order.orderNumber} (${describeItems(order)})`;
  switch (order.status) {
    case 'processing':
      return `${what} is being prepared: we received it on ${longDate(order.statusDate)} and it should ship within 2 working days.`;
    case 'shipped':
      return order.estimatedDelivery
        ? `${what} shipped on ${longDate(order.statusDate)} and should arrive by ${longDate(order.estimatedDelivery)}.`
        : `${what} shipped on ${longDate(order.statusDate)}.`;
    case 'delivered':
      return `${what} was delivered on ${longDate(order.statusDate)}.`;
    case 'cancelled':
      return `${what} was cancelled on ${longDate(order.statusDate)}.`;
  }
}

/** Where is my order? Asks for the number when it doesn't have one, then answers with its state and date. */
export function orderStatusDialog(orders: OrderProvider): WaterfallDialog {
  return new WaterfallDialog(ORDER_STATUS_DIALOG, [
    ...findOrderSteps(orders, 'you track your order'),
    async (step) => {
      await step.context.sendActivity(orderStatusText(foundOrder(step)));
      return step.endDialog();
    },
  ]);
}
