import { Router } from 'express';
import { OUTBOUND_EVENTS } from '../outbound/event-types.ts';

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const conversationId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const after = {
  name: 'after',
  in: 'query',
  required: false,
  schema: { type: 'integer', minimum: 0 },
  description: 'Only messages whose id is greater than this.',
};
const tokenAuth = [{ conversationToken: [] }];
const agentAuth = [{ agentToken: [] }];
const apiKeyAuth = [{ apiKey: [] }];
const unknownOrWrongToken = errorResponse('Unknown conversation or wrong token (indistinguishable on purpose).');

/**
 * The OpenAPI 3 description of the HTTP surface, served at /openapi.json.
 * Written by hand next to the routes; test/integration/openapi.test.ts checks
 * that every route the app serves is described here.
 */
export const openApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Switchboard',
    version: '0.1.0',
    description: 'Customer-messaging bot host with human handoff.',
  },
  paths: {
    '/healthz': {
      get: { summary: 'Liveness', responses: { '200': { description: 'The process runs.' } } },
    },
    '/readyz': {
      get: {
        summary: 'Readiness: model loaded and store reachable',
        responses: { '200': { description: 'Ready.' }, '503': errorResponse('Not ready; the message says why.') },
      },
    },
    '/metrics': {
      get: {
        summary: 'Prometheus metrics: turns, escalations, queue depth, queue wait, NLU latency, channel send failures, process',
        responses: { '200': { description: 'Prometheus text exposition format.', content: { 'text/plain': {} } } },
      },
    },
    '/openapi.json': {
      get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3 document.' } } },
    },
    '/webchat/conversations': {
      post: {
        summary: 'Start a web chat conversation',
        requestBody: {
          required: false,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                properties: { locale: { type: 'string', example: 'en-GB' } },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Created. The token is the only key to the conversation; keep it secret.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['conversationId', 'token'],
                  properties: { conversationId: { type: 'string' }, token: { type: 'string' } },
                },
              },
            },
          },
          '400': errorResponse('Malformed body.'),
          '415': errorResponse('Body not JSON.'),
        },
      },
    },
    '/webchat/conversations/{id}/messages': {
      post: {
        summary: 'Send a customer message; replies arrive asynchronously',
        security: tokenAuth,
        parameters: [conversationId],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['text'],
                additionalProperties: false,
                properties: { text: { type: 'string', minLength: 1, maxLength: 4096 } },
              },
            },
          },
        },
        responses: {
          '202': {
            description: 'Accepted; the id is the message id in the transcript.',
            content: {
              'application/json': {
                schema: { type: 'object', required: ['id'], properties: { id: { type: 'integer' } } },
              },
            },
          },
          '400': errorResponse('invalid_json, invalid_body, empty_text or text_too_long.'),
          '401': errorResponse('No bearer token.'),
          '404': unknownOrWrongToken,
          '413': errorResponse('Body over 64 kB.'),
          '415': errorResponse('Body not JSON.'),
          '503': errorResponse('store_unavailable: Redis cannot be reached; nothing was recorded. Try again.'),
        },
      },
      get: {
        summary: 'Messages of the conversation, oldest first',
        security: tokenAuth,
        parameters: [conversationId, after],
        responses: {
          '200': {
            description: 'The messages.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  properties: { messages: { type: 'array', items: { $ref: '#/components/schemas/Message' } } },
                },
              },
            },
          },
          '401': errorResponse('No bearer token.'),
          '404': unknownOrWrongToken,
        },
      },
    },
    '/webchat/conversations/{id}/stream': {
      get: {
        summary: 'Messages pushed live as Server-Sent Events',
        description:
          'Events: `message` (id = message id, data = Message JSON) and `typing` (data = {"typing": boolean}). ' +
          'Resumes after `Last-Event-ID` or `after`; comment pings every 15 s.',
        security: tokenAuth,
        parameters: [conversationId, after],
        responses: {
          '200': { description: 'An event stream.', content: { 'text/event-stream': {} } },
          '401': errorResponse('No bearer token.'),
          '404': unknownOrWrongToken,
        },
      },
    },
    '/api/agent/me': {
      get: {
        summary: 'The signed-in agent: skills, capacity, the message length limit and the conversations it holds',
        security: agentAuth,
        responses: { '200': { description: 'The agent.' }, '401': errorResponse('No or unknown agent token.') },
      },
    },
    '/api/agent/agents': {
      get: {
        summary: 'The agents and their skills (whom a conversation can be transferred to)',
        security: agentAuth,
        responses: { '200': { description: '{agents: [{id, name, skills}]}' }, '401': errorResponse('No or unknown agent token.') },
      },
    },
    '/api/agent/queue': {
      get: {
        summary: 'Waiting conversations the agent may take, in serving order',
        description: 'Each: conversationId, channel, skill, priority, reason, waitingSince, lastCustomerMessage.',
        security: agentAuth,
        responses: { '200': { description: '{conversations: [...]}' }, '401': errorResponse('No or unknown agent token.') },
      },
    },
    '/api/agent/queue/claim': {
      post: {
        summary: 'Take the named waiting conversation, or the next one in the agent’s skills (atomic)',
        security: agentAuth,
        requestBody: {
          required: false,
          content: { 'application/json': { schema: { type: 'object', properties: { conversationId: { type: 'string' } } } } },
        },
        responses: {
          '200': { description: '{conversation: ticket}' },
          '204': { description: 'Nothing waits.' },
          '401': errorResponse('No or unknown agent token.'),
          '403': errorResponse('not_eligible: it waits for a skill the agent does not have.'),
          '409': errorResponse('conversation_taken: someone else got it.'),
          '429': errorResponse('at_capacity: the agent holds as many as it may.'),
        },
      },
    },
    '/api/agent/conversations/{id}': {
      get: {
        summary: 'The conversation’s context: transcript with intents and scores, escalation, collected values, customer, channel',
        security: agentAuth,
        parameters: [conversationId],
        responses: {
          '200': {
            description:
              'The context. `customer` carries `lookup` (found, unknown, unavailable), and for a known customer `profile`, recent `orders` and `cases` from the context provider.',
          },
          '403': errorResponse('not_your_conversation.'),
          '404': errorResponse('conversation_not_found.'),
        },
      },
    },
    '/api/agent/conversations/{id}/messages': {
      post: {
        summary: 'Send to the customer through the conversation’s own channel',
        security: agentAuth,
        parameters: [conversationId],
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', required: ['text'], properties: { text: { type: 'string' } } } } } },
        responses: {
          '201': { description: '{id, at} of the transcript entry.' },
          '400': errorResponse('empty_text, text_too_long, invalid_body.'),
          '403': errorResponse('not_your_conversation.'),
          '409': errorResponse('outside_messaging_window or opted_out (platform channels).'),
          '502': errorResponse('delivery_failed: the platform refused it.'),
        },
      },
    },
    '/api/agent/conversations/{id}/transfer': {
      post: {
        summary: 'Back to the queue of a skill, or straight to another agent',
        security: agentAuth,
        parameters: [conversationId],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                oneOf: [
                  { type: 'object', required: ['skill'], properties: { skill: { type: 'string' } } },
                  { type: 'object', required: ['agentId'], properties: { agentId: { type: 'string' } } },
                ],
              },
            },
          },
        },
        responses: {
          '200': { description: 'Transferred.' },
          '400': errorResponse('unknown_skill, same_agent, invalid_body.'),
          '403': errorResponse('not_your_conversation.'),
          '404': errorResponse('unknown_agent.'),
          '409': errorResponse('agent_at_capacity.'),
        },
      },
    },
    '/api/agent/conversations/{id}/release': {
      post: {
        summary: 'End the agent’s part; the bot resumes with the conversation’s context',
        security: agentAuth,
        parameters: [conversationId],
        requestBody: { required: false, content: { 'application/json': { schema: { type: 'object', properties: { note: { type: 'string', maxLength: 2000 } } } } } },
        responses: { '200': { description: 'Released.' }, '403': errorResponse('not_your_conversation.') },
      },
    },
    '/api/agent/stream': {
      get: {
        summary: 'Live events for the agent (Server-Sent Events)',
        description:
          'Events: ready, queued, dequeued, waiting_message, assigned, released, transferred, message (a line of a held conversation). ' +
          'While the stream is open the agent counts as online (automatic assignment, lease).',
        security: agentAuth,
        responses: { '200': { description: 'An event stream.', content: { 'text/event-stream': {} } }, '401': errorResponse('No or unknown agent token.') },
      },
    },
    '/webhooks/twilio': {
      post: {
        summary: 'Twilio SMS (and Twilio WhatsApp) inbound; enabled by TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, PUBLIC_BASE_URL',
        description: 'Form-encoded; X-Twilio-Signature over PUBLIC_BASE_URL + path and the parameters. Answers 200 text/xml <Response/>.',
        responses: {
          '200': { description: 'Accepted (or a duplicate MessageSid, or a status callback, ignored).' },
          '400': errorResponse('Missing signature or malformed body.'),
          '403': errorResponse('Signature does not verify.'),
          '404': errorResponse('The channel is not configured.'),
          '413': errorResponse('Body too large.'),
          '415': errorResponse('Not application/x-www-form-urlencoded.'),
          '503': errorResponse('store_unavailable: Redis cannot be reached; nothing was recorded, Twilio may retry.'),
        },
      },
    },
    '/webhooks/twilio/status': {
      post: {
        summary: 'Twilio status callbacks (recorded, never sent to the bot)',
        responses: { '204': { description: 'Recorded.' }, '400': errorResponse('Missing signature.'), '403': errorResponse('Bad signature.') },
      },
    },
    '/webhooks/messenger': {
      get: {
        summary: 'Messenger verification handshake (hub.mode, hub.verify_token, hub.challenge)',
        responses: { '200': { description: 'The challenge, as text/plain.' }, '403': errorResponse('Wrong verify token.') },
      },
      post: {
        summary: 'Messenger events; X-Hub-Signature-256 over the raw body. Enabled by META_APP_SECRET, META_VERIFY_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN',
        responses: {
          '200': { description: 'Accepted (duplicates, echoes, receipts and unknown objects are ignored).' },
          '400': errorResponse('Malformed JSON.'),
          '401': errorResponse('No signature.'),
          '403': errorResponse('Signature does not verify.'),
          '413': errorResponse('Body too large.'),
          '503': errorResponse('Could not record; Meta retries.'),
        },
      },
    },
    '/webhooks/whatsapp': {
      get: {
        summary: 'WhatsApp Cloud API verification handshake',
        responses: { '200': { description: 'The challenge, as text/plain.' }, '403': errorResponse('Wrong verify token.') },
      },
      post: {
        summary: 'WhatsApp Cloud API events; X-Hub-Signature-256 over the raw body. Enabled by META_APP_SECRET, META_VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN, WHATSAPP_PHONE_NUMBER_ID',
        responses: {
          '200': { description: 'Accepted (duplicates, statuses and unknown objects are ignored).' },
          '400': errorResponse('Malformed JSON.'),
          '401': errorResponse('No signature.'),
          '403': errorResponse('Signature does not verify.'),
          '413': errorResponse('Body too large.'),
          '503': errorResponse('Could not record; Meta retries.'),
        },
      },
    },
    '/api/messages': {
      post: {
        summary: 'Bot Framework activities (Web Chat, Direct Line, Teams); JWT checked by botbuilder. Enabled by MicrosoftAppId and MicrosoftAppPassword',
        responses: {
          '200': { description: 'Accepted (non-message activities are acknowledged and dropped).' },
          '400': errorResponse('Malformed activity.'),
          '401': errorResponse('The token does not verify.'),
          '413': errorResponse('Body too large.'),
          '415': errorResponse('Not JSON.'),
          '503': errorResponse('Signing keys unavailable, or store_unavailable (Redis cannot be reached; nothing was recorded).'),
        },
      },
    },
    '/api/notifications': {
      post: {
        summary: 'Send a message a customer did not ask for (order shipped, delivery late) on SMS, WhatsApp, Messenger or web chat',
        description:
          'The conversation is found by channel address (`to`, with `from`: our number for SMS, the phone number id for WhatsApp, the Page id for Messenger; ' +
          'a conversation id for web chat) or by `conversationId`, and created if needed. Free text goes out where the channel allows it now; on WhatsApp ' +
          'outside the 24-hour window, `template` is sent instead. `context` values are given to the bot, so the reply is understood with them.',
        security: apiKeyAuth,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['channel'],
                additionalProperties: false,
                properties: {
                  channel: { type: 'string', enum: ['sms', 'whatsapp', 'messenger', 'webchat'] },
                  to: { type: 'string', description: 'Phone number (E.164), PSID, or web chat conversation id.', example: '+14155550123' },
                  from: { type: 'string', description: 'Our number (SMS), phone number id (WhatsApp; default WHATSAPP_PHONE_NUMBER_ID), Page id (Messenger).' },
                  conversationId: { type: 'string' },
                  text: { type: 'string', maxLength: 4096, example: 'Good news: your order A1001 has shipped!' },
                  template: {
                    type: 'object',
                    required: ['name', 'language'],
                    additionalProperties: false,
                    properties: {
                      name: { type: 'string', example: 'order_shipped' },
                      language: { type: 'string', example: 'en_US' },
                      parameters: { type: 'array', items: { type: 'string' }, maxItems: 20, description: 'Body parameters, in order.' },
                    },
                  },
                  context: { type: 'object', additionalProperties: { type: 'string' }, example: { orderNumber: 'A1001' } },
                  locale: { type: 'string', example: 'en-GB' },
                },
              },
            },
          },
        },
        responses: {
          '201': {
            description: 'Sent.',
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['conversationId', 'messageId', 'channel', 'sentAs', 'created'],
                  properties: {
                    conversationId: { type: 'string' },
                    messageId: { type: 'integer' },
                    channel: { type: 'string' },
                    sentAs: { type: 'string', enum: ['text', 'template'] },
                    created: { type: 'boolean' },
                  },
                },
              },
            },
          },
          '400': errorResponse('invalid_body, empty_text, text_too_long or template_not_supported.'),
          '401': errorResponse('No or unknown API key.'),
          '404': errorResponse('conversation_not_found.'),
          '409': errorResponse('opted_out, outside_messaging_window (send a WhatsApp template) or channel_not_configured.'),
          '415': errorResponse('Body not JSON.'),
          '502': errorResponse('delivery_failed: the platform refused the message.'),
        },
      },
    },
    '/api/event-subscriptions': {
      post: {
        summary: 'Subscribe a URL to events; each delivery is signed (X-Switchboard-Signature-256: sha256=HMAC of the body)',
        security: apiKeyAuth,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['url'],
                additionalProperties: false,
                properties: {
                  url: { type: 'string', format: 'uri' },
                  events: { type: 'array', items: { type: 'string', enum: OUTBOUND_EVENTS }, description: 'All events when absent.' },
                  secret: { type: 'string', minLength: 16, description: 'The HMAC key; generated when absent.' },
                },
              },
            },
          },
        },
        responses: {
          '201': { description: 'The subscription, with its secret (shown only here).' },
          '400': errorResponse('invalid_body.'),
          '401': errorResponse('No or unknown API key.'),
        },
      },
      get: {
        summary: 'Every subscription (from EVENT_WEBHOOKS and the API), without secrets',
        security: apiKeyAuth,
        responses: { '200': { description: '{subscriptions: [{id, url, events, source}]}' }, '401': errorResponse('No or unknown API key.') },
      },
    },
    '/api/event-subscriptions/{id}': {
      delete: {
        summary: 'Remove a subscription made through the API; its pending deliveries are dropped',
        security: apiKeyAuth,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        responses: {
          '204': { description: 'Removed.' },
          '401': errorResponse('No or unknown API key.'),
          '404': errorResponse('subscription_not_found.'),
          '409': errorResponse('configured_subscription: it comes from EVENT_WEBHOOKS.'),
        },
      },
    },
    '/api/agent/supervisor/summary': {
      get: {
        summary: 'The supervisor view: containment, escalations by reason and intent, queue wait and handle time percentiles, CSAT',
        description: 'Over the last `days` UTC days, today included, for all hosts. Only for agents with the `supervisor` role.',
        security: agentAuth,
        parameters: [{ name: 'days', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 31, default: 7 } }],
        responses: {
          '200': { description: '{period, conversations, escalations, queueWait, handleTime, csat, live}' },
          '400': errorResponse('invalid_query.'),
          '401': errorResponse('No or unknown agent token.'),
          '403': errorResponse('not_a_supervisor.'),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      conversationToken: { type: 'http', scheme: 'bearer', description: 'The token from POST /webchat/conversations.' },
      agentToken: { type: 'http', scheme: 'bearer', description: 'An agent token (npm run agents:token makes one).' },
      apiKey: { type: 'http', scheme: 'bearer', description: 'One of API_KEYS: for the business’s own systems.' },
    },
    schemas: {
      Error: {
        type: 'object',
        required: ['error'],
        properties: {
          error: {
            type: 'object',
            required: ['code', 'message'],
            properties: { code: { type: 'string' }, message: { type: 'string' } },
          },
        },
      },
      Message: {
        type: 'object',
        required: ['id', 'from', 'text', 'at'],
        properties: {
          id: { type: 'integer' },
          from: { type: 'string', enum: ['customer', 'bot', 'agent', 'system'] },
          text: { type: 'string' },
          at: { type: 'integer', description: 'Milliseconds since the epoch.' },
        },
      },
    },
  },
} as const;

export function openApiRoutes(): Router {
  const router = Router();
  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument);
  });
  return router;
}
