import type { Conversation } from '../core/conversation.ts';
import type { ConversationLog } from '../core/conversation-log.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../logger.ts';
import type { EventEmitter } from '../outbound/event-webhooks.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import { utcDay, type StatsStore } from './stats-store.ts';

export interface CsatRecorderDependencies {
  store: ConversationStore;
  log: ConversationLog;
  stats: StatsStore;
  events: EventEmitter;
  logger: Logger;
  metrics?: Metrics;
}

/**
 * Keeps a customer's 1–5 rating: on the conversation (its handoff record,
 * next to the agent and the release), as a note agents see, in the
 * supervisor's figures and `switchboard_csat_ratings_total`, and as a
 * `csat.received` event.
 */
export class CsatRecorder {
  constructor(private readonly deps: CsatRecorderDependencies) {}

  async record(conversation: Conversation, rating: number): Promise<void> {
    const at = Date.now();
    const current = (await this.deps.store.get(conversation.id)) ?? conversation;
    const handoff = current.handoff && { ...current.handoff, csat: { rating, at } };
    if (handoff) await this.deps.store.update(conversation.id, { handoff });
    await this.deps.log.append(conversation.id, {
      from: 'system',
      text: `The customer rated the help ${rating}/5${handoff?.agentId ? ` (agent ${handoff.agentId})` : ''}.`,
      at,
      internal: true,
    });
    this.deps.metrics?.csatRatings.inc({ rating: String(rating) });
    await this.deps.stats.increment(utcDay(at), { [`csat:${rating}`]: 1 });
    this.deps.logger.info({ conversationId: conversation.id, rating }, 'csat received');
    await this.deps.events.emit('csat.received', {
      conversationId: conversation.id,
      channel: conversation.channel,
      userId: conversation.userId,
      rating,
      ...(handoff?.agentId ? { agentId: handoff.agentId } : {}),
    });
  }
}
