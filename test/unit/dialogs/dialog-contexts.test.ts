import { ConversationState, MemoryStorage, TurnContext, type Activity } from 'botbuilder';
import { DialogSet, WaterfallDialog, type DialogState, type DialogStateManagerConfiguration } from 'botbuilder-dialogs';
import { describe, expect, it } from 'vitest';
import { DialogContexts } from '../../../src/dialogs/dialog-contexts.ts';
import { SwitchboardAdapter } from '../../../src/dialogs/switchboard-adapter.ts';

/**
 * A dialog that keeps what it is told in conversation memory and in turn
 * memory (through botbuilder's memory scopes and path resolvers), waits a
 * little so that turns of different conversations interleave, and says
 * what both scopes hold.
 */
function setUp() {
  const said: Array<{ conversation: string; text: string }> = [];
  const adapter = new SwitchboardAdapter((context, activity) => {
    said.push({ conversation: context.activity.conversation.id, text: activity.text ?? '' });
    return Promise.resolve();
  });
  const state = new ConversationState(new MemoryStorage());
  const dialogs = new DialogSet(state.createProperty<DialogState>('dialogState'));
  dialogs.add(
    new WaterfallDialog('remember', [
      async (step) => {
        const text = step.context.activity.text;
        step.state.setValue('conversation.heard', [...(step.state.getValue<string[] | undefined>('conversation.heard') ?? []), text]);
        step.state.setValue('$told', text);
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
        await step.context.sendActivity(`${step.state.getValue<string>('turn.activity.text')}|${step.state.getValue<string>('dialog.told')}|${(step.state.getValue<string[] | undefined>('conversation.heard') ?? []).join(',')}`);
        return step.endDialog();
      },
    ]),
  );
  const contexts = new DialogContexts(dialogs);
  const turn = (conversation: string, text: string) =>
    adapter.runActivity(activity(conversation, text), async (context: TurnContext) => {
      // What botbuilder's `useBotState` does: the conversation memory scope reads the state from here.
      context.turnState.set('ConversationState', state);
      await state.load(context);
      const dc = await contexts.create(context);
      await dc.beginDialog('remember');
      await state.saveChanges(context);
    });
  return { said, turn, contexts, dialogs };
}

const activity = (conversation: string, text: string): Partial<Activity> => ({
  type: 'message',
  text,
  channelId: 'test',
  conversation: { id: conversation, isGroup: false, conversationType: 'personal', name: conversation },
  from: { id: `user-${conversation}`, name: 'customer' },
  recipient: { id: 'bot', name: 'bot' },
});

describe('DialogContexts', () => {
  it('gives every turn after the first the memory scopes and path resolvers of the first', async () => {
    const { dialogs, contexts } = setUp();
    const adapter = new SwitchboardAdapter(() => Promise.resolve());
    const configurations: DialogStateManagerConfiguration[] = [];
    for (const text of ['one', 'two', 'three']) {
      await adapter.runActivity(activity('c1', text), async (context) => {
        configurations.push((await contexts.create(context)).state.configuration);
      });
    }
    expect(configurations[1]).toBe(configurations[2]);
    const shared = configurations[2];
    if (!shared) throw new Error('no configuration');
    expect(Object.isFrozen(shared.memoryScopes) && Object.isFrozen(shared.pathResolvers)).toBe(true);
    // The same scopes botbuilder builds itself, in the same order.
    await adapter.runActivity(activity('c2', 'x'), async (context) => {
      const own = (await dialogs.createContext(context)).state.configuration;
      expect(shared.memoryScopes.map((scope) => scope.name)).toEqual(own.memoryScopes.map((scope) => scope.name));
      expect(shared.pathResolvers.map((resolver) => resolver.constructor.name)).toEqual(own.pathResolvers.map((resolver) => resolver.constructor.name));
    });
  });

  it('keeps concurrent turns of different conversations apart', async () => {
    const { said, turn } = setUp();
    await turn('warm-up', 'hello');
    const conversations = ['a', 'b', 'c', 'd'];
    for (const round of [1, 2, 3]) {
      await Promise.all(conversations.map((conversation) => turn(conversation, `${conversation}${round}`)));
    }
    for (const conversation of conversations) {
      expect(said.filter((line) => line.conversation === conversation).map((line) => line.text)).toEqual([
        `${conversation}1|${conversation}1|${conversation}1`,
        `${conversation}2|${conversation}2|${conversation}1,${conversation}2`,
        `${conversation}3|${conversation}3|${conversation}1,${conversation}2,${conversation}3`,
      ]);
    }
  });
});
