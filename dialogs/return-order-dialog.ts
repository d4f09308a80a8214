import { ChoicePrompt, ListStyle, WaterfallDialog, type FoundChoice } from 'botbuilder-dialogs';
import type { Order, OrderProvider } from '../src/integrations/order-provider.ts';
import { remember, requestHandoff } from '../src/dialogs/turn-services.ts';
import { stepValues } from '../src/dialogs/step-values.ts';
import { findOrderSteps, foundOrder, longDate } from './find-order-steps.ts';

export const RETURN_ORDER_DIALOG = 'returnOrder';
/** Refunds above this are for a person to approve, not the bot. */
const SELF_SERVICE_REFUND_LIMIT = 300;
const RETURN_REASON_PROMPT = 'returnReasonPrompt';
const RETURN_REASONS = ['It arrived damaged', 'Wrong size or fit', 'Not what I expected', 'Changed my mind'];

interface ReturnValues {
  orderNumber: string;
}

/** Why a return can't start yet, or undefined when it can. */
function cannotReturn(order: Order): string | undefined {
  switch (order.status) {
    case 'delivered':
      return undefined;
    case 'processing':
      return `Order ${order.orderNumber} hasn't shipped yet, so there's nothing to return: you can cancel it instead if you like.`;
    case 'shipped':
      return `Order ${order.orderNumber} is on its way (shipped on ${longDate(order.statusDate)}). You can start a return as soon as it arrives.`;
    case 'cancelled':
      return `Order ${order.orderNumber} was cancelled, so there's nothing to return.`;
  }
}

export function returnReasonPrompt(): ChoicePrompt {
  const prompt = new ChoicePrompt(RETURN_REASON_PROMPT, undefined, 'en-us');
  prompt.style = ListStyle.inline;
  return prompt;
}

/** Starts a return for a delivered order: asks why, then gives a return reference. */
export function returnOrderDialog(orders: OrderProvider): WaterfallDialog {
  return new WaterfallDialog(RETURN_ORDER_DIALOG, [
    ...findOrderSteps(orders, 'you start a return'),
    async (step) => {
      const order = foundOrder(step);
      const refusal = cannotReturn(order);
      if (refusal) {
        await step.context.sendActivity(refusal);
        return step.endDialog();
      }
      if (order.total > SELF_SERVICE_REFUND_LIMIT) {
        await step.context.sendActivity(
          `Returns of orders over $${SELF_SERVICE_REFUND_LIMIT} are handled by our team, so I'm passing you to a person who can approve the refund for order ${order.orderNumber}.`,
        );
        requestHandoff(step.context, `Return of order ${order.orderNumber} ($${order.total}) is above the self-service refund limit.`);
        return step.endDialog();
      }
      stepValues<ReturnValues>(step).orderNumber = order.orderNumber;
      return step.prompt(RETURN_REASON_PROMPT, {
        prompt: `I can start a return for order ${order.orderNumber}. Why are you sending it back?`,
        retryPrompt: 'Please pick one of the reasons by its number or its words.',
        choices: RETURN_REASONS,
      });
    },
    async (step) => {
      const orderNumber = stepValues<ReturnValues>(step).orderNumber ?? '';
      const reason = (step.result as FoundChoice).value;
      remember(step.context, 'returnReason', reason);
      await step.context.sendActivity(
        `Your return for order ${orderNumber} is started (reference RMA-${orderNumber}, reason: ${reason.toLowerCase()}). ` +
          "We've e-mailed you a prepaid label: drop the parcel at any post office within 30 days and your refund follows within 5 working days of it reaching us.",
      );
      return step.endDialog();
    },
  ]);
}
