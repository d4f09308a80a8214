import type { Dialog } from 'botbuilder-dialogs';
import type { Logger } from '../logger.ts';
import type { ContextProvider } from '../integrations/customer-provider.ts';
import type { OrderProvider } from '../integrations/order-provider.ts';

/**
 * What a framework user writes (see dialogs/ for the demo): the dialogs, which
 * intent starts which dialog, and what to do with anything not understood.
 * Nothing in src/ knows the names used here.
 */
export interface BotDefinition {
  dialogs: Dialog[];
  /** Intent name → id of the dialog it starts. */
  intentRoutes: Record<string, string>;
  /** Dialog for messages the NLU did not understand with confidence. */
  fallbackDialogId: string;
  /**
   * Intents that cancel a dialog in progress and start their own (e.g. "talk
   * to a person" while the bot is asking for an order number). Any other
   * message goes to the dialog that is waiting for an answer.
   */
  interruptingIntents?: string[];
  /** Dialog started when a conversation comes back to the bot (after an agent). */
  resumeDialogId?: string;
  /** Intents that mean "let me talk to a person": they go straight to the agent queue. */
  handoffIntents?: string[];
  /** Intents trained on things the bot does not do (besides NLP.js's `None`): they go to a person. */
  outOfScopeIntents?: string[];
  /**
   * Entities kept in what the dialogs collected (under the entity's name)
   * whenever a customer message holds one, whatever happens to the message:
   * also when it goes straight to a person, and while a person has the
   * conversation. E.g. a phone number to call back on, for the agent.
   */
  rememberedEntities?: string[];
}

/** What Switchboard hands the bot's factory. */
export interface BotDependencies {
  /** Orders from the business's systems (the same provider as `customers`). */
  orders: OrderProvider;
  /**
   * Customers (by channel address), their orders and cases. Every call
   * answers within CONTEXT_TIMEOUT_MS or throws `context_unavailable`.
   */
  customers: ContextProvider;
  logger: Logger;
}

export type BotFactory = (dependencies: BotDependencies) => BotDefinition | Promise<BotDefinition>;
