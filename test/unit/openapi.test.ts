import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.ts';

// The routes shared/API.md fixes for this part of the product; each must be described.
const ROUTES: [string, string][] = [
  ['get', '/healthz'],
  ['get', '/readyz'],
  ['get', '/openapi.json'],
  ['get', '/metrics'],
  ['post', '/webchat/conversations'],
  ['post', '/webchat/conversations/{id}/messages'],
  ['get', '/webchat/conversations/{id}/messages'],
  ['get', '/webchat/conversations/{id}/stream'],
  ['get', '/api/agent/me'],
  ['get', '/api/agent/agents'],
  ['get', '/api/agent/queue'],
  ['post', '/api/agent/queue/claim'],
  ['get', '/api/agent/conversations/{id}'],
  ['post', '/api/agent/conversations/{id}/messages'],
  ['post', '/api/agent/conversations/{id}/transfer'],
  ['post', '/api/agent/conversations/{id}/release'],
  ['get', '/api/agent/stream'],
  ['post', '/webhooks/twilio'],
  ['post', '/webhooks/twilio/status'],
  ['get', '/webhooks/messenger'],
  ['post', '/webhooks/messenger'],
  ['get', '/webhooks/whatsapp'],
  ['post', '/webhooks/whatsapp'],
  ['post', '/api/messages'],
  ['post', '/api/notifications'],
  ['post', '/api/event-subscriptions'],
  ['get', '/api/event-subscriptions'],
  ['delete', '/api/event-subscriptions/{id}'],
  ['get', '/api/agent/supervisor/summary'],
];

describe('the OpenAPI document', () => {
  it.each(ROUTES)('describes %s %s', (method, route) => {
    const paths: Record<string, Record<string, unknown>> = openApiDocument.paths;
    expect(paths[route]?.[method]).toBeDefined();
  });
});
