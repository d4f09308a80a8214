/** A customer's side of the web chat API, over real HTTP. */
export interface WebchatMessage {
  id: number;
  from: 'customer' | 'bot' | 'agent' | 'system';
  text: string;
  at: number;
}

export class WebchatClient {
  private constructor(
    readonly baseUrl: string,
    readonly conversationId: string,
    readonly token: string,
  ) {}

  static async start(baseUrl: string, body?: unknown): Promise<WebchatClient> {
    const response = await fetch(`${baseUrl}/webchat/conversations`, {
      method: 'POST',
      ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (response.status !== 201) throw new Error(`start failed: ${response.status} ${await response.text()}`);
    const { conversationId, token } = (await response.json()) as { conversationId: string; token: string };
    return new WebchatClient(baseUrl, conversationId, token);
  }

  /** The same customer talking to another host (e.g. after a restart). */
  static resume(baseUrl: string, conversationId: string, token: string): WebchatClient {
    return new WebchatClient(baseUrl, conversationId, token);
  }

  get auth(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  get messagesUrl(): string {
    return `${this.baseUrl}/webchat/conversations/${this.conversationId}/messages`;
  }

  send(text: string): Promise<Response> {
    return fetch(this.messagesUrl, {
      method: 'POST',
      headers: { ...this.auth, 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
    });
  }

  async messages(after?: number): Promise<WebchatMessage[]> {
    const response = await fetch(`${this.messagesUrl}${after === undefined ? '' : `?after=${after}`}`, {
      headers: this.auth,
    });
    if (!response.ok) throw new Error(`messages failed: ${response.status}`);
    return ((await response.json()) as { messages: WebchatMessage[] }).messages;
  }

  /** Polls until a message after `after` from someone other than the customer arrives. */
  async waitForReply(after: number, timeoutMs = 10_000): Promise<WebchatMessage> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const reply = (await this.messages(after)).find((message) => message.from !== 'customer');
      if (reply) return reply;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`no reply after message ${after} within ${timeoutMs} ms`);
  }

  /** Sends and waits for the first reply to it. */
  async ask(text: string): Promise<WebchatMessage> {
    const response = await this.send(text);
    if (response.status !== 202) throw new Error(`send failed: ${response.status} ${await response.text()}`);
    const { id } = (await response.json()) as { id: number };
    return this.waitForReply(id);
  }
}
