import type { Conversation } from '../core/conversation.ts';
import type { Agent } from '../handoff/agent-directory.ts';
import type { HeldTicket } from '../handoff/agent-queue.ts';
import type { HandoffObserver } from '../handoff/handoff-observer.ts';
import type { HandoffRecord } from '../handoff/handoff-record.ts';
import type { Metrics } from '../http/metrics.ts';
import type { Logger } from '../logger.ts';
import type { Classification } from '../nlu/intent-classifier.ts';
import type { EventEmitter } from '../outbound/event-webhooks.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import type { DedupeStore } from '../store/dedupe-store.ts';
import { utcDay, type StatsStore } from './stats-store.ts';

/** A conversation counts once as the bot's, and once as escalated, within this long. */
const COUNT_ONCE_MS = 40 * 24 * 3600_000;

export interface HandoffReporterDependencies {
  stats: StatsStore;
  events: EventEmitter;
  store: ConversationStore;
  /** Makes counting once per conversation hold across hosts. */
  dedupe: DedupeStore;
  logger: Logger;
  metrics?: Metrics;
}

/** The fields every event about a conversation carries. */
const about = (conversation: Conversation) => ({
  conversationId: conversation.id,
  channel: conversation.channel,
  userId: conversation.userId,
});

const seconds = (ms: number): number => Math.round(ms / 100) / 10;

/**
 * Turns the handoff's steps into the supervisor's figures (containment,
 * escalations by reason and intent, queue waits, handle times), Prometheus
 * metrics and outbound events (`conversation.escalated`, `.claimed`,
 * `.released`, `.closed`). Figures go to the shared stats store, so the
 * supervisor view adds up every host.
 */
export class HandoffReporter implements HandoffObserver {
  /** Conversations this host already counted, so most turns cost no Redis call (bounded). */
  private readonly counted = new Set<string>();

  constructor(private readonly deps: HandoffReporterDependencies) {}

  /** Every customer message the bot handled (DialogEngine.onMessageTurn): counts the conversation once. */
  botTurn(conversation: Conversation, _nlu: Classification): void {
    if (this.counted.has(conversation.id)) return;
    this.counted.add(conversation.id);
    if (this.counted.size > 10_000) this.counted.clear();
    void this.countOnce(`stats:bot:${conversation.id}`, async () => {
      this.deps.metrics?.botConversations.inc();
      await this.deps.stats.increment(utcDay(Date.now()), { bot_conversations: 1 });
    });
  }

  async escalated(conversation: Conversation, handoff: HandoffRecord): Promise<void> {
    const intent = handoff.evidence[0]?.intent ?? 'None';
    this.deps.metrics?.escalationsByIntent.inc({ intent });
    await this.deps.stats.increment(utcDay(handoff.escalatedAt), { escalations: 1, [`reason:${handoff.reason}`]: 1, [`intent:${intent}`]: 1 });
    await this.countOnce(`stats:escalated:${conversation.id}`, async () => {
      this.deps.metrics?.escalatedConversations.inc();
      await this.deps.stats.increment(utcDay(handoff.escalatedAt), { escalated_conversations: 1 });
    });
    await this.deps.events.emit('conversation.escalated', {
      ...about(conversation),
      reason: handoff.reason,
      skill: handoff.skill,
      priority: handoff.priority,
      intent,
      ...(handoff.detail ? { detail: handoff.detail } : {}),
    });
  }

  async assigned(conversation: Conversation, ticket: HeldTicket, agent: Agent, from?: Agent): Promise<void> {
    const waitMs = ticket.assignedAt - ticket.enqueuedAt;
    if (!from) await this.deps.stats.addWait(utcDay(ticket.assignedAt), waitMs);
    await this.deps.events.emit('conversation.claimed', {
      ...about(conversation),
      agentId: agent.id,
      skill: ticket.skill,
      ...(from ? { fromAgentId: from.id } : { waitSeconds: seconds(waitMs) }),
    });
  }

  async released(conversation: Conversation, agent: Agent): Promise<void> {
    const { assignedAt, releasedAt, releaseNote } = conversation.handoff ?? {};
    const handleMs = assignedAt !== undefined && releasedAt !== undefined ? Math.max(0, releasedAt - assignedAt) : undefined;
    if (handleMs !== undefined) {
      this.deps.metrics?.handleTime.observe(handleMs / 1000);
      await this.deps.stats.addHandle(utcDay(releasedAt ?? Date.now()), agent.id, handleMs);
    }
    await this.deps.events.emit('conversation.released', {
      ...about(conversation),
      agentId: agent.id,
      ...(handleMs === undefined ? {} : { handleSeconds: seconds(handleMs) }),
      ...(releaseNote ? { note: releaseNote } : {}),
    });
  }

  async customerLeft(conversationId: string): Promise<void> {
    const conversation = await this.deps.store.get(conversationId);
    if (!conversation) return;
    // A redelivered STOP changes nothing on the conversation: same key, no second event.
    const key = `event:closed:${conversationId}:${conversation.lastCustomerMessageAt ?? 0}`;
    if (!(await this.deps.dedupe.firstSeen(key, COUNT_ONCE_MS))) return;
    await this.deps.events.emit('conversation.closed', { ...about(conversation), reason: 'opted_out' });
  }

  private async countOnce(key: string, count: () => Promise<void>): Promise<void> {
    try {
      if (await this.deps.dedupe.firstSeen(key, COUNT_ONCE_MS)) await count();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'supervisor figure not counted');
    }
  }
}
