import path from 'node:path';
import type { TurnContext } from 'botbuilder';
import type { BotFactory } from '../src/dialogs/bot-definition.ts';
import { replyDialog } from '../src/dialogs/reply-dialog.ts';
import { recall } from '../src/dialogs/turn-services.ts';
import { knownCustomer } from '../src/dialogs/customer-lookup.ts';
import { firstNameOf } from '../src/integrations/customer-provider.ts';
import { botText } from './bot-text.ts';
import { CANCEL_ORDER_DIALOG, cancelOrderDialog, confirmCancelPrompt } from './cancel-order-dialog.ts';
import { findOrderDialog } from './find-order-dialog.ts';
import { EMAIL_ENTITY, PHONE_ENTITY } from './order-contact.ts';
import { orderNumberPrompt } from './order-number.ts';
import { ORDER_STATUS_DIALOG, orderStatusDialog } from './order-status-dialog.ts';
import { pickupDateDialogs } from './pickup-date-dialog.ts';
import { RETURN_ORDER_DIALOG, returnOrderDialog, returnReasonPrompt } from './return-order-dialog.ts';

const WELCOME_BACK_DIALOG = 'welcomeBack';

/** The demo store's order file, used when the host is not given other order data. */
export const DEMO_ORDERS_FILE = path.join(import.meta.dirname, 'data', 'orders.json');

/** The demo's fixed answers: one string per language. */
type FixedAnswer = 'goodbye' | 'thanks' | 'help' | 'storeHours' | 'deliveryOptions' | 'fallback';

/** A fixed answer, in the conversation's language. */
const say =
  (key: FixedAnswer) =>
  (context: TurnContext): string =>
    botText(context)[key];

/**
 * The demo bot: an online store's support assistant, in English and Spanish
 * (it answers in the conversation's language: bot-text.ts). This is what a
 * Switchboard user writes: dialogs, and which intent starts which of them.
 */
const createDemoBot: BotFactory = ({ orders, customers }) => ({
  dialogs: [
    replyDialog('greeting', async (context) => {
      const customer = await knownCustomer(context, customers);
      return botText(context).greeting(customer && firstNameOf(customer));
    }),
    replyDialog('goodbye', say('goodbye')),
    replyDialog('thanks', say('thanks')),
    replyDialog('help', say('help')),
    replyDialog('storeHours', say('storeHours')),
    replyDialog('deliveryOptions', say('deliveryOptions')),
    replyDialog(WELCOME_BACK_DIALOG, (context) => botText(context).welcomeBack(recall(context, 'orderNumber'))),
    replyDialog('fallback', say('fallback')),
    findOrderDialog(orders),
    orderStatusDialog(),
    cancelOrderDialog(orders),
    returnOrderDialog(),
    ...pickupDateDialogs(),
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
  // A contact detail in any message (also one that goes straight to a person,
  // or one written while waiting in line) is kept for the agent to call back.
  rememberedEntities: [EMAIL_ENTITY, PHONE_ENTITY],
  resumeDialogId: WELCOME_BACK_DIALOG,
});

export default createDemoBot;
