import type { TurnContext } from 'botbuilder';
import { TextPrompt, type PromptValidatorContext } from 'botbuilder-dialogs';
import { entityValue } from '../src/dialogs/turn-services.ts';
import { contactIn } from './order-contact.ts';

/** The demo store's order numbers: one letter and four digits, e.g. A1001. */
const ORDER_NUMBER = /\b([A-Za-z])[ -]?(\d{4})\b/;

export const ORDER_NUMBER_PROMPT = 'orderNumberPrompt';
export const ORDER_NUMBER_EXAMPLE = 'A1001';

/** After this many answers with neither an order number nor a contact the dialog stops asking. */
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
 * Asks for an order number until it gets one, or an e-mail address or phone
 * number to look the order up by (the next step reads either from the
 * answer's entities). After MAX_ATTEMPTS it ends with an empty value so the
 * dialog can give up politely instead of looping forever.
 */
export function orderNumberPrompt(): TextPrompt {
  return new TextPrompt(ORDER_NUMBER_PROMPT, (prompt: PromptValidatorContext<string>) => {
    if (orderNumberIn(prompt.context) ?? contactIn(prompt.context)) return Promise.resolve(true);
    if (prompt.attemptCount >= MAX_ATTEMPTS) {
      prompt.recognized.value = '';
      return Promise.resolve(true);
    }
    return Promise.resolve(false);
  });
}
