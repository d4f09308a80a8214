import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder';
import { randomUUID } from 'node:crypto';
import { SwitchboardError } from '../core/errors.ts';

/** Receives each message activity a dialog sends, in order, as it is sent. */
export type ActivitySink = (context: TurnContext, activity: Partial<Activity>) => Promise<void>;

export const BOT_ACCOUNT = { id: 'switchboard', name: 'Switchboard', role: 'bot' } as const;

/**
 * The botbuilder adapter every Switchboard channel shares. Channels do not
 * talk to botbuilder directly: the turn runner builds an activity from the
 * normalized message and runs it here, and whatever the dialogs send comes
 * back through the sink, which writes it to the transcript and the channel.
 */
export class SwitchboardAdapter extends BotAdapter {
  constructor(private readonly sink: ActivitySink) {
    super();
  }

  /** Runs one turn for an incoming activity through the middleware and `logic`. */
  async runActivity(
    activity: Partial<Activity>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const context = new TurnContext(this, activity);
    await this.runMiddleware(context, logic);
  }

  override async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[],
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = [];
    for (const activity of activities) {
      // Typing and delay activities pace a live chat client; Switchboard's
      // channels show their own typing state, so they are not forwarded.
      if (activity.type === ActivityTypes.Message) {
        await this.sink(context, activity);
      }
      responses.push({ id: activity.id ?? randomUUID() });
    }
    return responses;
  }

  override updateActivity(): Promise<void> {
    return Promise.reject(
      new SwitchboardError('unsupported_operation', 'Sent messages cannot be edited on Switchboard channels.'),
    );
  }

  override deleteActivity(): Promise<void> {
    return Promise.reject(
      new SwitchboardError('unsupported_operation', 'Sent messages cannot be deleted on Switchboard channels.'),
    );
  }

  /** Proactive turn: runs `logic` in the conversation named by `reference`. */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      reference,
      true,
    );
    await this.runActivity(activity, logic);
  }
}
