import type { RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../logger.ts';

declare module 'express-serve-static-core' {
  interface Locals {
    requestId: string;
  }
}

/**
 * One log line per request with its id, method, path (never the query or the
 * body, which can carry tokens and customer text), status and duration.
 */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const requestId = randomUUID();
    const startedAt = performance.now();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    res.on('finish', () => {
      const level = res.statusCode >= 500 ? 'error' : 'info';
      logger[level](
        {
          requestId,
          method: req.method,
          // originalUrl keeps the mount path; the query is cut off (it may carry ids or tokens).
          path: req.originalUrl.split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - startedAt),
        },
        'request',
      );
    });
    next();
  };
}
