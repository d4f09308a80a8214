import { ConversationState, type Storage, type StatePropertyAccessor, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs';
import type { Conversation } from '../core/conversation.ts';
import type { Classification } from '../nlu/intent-classifier.ts';
import type { BotDefinition } from './bot-definition.ts';
import { attachTurnServices } from './turn-services.ts';

export interface DialogEngineOptions {
  /** Below this raw top score a message goes to the fallback dialog. */
  threshold: number;
}

/**
 * Runs the bot's dialogs for one turn: continues the dialog that waits for an
 * answer, or starts the one the message's intent routes to. Dialog state and
 * the values dialogs collected live in botbuilder's ConversationState, so a
 * restart (or another host) picks the conversation up where it was.
 */
export class DialogEngine {
  private readonly state: ConversationState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly collected: StatePropertyAccessor<Record<string, string>>;
  private readonly dialogs: DialogSet;
  private readonly interrupting: ReadonlySet<string>;

  constructor(
    private readonly bot: BotDefinition,
    storage: Storage,
    private readonly options: DialogEngineOptions,
  ) {
    this.state = new ConversationState(storage);
    this.dialogState = this.state.createProperty<DialogState>('dialogState');
    this.collected = this.state.createProperty<Record<string, string>>('collected');
    this.dialogs = new DialogSet(this.dialogState);
    for (const dialog of bot.dialogs) this.dialogs.add(dialog);
    this.interrupting = new Set(bot.interruptingIntents ?? []);
    this.checkRoutes();
  }

  /** One customer message: route it and run the dialogs; state is saved before this resolves. */
  async runMessageTurn(
    context: TurnContext,
    conversation: Conversation,
    nlu: Classification,
  ): Promise<void> {
    await this.withState(context, conversation, nlu, async () => {
      const dc = await this.dialogs.createContext(context);
      const confident = nlu.top.score >= this.options.threshold;
      if (dc.activeDialog && confident && this.interrupting.has(nlu.top.intent)) {
        await dc.cancelAllDialogs();
      }
      if (dc.activeDialog) {
        const result = await dc.continueDialog();
        if (result.status !== DialogTurnStatus.empty) return;
      }
      const routed = confident ? this.bot.intentRoutes[nlu.top.intent] : undefined;
      await dc.beginDialog(routed ?? this.bot.fallbackDialogId);
    });
  }

  /** Starts a dialog outside a customer message (e.g. when an agent hands back). */
  async beginDialog(context: TurnContext, conversation: Conversation, dialogId: string): Promise<void> {
    await this.withState(context, conversation, undefined, async () => {
      const dc = await this.dialogs.createContext(context);
      await dc.cancelAllDialogs();
      await dc.beginDialog(dialogId);
    });
  }

  /** What the dialogs collected so far in this conversation (for agents, for tests). */
  async collectedValues(context: TurnContext): Promise<Record<string, string>> {
    return { ...(await this.collected.get(context, {})) };
  }

  private async withState(
    context: TurnContext,
    conversation: Conversation,
    nlu: Classification | undefined,
    run: () => Promise<void>,
  ): Promise<void> {
    const collected = await this.collected.get(context, {});
    attachTurnServices(context, { conversation, collected, ...(nlu ? { nlu } : {}) });
    await run();
    await this.state.saveChanges(context);
  }

  private checkRoutes(): void {
    const ids = [
      ...Object.values(this.bot.intentRoutes),
      this.bot.fallbackDialogId,
      ...(this.bot.resumeDialogId ? [this.bot.resumeDialogId] : []),
    ];
    const missing = ids.filter((id) => !this.dialogs.find(id));
    if (missing.length > 0) {
      throw new Error(`The bot routes to dialogs it does not define: ${[...new Set(missing)].join(', ')}`);
    }
  }
}
