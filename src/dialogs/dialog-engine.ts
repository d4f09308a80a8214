import { ConversationState, type Storage, type StatePropertyAccessor, type StoreItem, type TurnContext } from 'botbuilder';
import { DialogSet, DialogTurnStatus, type DialogContext, type DialogState } from 'botbuilder-dialogs';
import type { Conversation } from '../core/conversation.ts';
import { EscalationPolicy, type Escalation } from '../handoff/escalation-policy.ts';
import type { Classification } from '../nlu/intent-classifier.ts';
import type { BotDefinition } from './bot-definition.ts';
import { DialogContexts } from './dialog-contexts.ts';
import { csatDialogs, pendingRating, type CsatDialogSettings } from './csat-dialog.ts';
import { attachTurnServices, type TurnServices } from './turn-services.ts';

export interface DialogEngineOptions {
  /** Below this raw top score a message goes to the fallback dialog. */
  threshold: number;
  /** When to hand over to a person; without one the bot always answers. */
  policy?: EscalationPolicy;
  /** Adds the framework's CSAT dialog (CSAT_DIALOG_ID) when set. */
  csat?: CsatDialogSettings;
  /** Told of every customer message turn once its state is saved (supervisor figures). Must not throw. */
  onMessageTurn?: (conversation: Conversation, nlu: Classification, outcome: TurnOutcome) => void;
}

/** What a turn decided beyond the replies it sent. */
export interface TurnOutcome {
  /** Set when the conversation should go to a person now. */
  escalation?: Escalation;
  /**
   * The dialog state already held this customer message's turn (it ran
   * before, on a host that died before finishing): the dialogs did not run
   * again, and `escalation` is what that earlier run decided.
   */
  replayed?: boolean;
}

/**
 * Kept in the conversation state with the dialogs: the last customer message
 * whose dialog turn this state reflects, and what that turn decided. It is
 * saved in the same eTag-checked write as the dialog stack, so "did the
 * dialogs run for message E?" and the state they left can never disagree.
 */
interface InboundMark {
  id: number;
  escalation?: Escalation;
}

/**
 * Runs the bot's dialogs for one turn: continues the dialog that waits for an
 * answer, or starts the one the message's intent routes to; and says when the
 * conversation should go to a person instead (the escalation policy, repeated
 * fallbacks, or a dialog asking for it). Dialog state, the values dialogs
 * collected and the fallback count live in botbuilder's ConversationState, so
 * a restart (or another host) picks the conversation up where it was.
 */
export class DialogEngine {
  private readonly state: ConversationState;
  private readonly dialogState: StatePropertyAccessor<DialogState>;
  private readonly collected: StatePropertyAccessor<Record<string, string>>;
  private readonly fallbacksInARow: StatePropertyAccessor<number>;
  private readonly inbound: StatePropertyAccessor<InboundMark | undefined>;
  private readonly dialogs: DialogSet;
  private readonly dialogContexts: DialogContexts;
  private readonly interrupting: ReadonlySet<string>;

  constructor(
    private readonly bot: BotDefinition,
    private readonly storage: Storage,
    private readonly options: DialogEngineOptions,
  ) {
    this.state = new ConversationState(storage);
    this.dialogState = this.state.createProperty<DialogState>('dialogState');
    this.collected = this.state.createProperty<Record<string, string>>('collected');
    this.fallbacksInARow = this.state.createProperty<number>('fallbacksInARow');
    this.inbound = this.state.createProperty<InboundMark | undefined>('inbound');
    this.dialogs = new DialogSet(this.dialogState);
    for (const dialog of bot.dialogs) this.dialogs.add(dialog);
    if (options.csat) for (const dialog of csatDialogs(options.csat)) this.dialogs.add(dialog);
    this.dialogContexts = new DialogContexts(this.dialogs);
    this.interrupting = new Set(bot.interruptingIntents ?? []);
    this.checkRoutes();
  }

  /**
   * One customer message: escalate, or route it and run the dialogs. State is
   * saved before this resolves. With `inboundId` (the message's transcript
   * entry), a message whose turn the state already reflects is not run twice
   * (see TurnOutcome.replayed).
   */
  async runMessageTurn(context: TurnContext, conversation: Conversation, nlu: Classification, inboundId?: number): Promise<TurnOutcome> {
    const outcome = await this.withState(context, conversation, nlu, inboundId, async (services) => {
      this.keepEntities(services, nlu);
      const dc = await this.dialogContexts.create(context);
      const policy = this.options.policy;
      const text = context.activity.text as string | undefined;
      // A pending "rate us 1–5" question never holds an answer that is not a rating.
      const rating = pendingRating(dc, text ?? '');
      if (rating === 'not_a_rating') await dc.cancelAllDialogs();
      const escalation = policy?.beforeDialogs({ nlu, dialogWaiting: dc.activeDialog !== undefined }, text ?? '');
      if (escalation) return this.escalate(dc, escalation);

      const confident = nlu.top.score >= this.options.threshold;
      if (dc.activeDialog && rating !== 'answered' && this.interrupts(nlu)) await dc.cancelAllDialogs();
      if (dc.activeDialog) {
        const result = await dc.continueDialog();
        if (result.status !== DialogTurnStatus.empty) {
          await this.fallbacksInARow.set(context, 0);
          return this.afterDialogs(dc, services);
        }
      }
      const routed = confident ? this.bot.intentRoutes[nlu.top.intent] : undefined;
      if (routed) {
        await this.fallbacksInARow.set(context, 0);
        await dc.beginDialog(routed);
        return this.afterDialogs(dc, services);
      }
      const fallbacks = (await this.fallbacksInARow.get(context, 0)) + 1;
      if (policy?.fallbackLimitReached(fallbacks)) {
        return this.escalate(dc, EscalationPolicy.escalation('repeated_fallback', nlu));
      }
      await this.fallbacksInARow.set(context, fallbacks);
      await dc.beginDialog(this.bot.fallbackDialogId);
      return this.afterDialogs(dc, services);
    });
    if (!outcome.replayed) this.options.onMessageTurn?.(conversation, nlu, outcome);
    return outcome;
  }

