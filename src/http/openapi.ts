import { Router } from 'express';

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
          '200': { description: 'The context.' },
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
          '503': errorResponse('Signing keys unavailable.'),
        },
      },
    },
  },
  components: {
    securitySchemes: {
      conversationToken: { type: 'http', scheme: 'bearer', description: 'The token from POST /webchat/conversations.' },
      agentToken: { type: 'http', scheme: 'bearer', description: 'An agent token (npm run agents:token makes one).' },
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
