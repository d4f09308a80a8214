import { z } from 'zod';
import { TEMPLATE_PLACEHOLDERS, templateProblem } from '../integrations/http-context-provider.ts';
import { OUTBOUND_EVENTS } from './event-types.ts';

/**
 * Schemas of the integration variables (context providers, API keys, event
 * webhooks), used by src/config.ts. Kept here, next to the code they
 * configure; README "Integrations" documents them.
 */

/** A URL template of the HTTP context provider, its placeholders checked. */
export const urlTemplateFromEnv = (template: keyof typeof TEMPLATE_PLACEHOLDERS) =>
  z.string().superRefine((value, ctx) => {
    const problem = templateProblem(value, TEMPLATE_PLACEHOLDERS[template]);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** `Name: value`, e.g. `Authorization: Bearer abc`. */
export const headerFromEnv = z
  .string()
  .regex(/^[A-Za-z0-9-]+:\s*\S/, 'a header line, e.g. "Authorization: Bearer abc"')
  .transform((line) => {
    const colon = line.indexOf(':');
    return { name: line.slice(0, colon).trim(), value: line.slice(colon + 1).trim() };
  });

const API_KEY = /^[A-Za-z0-9._~+/=-]{16,256}$/;

/** Comma-separated keys, each 16 to 256 characters of `A-Za-z0-9._~+/=-`. */
export const apiKeysFromEnv = z.string().transform((text, ctx) => {
  const keys = text.split(',').map((key) => key.trim()).filter(Boolean);
  for (const [index, key] of keys.entries()) {
    if (!API_KEY.test(key)) {
      ctx.addIssue({ code: 'custom', message: `key ${index + 1} must be 16 to 256 characters of A-Z a-z 0-9 . _ ~ + / = -` });
      return z.NEVER;
    }
  }
  return keys;
});

export const webhookSubscriptionSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/).optional(),
    url: z.url({ protocol: /^https?$/ }),
    /** The HMAC key; the receiver checks signatures with the same secret. */
    secret: z.string().min(16, 'a secret of at least 16 characters').max(256),
    /** The events to deliver; all of them when absent. */
    events: z.array(z.enum(OUTBOUND_EVENTS)).min(1).optional(),
  })
  .strict();

/** A JSON array of `{ url, secret, events? }`. */
export const eventWebhooksFromEnv = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'not valid JSON' });
      return z.NEVER;
    }
  })
  .pipe(z.array(webhookSubscriptionSchema));
