import { Router, type Request, type RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Conversation, TranscriptEntry } from '../../core/conversation.ts';
import type { ConversationLog, ConversationEvent } from '../../core/conversation-log.ts';
import { SwitchboardError, notFound, unauthorized } from '../../core/errors.ts';
import { countCharacters } from '../../core/text.ts';
import type { Inbox } from '../../core/inbox.ts';
import type { EventStreams } from '../../http/event-stream.ts';
import { hasBody, parseBody, parseQuery } from '../../http/validation.ts';
import type { ConversationStore } from '../../store/conversation-store.ts';
import { hashWebchatToken, newWebchatToken, webchatTokenMatches } from './webchat-token.ts';

export interface WebchatDependencies {
  store: ConversationStore;
  log: ConversationLog;
  /** Where customer messages go: recorded, queued durably, answered by a turn runner on some host. */
  inbox: Pick<Inbox, 'post'>;
  streams: EventStreams;
  maxMessageLength: number;
  /** Maps what the page asks for (e.g. `en-GB`) to a locale the bot speaks. */
  resolveLocale: (requested: string | undefined) => string;
  /** The customer's place in the agent queue, if waiting (sent when a stream opens). */
  queuePosition: (conversationId: string) => Promise<{ position: number; length: number; estimatedWaitMs?: number } | undefined>;
}

declare module 'express-serve-static-core' {
  interface Locals {
    conversation: Conversation;
  }
}

/** What a customer sees of a transcript entry: never the NLU evidence or internals. */
const customerView = ({ id, from, text, at }: TranscriptEntry) => ({ id, from, text, at });

const createSchema = z
  .object({ locale: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag').optional() })
  .strict();
const messageSchema = z.object({ text: z.string({ error: 'text is required and must be a string' }) }).strict();
const afterSchema = z.object({ after: z.coerce.number().int().min(0).optional() });
const conversationNotFound = () =>
  notFound('conversation_not_found', 'No such conversation, or the token does not open it.');

/** The web chat channel: the customer page's whole API (shared/API.md, "Customer web chat"). */
export function webchatRoutes(deps: WebchatDependencies): Router {
  const router = Router();

  router.post('/conversations', async (req, res) => {
    const { locale } = hasBody(req) ? parseBody(req, createSchema) : {};
    const token = newWebchatToken();
    const { conversation } = await deps.store.getOrCreate({
      channel: 'webchat',
      conversationKey: `webchat:${randomUUID()}`,
      userId: `webchat-user:${randomUUID()}`,
      address: { tokenHash: hashWebchatToken(token) },
      locale: deps.resolveLocale(locale),
    });
    res.status(201).json({ conversationId: conversation.id, token });
  });

  const authorize = authorizeConversation(deps.store);

  router.post('/conversations/:id/messages', authorize, async (req, res) => {
    const { text } = parseBody(req, messageSchema);
    const length = countCharacters(text);
    if (text.trim().length === 0) throw new SwitchboardError('empty_text', 'The message has no text.');
    if (length > deps.maxMessageLength) {
      throw new SwitchboardError(
        'text_too_long',
        `The message is ${length} characters; the limit is ${deps.maxMessageLength}.`,
      );
    }
    const entry = await deps.inbox.post(res.locals.conversation, { text, requestId: res.locals.requestId });
    res.status(202).json({ id: entry.id });
  });

  router.get('/conversations/:id/messages', authorize, async (req, res) => {
    const { after } = parseQuery(req, afterSchema);
    const entries = await deps.store.transcript(res.locals.conversation.id, after === undefined ? {} : { after });
    res.json({ messages: entries.filter((entry) => !entry.internal).map(customerView) });
  });

  router.get('/conversations/:id/stream', authorize, async (req, res) => {
    const { after } = parseQuery(req, afterSchema);
    const conversationId = res.locals.conversation.id;
    const stream = deps.streams.start(req, res);
    let lastSentId = lastEventId(req) ?? after ?? 0;
    // Subscribe before reading the backlog so nothing falls between the two;
    // ids make the overlap harmless.
    let backlogSent = false;
    const early: ConversationEvent[] = [];
    const forward = (event: ConversationEvent) => {
      switch (event.type) {
        case 'typing':
          stream.send('typing', { typing: event.typing });
          return;
        case 'queue': {
          const { type: _type, ...status } = event;
          stream.send('queue', status);
          return;
        }
        case 'message':
          if (event.entry.id <= lastSentId) return;
          lastSentId = event.entry.id;
          if (!event.entry.internal) stream.send('message', customerView(event.entry), event.entry.id);
      }
    };
    const unsubscribe = await deps.log.watch(conversationId, (event) => {
      if (backlogSent) forward(event);
      else early.push(event);
    });
    stream.onClose(() => void unsubscribe());
    if (stream.closed) return;
    for (const entry of await deps.store.transcript(conversationId, { after: lastSentId })) {
      forward({ type: 'message', entry });
    }
    backlogSent = true;
    for (const event of early) forward(event);
    // A page that (re)connects while waiting learns its place at once, not at the next move.
    const position = await deps.queuePosition(conversationId);
    if (position) forward({ type: 'queue', ...position });
  });

  return router;
}

/** The `Last-Event-ID` a reconnecting EventSource sends, when it is a valid id. */
function lastEventId(req: Request): number | undefined {
  const header = req.header('last-event-id');
  if (header === undefined || !/^\d{1,15}$/.test(header)) return undefined;
  return Number(header);
}

/**
 * Bearer token → the conversation it opens. A wrong token and an unknown
 * conversation get the same 404, so a caller learns nothing about either.
 */
function authorizeConversation(store: ConversationStore): RequestHandler<{ id: string }> {
  return async (req, res, next) => {
    const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(req.header('authorization') ?? '');
    if (!match?.[1]) throw unauthorized('Send the conversation token as "Authorization: Bearer <token>".');
    const conversation = /^[A-Za-z0-9-]{1,100}$/.test(req.params.id) ? await store.get(req.params.id) : undefined;
    const tokenHash = conversation?.channel === 'webchat' ? conversation.address.tokenHash : undefined;
    if (!conversation || !tokenHash || !webchatTokenMatches(match[1], tokenHash)) throw conversationNotFound();
    res.locals.conversation = conversation;
    next();
  };
}
