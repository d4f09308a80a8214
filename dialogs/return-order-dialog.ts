import { ChoicePrompt, ListStyle, WaterfallDialog, type FoundChoice } from 'botbuilder-dialogs';
import { stepValues } from '../src/dialogs/step-values.ts';
import { remember, requestHandoff } from '../src/dialogs/turn-services.ts';
import type { Order } from '../src/integrations/order-provider.ts';
import { botText } from './bot-text.ts';
import { FIND_ORDER_DIALOG, foundOrder, type FindOrderOptions } from './find-order-dialog.ts';
import { PICKUP_DATE_DIALOG } from './pickup-date-dialog.ts';

export const RETURN_ORDER_DIALOG = 'returnOrder';
/** Refunds above this are for a person to approve, not the bot. */
const SELF_SERVICE_REFUND_LIMIT = 300;
const RETURN_REASON_PROMPT = 'returnReasonPrompt';

interface ReturnValues {
  orderNumber: string;
  reason: string;
}

/** The reasons are offered in the conversation's language; the inline list's "or" follows the activity's locale. */
export function returnReasonPrompt(): ChoicePrompt {
  const prompt = new ChoicePrompt(RETURN_REASON_PROMPT);
  prompt.style = ListStyle.inline;
  return prompt;
}

/**
 * Starts a return for a delivered order: asks why, then which day the
 * courier should pick it up, and gives a return reference. The reason and
 * the day are remembered for the agents.
 */
export function returnOrderDialog(): WaterfallDialog {
  return new WaterfallDialog(RETURN_ORDER_DIALOG, [
    async (step) => step.beginDialog(FIND_ORDER_DIALOG, { purpose: 'return' } satisfies FindOrderOptions),
    async (step) => {
      const order: Order | undefined = foundOrder(step);
      if (!order) return step.endDialog();
      const text = botText(step.context);
      const refusal = text.cannotReturn(order);
      if (refusal) {
        await step.context.sendActivity(refusal);
        return step.endDialog();
      }
      if (order.total > SELF_SERVICE_REFUND_LIMIT) {
        await step.context.sendActivity(text.returnNeedsAPerson(order.orderNumber, text.money(SELF_SERVICE_REFUND_LIMIT)));
        requestHandoff(step.context, `Return of order ${order.orderNumber} ($${order.total}) is above the self-service refund limit.`);
        return step.endDialog();
      }
      stepValues<ReturnValues>(step).orderNumber = order.orderNumber;
      return step.prompt(RETURN_REASON_PROMPT, {
        prompt: text.askReturnReason(order.orderNumber),
        retryPrompt: text.returnReasonRetry,
        choices: [...text.returnReasons],
      });
    },
    async (step) => {
      const reason = (step.result as FoundChoice).value;
      stepValues<ReturnValues>(step).reason = reason;
      remember(step.context, 'returnReason', reason);
      return step.beginDialog(PICKUP_DATE_DIALOG);
    },
    async (step) => {
      const { orderNumber = '', reason = '' } = stepValues<ReturnValues>(step);
      const pickupDate = typeof step.result === 'string' ? step.result : undefined;
      if (pickupDate) remember(step.context, 'pickupDate', pickupDate);
      await step.context.sendActivity(botText(step.context).returnStarted(orderNumber, reason, pickupDate));
      return step.endDialog();
    },
  ]);
}
