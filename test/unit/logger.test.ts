import { describe, expect, it } from 'vitest';
import { createLogger, type Logger } from '../../src/logger.ts';
import { LogSink } from '../support/log-sink.ts';

function logger(logContent = false): { log: Logger; sink: LogSink } {
  const sink = new LogSink();
  return { log: createLogger({ level: 'info', logContent }, sink), sink };
}

const R = '[redacted]';

describe('createLogger redaction', () => {
  it('censors message content at the top level and one level down', () => {
    const { log, sink } = logger();
    log.info({ text: 'my address', body: 'raw', utterance: 'hello', intent: 'greeting' }, 'top');
    log.info({ message: { text: 'my address', body: 'raw', utterance: 'hi', id: 'm1' } }, 'nested');
    expect(sink.lines[0]).toMatchObject({ text: R, body: R, utterance: R, intent: 'greeting', msg: 'top' });
    expect(sink.lines[1]).toMatchObject({ message: { text: R, body: R, utterance: R, id: 'm1' } });
    expect(sink.text).not.toContain('my address');
  });

  it('censors secrets, with the request headers one level further down', () => {
    const { log, sink } = logger();
    log.info({
      token: 't0',
      password: 'p0',
      authorization: 'Bearer a0',
      agent: { token: 't1', password: 'p1', name: 'Ana' },
      headers: { authorization: 'Bearer a1', accept: 'json' },
      req: { headers: { authorization: 'Bearer a2', cookie: 'c=1', accept: 'json' }, method: 'GET' },
    });
    expect(sink.lines[0]).toMatchObject({
      token: R,
      password: R,
      authorization: R,
      agent: { token: R, password: R, name: 'Ana' },
      headers: { authorization: R, accept: 'json' },
      req: { headers: { authorization: R, cookie: R, accept: 'json' }, method: 'GET' },
    });
  });

  it('leaves what is two levels down, in arrays, or absent as it is', () => {
    const { log, sink } = logger();
    log.info({ a: { b: { text: 'deep' } }, list: [{ text: 'in a list' }], undefinedText: undefined });
    expect(sink.lines[0]).toMatchObject({ a: { b: { text: 'deep' } }, list: [{ text: 'in a list' }] });
    expect(sink.lines[0]).not.toHaveProperty('text');
  });

  it('with logContent, shows the text but still censors secrets', () => {
    const { log, sink } = logger(true);
    log.info({ text: 'hello', message: { body: 'raw', token: 't1' }, token: 't0', password: 'p0' });
    expect(sink.lines[0]).toMatchObject({ text: 'hello', message: { body: 'raw', token: R }, token: R, password: R });
  });

  it('writes objects without secret keys unchanged', () => {
    const { log, sink } = logger();
    const fields = { conversationId: 'c1', channel: 'sms', nlu: { intent: 'greeting', score: 0.9 }, tags: ['a'], ok: true };
    log.info(fields, 'plain');
    const { level, time, service, msg, ...rest } = sink.lines[0] ?? {};
    expect({ level, service, msg, hasTime: typeof time === 'number' }).toEqual({ level: 30, service: 'switchboard', msg: 'plain', hasTime: true });
    expect(rest).toEqual(fields);
  });

  it('never changes the caller’s object', () => {
    const { log, sink } = logger();
    const message = { text: 'hello', id: 'm1' };
    const fields = { text: 'top', message, token: 't' };
    log.info(fields);
    expect(fields).toEqual({ text: 'top', message: { text: 'hello', id: 'm1' }, token: 't' });
    expect(fields.message).toBe(message);
    expect(sink.lines[0]).toMatchObject({ text: R, message: { text: R, id: 'm1' }, token: R });
  });

  it('keeps an error’s type, message and stack while censoring its body', () => {
    const { log, sink } = logger();
    const error = Object.assign(new TypeError('platform said no'), { status: 502, body: 'customer text' });
    log.error({ err: error }, 'failed');
    expect(sink.lines[0]?.err).toMatchObject({ type: 'TypeError', message: 'platform said no', status: 502, body: R });
    expect(String((sink.lines[0]?.err as { stack?: unknown }).stack)).toContain('platform said no');
    expect(error.body).toBe('customer text');
  });

  it('censors a child logger’s bindings, a grandchild’s too', () => {
    const { log, sink } = logger();
    const child = log.child({ token: 't0', text: 'bound', session: { password: 'p0', id: 's1' }, channel: 'sms' });
    child.child({ requestId: 'r1', body: 'raw' }).info('grandchild');
    child.child({}, { level: 'info' }).info({ utterance: 'u' }, 'with options');
    expect(sink.lines[0]).toMatchObject({ token: R, text: R, session: { password: R, id: 's1' }, channel: 'sms', requestId: 'r1', body: R });
    expect(sink.lines[1]).toMatchObject({ token: R, utterance: R, msg: 'with options' });
    expect(sink.text).not.toMatch(/t0|p0|bound|raw/);
  });

  it('with logContent, keeps bound text and censors bound secrets', () => {
    const { log, sink } = logger(true);
    log.child({ text: 'bound', token: 't0' }).info('child');
    expect(sink.lines[0]).toMatchObject({ text: 'bound', token: R });
  });
});
