import path from 'node:path';
import type { BotFactory } from '../src/dialogs/bot-definition.ts';
import { replyDialog } from '../src/dialogs/reply-dialog.ts';
import { recall } from '../src/dialogs/turn-services.ts';
import { knownCustomer } from '../src/dialogs/customer-lookup.ts';
import { firstNameOf } from '../src/integrations/customer-provider.ts';
import { ANSWERS, greeting, welcomeBack } from './answers.ts';

import { CANCEL_ORDER_DIALOG, cancelOrderDialog, confirmCancelPrompt } from './cancel-order-dialog.ts';
import { orderNumberPrompt } from './order-number.ts';
import { ORDER_STATUS_DIALOG, orderStatusDialog } from './order-status-dialog.ts';
import { RETURN_ORDER_DIALOG, returnOrderDialog, returnReasonPrompt } from './return-order-dialog.ts';

const WELCOME_BACK_DIALOG = 'welcomeBack';

/** The demo store's order file, used when the host is not given other order data. */
export const DEMO_ORDERS_FILE = path.join(import.meta.dirname, 'data', 'orders.json');

/**
 * The demo bot: an online store's support assistant. This is what a
 * Switchboard user writes: dialogs, and which intent starts which of them.
 */
const createDemoBot: BotFactory = ({ orders, customers }) => ({
  dialogs: [
    replyDialog('greeting', async (context) => {
      const customer = await knownCustomer(context, customers);
      return greeting(customer && firstNameOf(customer));
    }),
    replyDialog('goodbye', ANSWERS.goodbye),
    replyDialog('thanks', ANSWERS.thanks),
    replyDialog('help', ANSWERS.help),
    replyDialog('storeHours', ANSWERS.storeHours),
    replyDialog('deliveryOptions', ANSWERS.deliveryOptions),
    replyDialog(WELCOME_BACK_DIALOG, (context) => welcomeBack(recall(context, 'orderNumber'))),
    replyDialog('fallback', ANSWERS.fallback),
    orderStatusDialog(orders),
    cancelOrderDialog(orders),
    returnOrderDialog(orders),
    orderNumberPrompt(),
    confirmCancelPrompt(),
    returnReasonPrompt(),
  ],
  intentRoutes: {
    greeting: 'greeting',
    goodbye: 'goodbye',
    thanks: 'thanks',
    help: 'help',
    'store.hours': 'storeHours',
    'delivery.options': 'deliveryOptions',
    'order.status': ORDER_STATUS_DIALOG,
    'order.cancel': CANCEL_ORDER_DIALOG,
    'order.return': RETURN_ORDER_DIALOG,
  },
  fallbackDialogId: 'fallback',
  interruptingIntents: ['help', 'goodbye'],
  handoffIntents: ['agent.request'],
  resumeDialogId: WELCOME_BACK_DIALOG,
});

export default createDemoBot;
