import { SseClient, type ServerSentEvent } from '../../../test/support/sse-client.ts';
import { WebchatClient } from '../../../test/support/webchat-client.ts';
import type { HttpSender } from '../http-sender.ts';
import type { LoadTarget } from '../load-loops.ts';
import type { ReplyClock } from '../reply-clock.ts';
import { DEMO_TEXTS } from '../../support/demo-host.ts';

/**
 * Customers on the web chat page: each opens a conversation and its
 * Server-Sent Events stream, as the page does, and posts messages to the
 * API (202 once recorded); a reply is the bot's `message` event on the
 * stream, which a host sends after the reply is stored and published.
 */
export class WebchatTarget implements LoadTarget {
  private readonly counts: number[];

  private constructor(
    private readonly clients: readonly WebchatClient[],
    private readonly streams: readonly SseClient[],
    private readonly sender: HttpSender,
  ) {
    this.counts = new Array<number>(clients.length).fill(0);
  }

  static async open(hostUrl: string, conversations: number, sender: HttpSender, clock: ReplyClock): Promise<WebchatTarget> {
    const clients = await Promise.all(Array.from({ length: conversations }, () => WebchatClient.start(hostUrl)));
    const streams = await Promise.all(
      clients.map((client, conversation) =>
        SseClient.open(`${client.baseUrl}/webchat/conversations/${client.conversationId}/stream`, client.auth, (event: ServerSentEvent) => {
          if (event.event === 'message' && (JSON.parse(event.data) as { from?: unknown }).from !== 'customer') clock.arrived(conversation);
        }),
      ),
    );
    return new WebchatTarget(clients, streams, sender);
  }

  async send(conversation: number): Promise<void> {
    const client = this.clients[conversation];
    if (!client) throw new Error(`no conversation ${conversation}`);
    const count = (this.counts[conversation] ?? 0) + 1;
    this.counts[conversation] = count;
    const text = DEMO_TEXTS[count % DEMO_TEXTS.length] ?? 'hello';
    const { status } = await this.sender.post(client.messagesUrl, { ...client.auth, 'content-type': 'application/json' }, JSON.stringify({ text }));
    if (status !== 202) throw new Error(`web chat answered ${status}`);
  }

  close(): void {
    for (const stream of this.streams) stream.close();
  }
}
