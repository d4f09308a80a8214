import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { conversationTopic, type ConversationEvent } from '../core/conversation-log.ts';
import { SwitchboardError, unauthorized } from '../core/errors.ts';
import { countCharacters } from '../core/text.ts';
import type { EventStreams } from '../http/event-stream.ts';
import { hasBody, parseBody } from '../http/validation.ts';
import type { Logger } from '../logger.ts';
import type { EventBus } from '../store/event-bus.ts';
import type { Agent, AgentDirectory } from './agent-directory.ts';
import { QUEUE_TOPIC, agentTopic, type AgentEvent } from './handoff-events.ts';
import type { HandoffService } from './handoff-service.ts';

export interface AgentRouteDependencies {
  agents: AgentDirectory;
  handoff: HandoffService;
  bus: EventBus;
  streams: EventStreams;
  maxMessageLength: number;
  logger: Logger;
}

declare module 'express-serve-static-core' {
  interface Locals {
    agent: Agent;
  }
}

const claimSchema = z.object({ conversationId: z.string().min(1).max(200).optional() }).strict();
const messageSchema = z.object({ text: z.string({ error: 'text is required and must be a string' }) }).strict();
const transferSchema = z.union([
  z.object({ skill: z.string().min(1).max(64) }).strict(),
  z.object({ agentId: z.string().min(1).max(64) }).strict(),
], { error: 'send {"skill": "…"} or {"agentId": "…"}' });
const releaseSchema = z.object({ note: z.string().max(2000).optional() }).strict();

/** The agent API of shared/API.md ("Agents"): every route needs an agent's bearer token. */
export function agentRoutes(deps: AgentRouteDependencies): Router {
  const router = Router();
  router.use(authenticate(deps));

  router.get('/me', async (_req, res) => {
    const { id, name, skills, capacity, roles } = res.locals.agent;
    res.json({
      id,
      name,
      skills,
      capacity,
      roles: roles ?? [],
      maxMessageLength: deps.maxMessageLength,
      conversations: await deps.handoff.heldBy(id),
    });
  });

  // Who a conversation can be transferred to (the console's transfer menu): agents and their skills.
  router.get('/agents', (_req, res) => {
    res.json({ agents: deps.agents.all().map(({ id, name, skills }) => ({ id, name, skills })) });
  });

  router.get('/queue', async (_req, res) => {
    res.json({ conversations: await deps.handoff.waitingFor(res.locals.agent) });
  });

  router.post('/queue/claim', async (req, res) => {
    const { conversationId } = hasBody(req) ? parseBody(req, claimSchema) : {};
    const result = await deps.handoff.claim(res.locals.agent, conversationId);
    switch (result.outcome) {
      case 'claimed':
        res.json({ conversation: result.ticket });
        return;
      case 'empty':
        res.status(204).end();
        return;
      case 'taken':
        throw new SwitchboardError('conversation_taken', 'Someone else has it, or it is no longer waiting.', 409);
      case 'at_capacity':
        throw new SwitchboardError('at_capacity', 'You hold as many conversations as you can; release one first.', 429);
      case 'not_eligible':
        throw new SwitchboardError('not_eligible', 'That conversation waits for a skill you do not have.', 403);
    }
  });

  router.get('/conversations/:id', async (req, res) => {
    res.json(await deps.handoff.context(res.locals.agent, req.params.id));
  });

  router.post('/conversations/:id/messages', async (req, res) => {
    const { text } = parseBody(req, messageSchema);
    if (text.trim() === '') throw new SwitchboardError('empty_text', 'The message has no text.');
    const length = countCharacters(text);
    if (length > deps.maxMessageLength) {
      throw new SwitchboardError('text_too_long', `The message is ${length} characters; the limit is ${deps.maxMessageLength}.`);
    }
    const entry = await deps.handoff.sendAsAgent(res.locals.agent, req.params.id, text);
    res.status(201).json({ id: entry.id, at: entry.at });
  });

  router.post('/conversations/:id/transfer', async (req, res) => {
    await deps.handoff.transfer(res.locals.agent, req.params.id, parseBody(req, transferSchema));
    res.json({ ok: true });
  });

  router.post('/conversations/:id/release', async (req, res) => {
    const { note } = hasBody(req) ? parseBody(req, releaseSchema) : {};
    await deps.handoff.release(res.locals.agent, req.params.id, note?.trim() || undefined);
    res.json({ ok: true });
  });

  router.get('/stream', async (req, res) => {
    await streamAgentEvents(deps, res.locals.agent, deps.streams.start(req, res));
  });

  return router;
}

/**
 * The agent's live events: the queue (in its skills), what is given to or
 * taken from it, and every line of the conversations it holds. On connect
 * the agent counts as online (auto-assignment, lease) until it disconnects.
 */
async function streamAgentEvents(
  deps: AgentRouteDependencies,
  agent: Agent,
  stream: ReturnType<EventStreams['start']>,
): Promise<void> {
  const send = (event: AgentEvent) => stream.send(event.type, event);
  const held = new Map<string, Promise<() => Promise<void>>>();
  const follow = (conversationId: string) => {
    if (held.has(conversationId)) return;
    held.set(
      conversationId,
      deps.bus.subscribe(conversationTopic(conversationId), (payload) => {
        const event = payload as ConversationEvent;
        if (event.type === 'message') send({ type: 'message', conversationId, entry: event.entry });
      }),
    );
  };
  const unfollow = (conversationId: string) => {
    const subscription = held.get(conversationId);
    held.delete(conversationId);
    void subscription?.then((unsubscribe) => unsubscribe());
  };

  const subscriptions = [
    deps.bus.subscribe(QUEUE_TOPIC, (payload) => {
      const event = payload as AgentEvent;
      if ('skill' in event && agent.skills.includes(event.skill)) send(event);
    }),
    deps.bus.subscribe(agentTopic(agent.id), (payload) => {
      const event = payload as AgentEvent;
      if (event.type === 'assigned') follow(event.conversationId);
      if (event.type === 'released' || event.type === 'transferred') unfollow(event.conversationId);
      send(event);
    }),
  ];
  stream.onClose(() => {
    deps.handoff.agentDisconnected(agent);
    for (const subscription of [...subscriptions, ...held.values()]) {
      void subscription.then((unsubscribe) => unsubscribe());
    }
    held.clear();
  });
  await Promise.all(subscriptions);
  for (const ticket of await deps.handoff.heldBy(agent.id)) follow(ticket.conversationId);
  await Promise.all(held.values());
  stream.send('ready', { agentId: agent.id });
  if (!stream.closed) await deps.handoff.agentConnected(agent);
}

/** Bearer agent token → the agent; every request also renews the agent's lease. */
export function authenticate(deps: Pick<AgentRouteDependencies, 'agents' | 'handoff'>): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer ([A-Za-z0-9._~+/=-]{16,512})$/.exec(req.header('authorization') ?? '');
    const agent = match?.[1] ? deps.agents.authenticate(match[1]) : undefined;
    if (!agent) throw unauthorized('Send your agent token as "Authorization: Bearer <token>".');
    res.locals.agent = agent;
    await deps.handoff.touch(agent);
    next();
  };
}
