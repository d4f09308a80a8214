import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SseClient } from '../../support/sse-client.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// The web chat channel over real HTTP, against the in-memory stores and Redis.
describe.each([
  { name: 'in-memory', redis: false },
  { name: 'redis', redis: true },
])('web chat API ($name)', ({ redis }) => {
  let host: TestHost;
  beforeAll(async () => {
    host = await startTestHost({ redis });
  });
  afterAll(async () => {
    await host.stop();
  });

  const errorOf = async (response: Response) => {
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    return ((await response.json()) as { error: { code: string; message: string } }).error;
  };

  it('starts a conversation with an unguessable token', async () => {
    const a = await WebchatClient.start(host.url);
    const b = await WebchatClient.start(host.url, { locale: 'en-GB' });
    expect(a.conversationId).not.toBe(b.conversationId);
    expect(a.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(a.token).not.toBe(b.token);
  });

  it('answers a message asynchronously and lists the conversation', async () => {
    const client = await WebchatClient.start(host.url);
    const response = await client.send('hello');
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: number };
    const reply = await client.waitForReply(id);
    expect(reply).toMatchObject({ from: 'bot', text: expect.stringMatching(/^Hi!/) as unknown });
    const all = await client.messages();
    expect(all.map((message) => message.from)).toEqual(['customer', 'bot']);
    expect(all[0]).toEqual({ id, from: 'customer', text: 'hello', at: expect.any(Number) as unknown });
    expect(await client.messages(id)).toEqual([reply]);
  });

  it('runs the order-status dialog: asks for the number, then uses it', async () => {
    const client = await WebchatClient.start(host.url);
    expect((await client.ask('where is my order')).text).toMatch(/What's the order number/);
    expect((await client.ask('A1001')).text).toMatch(/A1001 .* shipped on 24 November 2026/);
  });

  it('streams the backlog, then live messages and typing, and resumes after Last-Event-ID', async () => {
    const client = await WebchatClient.start(host.url);
    const first = await client.ask('hi');
    const stream = await SseClient.open(client.messagesUrl.replace(/messages$/, 'stream'), client.auth);
    expect(stream.status).toBe(200);
    expect(JSON.parse((await stream.next((event) => event.event === 'message')).data)).toMatchObject({ from: 'customer' });
    const backlogReply = await stream.next((event) => event.event === 'message');
    expect(Number(backlogReply.id)).toBe(first.id);

    await client.send('thanks');
    await stream.next((event) => event.event === 'typing' && event.data === '{"typing":true}');
    const live = await stream.next((event) => event.event === 'message' && event.data.includes('"from":"bot"'));
    expect(JSON.parse(live.data)).toMatchObject({ text: expect.stringMatching(/welcome/) as unknown });
    stream.close();

    const resumed = await SseClient.open(client.messagesUrl.replace(/messages$/, 'stream'), {
      ...client.auth,
      'last-event-id': String(first.id),
    });
    const afterResume = await resumed.next((event) => event.event === 'message');
    expect(Number(afterResume.id)).toBe(first.id + 1);
    resumed.close();
  });

  describe('refuses bad input with a 4xx JSON error and changes nothing', () => {
    let client: WebchatClient;
    beforeAll(async () => {
      client = await WebchatClient.start(host.url);
    });
    const post = (body: string, contentType = 'application/json') =>
      fetch(client.messagesUrl, { method: 'POST', headers: { ...client.auth, 'content-type': contentType }, body });

    it.each([
      ['malformed JSON', () => post('{"text": "hi"'), 400, 'invalid_json'],
      ['a JSON string instead of an object', () => post('"hi"'), 400, 'invalid_json'],
      ['a missing text', () => post('{}'), 400, 'invalid_body'],
      ['a non-string text', () => post('{"text": 42}'), 400, 'invalid_body'],
      ['an unknown field', () => post('{"text": "hi", "admin": true}'), 400, 'invalid_body'],
      ['an empty text', () => post('{"text": ""}'), 400, 'empty_text'],
      ['a whitespace-only text', () => post('{"text": " \\n\\t "}'), 400, 'empty_text'],
      ['an over-long text', () => post(JSON.stringify({ text: 'x'.repeat(4097) })), 400, 'text_too_long'],
      ['a body over 64 kB', () => post(JSON.stringify({ text: 'x'.repeat(70_000) })), 413, 'payload_too_large'],
      ['a form-encoded body', () => post('text=hi', 'application/x-www-form-urlencoded'), 415, 'unsupported_media_type'],
      ['a text/plain body', () => post('hi', 'text/plain'), 415, 'unsupported_media_type'],
    ])('%s', async (_name, send, status, code) => {
      const response = await send();
      expect(response.status).toBe(status);
      expect((await errorOf(response)).code).toBe(code);
      expect(await client.messages()).toEqual([]);
    });

    it('a bad `after`', async () => {
      const response = await fetch(`${client.messagesUrl}?after=abc`, { headers: client.auth });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid_query');
    });

    it('a bad locale when starting', async () => {
      const response = await fetch(`${host.url}/webchat/conversations`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ locale: '<script>' }),
      });
      expect(response.status).toBe(400);
      expect((await errorOf(response)).code).toBe('invalid_body');
    });
  });

  it('counts characters, not UTF-16 units: 4,096 emoji fit, and unicode round-trips', async () => {
    const client = await WebchatClient.start(host.url);
    const emoji = '😀'.repeat(4096);
    expect((await client.send(emoji)).status).toBe(202);
    const text = 'Größe? 注文 A1001 — ok 👍🏽 ‮rtl';
    expect((await client.send(text)).status).toBe(202);
    await host.turns.drain();
    const customer = (await client.messages()).filter((message) => message.from === 'customer');
    expect(customer.map((message) => message.text)).toEqual([emoji, text]);
  });

  it('keeps HTML in customer text as text', async () => {
    const client = await WebchatClient.start(host.url);
    const html = '<img src=x onerror="window.__xss=1"><script>alert(1)</script>';
    await client.send(html);
    await host.turns.drain();
    const [stored] = await client.messages();
    expect(stored?.text).toBe(html);
  });

  describe('one conversation cannot be opened with another one’s token', () => {
    it('refuses a missing, malformed or wrong token, and an unknown conversation, revealing nothing', async () => {
      const alice = await WebchatClient.start(host.url);
      const mallory = await WebchatClient.start(host.url);
      await alice.send('my secret order A1002');
      const asMallory = { authorization: `Bearer ${mallory.token}` };

      const noToken = await fetch(alice.messagesUrl);
      expect(noToken.status).toBe(401);
      expect((await errorOf(noToken)).code).toBe('unauthorized');

      const malformed = await fetch(alice.messagesUrl, { headers: { authorization: 'Basic abc' } });
      expect(malformed.status).toBe(401);

      const wrongRead = await fetch(alice.messagesUrl, { headers: asMallory });
      const wrongWrite = await fetch(alice.messagesUrl, {
        method: 'POST',
        headers: { ...asMallory, 'content-type': 'application/json' },
        body: JSON.stringify({ text: 'injected' }),
      });
      const wrongStream = await fetch(alice.messagesUrl.replace(/messages$/, 'stream'), { headers: asMallory });
      const unknown = await fetch(`${host.url}/webchat/conversations/does-not-exist/messages`, { headers: alice.auth });
      const bodies = [];
      for (const response of [wrongRead, wrongWrite, wrongStream, unknown]) {
        expect(response.status).toBe(404);
        bodies.push(await errorOf(response));
      }
      // The same answer whether the conversation exists or not.
      expect(new Set(bodies.map((body) => JSON.stringify(body))).size).toBe(1);
      await host.turns.drain();
      expect((await alice.messages()).map((message) => message.text)).not.toContain('injected');
    });
  });

  it('answers unknown routes with a JSON 404', async () => {
    const response = await fetch(`${host.url}/no/such/route`);
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('route_not_found');
  });

  it('serves health, readiness, the OpenAPI document and the chat page', async () => {
    expect((await fetch(`${host.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${host.url}/readyz`);
    expect(ready.status).toBe(200);
    const openapi = (await (await fetch(`${host.url}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(openapi.paths)).toContain('/webchat/conversations/{id}/stream');
    const page = await fetch(`${host.url}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
    expect(await page.text()).toMatch(/<html/i);
  });

  it('keeps tokens and message text out of the logs', async () => {
    const client = await WebchatClient.start(host.url);
    await client.ask('where is order A1001, my secret words are cheese pineapple');
    expect(host.sink.text).not.toContain(client.token);
    expect(host.sink.text).not.toContain('cheese pineapple');
    expect(host.sink.lines.some((line) => line.msg === 'turn done')).toBe(true);
  });
});
