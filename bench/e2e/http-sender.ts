import { Agent, request } from 'node:http';

/**
 * POSTs over kept-alive connections (node:http with a keep-alive Agent, as
 * many sockets as messages in flight): a request costs the load generator
 * little more than writing it, so its own CPU steals as little as possible
 * from the server measured on the same two cores. fetch would do, but costs
 * several times as much per request (web streams, Headers objects).
 */
export class HttpSender {
  private readonly agent: Agent;

  constructor(maxSockets: number) {
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  /** Resolves with the status and body once the response is complete; rejects on a network error. */
  post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { method: 'POST', agent: this.agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
