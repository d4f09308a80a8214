import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { SIGNATURE_HEADER, verifySignature } from '../../src/outbound/webhook-signature.ts';

/** One POST the receiver got, with what it answered. */
export interface ReceivedDelivery {
  headers: IncomingMessage['headers'];
  /** The raw body, as signed. */
  body: string;
  /** Whether the signature verified with the receiver's secret. */
  signed: boolean;
  status: number;
  event: { id: string; type: string; occurredAt: string; data: Record<string, unknown> };
}

/**
 * The business's event endpoint on loopback: verifies the signature the way
 * the README tells receivers to, records every delivery, and answers 204, or
 * the statuses queued with `failNext` first (a receiver that fails twice).
 */
export class FakeEventReceiver {
  readonly received: ReceivedDelivery[] = [];
  private readonly planned: number[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly secret: string,
  ) {}

  static async start(secret: string): Promise<FakeEventReceiver> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the fake receiver has no port');
    const receiver = new FakeEventReceiver(server, `http://127.0.0.1:${address.port}/hooks/switchboard`, secret);
    server.on('request', (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const signed = verifySignature(receiver.secret, body, req.headers[SIGNATURE_HEADER] as string | undefined);
        const status = signed ? (receiver.planned.shift() ?? 204) : 401;
        receiver.received.push({ headers: req.headers, body, signed, status, event: JSON.parse(body) as ReceivedDelivery['event'] });
        res.writeHead(status).end();
      });
    });
    return receiver;
  }

  /** The next deliveries are answered with these statuses (then 204 again). */
  failNext(...statuses: number[]): void {
    this.planned.push(...statuses);
  }

  /** Deliveries of this event type. */
  of(type: string): ReceivedDelivery[] {
    return this.received.filter((delivery) => delivery.event.type === type);
  }

  /** Deliveries that were accepted (2xx). */
  accepted(type?: string): ReceivedDelivery[] {
    return this.received.filter((delivery) => delivery.status < 300 && (type === undefined || delivery.event.type === type));
  }

  async waitFor(match: (delivery: ReceivedDelivery) => boolean, count = 1, timeoutMs = 10_000): Promise<ReceivedDelivery[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const found = this.received.filter(match);
      if (found.length >= count) return found;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`expected ${count} matching deliveries; got ${JSON.stringify(this.received.map((d) => [d.event.type, d.status]))}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
