import type { TurnContext } from 'botbuilder';
import type { DialogContext, DialogSet, DialogStateManagerConfiguration } from 'botbuilder-dialogs';

/**
 * botbuilder-dialogs' turnState key for the memory scopes and path resolvers
 * of a turn's dialog contexts (module-private in dialogStateManager.js). Were
 * it renamed, botbuilder would build its own each turn as before: slower,
 * never different.
 */
const DIALOG_STATE_MANAGER_CONFIGURATION = 'DialogStateManagerConfiguration';

/**
 * Creates the dialog context of each turn for one DialogSet, with the memory
 * scopes and path resolvers botbuilder built for the first turn. botbuilder
 * builds them afresh for every turn (about ten scope and five resolver
 * objects, and a zod parse of its settings), though none of them holds
 * anything of a turn or a conversation: each reads what it serves from the
 * dialog context it is handed. Their lists are frozen, so no turn can add to
 * what concurrent turns of other conversations use.
 */
export class DialogContexts {
  private configuration: DialogStateManagerConfiguration | undefined;

  constructor(private readonly dialogs: DialogSet) {}

  async create(context: TurnContext): Promise<DialogContext> {
    if (this.configuration && !context.turnState.has(DIALOG_STATE_MANAGER_CONFIGURATION)) {
      context.turnState.set(DIALOG_STATE_MANAGER_CONFIGURATION, this.configuration);
    }
    const dc = await this.dialogs.createContext(context);
    this.configuration ??= frozen(dc.state.configuration);
    return dc;
  }
}

function frozen(configuration: DialogStateManagerConfiguration): DialogStateManagerConfiguration {
  return Object.freeze({
    memoryScopes: Object.freeze([...configuration.memoryScopes]) as DialogStateManagerConfiguration['memoryScopes'],
    pathResolvers: Object.freeze([...configuration.pathResolvers]) as DialogStateManagerConfiguration['pathResolvers'],
  });
}
