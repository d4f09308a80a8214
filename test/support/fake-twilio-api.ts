import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** A message the fake accepted (answered 201), as Twilio would have sent it. */
export interface SentSms {
  sid: string;
  to: string | undefined;
  from: string | undefined;
  messagingServiceSid: string | undefined;
  body: string;
  statusCallback: string | undefined;
  /** When the fake created it (ms since the epoch). */
  createdAt: number;
}

/** Every request that reached the Messages endpoint, with what the fake answered. */
export interface TwilioApiCall {
  status: number;
  authorized: boolean;
  form: URLSearchParams;
}

/**
 * Twilio's Messages API on loopback: `POST /2010-04-01/Accounts/{sid}/Messages.json`
 * with Basic auth (Account SID and Auth Token) and a form body, answered 201
 * with the new message's `sid`, as Twilio does. Tests can queue other
 * answers (`failNext(429, 201)`…) and read what was sent.
 */
export class FakeTwilioApi {
  readonly calls: TwilioApiCall[] = [];
  readonly sent: SentSms[] = [];
  /** How many times the Messages list was asked for (a host settling a reply in doubt). */
  lookups = 0;
  private readonly planned: number[] = [];
  /**
   * Called before each message is answered: may wait (a slow platform) and
   * may return a status to answer instead of 201 (e.g. 500). The fault tests
   * use it; unset, messages are answered at once.
   */
  beforeAnswer: ((to: string) => Promise<number | undefined>) | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly accountSid: string,
    private readonly authToken: string,
  ) {}

  static async start(accountSid: string, authToken: string): Promise<FakeTwilioApi> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('the fake Twilio API has no port');
    const fake = new FakeTwilioApi(server, `http://127.0.0.1:${address.port}`, accountSid, authToken);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      void fake.handle(req, res);
    });
    return fake;
  }

  /** The next calls are answered with these statuses (then 201 again). */
  respondWith(...statuses: number[]): void {
    this.planned.push(...statuses);
  }

  /** Messages sent to this number. */
  to(number: string): SentSms[] {
    return this.sent.filter((message) => message.to === number);
  }

  /** Waits until `count` messages were sent to this number, and returns them. */
  async waitFor(number: string, count: number, timeoutMs = 10_000): Promise<SentSms[]> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const messages = this.to(number);
      if (messages.length >= count) return messages;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`expected ${count} SMS to ${number}, got ${this.to(number).length}: ${JSON.stringify(this.to(number).map((m) => m.body))}`);
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const expectedAuth = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    const authorized = req.headers.authorization === expectedAuth;
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      this.calls.push({ status, authorized, form });
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    const [pathname = '', search = ''] = (req.url ?? '').split('?');
    const messagesPath = `/2010-04-01/Accounts/${this.accountSid}/Messages.json`;
    if (req.method === 'GET' && pathname === messagesPath && authorized) {
      // The Messages list, newest first, filtered by To (what a host asks about a reply in doubt).
      this.lookups += 1;
      const query = new URLSearchParams(search);
      const to = query.get('To');
      const pageSize = Number(query.get('PageSize') ?? 50);
      const messages = this.sent
        .filter((message) => to === null || message.to === to)
        .slice(-pageSize)
        .reverse()
        .map((message) => ({
          sid: message.sid,
          to: message.to,
          from: message.from,
          body: message.body,
          status: 'sent',
          date_created: new Date(message.createdAt).toUTCString().replace('GMT', '+0000'),
        }));
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ messages, page_size: pageSize }));
      return;
    }
    if (req.method !== 'POST' || pathname !== messagesPath || search !== '') {
      answer(404, { code: 20404, message: 'The requested resource was not found', status: 404 });
      return;
    }
    if (!authorized) {
      answer(401, { code: 20003, message: 'Authenticate', status: 401 });
      return;
    }
    if (!/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '')) {
      answer(400, { code: 20001, message: 'Form body expected', status: 400 });
      return;
    }
    const forced = this.beforeAnswer ? await this.beforeAnswer(form.get('To') ?? '') : undefined;
    const status = forced ?? this.planned.shift() ?? 201;
    if (status === 429) {
      answer(429, { code: 20429, message: 'Too Many Requests', status: 429 }, { 'retry-after': '0' });
      return;
    }
    if (status !== 201) {
      answer(status, { code: 21211, message: "The 'To' number is not a valid phone number.", status });
      return;
    }
    const sid = `SM${randomBytes(16).toString('hex')}`;
    const message: SentSms = {
      sid,
      to: form.get('To') ?? undefined,
      from: form.get('From') ?? undefined,
      messagingServiceSid: form.get('MessagingServiceSid') ?? undefined,
      body: form.get('Body') ?? '',
      statusCallback: form.get('StatusCallback') ?? undefined,
      createdAt: Date.now(),
    };
    this.sent.push(message);
    answer(201, { sid, status: 'queued', to: message.to, from: message.from, body: message.body });
  }
}
