import { Router } from 'express';

/** A readiness check: resolves with nothing when fine, or with the reason it is not. */
export type ReadinessCheck = () => Promise<string | undefined>;

/**
 * `/healthz` answers while the process runs (restart me if not);
 * `/readyz` answers 200 only when every check passes (send me traffic).
 */
export function healthRoutes(checks: Record<string, ReadinessCheck>): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      Object.entries(checks).map(async ([name, check]) => {
        const problem = await check().catch((error: unknown) =>
          error instanceof Error ? error.message : 'check failed',
        );
        return [name, problem ?? 'ok'] as const;
      }),
    );
    const failing = results.filter(([, result]) => result !== 'ok');
    if (failing.length === 0) {
      res.json({ status: 'ready', checks: Object.fromEntries(results) });
      return;
    }
    res.status(503).json({
      error: {
        code: 'not_ready',
        message: failing.map(([name, reason]) => `${name}: ${reason}`).join('; '),
      },
      checks: Object.fromEntries(results),
    });
  });
  return router;
}
