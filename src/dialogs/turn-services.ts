import type { TurnContext } from 'botbuilder';
import type { Conversation } from '../core/conversation.ts';
import type { Classification } from '../nlu/intent-classifier.ts';

/**
 * What Switchboard knows during one turn, handed to dialogs through the
 * TurnContext. Dialogs read it with the helpers below instead of reaching
 * into turnState themselves.
 */
export interface TurnServices {
  conversation: Conversation;
  /** The NLU's reading of this message (absent on turns with no customer text). */
  nlu?: Classification;
  /**
   * Values the dialogs collected during the conversation (an order number…).
   * Persisted with the dialog state; shown to agents; used to avoid asking twice.
   */
  collected: Record<string, string>;
  /** Set by `requestHandoff`: the conversation goes to a person after this turn. */
  handoffRequest?: { detail?: string };
}

const TURN_SERVICES = Symbol('switchboard.turnServices');

export function attachTurnServices(context: TurnContext, services: TurnServices): void {
  context.turnState.set(TURN_SERVICES, services);
}

export function turnServices(context: TurnContext): TurnServices {
  const services = context.turnState.get<TurnServices | undefined>(TURN_SERVICES);
  if (!services) throw new Error('Turn services are missing: the turn did not go through the DialogEngine.');
  return services;
}

/** The NLU reading of the current message, if the turn has one. */
export const turnNlu = (context: TurnContext): Classification | undefined =>
  turnServices(context).nlu;

/** The first entity of that name in the current message. */
export function entityValue(context: TurnContext, entity: string): string | undefined {
  return turnNlu(context)?.entities.find((candidate) => candidate.entity === entity)?.value;
}

export const recall = (context: TurnContext, key: string): string | undefined =>
  turnServices(context).collected[key];

export function remember(context: TurnContext, key: string, value: string): void {
  turnServices(context).collected[key] = value;
}

export function forget(context: TurnContext, key: string): void {
  // eslint-disable-next-line @typescript-eslint/no-dynamic-delete -- collected is a plain string map
  delete turnServices(context).collected[key];
}

/**
 * Asks for a person (reason `dialog_request`) once this turn's dialogs are
 * done, e.g. a refund above what the bot may grant. `detail` is shown to the
 * agent. The dialog should say what happens and end.
 */
export function requestHandoff(context: TurnContext, detail?: string): void {
  turnServices(context).handoffRequest = detail === undefined ? {} : { detail };
}
