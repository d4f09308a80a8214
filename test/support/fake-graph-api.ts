import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** One request the fake Graph API received. */
export interface GraphCall {
  method: string;
  path: string;
  authorization: string | undefined;
  /** The JSON body as sent. */
  body: Record<string, unknown>;
  /** What the fake answered. */
  status: number;
}

interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * A stand-in for graph.facebook.com on loopback: checks the Bearer token,
 * records every request, and answers like the Send API / Cloud API (or with
 * the scripted answers queued by `answerNext`).
 */
export class FakeGraphApi {
  readonly calls: GraphCall[] = [];
  private readonly scripted: ScriptedAnswer[] = [];
  private sequence = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly accessToken: string,
  ) {}

  static async start(accessToken: string): Promise<FakeGraphApi> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const fake = new FakeGraphApi(server, `http://127.0.0.1:${address.port}`, accessToken);
    server.on('request', (req, res) => {
      void readBody(req).then((text) => {
        const answer = fake.answer(req, text);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
        res.end(JSON.stringify(answer.body ?? {}));
      });
    });
    return fake;
  }

  /** The next requests get these answers, in order (then the normal 200s again). */
  answerNext(...answers: ScriptedAnswer[]): void {
    this.scripted.push(...answers);
  }

  /** Calls whose JSON body matches. */
  callsWhere(match: (call: GraphCall) => boolean): GraphCall[] {
    return this.calls.filter(match);
  }

  /** Waits until at least `count` calls match, and returns them. */
  async waitFor(match: (call: GraphCall) => boolean, count = 1): Promise<GraphCall[]> {
    for (let tries = 0; tries < 400; tries += 1) {
      const found = this.callsWhere(match);
      if (found.length >= count) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the fake Graph API never got ${count} matching call(s); got ${JSON.stringify(this.calls, null, 1)}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private answer(req: IncomingMessage, text: string): ScriptedAnswer {
    const path = (req.url ?? '').split('?')[0] ?? '';
    let body: Record<string, unknown> = {};
    try {
      body = JSON.parse(text) as Record<string, unknown>;
    } catch {
      // recorded as {}: the test sees it
    }
    const authorization = req.headers.authorization;
    let answer: ScriptedAnswer;
    if (authorization !== `Bearer ${this.accessToken}`) {
      answer = { status: 401, body: { error: { message: 'Invalid OAuth access token.', type: 'OAuthException', code: 190 } } };
    } else {
      answer = this.scripted.shift() ?? this.success(path, body);
    }
    this.calls.push({ method: req.method ?? '', path, authorization, body, status: answer.status });
    return answer;
  }

  private success(path: string, body: Record<string, unknown>): ScriptedAnswer {
    this.sequence += 1;
    if (path.endsWith('/me/messages')) {
      const recipient = body.recipient as { id?: string } | undefined;
      return { status: 200, body: { recipient_id: recipient?.id, message_id: `m_fake${this.sequence}` } };
    }
    return {
      status: 200,
      body: {
        messaging_product: 'whatsapp',
        contacts: [{ input: body.to, wa_id: body.to }],
        messages: [{ id: `wamid.FAKE${this.sequence}` }],
      },
    };
  }
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/**
 * JSON as Meta writes its webhook bodies: compact, with every non-ASCII
 * character and `/` escaped (`\u00e9`, `\ud83d\udc4b`, `\/`). The signature is
 * over exactly these bytes.
 */
export function metaJson(payload: unknown): string {
  return JSON.stringify(payload)
    .replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\//g, '\\/');
}

/** `X-Hub-Signature-256` as Meta computes it: HMAC-SHA256 of the raw body, keyed with the App Secret. */
export function metaSignature(appSecret: string, body: string | Buffer): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

/** POSTs a webhook body signed as Meta signs it (or with the headers given instead). */
export function postMetaWebhook(
  url: string,
  body: string,
  appSecret: string,
  headers: Record<string, string> = { 'x-hub-signature-256': metaSignature(appSecret, body) },
): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'user-agent': 'facebookexternalua', ...headers },
    body,
  });
}
