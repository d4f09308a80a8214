import type { TurnContext } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type PromptValidatorContext, type WaterfallStepContext } from 'botbuilder-dialogs';
import { entityValue } from '../src/dialogs/turn-services.ts';
import { botText } from './bot-text.ts';

export const PICKUP_DATE_DIALOG = 'pickupDate';
const PICKUP_DATE_PROMPT = 'pickupDatePrompt';
/** The corpus's name of the date entity (intents/<locale>/entities.json): an ISO date, resolved by the NLU. */
const DATE_ENTITY = 'date';
/** The courier comes within this many days. */
const PICKUP_WINDOW_DAYS = 30;
/** Answers without a date, or with a date out of the window, before the dialog settles for a drop-off label. */
const MAX_ATTEMPTS = 3;

interface PickupDateOptions {
  /** Set when asking again: why, and how many rounds came before. */
  again?: { question: string; rounds: number };
}

/**
 * Asks which day the courier should pick a return up, and ends with that
 * day (ISO `YYYY-MM-DD`), or with undefined when the customer gave no
 * usable day in MAX_ATTEMPTS answers. "tomorrow", "el próximo viernes" and
 * "12/03/2027" are all read by the NLU's date entity, from the day the
 * message was written; a day must be after that day and within
 * PICKUP_WINDOW_DAYS.
 */
export function pickupDateDialogs(): [WaterfallDialog<PickupDateOptions>, TextPrompt] {
  const dialog = new WaterfallDialog<PickupDateOptions>(PICKUP_DATE_DIALOG, [
    async (step) => {
      const text = botText(step.context);
      return step.prompt(PICKUP_DATE_PROMPT, { prompt: optionsOf(step).again?.question ?? text.askPickupDate, retryPrompt: text.pickupDateRetry });
    },
    async (step) => {
      const day = typeof step.result === 'string' && step.result !== '' ? step.result : undefined;
      if (day === undefined) return step.endDialog();
      const today = dayOf(step.context);
      if (day > today && day <= addDays(today, PICKUP_WINDOW_DAYS)) return step.endDialog(day);
      const rounds = (optionsOf(step).again?.rounds ?? 0) + 1;
      if (rounds >= MAX_ATTEMPTS) return step.endDialog();
      const text = botText(step.context);
      const question = day <= today ? text.pickupDatePassed(day) : text.pickupDateTooFar(day);
      return step.replaceDialog(PICKUP_DATE_DIALOG, { again: { question, rounds } } satisfies PickupDateOptions);
    },
  ]);
  const prompt = new TextPrompt(PICKUP_DATE_PROMPT, (answer: PromptValidatorContext<string>) => {
    const day = entityValue(answer.context, DATE_ENTITY);
    if (day) {
      answer.recognized.value = day;
      return Promise.resolve(true);
    }
    if (answer.attemptCount >= MAX_ATTEMPTS) {
      answer.recognized.value = '';
      return Promise.resolve(true);
    }
    return Promise.resolve(false);
  });
  return [dialog, prompt];
}

const optionsOf = (step: WaterfallStepContext<PickupDateOptions>): PickupDateOptions => step.options;

/** The day the customer wrote this message, in the host's time zone as the NLU resolved "tomorrow" (ISO). */
function dayOf(context: TurnContext): string {
  const sent = context.activity.timestamp ? new Date(context.activity.timestamp) : new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${sent.getFullYear()}-${pad(sent.getMonth() + 1)}-${pad(sent.getDate())}`;
}

function addDays(isoDate: string, days: number): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}