  /** Starts a dialog outside a customer message (e.g. when an agent hands back). */
  async beginDialog(context: TurnContext, conversation: Conversation, dialogId: string): Promise<void> {
    await this.withState(context, conversation, undefined, undefined, async () => {
      const dc = await this.dialogContexts.create(context);
      await dc.cancelAllDialogs();
      await dc.beginDialog(dialogId);
      return {};
    });
  }

  /**
   * Sets values as if the dialogs had collected them (e.g. the order a
   * notification was about), so the next turns use them without asking.
   */
  async rememberValues(context: TurnContext, conversation: Conversation, values: Readonly<Record<string, string>>): Promise<void> {
    await this.withState(context, conversation, undefined, undefined, (services) => {
      Object.assign(services.collected, values);
      return Promise.resolve({});
    });
  }

  /** Whether the bot keeps any entity for agents (`rememberedEntities`): otherwise a message to a person need not be classified. */
  get remembersEntities(): boolean {
    return (this.bot.rememberedEntities?.length ?? 0) > 0;
  }

  /**
   * A customer message that no dialog reads (a person has the conversation):
   * its `rememberedEntities` are kept all the same, so the contact details a
   * customer leaves while waiting reach the agent with the rest.
   */
  async rememberEntities(context: TurnContext, conversation: Conversation, nlu: Classification): Promise<void> {
    if (!this.bot.rememberedEntities?.length) return;
    await this.withState(context, conversation, nlu, undefined, (services) => {
      this.keepEntities(services, nlu);
      return Promise.resolve({});
    });
  }

  /** What the dialogs collected so far in this conversation (for agents, for tests). */
  async collectedValues(context: TurnContext): Promise<Record<string, string>> {
    await this.state.load(context);
    return { ...(await this.collected.get(context, {})) };
  }

  /**
   * Whether a message cancels the dialog waiting for an answer: an
   * interrupting intent ("help", "talk to a person"), read with confidence
   * and not out of scope, in a message that carries no entity. A message
   * with a value in it ("mañana", "my number is 612 34 56 78") answers the
   * question even when its words look like an interrupting intent ("hasta
   * mañana" is goodbye), and so does a rating ("I'd give it a two").
   */
  private interrupts(nlu: Classification): boolean {
    return (
      this.interrupting.has(nlu.top.intent) &&
      nlu.top.score >= this.options.threshold &&
      !(this.options.policy?.isOutOfScope(nlu) ?? false) &&
      nlu.entities.length === 0
    );
  }

  private keepEntities(services: TurnServices, nlu: Classification): void {
    for (const name of this.bot.rememberedEntities ?? []) {
      const found = nlu.entities.findLast((entity) => entity.entity === name);
      if (found) services.collected[name] = found.value;
    }
  }

  private async escalate(dc: DialogContext, escalation: Escalation): Promise<TurnOutcome> {
    // A person takes it from here; the bot starts afresh (keeping what it
    // collected) when the conversation comes back.
    await dc.cancelAllDialogs();
    await this.fallbacksInARow.set(dc.context, 0);
    return { escalation };
  }

  private async afterDialogs(dc: DialogContext, services: TurnServices): Promise<TurnOutcome> {
    if (!services.handoffRequest) return {};
    const { detail } = services.handoffRequest;
    return this.escalate(dc, EscalationPolicy.escalation('dialog_request', services.nlu, detail));
  }

  private async withState(
    context: TurnContext,
    conversation: Conversation,
    nlu: Classification | undefined,
    inboundId: number | undefined,
    run: (services: TurnServices) => Promise<TurnOutcome>,
  ): Promise<TurnOutcome> {
    const loaded = (await this.state.load(context)) as StoreItem;
    const eTag = typeof loaded.eTag === 'string' ? loaded.eTag : undefined;
    if (inboundId !== undefined) {
      const mark = await this.inbound.get(context);
      if (mark && mark.id >= inboundId) return { ...(mark.escalation ? { escalation: mark.escalation } : {}), replayed: true };
    }
    const collected = await this.collected.get(context, {});
    const services: TurnServices = { conversation, collected, ...(nlu ? { nlu } : {}) };
    attachTurnServices(context, services);
    const outcome = await run(services);
    if (inboundId !== undefined) {
      await this.inbound.set(context, { id: inboundId, ...(outcome.escalation ? { escalation: outcome.escalation } : {}) });
    }
    await this.save(context, eTag);
    return outcome;
  }

  /**
   * Writes the turn's state with the eTag it was read with, so a turn that
   * ran on stale state (another host changed it meanwhile) fails instead of
   * silently overwriting. (botbuilder's own saveChanges writes with `*`.)
   */
  private async save(context: TurnContext, eTag: string | undefined): Promise<void> {
    const key = this.state.getStorageKey(context);
    if (key === undefined) throw new Error('The turn has no conversation to save state for.');
    const state = (this.state.get(context) ?? {}) as StoreItem;
    await this.storage.write({ [key]: { ...state, eTag: eTag ?? '*' } });
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
