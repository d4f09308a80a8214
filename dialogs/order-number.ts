import type { TurnContext } from 'botbuilder';
import { TextPrompt, type PromptValidatorContext } from 'botbuilder-dialogs';
import { entityValue } from '../src/dialogs/turn-services.ts';

/** The demo store's order numbers: one letter and four digits, e.g. A1001. */
const ORDER_NUMBER = /\b([A-Za-z])[ -]?(\d{4})\b/;

export const ORDER_NUMBER_PROMPT = 'orderNumberPrompt';
export const ORDER_NUMBER_EXAMPLE = 'A1001';

/** After this many answers without an order number the dialog stops asking. */
const MAX_ATTEMPTS = 3;

/** The order number in this message: the NLU's entity, else a pattern match. */
export function orderNumberIn(context: TurnContext): string | undefined {
  const fromNlu = entityValue(context, 'orderNumber');
  if (fromNlu) return fromNlu.toUpperCase();
  // botbuilder types `text` as always present; event activities have none.
  const text = context.activity.text as string | undefined;
  const match = ORDER_NUMBER.exec(text ?? '');
  return match?.[0].replace(/[ -]/g, '').toUpperCase();
}

/**
 * Asks for an order number until it gets something of the right form. After
 * MAX_ATTEMPTS it ends with an empty value so the dialog can give up politely
 * instead of looping forever.
 */
export function orderNumberPrompt(): TextPrompt {
  return new TextPrompt(ORDER_NUMBER_PROMPT, (prompt: PromptValidatorContext<string>) => {
    const found = orderNumberIn(prompt.context);
    if (found) {
      prompt.recognized.value = found;
      return Promise.resolve(true);
    }
    if (prompt.attemptCount >= MAX_ATTEMPTS) {
      prompt.recognized.value = '';
      return Promise.resolve(true);
    }
    return Promise.resolve(false);
  });
}

export const askForOrderNumber = (purpose: string) => ({
  prompt: `Sure, I can help ${purpose}. What's the order number? It looks like ${ORDER_NUMBER_EXAMPLE}.`,
  retryPrompt: `That doesn't look like an order number. It's one letter and four digits, like ${ORDER_NUMBER_EXAMPLE}. What's yours?`,
});

export const GAVE_UP_ON_ORDER_NUMBER =
  "I couldn't find an order number in that. You'll find it in your confirmation e-mail; just send it when you have it.";
