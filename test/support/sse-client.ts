export interface ServerSentEvent {
  event: string;
  data: string;
  id?: string;
}

/**
 * A minimal Server-Sent Events reader over fetch (EventSource cannot send an
 * Authorization header). Events are queued; `next` waits for a matching one.
 */
export class SseClient {
  private readonly events: ServerSentEvent[] = [];
  private waiters: (() => void)[] = [];
  private readonly controller = new AbortController();
  private ended = false;
  status = 0;

  /**
   * Called with each event as it arrives; when set, events are not queued
   * (`next` and `messages` see none), so a long-lived stream keeps nothing.
   */
  private onEvent: ((event: ServerSentEvent) => void) | undefined;

  static async open(url: string, headers: Record<string, string>, onEvent?: (event: ServerSentEvent) => void): Promise<SseClient> {
    const client = new SseClient();
    client.onEvent = onEvent;
    const response = await fetch(url, { headers, signal: client.controller.signal });
    client.status = response.status;
    if (response.ok && response.body) void client.read(response.body);
    return client;
  }

  /** Waits for the next event that matches, consuming the events before it. */
  async next(match: (event: ServerSentEvent) => boolean = () => true, timeoutMs = 5_000): Promise<ServerSentEvent> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const index = this.events.findIndex(match);
      if (index >= 0) return this.events.splice(0, index + 1)[index] as ServerSentEvent;
      if (this.ended) throw new Error('the stream ended');
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`no matching event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Every message event received so far, parsed, without consuming them. */
  get messages(): { id: number; from: string; text: string }[] {
    return this.events
      .filter((event) => event.event === 'message')
      .map((event) => JSON.parse(event.data) as { id: number; from: string; text: string });
  }

  close(): void {
    this.controller.abort();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    try {
      for await (const chunk of body) {
        buffer += decoder.decode(chunk, { stream: true });
        let boundary: number;
        while ((boundary = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = parseBlock(block);
          if (event && this.onEvent) this.onEvent(event);
          else if (event) this.events.push(event);
        }
        this.wake();
      }
    } catch {
      // Aborted by close(), or the server went away: either way the stream is over.
    }
    this.ended = true;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}

function parseBlock(block: string): ServerSentEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  let id: string | undefined;
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
    else if (field === 'id') id = value;
  }
  if (data.length === 0) return undefined;
  return { event, data: data.join('\n'), ...(id === undefined ? {} : { id }) };
}
