import { Router } from 'express';
import { z } from 'zod';
import { SwitchboardError, notFound } from '../core/errors.ts';
import { countCharacters } from '../core/text.ts';
import { parseBody } from '../http/validation.ts';
import { ApiKeys, requireApiKey } from './api-keys.ts';
import type { EventWebhooks } from './event-webhooks.ts';
import { OUTBOUND_EVENTS } from './event-types.ts';
import type { NotificationService } from './notification-service.ts';
import type { WebhookSubscription } from './webhook-store.ts';

const templateSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'a template name: lower-case letters, digits and _'),
    language: z.string().regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'a template language code, e.g. en_US'),
    parameters: z.array(z.string().min(1).max(1024)).max(20).default([]),
  })
  .strict();

const notificationSchema = z
  .object({
    channel: z.enum(['sms', 'whatsapp', 'messenger', 'webchat']),
    to: z.string().min(1).max(200).optional(),
    from: z.string().min(1).max(200).optional(),
    conversationId: z.string().min(1).max(100).optional(),
    text: z.string().optional(),
    template: templateSchema.optional(),
    context: z
      .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_.-]{0,63}$/, 'context keys are names like orderNumber'), z.string().max(500))
      .refine((context) => Object.keys(context).length <= 20, 'at most 20 context values')
      .optional(),
    locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag').optional(),
  })
  .strict();

const subscriptionSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    events: z.array(z.enum(OUTBOUND_EVENTS)).min(1).optional(),
    secret: z.string().min(16).max(256).optional(),
  })
  .strict();

export interface OutboundRouteDependencies {
  keys: ApiKeys;
  notifications: NotificationService;
  webhooks: EventWebhooks;
  maxMessageLength: number;
}

/** POST /api/notifications: a message to a customer, started by the business (API key). */
export function notificationRoutes(deps: OutboundRouteDependencies): Router {
  const router = Router();
  router.use(requireApiKey(deps.keys));
  router.post('/', async (req, res) => {
    const body = parseBody(req, notificationSchema);
    if (body.text !== undefined) {
      if (body.text.trim() === '') throw new SwitchboardError('empty_text', 'The message has no text.');
      const length = countCharacters(body.text);
      if (length > deps.maxMessageLength) {
        throw new SwitchboardError('text_too_long', `The message is ${length} characters; the limit is ${deps.maxMessageLength}.`);
      }
    } else if (!body.template) {
      throw new SwitchboardError('invalid_body', 'Send "text", "template" or both.');
    }
    const { channel, to, from, conversationId, text, template, context, locale } = body;
    const result = await deps.notifications.send(
      {
        channel,
        ...(to === undefined ? {} : { to }),
        ...(from === undefined ? {} : { from }),
        ...(conversationId === undefined ? {} : { conversationId }),
        ...(text === undefined ? {} : { text }),
        ...(template === undefined ? {} : { template }),
        ...(context === undefined ? {} : { context }),
        ...(locale === undefined ? {} : { locale }),
      },
      res.locals.apiKeyId,
    );
    res.status(201).json(result);
  });
  return router;
}

const publicView = ({ id, url, events, source, createdAt }: WebhookSubscription) => ({
  id,
  url,
  events: events ?? [...OUTBOUND_EVENTS],
  source,
  ...(createdAt === undefined ? {} : { createdAt }),
});

/** POST, GET and DELETE /api/event-subscriptions: where events go (API key). */
export function eventSubscriptionRoutes(deps: OutboundRouteDependencies): Router {
  const router = Router();
  router.use(requireApiKey(deps.keys));
  router.post('/', async (req, res) => {
    const { url, events, secret } = parseBody(req, subscriptionSchema);
    const subscription = await deps.webhooks.subscribe({ url, ...(events ? { events } : {}), ...(secret ? { secret } : {}) });
    // The secret is shown once, here; GET never shows it.
    res.status(201).json({ ...publicView(subscription), secret: subscription.secret });
  });
  router.get('/', async (_req, res) => {
    res.json({ subscriptions: (await deps.webhooks.subscriptions()).map(publicView) });
  });
  router.delete('/:id', async (req, res) => {
    if (deps.webhooks.isConfigured(req.params.id)) {
      throw new SwitchboardError('configured_subscription', 'This subscription comes from EVENT_WEBHOOKS; remove it there.', 409);
    }
    if (!(await deps.webhooks.unsubscribe(req.params.id))) throw notFound('subscription_not_found', 'No such subscription.');
    res.status(204).end();
  });
  return router;
}
