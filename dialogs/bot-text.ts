import type { TurnContext } from 'botbuilder';
import { messagesFor, type Catalogue } from '../src/core/catalogue.ts';
import { turnServices } from '../src/dialogs/turn-services.ts';
import type { Order } from '../src/integrations/order-provider.ts';
import { EN } from './text-en.ts';
import { ES } from './text-es.ts';

/** What the customer wants to do with the order the dialogs look for. */
export type OrderPurpose = 'track' | 'cancel' | 'return';

/** Why a customer sends an order back: the return dialog's choices, in this order. */
export type ReturnReasons = readonly [damaged: string, wrongSize: string, notAsExpected: string, changedMind: string];

/**
 * Everything the demo bot says to customers, one implementation per
 * language (text-en.ts, text-es.ts). A key missing in one language fails the
 * typecheck (BOT_TEXT below). What agents read (handoff details) stays in
 * the dialogs, in the team's language.
 */
export interface BotText {
  /** Hello, by name when the store knows who is writing. */
  greeting(firstName: string | undefined): string;
  goodbye: string;
  thanks: string;
  help: string;
  storeHours: string;
  deliveryOptions: string;
  fallback: string;
  /** When a person hands the conversation back, showing the bot knows what it collected. */
  welcomeBack(orderNumber: string | undefined): string;
  /** The order system does not answer in time (the dialog then hands over to a person). */
  ordersUnavailable: string;

  askForOrder(purpose: OrderPurpose, example: string): string;
  notAnOrderNumber(example: string): string;
  gaveUpOnOrderNumber: string;
  orderNotFound(orderNumber: string): string;
  /** No order was placed with the e-mail address or phone number the customer gave. */
  noOrdersForContact(contact: string): string;
  /** Several orders were placed with it: which one? */
  whichOrder(contact: string, orders: readonly Order[]): string;

  orderStatus(order: Order): string;

  cannotCancel(order: Order): string | undefined;
  confirmCancel(order: Order): string;
  confirmCancelRetry(orderNumber: string): string;
  keptOrder(orderNumber: string): string;
  cancelled(orderNumber: string): string;
  tooLateToCancel(orderNumber: string): string;

  cannotReturn(order: Order): string | undefined;
  returnNeedsAPerson(orderNumber: string, limit: string): string;
  askReturnReason(orderNumber: string): string;
  returnReasonRetry: string;
  returnReasons: ReturnReasons;
  askPickupDate: string;
  pickupDateRetry: string;
  pickupDatePassed(date: string): string;
  pickupDateTooFar(date: string): string;
  returnStarted(orderNumber: string, reason: string, pickupDate: string | undefined): string;

  /** "24 November 2026" from an ISO date. */
  longDate(isoDate: string): string;
  /** "$480.00" */
  money(amount: number): string;
}

export const BOT_TEXT = { en: EN, es: ES } satisfies Catalogue<BotText>;

/** The bot's text in the language of the conversation this turn belongs to. */
export const botText = (context: TurnContext): BotText => messagesFor(BOT_TEXT, turnServices(context).conversation.locale);
