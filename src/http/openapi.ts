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
  },
  components: {
    securitySchemes: {
      conversationToken: { type: 'http', scheme: 'bearer', description: 'The token from POST /webchat/conversations.' },
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
