import type { TurnContext } from 'botbuilder';
import { WaterfallDialog, type Dialog } from 'botbuilder-dialogs';

export type ReplyText = string | ((context: TurnContext) => string | Promise<string>);

/** A dialog that answers once and ends: most FAQ-style intents need no more. */
export function replyDialog(id: string, reply: ReplyText): Dialog {
  return new WaterfallDialog(id, [
    async (step) => {
      const text = typeof reply === 'string' ? reply : await reply(step.context);
      await step.context.sendActivity(text);
      return step.endDialog();
    },
  ]);
}
