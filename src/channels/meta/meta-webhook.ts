import express, { Router, type Request } from 'express';
import { SwitchboardError, badRequest } from '../../core/errors.ts';
import { isObjectRecord } from '../../core/object-record.ts';
import type { Logger } from '../../logger.ts';
import { checkMetaSignature, secretsMatch } from './meta-signature.ts';

/** Meta batches events; a batch of this size is far beyond any real one. Larger bodies get 413. */
const RAW_BODY_LIMIT = '256kb';
const CHALLENGE = /^[\x21-\x7e]{1,256}$/;

export interface MetaWebhookOptions {
  channel: 'messenger' | 'whatsapp';
  appSecret: string;
  verifyToken: string;
  /** The webhook `object` this channel serves: `page` (Messenger) or `whatsapp_business_account`. */
  object: string;
  logger: Logger;
  /**
   * Handles the `entry[]` of one verified payload; resolves once every
   * customer message in it is in the inbox (a rejection answers 5xx, so Meta
   * redelivers the batch and the inbox drops what it already has).
   */
  handle(entries: unknown[], requestId: string): Promise<void>;
}

/**
 * The webhook both Meta channels share (shared/CHANNELS.md §2, §3):
 * `GET` answers the verification handshake; `POST` checks
 * `X-Hub-Signature-256` over the raw bytes before anything is parsed, then
 * parses the JSON and hands its entries to the channel.
 */
export function metaWebhookRouter(options: MetaWebhookOptions): Router {
  const router = Router();
  const logger = options.logger.child({ channel: options.channel });

  router.get('/', (req, res) => {
    const mode = req.query['hub.mode'];
    const token = req.query['hub.verify_token'];
    const challenge = req.query['hub.challenge'];
    if (mode !== 'subscribe' || typeof token !== 'string' || !secretsMatch(token, options.verifyToken)) {
      logger.warn('webhook verification refused');
      throw new SwitchboardError('verification_failed', 'The verify token does not match.', 403);
    }
    if (typeof challenge !== 'string' || !CHALLENGE.test(challenge)) {
      throw badRequest('invalid_challenge', 'hub.challenge is missing or malformed.');
    }
    logger.info('webhook verified');
    res.status(200).type('text/plain').send(challenge);
  });

  router.post('/', express.raw({ type: () => true, limit: RAW_BODY_LIMIT }), async (req, res) => {
    const raw = rawBody(req);
    const signature = checkMetaSignature(options.appSecret, raw, req.header('x-hub-signature-256'));
    if (signature === 'missing') {
      logger.warn('webhook without a signature refused');
      throw new SwitchboardError('missing_signature', 'The X-Hub-Signature-256 header is missing.', 401);
    }
    if (signature === 'invalid') {
      logger.warn('webhook with a wrong signature refused');
      throw new SwitchboardError('invalid_signature', 'The X-Hub-Signature-256 header does not match the body.', 403);
    }
    const payload = parseJson(raw);
    if (!isObjectRecord(payload) || typeof payload.object !== 'string') {
      throw badRequest('invalid_payload', 'The body is not a webhook payload (no "object").');
    }
    if (payload.object !== options.object) {
      // Signed by Meta, but for another product subscribed to this URL:
      // acknowledged (a 4xx would only make Meta retry it) and dropped.
      logger.warn({ object: payload.object.slice(0, 64) }, 'webhook for another object ignored');
      res.status(200).json({ received: true, ignored: true });
      return;
    }
    if (!Array.isArray(payload.entry)) throw badRequest('invalid_payload', 'The payload has no "entry" array.');
    await options.handle(payload.entry, res.locals.requestId);
    res.status(200).json({ received: true });
  });

  return router;
}

function rawBody(req: Request): Buffer {
  const body: unknown = req.body;
  return Buffer.isBuffer(body) ? body : Buffer.alloc(0);
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    throw badRequest('invalid_json', 'The request body is not valid JSON.');
  }
}
