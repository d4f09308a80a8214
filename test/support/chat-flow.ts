import { expect } from 'vitest';
import type { Conversation } from '../../src/core/conversation.ts';
import type { Host } from '../../src/host.ts';

/**
 * Transcript-style dialog tests, in the manner of botbuilder's TestFlow:
 *
 *   await chat(host).send('where is my order?').assertReply(/order number/)
 *     .send('A1001').assertReply(/shipped/);
 *
 * Messages go through the real turn path (transcript, NLU, dialogs, state);
 * each `send` waits for its turn to finish before the replies are read.
 */
export class ChatFlow implements PromiseLike<undefined> {
  private chain: Promise<undefined>;
  private conversation: Conversation | undefined;
  private lastSeenId = 0;
  private unread: string[] = [];

  constructor(
    private readonly host: Host,
    existing?: Conversation,
    /** The locale a new conversation starts in, as a channel's client locale would set it. */
    private readonly locale = 'en',
  ) {
    this.conversation = existing;
    this.chain = Promise.resolve(undefined);
  }

  send(text: string): this {
    return this.step(async () => {
      const conversation = await this.ensureConversation();
      await this.host.inbox.post(conversation, { text });
      await this.host.turns.drain();
      const entries = await this.host.stores.conversations.transcript(conversation.id, { after: this.lastSeenId });
      for (const entry of entries) {
        this.lastSeenId = entry.id;
        if (entry.from !== 'customer' && !entry.internal) this.unread.push(entry.text);
      }
    });
  }

  assertReply(expected: string | RegExp): this {
    return this.step(() => {
      const reply = this.unread.shift();
      expect(reply, `expected a reply matching ${String(expected)}`).toBeDefined();
      if (typeof expected === 'string') expect(reply).toBe(expected);
      else expect(reply).toMatch(expected);
      return Promise.resolve();
    });
  }

  /** Checks the stored conversation (status, handoff record…) at this point of the flow. */
  assertConversation(check: (conversation: Conversation) => void): this {
    return this.step(async () => {
      const conversation = await this.host.stores.conversations.get((await this.ensureConversation()).id);
      expect(conversation).toBeDefined();
      if (conversation) check(conversation);
    });
  }

  /** The conversation went to a person for this reason. */
  assertEscalated(reason: string): this {
    return this.assertConversation((conversation) => {
      expect(conversation.status).not.toBe('bot');
      expect(conversation.handoff?.reason).toBe(reason);
    });
  }

  assertNoMoreReplies(): this {
    return this.step(() => {
      expect(this.unread).toEqual([]);
      return Promise.resolve();
    });
  }

  /** The conversation the flow talks in (created on the first send). */
  async current(): Promise<Conversation> {
    await this.chain;
    return this.ensureConversation();
  }

  then<Result1 = undefined, Result2 = never>(
    onFulfilled?: ((value: undefined) => Result1 | PromiseLike<Result1>) | null,
    onRejected?: ((reason: unknown) => Result2 | PromiseLike<Result2>) | null,
  ): PromiseLike<Result1 | Result2> {
    return this.chain.then(onFulfilled, onRejected);
  }

  private step(run: () => Promise<void>): this {
    this.chain = this.chain.then(run).then(() => undefined);
    return this;
  }

  private async ensureConversation(): Promise<Conversation> {
    this.conversation ??= (
      await this.host.stores.conversations.getOrCreate({
        channel: 'webchat',
        conversationKey: `test:${Math.random().toString(36).slice(2)}`,
        userId: 'test-user',
        address: {},
        locale: this.locale,
      })
    ).conversation;
    return this.conversation;
  }
}

export const chat = (host: Host, existing?: Conversation): ChatFlow => new ChatFlow(host, existing);

/** A chat in a new conversation that starts in `locale` (e.g. a Spanish web chat client). */
export const chatIn = (host: Host, locale: string): ChatFlow => new ChatFlow(host, undefined, locale);
