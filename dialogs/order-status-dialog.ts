import { WaterfallDialog } from 'botbuilder-dialogs';
import { botText } from './bot-text.ts';
import { FIND_ORDER_DIALOG, foundOrder, type FindOrderOptions } from './find-order-dialog.ts';

export const ORDER_STATUS_DIALOG = 'orderStatus';

/**
 * Where is my order? Finds it (by its number, or by the e-mail address or
 * phone number it was placed with), then answers with its state and date.
 */
export function orderStatusDialog(): WaterfallDialog {
  return new WaterfallDialog(ORDER_STATUS_DIALOG, [
    async (step) => step.beginDialog(FIND_ORDER_DIALOG, { purpose: 'track' } satisfies FindOrderOptions),
    async (step) => {
      const order = foundOrder(step);
      if (order) await step.context.sendActivity(botText(step.context).orderStatus(order));
      return step.endDialog();
    },
  ]);
}
