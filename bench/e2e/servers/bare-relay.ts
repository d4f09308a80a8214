/**
 * "Bare relay": the I/O an SMS bot cannot avoid, and nothing else. It
 * answers the same signed Twilio webhook a Switchboard host gets (reads the
 * form, checks X-Twilio-Signature with the host's own function, answers
 * `<Response/>`), then sends one reply to the same (fake) Twilio Messages
 * API over a kept-alive connection (node:http with a keep-alive Agent: the
 * cheapest HTTP client in Node's core, and what the host's connector uses).
 * No store, no NLU, no dialogs: the fastest this machine can turn a webhook
 * into a reply. Run as its own process by the end-to-end bench.
 *
 * Environment: TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_API_BASE_URL,
 * PUBLIC_BASE_URL (what the load generator signs), PORT, HOST.
 */
import express from 'express';
import { Agent, createServer, request } from 'node:http';
import { param, parseTwilioParams } from '../../../src/channels/twilio/twilio-params.ts';
import { verifyTwilioSignature } from '../../../src/channels/twilio/twilio-signature.ts';
import { listenAndAnnounce } from './listening.ts';

function required(name: string): string {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is required`);
  return value;
}

const accountSid = required('TWILIO_ACCOUNT_SID');
const authToken = required('TWILIO_AUTH_TOKEN');
const messagesUrl = `${required('TWILIO_API_BASE_URL')}/2010-04-01/Accounts/${accountSid}/Messages.json`;
const publicBaseUrl = required('PUBLIC_BASE_URL');
const authorization = `Basic ${Buffer.from(`${accountSid}:${authToken}`).toString('base64')}`;
const agent = new Agent({ keepAlive: true });

const app = express();
app.disable('x-powered-by');
app.post('/webhooks/twilio', express.raw({ type: () => true, limit: '64kb' }), (req, res) => {
  const raw: unknown = req.body;
  const params = parseTwilioParams(Buffer.isBuffer(raw) ? raw.toString('utf8') : '');
  if (!verifyTwilioSignature(authToken, req.header('x-twilio-signature') ?? '', publicBaseUrl + req.originalUrl, params)) {
    res.status(403).end();
    return;
  }
  res.status(200).type('text/xml').send('<?xml version="1.0" encoding="UTF-8"?><Response/>');
  const form = new URLSearchParams({ To: param(params, 'From') ?? '', From: param(params, 'To') ?? '', Body: 'Thanks for your message!' }).toString();
  const call = request(
    messagesUrl,
    {
      method: 'POST',
      agent,
      headers: { authorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', 'content-length': Buffer.byteLength(form) },
    },
    (response) => response.resume(),
  );
  // A failed send is counted as lost by the load generator: it never sees the reply.
  call.on('error', () => undefined);
  call.end(form);
});
await listenAndAnnounce(createServer(app), 'bare relay');
