import type { BotFactory } from '../../../src/dialogs/bot-definition.ts';
import { replyDialog } from '../../../src/dialogs/reply-dialog.ts';

/**
 * The fault tests' bot (BOT_MODULE): one reply per message, naming the
 * message it answers (`ack <text>`), so the fake platform can count replies
 * per message and check their order. Its corpus (./intents) reads every
 * "msg <n> of <conversation>" as one intent, so no message goes to a person.
 */
const createEchoBot: BotFactory = () => ({
  dialogs: [replyDialog('ack', (context) => `ack ${context.activity.text}`)],
  intentRoutes: { numbered: 'ack', chatter: 'ack' },
  fallbackDialogId: 'ack',
});

export default createEchoBot;
