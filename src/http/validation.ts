import type { Request } from 'express';
import type { z } from 'zod';
import { SwitchboardError } from '../core/errors.ts';

/** Parses a JSON body with a schema; a mismatch is a 400 naming the field. */
export function parseBody<Schema extends z.ZodType>(req: Request, schema: Schema): z.output<Schema> {
  if (!req.is('application/json')) {
    throw new SwitchboardError('unsupported_media_type', 'Send the body as application/json.', 415);
  }
  return parseWith(schema, req.body, 'invalid_body');
}

export function parseQuery<Schema extends z.ZodType>(req: Request, schema: Schema): z.output<Schema> {
  return parseWith(schema, req.query, 'invalid_query');
}

function parseWith<Schema extends z.ZodType>(schema: Schema, value: unknown, code: string): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length > 0 ? `${first.path.join('.')}: ` : '';
  throw new SwitchboardError(code, `${where}${first?.message ?? 'invalid'}`);
}

/** Whether the request carries a body at all (some routes take an optional one). */
export const hasBody = (req: Request): boolean =>
  Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
