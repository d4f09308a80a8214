import express, { type Router } from 'express';
import type { Logger } from '../logger.ts';
import { errorHandler, notFoundHandler } from './error-handler.ts';
import { requestLogger } from './request-logger.ts';
import { securityHeaders } from './security-headers.ts';

export interface AppParts {
  logger: Logger;
  /** Routers mounted in order, each at its path. */
  routes: { path: string; router: Router }[];
  /** Folders of static pages, each at its path (the customer chat page at `/`). */
  pages: { path: string; dir: string }[];
  /**
   * Path prefixes whose routers read the body themselves (platform webhooks
   * verify a signature over the raw bytes before anything parses them).
   */
  ownBodyPaths?: string[];
}

/** JSON bodies above this are refused with 413 before any handler runs. */
const JSON_BODY_LIMIT = '64kb';

/** The Express app: middleware that applies to every route, then the routes, then errors. */
export function createApp(parts: AppParts): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  app.use(requestLogger(parts.logger));
  app.use(securityHeaders);
  const ownBodyPaths = parts.ownBodyPaths ?? [];
  const readsOwnBody = (url: string): boolean => {
    const path = url.split('?')[0] ?? '';
    return ownBodyPaths.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
  };
  app.use(
    express.json({
      limit: JSON_BODY_LIMIT,
      strict: true,
      type: (req) => !readsOwnBody(req.url ?? '') && /^application\/json\s*(;|$)/i.test(req.headers['content-type'] ?? ''),
    }),
  );
  for (const { path, router } of parts.routes) app.use(path, router);
  for (const { path, dir } of parts.pages) app.use(path, express.static(dir, { index: 'index.html', maxAge: '5m' }));
  app.use(notFoundHandler);
  app.use(errorHandler(parts.logger));
  return app;
}
