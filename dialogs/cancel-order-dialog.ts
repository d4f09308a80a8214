import { ConfirmPrompt, ListStyle, WaterfallDialog } from 'botbuilder-dialogs';
import { stepValues } from '../src/dialogs/step-values.ts';
import { requestHandoff } from '../src/dialogs/turn-services.ts';
import { isContextUnavailable } from '../src/integrations/customer-provider.ts';
import { ORDERS_UNAVAILABLE } from './answers.ts';
import type { Order, OrderProvider } from '../src/integrations/order-provider.ts';
import { describeItems, findOrderSteps, foundOrder, longDate } from './find-order-steps.ts';

export const CANCEL_ORDER_DIALOG = 'cancelOrder';
const CONFIRM_CANCEL_PROMPT = 'confirmCancelPrompt';

interface CancelValues {
  orderNumber: string;
}

/** Why an order can't be cancelled, or undefined when it can. */
function cannotCancel(order: Order): string | undefined {
  switch (order.status) {
    case 'processing':
      return undefined;
    case 'shipped':
      return `Order ${order.orderNumber} already shipped on ${longDate(order.statusDate)}, so it can't be cancelled any more. Once it arrives you can start a return instead.`;
    case 'delivered':
      return `Order ${order.orderNumber} was delivered on ${longDate(order.statusDate)}, so it can't be cancelled. You can start a return instead.`;
    case 'cancelled':
      return `Order ${order.orderNumber} is already cancelled.`;
  }
}

export function confirmCancelPrompt(): ConfirmPrompt {
  const prompt = new ConfirmPrompt(CONFIRM_CANCEL_PROMPT, undefined, 'en-us');
  prompt.style = ListStyle.none;
  return prompt;
}

/** Cancels an order after the customer confirms; refuses once the order has shipped. */
export function cancelOrderDialog(orders: OrderProvider): WaterfallDialog {
  return new WaterfallDialog(CANCEL_ORDER_DIALOG, [
    ...findOrderSteps(orders, 'cancel your order'),
    async (step) => {
      const order = foundOrder(step);
      const refusal = cannotCancel(order);
      if (refusal) {
        await step.context.sendActivity(refusal);
        return step.endDialog();
      }
      stepValues<CancelValues>(step).orderNumber = order.orderNumber;
      return step.prompt(CONFIRM_CANCEL_PROMPT, {
        prompt: `Do you want me to cancel order ${order.orderNumber} (${describeItems(order)})? Please answer yes or no.`,
        retryPrompt: `Please answer yes to cancel order ${order.orderNumber}, or no to keep it.`,
      });
    },
    async (step) => {
      const orderNumber = stepValues<CancelValues>(step).orderNumber ?? '';
      if (step.result !== true) {
        await step.context.sendActivity(`OK, I've left order ${orderNumber} as it is.`);
        return step.endDialog();
      }
      let cancelled: boolean;
      try {
        cancelled = await orders.cancelOrder(orderNumber);
      } catch (error) {
        if (!isContextUnavailable(error)) throw error;
        await step.context.sendActivity(ORDERS_UNAVAILABLE);
        requestHandoff(step.context, `The order system did not answer when the bot tried to cancel order ${orderNumber}.`);
        return step.endDialog();
      }
      await step.context.sendActivity(
        cancelled
          ? `Done: order ${orderNumber} is cancelled. Your refund will reach your original payment method within 5 working days.`
          : `Sorry, order ${orderNumber} could not be cancelled: it has just been dispatched. You can start a return once it arrives.`,
      );
      return step.endDialog();
    },
  ]);
}
