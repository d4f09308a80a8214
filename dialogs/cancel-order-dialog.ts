import { ConfirmPrompt, ListStyle, WaterfallDialog } from 'botbuilder-dialogs';
import { stepValues } from '../src/dialogs/step-values.ts';
import { requestHandoff } from '../src/dialogs/turn-services.ts';
import { isContextUnavailable } from '../src/integrations/customer-provider.ts';
import type { OrderProvider } from '../src/integrations/order-provider.ts';
import { botText } from './bot-text.ts';
import { FIND_ORDER_DIALOG, foundOrder, type FindOrderOptions } from './find-order-dialog.ts';

export const CANCEL_ORDER_DIALOG = 'cancelOrder';
const CONFIRM_CANCEL_PROMPT = 'confirmCancelPrompt';

interface CancelValues {
  orderNumber: string;
}

/** Yes or no, recognised in the conversation's language (the activity's locale; botbuilder knows en and es). */
export function confirmCancelPrompt(): ConfirmPrompt {
  const prompt = new ConfirmPrompt(CONFIRM_CANCEL_PROMPT);
  prompt.style = ListStyle.none;
  return prompt;
}

/** Cancels an order after the customer confirms; refuses once the order has shipped. */
export function cancelOrderDialog(orders: OrderProvider): WaterfallDialog {
  return new WaterfallDialog(CANCEL_ORDER_DIALOG, [
    async (step) => step.beginDialog(FIND_ORDER_DIALOG, { purpose: 'cancel' } satisfies FindOrderOptions),
    async (step) => {
      const order = foundOrder(step);
      if (!order) return step.endDialog();
      const text = botText(step.context);
      const refusal = text.cannotCancel(order);
      if (refusal) {
        await step.context.sendActivity(refusal);
        return step.endDialog();
      }
      stepValues<CancelValues>(step).orderNumber = order.orderNumber;
      return step.prompt(CONFIRM_CANCEL_PROMPT, {
        prompt: text.confirmCancel(order),
        retryPrompt: text.confirmCancelRetry(order.orderNumber),
      });
    },
    async (step) => {
      const text = botText(step.context);
      const orderNumber = stepValues<CancelValues>(step).orderNumber ?? '';
      if (step.result !== true) {
        await step.context.sendActivity(text.keptOrder(orderNumber));
        return step.endDialog();
      }
      let cancelled: boolean;
      try {
        cancelled = await orders.cancelOrder(orderNumber);
      } catch (error) {
        if (!isContextUnavailable(error)) throw error;
        await step.context.sendActivity(text.ordersUnavailable);
        requestHandoff(step.context, `The order system did not answer when the bot tried to cancel order ${orderNumber}.`);
        return step.endDialog();
      }
      await step.context.sendActivity(cancelled ? text.cancelled(orderNumber) : text.tooLateToCancel(orderNumber));
      return step.endDialog();
    },
  ]);
}
