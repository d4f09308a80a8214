import type { TurnContext } from 'botbuilder';
import { TextPrompt, WaterfallDialog, type Dialog, type DialogContext } from 'botbuilder-dialogs';
import type { Conversation } from '../core/conversation.ts';
import { messagesFor } from '../core/catalogue.ts';
import { CSAT_TEXT, type CsatText } from './csat-text.ts';
import { recognizeRating } from './rating.ts';
import { turnServices } from './turn-services.ts';

/** The framework's CSAT dialog: what the handoff runs when an agent hands a conversation back. */
export const CSAT_DIALOG_ID = 'switchboard.csat';
const CSAT_PROMPT_ID = 'switchboard.csat.rating';

/** An answer this long after the question is not taken as a rating any more. */
const ANSWER_WINDOW_MS = 24 * 3600_000;

export interface CsatDialogSettings {
  /** The bot's own dialog for taking back over (its "anything else?"), run first. */
  resumeDialogId: string | undefined;
  /** Whether the bot may write to the customer now (messaging windows, opt-out): no question otherwise. */
  canAsk: (conversation: Conversation) => boolean;
  /** Stores the rating with the conversation, counts it and emits it. */
  onRating: (conversation: Conversation, rating: number) => Promise<void>;
}

/**
 * After an agent releases a conversation: the bot's resume dialog ("thanks
 * for waiting, anything else?"), then one question asking for a 1–5 rating.
 * The question does not hold the customer: an answer that is not a rating
 * ("where is my order?") drops it and goes to the bot as usual (see
 * `ratingAnswered`), as does a reply more than a day later.
 */
export function csatDialogs(settings: CsatDialogSettings): Dialog[] {
  const waterfall = new WaterfallDialog(CSAT_DIALOG_ID, [
    async (step) => (settings.resumeDialogId ? step.beginDialog(settings.resumeDialogId) : step.next()),
    async (step) => {
      if (!settings.canAsk(turnServices(step.context).conversation)) return step.endDialog();
      return step.prompt(CSAT_PROMPT_ID, { prompt: csatText(step.context).question, validations: { askedAt: Date.now() } });
    },
    async (step) => {
      const rating = recognizeRating(typeof step.result === 'string' ? step.result : '');
      if (rating === undefined) return step.endDialog();
      await settings.onRating(turnServices(step.context).conversation, rating);
      await step.context.sendActivity(csatText(step.context).thanks(rating));
      return step.endDialog();
    },
  ]);
  return [waterfall, new TextPrompt(CSAT_PROMPT_ID)];
}

/** The CSAT text in the conversation's language. */
const csatText = (context: TurnContext): CsatText => messagesFor(CSAT_TEXT, turnServices(context).conversation.locale);

/**
 * Whether this turn's text answers a pending rating question: false when no
 * question is pending. When one is pending and the text is not a rating (or
 * comes too late), the caller drops the question and treats the message as
 * any other.
 */
export function pendingRating(dc: DialogContext, text: string, now = Date.now()): 'none' | 'answered' | 'not_a_rating' {
  const active = dc.activeDialog;
  if (active?.id !== CSAT_PROMPT_ID) return 'none';
  const state = active.state as { options?: { validations?: { askedAt?: unknown } } };
  const askedAt = state.options?.validations?.askedAt;
  const fresh = typeof askedAt === 'number' && now - askedAt <= ANSWER_WINDOW_MS;
  return fresh && recognizeRating(text) !== undefined ? 'answered' : 'not_a_rating';
}
