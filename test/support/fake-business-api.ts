import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** One request the fake business API received. */
export interface BusinessApiCall {
  method: string;
  path: string;
  authorization: string | undefined;
}

type Answer = { status: number; body?: unknown } | { hang: true };

/**
 * A business's customer and order API on loopback, as the HTTP context
 * provider expects it: routes are registered per test (`on`), anything else
 * is 404. An answer can hang (the provider must give up on its own).
 */
export class FakeBusinessApi {
  readonly calls: BusinessApiCall[] = [];
  private readonly routes = new Map<string, Answer>();
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FakeBusinessApi> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the fake business API has no port');
    const fake = new FakeBusinessApi(server, `http://127.0.0.1:${address.port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => fake.handle(req, res));
    return fake;
  }

  /** `GET /orders/A1001` → 200 with this body (or another status). */
  on(method: string, path: string, answer: Answer): void {
    this.routes.set(`${method} ${path}`, answer);
  }

  callsTo(path: string): BusinessApiCall[] {
    return this.calls.filter((call) => call.path === path);
  }

  /** Requests that are still waiting for an answer (hung on purpose). */
  get waiting(): number {
    return this.hanging.size;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = req.url ?? '';
    this.calls.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    const answer = this.routes.get(`${req.method ?? ''} ${path}`) ?? { status: 404, body: { error: 'not found' } };
    if ('hang' in answer) {
      this.hanging.add(res);
      res.on('close', () => this.hanging.delete(res));
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(answer.body ?? {}));
  }
}
