import { Router } from 'express';
import { receiveSms, type ReceiveSmsDependencies } from './receive-sms.ts';
import { recordSmsStatus, type SmsStatusDependencies } from './sms-status.ts';
import { CONVERSATION_PARAM, STATUS_PATH } from './twilio-urls.ts';
import { twilioWebhook, type TwilioWebhookSettings } from './twilio-webhook.ts';

export type TwilioRouteDependencies = TwilioWebhookSettings & ReceiveSmsDependencies & SmsStatusDependencies;

/** Twilio answers nothing back: replies go out through the REST API. */
const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
/** Written as is: every inbound SMS gets this answer, and res.send would work out type, length and an ETag each time. */
const EMPTY_TWIML_HEADERS = {
  'Content-Type': 'text/xml; charset=utf-8',
  'Content-Length': String(Buffer.byteLength(EMPTY_TWIML)),
};
const CONVERSATION_ID = /^[A-Za-z0-9-]{1,100}$/;

/**
 * Twilio's webhooks, mounted at /webhooks/twilio: inbound messages at the
 * root (answered `200 text/xml <Response/>` once recorded) and status
 * callbacks at /status (answered 204). Both verify Twilio's signature first.
 */
export function twilioRoutes(deps: TwilioRouteDependencies): Router {
  const router = Router();
  const verified = twilioWebhook(deps);

  router.post(STATUS_PATH, ...verified, async (req, res) => {
    const conversation = req.query[CONVERSATION_PARAM];
    const conversationId = typeof conversation === 'string' && CONVERSATION_ID.test(conversation) ? conversation : undefined;
    await recordSmsStatus(deps, res.locals.twilioParams, conversationId);
    res.status(204).end();
  });

  router.post('/', ...verified, async (_req, res) => {
    await receiveSms(deps, res.locals.twilioParams, res.locals.requestId);
    res.writeHead(200, EMPTY_TWIML_HEADERS).end(EMPTY_TWIML);
  });

  return router;
}
