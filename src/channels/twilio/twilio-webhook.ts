import express, { type RequestHandler } from 'express';
import { SwitchboardError } from '../../core/errors.ts';
import { parseTwilioParams, type TwilioParams } from './twilio-params.ts';
import { verifyTwilioSignature } from './twilio-signature.ts';

/** Twilio's webhook bodies are a few kB; anything this large is not from Twilio. */
const BODY_LIMIT = '64kb';
const FORM = 'application/x-www-form-urlencoded';

declare module 'express-serve-static-core' {
  interface Locals {
    /** The verified parameters of a Twilio webhook (set by `twilioWebhook`). */
    twilioParams: TwilioParams;
  }
}

export interface TwilioWebhookSettings {
  authToken: string;
  /** PUBLIC_BASE_URL without a trailing slash: Twilio's URL is this plus the path and query it called. */
  publicBaseUrl: string;
}

/**
 * Authenticity first: a Twilio webhook is read as raw form bytes (at most
 * 64 kB), parsed, and let through only if its `X-Twilio-Signature` is
 * Twilio's for the public URL it was sent to and every parameter in the body.
 * No signature → 400, a wrong one → 403 (as twilio-node's `webhook()`),
 * JSON errors in the API's shape; nothing else looks at the request before.
 * The verified parameters are left in `res.locals.twilioParams`.
 */
export function twilioWebhook(settings: TwilioWebhookSettings): RequestHandler[] {
  const checkHeaders: RequestHandler = (req, _res, next) => {
    if (!req.header('x-twilio-signature')) {
      throw new SwitchboardError('missing_signature', 'The X-Twilio-Signature header is missing.', 400);
    }
    if (!req.is(FORM)) {
      throw new SwitchboardError('unsupported_media_type', `Twilio webhooks are ${FORM}.`, 415);
    }
    next();
  };
  const readBody = express.raw({ type: () => true, limit: BODY_LIMIT });
  const verify: RequestHandler = (req, res, next) => {
    const raw: unknown = req.body;
    const params = parseTwilioParams(Buffer.isBuffer(raw) ? raw.toString('utf8') : '');
    const url = settings.publicBaseUrl + req.originalUrl;
    if (!verifyTwilioSignature(settings.authToken, req.header('x-twilio-signature') ?? '', url, params)) {
      throw new SwitchboardError('invalid_signature', 'The X-Twilio-Signature does not match this request.', 403);
    }
    res.locals.twilioParams = params;
    next();
  };
  return [checkHeaders, readBody, verify];
}
