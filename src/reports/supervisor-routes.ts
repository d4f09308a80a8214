import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { SwitchboardError } from '../core/errors.ts';
import { parseQuery } from '../http/validation.ts';
import type { AgentDirectory } from '../handoff/agent-directory.ts';
import type { StatsStore } from './stats-store.ts';
import { supervisorSummary } from './supervisor-summary.ts';

export interface SupervisorRouteDependencies {
  /** The agent API's own authentication (bearer agent token → res.locals.agent). */
  authenticate: RequestHandler;
  agents: AgentDirectory;
  stats: StatsStore;
  queueDepths: () => Promise<Map<string, number>>;
}

const querySchema = z.object({ days: z.coerce.number().int().min(1).max(31).default(7) }).strict();

/** GET /api/agent/supervisor/summary: for agents with the `supervisor` role (403 for others). */
export function supervisorRoutes(deps: SupervisorRouteDependencies): Router {
  const router = Router();
  router.use(deps.authenticate);
  router.use((_req, res, next) => {
    if (!res.locals.agent.roles?.includes('supervisor')) {
      throw new SwitchboardError('not_a_supervisor', 'The supervisor view is for agents with the supervisor role.', 403);
    }
    next();
  });
  router.get('/summary', async (req, res) => {
    const { days } = parseQuery(req, querySchema);
    res.json(
      await supervisorSummary({
        stats: deps.stats,
        days,
        agentName: (agentId) => deps.agents.get(agentId)?.name ?? agentId,
        queueDepth: deps.queueDepths,
      }),
    );
  });
  return router;
}
