import type { FakeBotFramework } from '../../../test/support/fake-bot-framework.ts';
import type { HttpSender } from '../http-sender.ts';
import type { LoadTarget } from '../load-loops.ts';
import type { ReplyClock } from '../reply-clock.ts';
import { DEMO_TEXTS } from '../../support/demo-host.ts';

/** A channel token is good for an hour; one is signed per half hour, as Azure Bot Service reuses its tokens. */
const TOKEN_REFRESH_MS = 30 * 60_000;

/**
 * Direct Line customers of a Bot Framework bot: activities as Azure Bot
 * Service posts them, with a channel JWT signed by the fake OpenID
 * provider; a reply is the bot's call to the fake Bot Connector.
 */
export class BotFrameworkTarget implements LoadTarget {
  private readonly counts: number[];
  private readonly conversationIds: string[];
  private token: { value: string; signedAt: number } | undefined;

  constructor(
    private readonly botUrl: string,
    private readonly bf: FakeBotFramework,
    private readonly sender: HttpSender,
    conversations: number,
    clock: ReplyClock,
  ) {
    this.counts = new Array<number>(conversations).fill(0);
    this.conversationIds = Array.from({ length: conversations }, (_, conversation) => `bench-${conversation}`);
    const index = new Map(this.conversationIds.map((id, conversation) => [id, conversation]));
    bf.onConnectorCall = (call) => {
      const conversation = index.get(call.conversationId);
      if (conversation !== undefined) clock.arrived(conversation);
    };
  }

  async send(conversation: number): Promise<void> {
    const id = this.conversationIds[conversation] ?? '';
    const count = (this.counts[conversation] ?? 0) + 1;
    this.counts[conversation] = count;
    const activity = {
      type: 'message',
      id: `${id}|${String(count).padStart(7, '0')}`,
      timestamp: new Date().toISOString(),
      channelId: 'directline',
      serviceUrl: this.bf.serviceUrl,
      from: { id: `user-${conversation}`, name: 'Customer' },
      conversation: { id },
      recipient: { id: 'bench-bot', name: 'Bot' },
      locale: 'en-US',
      text: DEMO_TEXTS[count % DEMO_TEXTS.length] ?? 'hello',
    };
    const { status } = await this.sender.post(
      `${this.botUrl}/api/messages`,
      { authorization: `Bearer ${this.channelToken()}`, 'content-type': 'application/json' },
      JSON.stringify(activity),
    );
    if (status < 200 || status >= 300) throw new Error(`bot answered ${status}`);
  }

  private channelToken(): string {
    if (!this.token || Date.now() - this.token.signedAt > TOKEN_REFRESH_MS) this.token = { value: this.bf.channelToken(), signedAt: Date.now() };
    return this.token.value;
  }
}
