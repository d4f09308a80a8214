/** The demo store's fixed answers, in one place so they are easy to edit. */
export const ANSWERS = {
  greeting: greeting(undefined),
  goodbye: 'Thanks for chatting with us. Goodbye, and have a good day!',
  thanks: "You're welcome! Is there anything else I can help with?",
  help:
    'I can check where an order is, cancel an order that has not shipped yet, start a return, and tell you about delivery options and store hours. Just ask, e.g. "where is my order A1001?". You can also ask to talk to a person at any time.',
  storeHours:
    'Our shop at 12 Harbour Street is open Monday to Friday 9:00–18:00 and Saturday 10:00–16:00; it is closed on Sundays and public holidays. The online store and this chat are open around the clock.',
  deliveryOptions:
    'Standard delivery takes 3–5 working days and is free on orders over $50 (otherwise $4.95). Express takes 1–2 working days for $9.95, and next-day delivery is $14.95 when you order before 2 pm. Click & collect from our shop is free.',
  fallback:
    "Sorry, I didn't quite get that. Could you put it another way? I can help with orders, returns, delivery and store hours, or you can ask for a person.",
} as const;

/** Hello, by name when the store knows who is writing (the customer file, or the business's CRM). */
export function greeting(firstName: string | undefined): string {
  return `Hi${firstName ? ` ${firstName}` : ''}! I'm the assistant of the Switchboard demo store. I can check an order, cancel one, start a return, or tell you about delivery and our opening hours. How can I help?`;
}

/** Said when the order system does not answer in time (the dialog then hands over to a person). */
export const ORDERS_UNAVAILABLE =
  "Sorry, I can't check orders right now: our order system isn't answering. I'm passing you to a person from our team who can look into it.";

/** Said when a person hands the conversation back, showing the bot knows what it collected. */
export function welcomeBack(orderNumber: string | undefined): string {
  return orderNumber
    ? `Thanks for waiting. I'm here again if you need anything else, for example about order ${orderNumber}. Is there anything else I can help with?`
    : "Thanks for waiting. I'm here again: is there anything else I can help with?";
}
