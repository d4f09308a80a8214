import type { Order } from '../src/integrations/order-provider.ts';
import type { BotText, OrderPurpose } from './bot-text.ts';
import { longDate } from './long-date.ts';

const date = (isoDate: string) => longDate(isoDate, 'en-GB');
const items = (order: Order) => order.items.join(', ');

const PURPOSE: Record<OrderPurpose, string> = {
  track: 'you track your order',
  cancel: 'cancel your order',
  return: 'you start a return',
};

/** The demo store in English. */
export const EN: BotText = {
  greeting: (firstName) =>
    `Hi${firstName ? ` ${firstName}` : ''}! I'm the assistant of the Switchboard demo store. I can check an order, cancel one, start a return, or tell you about delivery and our opening hours. How can I help?`,
  goodbye: 'Thanks for chatting with us. Goodbye, and have a good day!',
  thanks: "You're welcome! Is there anything else I can help with?",
  help: 'I can check where an order is, cancel an order that has not shipped yet, start a return, and tell you about delivery options and store hours. Just ask, e.g. "where is my order A1001?". You can also ask to talk to a person at any time.',
  storeHours:
    'Our shop at 12 Harbour Street is open Monday to Friday 9:00–18:00 and Saturday 10:00–16:00; it is closed on Sundays and public holidays. The online store and this chat are open around the clock.',
  deliveryOptions:
    'Standard delivery takes 3–5 working days and is free on orders over $50 (otherwise $4.95). Express takes 1–2 working days for $9.95, and next-day delivery is $14.95 when you order before 2 pm. Click & collect from our shop is free.',
  fallback:
    "Sorry, I didn't quite get that. Could you put it another way? I can help with orders, returns, delivery and store hours, or you can ask for a person.",
  welcomeBack: (orderNumber) =>
    orderNumber
      ? `Thanks for waiting. I'm here again if you need anything else, for example about order ${orderNumber}. Is there anything else I can help with?`
      : "Thanks for waiting. I'm here again: is there anything else I can help with?",
  ordersUnavailable:
    "Sorry, I can't check orders right now: our order system isn't answering. I'm passing you to a person from our team who can look into it.",

  askForOrder: (purpose, example) =>
    `Sure, I can help ${PURPOSE[purpose]}. What's the order number? It looks like ${example}. No number at hand? Send me the e-mail address or phone number you ordered with.`,
  notAnOrderNumber: (example) =>
    `That doesn't look like an order number. It's one letter and four digits, like ${example}. What's yours? (Or the e-mail address or phone number you ordered with.)`,
  gaveUpOnOrderNumber:
    "I couldn't find an order number in that. You'll find it in your confirmation e-mail; just send it when you have it.",
  orderNotFound: (orderNumber) =>
    `I couldn't find order ${orderNumber}. Please check the number in your confirmation e-mail and send it again.`,
  noOrdersForContact: (contact) =>
    `I couldn't find any order placed with ${contact}. What's the order number? You'll find it in your confirmation e-mail.`,
  whichOrder: (contact, orders) =>
    `I found ${orders.length} orders placed with ${contact}: ${orders.map((order) => `${order.orderNumber} (${items(order)})`).join(', ')}. Which one is it? Send me its number.`,

  orderStatus: (order) => {
    const what = `Order ${order.orderNumber} (${items(order)})`;
    switch (order.status) {
      case 'processing':
        return `${what} is being prepared: we received it on ${date(order.statusDate)} and it should ship within 2 working days.`;
      case 'shipped':
        return order.estimatedDelivery
          ? `${what} shipped on ${date(order.statusDate)} and should arrive by ${date(order.estimatedDelivery)}.`
          : `${what} shipped on ${date(order.statusDate)}.`;
      case 'delivered':
        return `${what} was delivered on ${date(order.statusDate)}.`;
      case 'cancelled':
        return `${what} was cancelled on ${date(order.statusDate)}.`;
    }
  },

  cannotCancel: (order) => {
    switch (order.status) {
      case 'processing':
        return undefined;
      case 'shipped':
        return `Order ${order.orderNumber} already shipped on ${date(order.statusDate)}, so it can't be cancelled any more. Once it arrives you can start a return instead.`;
      case 'delivered':
        return `Order ${order.orderNumber} was delivered on ${date(order.statusDate)}, so it can't be cancelled. You can start a return instead.`;
      case 'cancelled':
        return `Order ${order.orderNumber} is already cancelled.`;
    }
  },
  confirmCancel: (order) => `Do you want me to cancel order ${order.orderNumber} (${items(order)})? Please answer yes or no.`,
  confirmCancelRetry: (orderNumber) => `Please answer yes to cancel order ${orderNumber}, or no to keep it.`,
  keptOrder: (orderNumber) => `OK, I've left order ${orderNumber} as it is.`,
  cancelled: (orderNumber) =>
    `Done: order ${orderNumber} is cancelled. Your refund will reach your original payment method within 5 working days.`,
  tooLateToCancel: (orderNumber) =>
    `Sorry, order ${orderNumber} could not be cancelled: it has just been dispatched. You can start a return once it arrives.`,

  cannotReturn: (order) => {
    switch (order.status) {
      case 'delivered':
        return undefined;
      case 'processing':
        return `Order ${order.orderNumber} hasn't shipped yet, so there's nothing to return: you can cancel it instead if you like.`;
      case 'shipped':
        return `Order ${order.orderNumber} is on its way (shipped on ${date(order.statusDate)}). You can start a return as soon as it arrives.`;
      case 'cancelled':
        return `Order ${order.orderNumber} was cancelled, so there's nothing to return.`;
    }
  },
  returnNeedsAPerson: (orderNumber, limit) =>
    `Returns of orders over ${limit} are handled by our team, so I'm passing you to a person who can approve the refund for order ${orderNumber}.`,
  askReturnReason: (orderNumber) => `I can start a return for order ${orderNumber}. Why are you sending it back?`,
  returnReasonRetry: 'Please pick one of the reasons by its number or its words.',
  returnReasons: ['It arrived damaged', 'Wrong size or fit', 'Not what I expected', 'Changed my mind'],
  askPickupDate:
    'Our courier can pick the parcel up at your address. Which day suits you? For example "tomorrow", "next Friday" or "12/03/2027".',
  pickupDateRetry: 'Which day should the courier come? Any day from tomorrow on, within the next 30 days, e.g. "next Monday".',
  pickupDatePassed: (day) => `${date(day)} is not ahead of us. Which day from tomorrow on suits you?`,
  pickupDateTooFar: (day) => `${date(day)} is more than 30 days away. Which day within the next 30 days suits you?`,
  returnStarted: (orderNumber, reason, pickupDate) =>
    `Your return for order ${orderNumber} is started (reference RMA-${orderNumber}, reason: ${reason.toLowerCase()}). ` +
    (pickupDate
      ? `Our courier will pick the parcel up on ${date(pickupDate)}, and your refund follows within 5 working days of it reaching us.`
      : "We've e-mailed you a prepaid label: drop the parcel at any post office within 30 days and your refund follows within 5 working days of it reaching us."),

  longDate: date,
  money: (amount) => new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 0 }).format(amount),
};
