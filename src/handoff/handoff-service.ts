import type { Conversation, TranscriptEntry } from '../core/conversation.ts';
import type { ConversationLog } from '../core/conversation-log.ts';
import { SwitchboardError, isSwitchboardError, notFound } from '../core/errors.ts';
import type { ReplyDispatcher } from '../core/reply-dispatcher.ts';
import type { HandoffHooks } from '../core/turn-runner.ts';
import type { Logger } from '../logger.ts';
import type { Metrics } from '../http/metrics.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import type { DedupeStore } from '../store/dedupe-store.ts';
import type { EventBus } from '../store/event-bus.ts';
import type { AgentDirectory, Agent } from './agent-directory.ts';
import type { AgentQueue, ClaimResult, HandoffTicket, HeldTicket, QueueAgent } from './agent-queue.ts';
import type { Escalation } from './escalation-policy.ts';
import { QUEUE_TOPIC, agentTopic, type AgentEvent } from './handoff-events.ts';
import { messagesFor } from '../core/catalogue.ts';
import { NOTICES, type HandoffNotices } from './handoff-notices.ts';
import type { HandoffRecord } from './handoff-record.ts';
import type { HandoffObserver } from './handoff-observer.ts';
import type { CustomerContext } from '../integrations/customer-context.ts';

export interface HandoffSettings {
  /** Intent → skill of the queue its escalations go to. */
  skills: ReadonlyMap<string, string>;
  defaultSkill: string;
  /** Reason → priority (higher is served first); unlisted reasons get 0. */
  priorities: ReadonlyMap<string, number>;
  /** Give waiting conversations to connected agents without waiting for a claim. */
  autoAssign: boolean;
  agentLeaseMs: number;
  noAgentTimeoutMs: number;
  /** NO_AGENT_MESSAGE: said in every language instead of the notice in the conversation's own. */
  noAgentMessage: string | undefined;
  /** How often each host reaps lost agents, sends overdue notices and assigns. */
  sweepMs: number;
  /** The bot's dialog for taking back over (e.g. "anything else I can help with?"). */
  resumeDialogId: string | undefined;
}

/** What the handoff needs from the bot side (the TurnRunner). */
export interface BotControl {
  runDialog(conversationId: string, dialogId: string): Promise<void>;
  collectedValues(conversation: Conversation): Promise<Record<string, string>>;
}

export interface HandoffDependencies {
  store: ConversationStore;
  log: ConversationLog;
  dispatcher: ReplyDispatcher;
  queue: AgentQueue;
  agents: AgentDirectory;
  bus: EventBus;
  dedupe: DedupeStore;
  logger: Logger;
  settings: HandoffSettings;
  bot: BotControl;
  metrics?: Metrics;
  /** Told of escalations, assignments, releases and departures (outbound events, supervisor figures). */
  observer?: HandoffObserver;
  /** The customer's profile, recent orders and cases from the business's systems (never throws). */
  customerContext?: (conversation: Conversation) => Promise<CustomerContext>;
}

export type TransferTarget = { skill: string } | { agentId: string };

/** What an agent sees of a conversation: everything the bot knew, and what happened since. */
export interface ConversationContext {
  conversation: Pick<
    Conversation,
    'id' | 'channel' | 'status' | 'locale' | 'createdAt' | 'updatedAt' | 'lastCustomerMessageAt'
  >;
  customer: { userId: string; channel: Conversation['channel'] } & Partial<CustomerContext>;
  handoff: HandoffRecord | undefined;
  ticket: HandoffTicket | HeldTicket | undefined;
  holder: string | undefined;
  collected: Record<string, string>;
  transcript: TranscriptEntry[];
}

/** How many waiting customers get live updates of their place in line after each change. */
const POSITION_UPDATES = 10;
const NOTICE_MEMORY_MS = 7 * 24 * 3600_000;
/** Bot turns this far back are searched for an intent that names a skill. */
const SKILL_LOOKBACK = 20;

/** Why a notice to the customer may not go out without that stopping the handoff. */
const NOTICE_MAY_FAIL = new Set(['outside_messaging_window', 'delivery_failed', 'opted_out']);

const forbidden = (message: string) => new SwitchboardError('not_your_conversation', message, 403);

/**
 * Human handoff: puts conversations in the agent queue with their context,
 * gives them to agents (by claim or automatically), carries agent messages to
 * the customer's channel, and gives the conversation back to the bot. Every
 * state change is announced to agents (QUEUE_TOPIC, agentTopic) and to the
 * customer (system notices, live queue position), over the event bus, so it
 * works across hosts.
 */
export class HandoffService implements HandoffHooks {
  private readonly connected = new Map<string, number>();
  private readonly lastAssignedAt = new Map<string, number>();
  private sweepTimer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly deps: HandoffDependencies) {}

  // ── bot side ────────────────────────────────────────────────────────────

  async escalate(conversation: Conversation, escalation: Escalation): Promise<void> {
    const { settings } = this.deps;
    const now = Date.now();
    const skill = await this.skillFor(conversation, escalation);
    const priority = settings.priorities.get(escalation.reason) ?? 0;
    const ticket: HandoffTicket = {
      conversationId: conversation.id,
      channel: conversation.channel,
      skill,
      priority,
      reason: escalation.reason,
      enqueuedAt: now,
    };
    if (!(await this.deps.queue.enqueue(ticket))) return;
    this.deps.metrics?.escalations.inc({ reason: escalation.reason, skill });
    const handoff: HandoffRecord = {
      reason: escalation.reason,
      evidence: escalation.evidence,
      ...(escalation.entities === undefined ? {} : { entities: escalation.entities }),
      ...(escalation.sentiment === undefined ? {} : { sentiment: escalation.sentiment }),
      ...(escalation.detail === undefined ? {} : { detail: escalation.detail }),
      skill,
      priority,
      escalatedAt: now,
    };
    const queued = await this.deps.store.update(conversation.id, { status: 'queued', handoff });
    await this.internalNote(conversation.id, `Escalated to a person (${escalation.reason}): ${describeEvidence(handoff)}`);
    await this.observe((observer) => observer.escalated(queued, handoff));
    await this.notify(queued, notices(queued).escalated(await this.deps.queue.position(conversation.id)));
    await this.publish(QUEUE_TOPIC, { type: 'queued', ...ticket });
    this.deps.logger.info({ conversationId: conversation.id, reason: escalation.reason, skill }, 'escalated');
    await this.announcePositions(skill);
    await this.assignWaiting();
  }

  async customerWroteDuringHandoff(conversation: Conversation, entry: TranscriptEntry): Promise<void> {
    // Agents holding it see the message through the conversation's own events;
    // agents looking at the queue learn the waiting customer said more.
    if (conversation.status !== 'queued') return;
    const ticket = await this.deps.queue.ticket(conversation.id);
    if (!ticket) return;
    await this.publish(QUEUE_TOPIC, {
      type: 'waiting_message',
      conversationId: conversation.id,
      skill: ticket.skill,
      text: entry.text,
      at: entry.at,
    });
  }

  /**
   * The customer left (e.g. texted STOP): the conversation leaves the queue or
   * the agent's hands, and whoever was involved hears of it. True if it was
   * waiting or held.
   */
  async customerLeft(conversationId: string): Promise<boolean> {
    await this.observe((observer) => observer.customerLeft(conversationId));
    const [ticket, holder] = await Promise.all([
      this.deps.queue.ticket(conversationId),
      this.deps.queue.holder(conversationId),
    ]);
    if (!(await this.deps.queue.remove(conversationId))) return false;
    if (holder) {
      await this.publish(agentTopic(holder), { type: 'released', conversationId, agentId: holder, reason: 'customer_left' });
    } else if (ticket) {
      await this.publish(QUEUE_TOPIC, { type: 'dequeued', conversationId, skill: ticket.skill });
      await this.announcePositions(ticket.skill);
    }
    return true;
  }

  // ── agent side ──────────────────────────────────────────────────────────

  async claim(agent: Agent, conversationId?: string): Promise<ClaimResult> {
    // A repeated claim (a double click, a retry) of what the agent already
    // holds is answered as a claim, without telling the customer twice.
    const alreadyHeld = conversationId !== undefined && (await this.deps.queue.holder(conversationId)) === agent.id;
    const result = await this.deps.queue.claim(agent, conversationId);
    if (alreadyHeld) return result;
    if (result.outcome === 'claimed') await this.onAssigned(result.ticket, agent);
    return result;
  }

  async sendAsAgent(agent: Agent, conversationId: string, text: string): Promise<TranscriptEntry> {
    const conversation = await this.requireHeld(agent, conversationId);
    return this.deps.dispatcher.deliver(conversation, { from: 'agent', text, agentId: agent.id });
  }

  async transfer(agent: Agent, conversationId: string, target: TransferTarget): Promise<void> {
    const conversation = await this.requireHeld(agent, conversationId);
    if ('skill' in target) {
      if (!this.knownSkills().has(target.skill)) {
        throw new SwitchboardError('unknown_skill', `No agent has the skill "${target.skill}".`, 400);
      }
      if (!(await this.deps.queue.transferToSkill(conversationId, agent.id, target.skill))) {
        throw forbidden('You no longer hold this conversation.');
      }
      const handoff = this.withoutAgent(conversation.handoff, { skill: target.skill });
      const queued = await this.deps.store.update(conversationId, { status: 'queued', ...(handoff ? { handoff } : {}) });
      await this.internalNote(conversationId, `${agent.name} transferred the conversation to the ${target.skill} queue.`);
      await this.notify(queued, notices(queued).transferredToSkill(target.skill, await this.deps.queue.position(conversationId)));
      const ticket = await this.deps.queue.ticket(conversationId);
      await this.publish(agentTopic(agent.id), { type: 'transferred', conversationId, agentId: agent.id, to: target });
      if (ticket) await this.publish(QUEUE_TOPIC, { type: 'queued', ...toTicket(ticket) });
      await this.announcePositions(target.skill);
      await this.assignWaiting();
      return;
    }
    const to = this.deps.agents.get(target.agentId);
    if (!to) throw notFound('unknown_agent', `No agent with id "${target.agentId}".`);
    if (to.id === agent.id) throw new SwitchboardError('same_agent', 'You already hold this conversation.', 400);
    const result = await this.deps.queue.assign(conversationId, to, agent.id);
    if (result.outcome === 'at_capacity') {
      throw new SwitchboardError('agent_at_capacity', `${to.name} cannot take more conversations right now.`, 409);
    }
    if (result.outcome === 'not_found') throw forbidden('You no longer hold this conversation.');
    await this.publish(agentTopic(agent.id), { type: 'transferred', conversationId, agentId: agent.id, to: target });
    await this.onAssigned(result.ticket, to, agent);
  }

  async release(agent: Agent, conversationId: string, note?: string): Promise<void> {
    const conversation = await this.requireHeld(agent, conversationId);
    if (!(await this.deps.queue.release(conversationId, agent.id))) {
      throw forbidden('You no longer hold this conversation.');
    }
    const handoff = conversation.handoff && {
      ...conversation.handoff,
      releasedAt: Date.now(),
      ...(note ? { releaseNote: note } : {}),
    };
    const back = await this.deps.store.update(conversationId, { status: 'bot', ...(handoff ? { handoff } : {}) });
    await this.internalNote(conversationId, `${agent.name} handed the conversation back to the bot${note ? `: ${note}` : '.'}`);
    await this.notify(back, notices(back).left(agent.name));
    await this.publish(agentTopic(agent.id), { type: 'released', conversationId, agentId: agent.id, reason: 'released' });
    this.deps.logger.info({ conversationId, agentId: agent.id }, 'released to the bot');
    await this.observe((observer) => observer.released(back, agent));
    const resume = this.deps.settings.resumeDialogId;
    if (resume) await this.deps.bot.runDialog(conversationId, resume);
    await this.assignWaiting();
  }

  /** The conversation as the agent needs it; only for its holder or an agent who may claim it. */
  async context(agent: Agent, conversationId: string): Promise<ConversationContext> {
    const conversation = await this.deps.store.get(conversationId);
    if (!conversation) throw notFound('conversation_not_found', 'No such conversation.');
    const [ticket, holder] = await Promise.all([
      this.deps.queue.ticket(conversationId),
      this.deps.queue.holder(conversationId),
    ]);
    const mayClaim = holder === undefined && ticket !== undefined && agent.skills.includes(ticket.skill);
    if (holder !== agent.id && !mayClaim) {
      throw forbidden('Only the agent holding this conversation, or one who may claim it, can see it.');
    }
    const [transcript, collected, known] = await Promise.all([
      this.deps.store.transcript(conversationId),
      this.deps.bot.collectedValues(conversation),
      this.deps.customerContext?.(conversation),
    ]);
    const { id, channel, status, locale, createdAt, updatedAt, lastCustomerMessageAt } = conversation;
    return {
      conversation: {
        id,
        channel,
        status,
        locale,
        createdAt,
        updatedAt,
        ...(lastCustomerMessageAt === undefined ? {} : { lastCustomerMessageAt }),
      },
      customer: { userId: conversation.userId, channel, ...known },
      handoff: conversation.handoff,
      ticket,
      holder,
      collected,
      transcript,
    };
  }

  /** Waiting conversations the agent may take, in serving order, with the customer's last words. */
  async waitingFor(agent: Agent, limit = 50) {
    const tickets = await this.deps.queue.waiting(agent.skills, limit);
    return Promise.all(
      tickets.map(async (ticket) => {
        const transcript = await this.deps.store.transcript(ticket.conversationId);
        const lastCustomer = transcript.findLast((entry) => entry.from === 'customer');
        return {
          ...ticket,
          waitingSince: ticket.enqueuedAt,
          lastCustomerMessage: lastCustomer ? { text: lastCustomer.text, at: lastCustomer.at } : undefined,
        };
      }),
    );
  }

  heldBy(agentId: string): Promise<HeldTicket[]> {
    return this.deps.queue.heldBy(agentId);
  }

  /** Any request from an agent proves it is alive (its lease restarts). */
  touch(agent: QueueAgent): Promise<void> {
    return this.deps.queue.touchAgent(agent.id);
  }

  // ── presence and the periodic sweep ─────────────────────────────────────

  /** An agent opened a live stream on this host: it counts as online here until it closes. */
  async agentConnected(agent: Agent): Promise<void> {
    this.connected.set(agent.id, (this.connected.get(agent.id) ?? 0) + 1);
    await this.deps.queue.touchAgent(agent.id);
    await this.assignWaiting();
  }

  agentDisconnected(agent: Agent): void {
    const left = (this.connected.get(agent.id) ?? 1) - 1;
    if (left > 0) this.connected.set(agent.id, left);
    else this.connected.delete(agent.id);
  }

  /** Starts the sweep: renew connected agents' leases, reap lost agents, tell long-waiting customers, assign. */
  start(): void {
    this.sweepTimer ??= setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.deps.logger.error({ err: error }, 'handoff sweep failed'))
        .finally(() => {
          this.sweeping = undefined;
        });
    }, this.deps.settings.sweepMs);
    this.sweepTimer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweepTimer);
    this.sweepTimer = undefined;
    await this.sweeping;
  }

  /** One round of the periodic work (exposed for tests). */
  async sweep(now = Date.now()): Promise<void> {
    for (const agentId of this.connected.keys()) await this.deps.queue.touchAgent(agentId, now);
    await this.reapLostAgents(now);
    await this.sendOverdueNotices(now);
    await this.assignWaiting();
  }

  private async reapLostAgents(now: number): Promise<void> {
    const expired = await this.deps.queue.reapExpiredAgents(this.deps.settings.agentLeaseMs, now);
    const skills = new Set<string>();
    for (const { agentId, requeued } of expired) {
      if (requeued.length === 0) continue;
      this.deps.logger.warn({ agentId, conversations: requeued.length }, 'agent lease expired; conversations requeued');
      for (const ticket of requeued) {
        skills.add(ticket.skill);
        const conversation = await this.deps.store.get(ticket.conversationId);
        if (!conversation) continue;
        const handoff = this.withoutAgent(conversation.handoff, {});
        const queued = await this.deps.store.update(ticket.conversationId, {
          status: 'queued',
          ...(handoff ? { handoff } : {}),
        });
        await this.internalNote(ticket.conversationId, `The agent ${agentId} was lost; the conversation is back in the queue.`);
        await this.notify(queued, notices(queued).agentLost(await this.deps.queue.position(ticket.conversationId)));
        await this.publish(agentTopic(agentId), {
          type: 'released',
          conversationId: ticket.conversationId,
          agentId,
          reason: 'lease_expired',
        });
        await this.publish(QUEUE_TOPIC, { type: 'queued', ...ticket });
      }
    }
    for (const skill of skills) await this.announcePositions(skill);
  }

  private async sendOverdueNotices(now: number): Promise<void> {
    const waiting = await this.deps.queue.waiting([...this.knownSkills()]);
    for (const ticket of waiting) {
      if (now - ticket.enqueuedAt < this.deps.settings.noAgentTimeoutMs) continue;
      // Once per stay in the queue, whichever host gets there first.
      const key = `no-agent-notice:${ticket.conversationId}:${ticket.enqueuedAt}`;
      if (!(await this.deps.dedupe.firstSeen(key, NOTICE_MEMORY_MS))) continue;
      const conversation = await this.deps.store.get(ticket.conversationId);
      if (conversation?.status !== 'queued') continue;
      await this.notify(conversation, this.deps.settings.noAgentMessage ?? notices(conversation).noAgent);
    }
  }

  /**
   * Gives waiting conversations to the agents connected to this host, one at
   * a time round the agents, least loaded first, until nobody can take more.
   * Claims are atomic, so hosts doing this at once never double-assign.
   */
  private async assignWaiting(): Promise<void> {
    if (!this.deps.settings.autoAssign || this.connected.size === 0) return;
    const online = [...this.connected.keys()]
      .map((id) => this.deps.agents.get(id))
      .filter((agent): agent is Agent => agent !== undefined);
    let candidates = online;
    while (candidates.length > 0) {
      const loads = new Map(
        await Promise.all(candidates.map(async (agent) => [agent.id, (await this.heldBy(agent.id)).length] as const)),
      );
      candidates = candidates
        .filter((agent) => (loads.get(agent.id) ?? 0) < agent.capacity)
        .sort(
          (a, b) =>
            (loads.get(a.id) ?? 0) - (loads.get(b.id) ?? 0) ||
            (this.lastAssignedAt.get(a.id) ?? 0) - (this.lastAssignedAt.get(b.id) ?? 0),
        );
      const stillTaking: Agent[] = [];
      for (const agent of candidates) {
        const result = await this.claim(agent);
        if (result.outcome === 'claimed') stillTaking.push(agent);
      }
      candidates = stillTaking;
    }
  }

  // ── helpers ─────────────────────────────────────────────────────────────

  private async onAssigned(ticket: HeldTicket, agent: Agent, from?: Agent): Promise<void> {
    this.lastAssignedAt.set(agent.id, ticket.assignedAt);
    if (!from) this.deps.metrics?.queueWait.observe({ skill: ticket.skill }, (ticket.assignedAt - ticket.enqueuedAt) / 1000);
    const conversation = await this.deps.store.get(ticket.conversationId);
    if (!conversation) return;
    const handoff = conversation.handoff && {
      ...conversation.handoff,
      agentId: agent.id,
      assignedAt: ticket.assignedAt,
    };
    const assigned = await this.deps.store.update(ticket.conversationId, {
      status: 'assigned',
      ...(handoff ? { handoff } : {}),
    });
    await this.internalNote(
      ticket.conversationId,
      from ? `${from.name} transferred the conversation to ${agent.name}.` : `${agent.name} took the conversation.`,
    );
    await this.observe((observer) => observer.assigned(assigned, ticket, agent, from));
    await this.notify(assigned, from ? notices(assigned).takenOver(agent.name) : notices(assigned).joined(agent.name));
    await this.publish(agentTopic(agent.id), {
      type: 'assigned',
      conversationId: ticket.conversationId,
      agentId: agent.id,
      ...(from ? { fromAgentId: from.id } : {}),
    });
    if (!from) {
      await this.publish(QUEUE_TOPIC, {
        type: 'dequeued',
        conversationId: ticket.conversationId,
        skill: ticket.skill,
        agentId: agent.id,
      });
      await this.announcePositions(ticket.skill);
    }
  }

  private async requireHeld(agent: Agent, conversationId: string): Promise<Conversation> {
    const conversation = await this.deps.store.get(conversationId);
    if (!conversation) throw notFound('conversation_not_found', 'No such conversation.');
    if ((await this.deps.queue.holder(conversationId)) !== agent.id) {
      throw forbidden('Only the agent holding this conversation can do that.');
    }
    return conversation;
  }

  /** Tells the first waiting customers of a skill where they stand now. */
  private async announcePositions(skill: string): Promise<void> {
    const waiting = await this.deps.queue.waiting([skill], POSITION_UPDATES);
    for (const ticket of waiting) {
      const position = await this.queuePosition(ticket.conversationId);
      if (position) await this.deps.log.queueStatus(ticket.conversationId, position);
    }
  }

  /**
   * The skill of the message's intent, or of the latest bot turn that had a
   * mapped intent (a customer who asks for a person in the middle of a
   * return goes to the returns queue), or the default.
   */
  private async skillFor(conversation: Conversation, escalation: Escalation): Promise<string> {
    const { skills, defaultSkill } = this.deps.settings;
    const top = escalation.evidence[0]?.intent;
    if (top && skills.has(top)) return skills.get(top) ?? defaultSkill;
    if (skills.size === 0) return defaultSkill;
    const transcript = await this.deps.store.transcript(conversation.id);
    for (const entry of transcript.slice(-SKILL_LOOKBACK).reverse()) {
      const skill = entry.nlu && skills.get(entry.nlu.intent);
      if (skill) return skill;
    }
    return defaultSkill;
  }

  /** A waiting customer's place in line, as the customer's page shows it. */
  async queuePosition(conversationId: string): Promise<{ position: number; length: number; estimatedWaitMs?: number } | undefined> {
    const position = await this.deps.queue.position(conversationId);
    if (!position) return undefined;
    return {
      position: position.position,
      length: position.length,
      ...(position.estimatedWaitMs === undefined ? {} : { estimatedWaitMs: position.estimatedWaitMs }),
    };
  }

  /** Waiting conversations per skill (for the queue-depth gauge). */
  async queueDepths(): Promise<Map<string, number>> {
    const depths = new Map<string, number>();
    for (const skill of this.knownSkills()) depths.set(skill, (await this.deps.queue.waiting([skill])).length);
    return depths;
  }

  private knownSkills(): Set<string> {
    return new Set([
      this.deps.settings.defaultSkill,
      ...this.deps.settings.skills.values(),
      ...this.deps.agents.all().flatMap((agent) => agent.skills),
    ]);
  }

  private withoutAgent(handoff: HandoffRecord | undefined, changes: Partial<HandoffRecord>): HandoffRecord | undefined {
    if (!handoff) return undefined;
    const { agentId: _agentId, assignedAt: _assignedAt, ...rest } = handoff;
    return { ...rest, ...changes };
  }

  /**
   * Tells the customer how the handoff goes. A notice the channel refuses
   * (outside Meta's messaging window) or the platform does not take (noted
   * in the transcript by the dispatcher) is skipped: the handoff goes on.
   */
  private async notify(conversation: Conversation, text: string): Promise<void> {
    try {
      await this.deps.dispatcher.deliver(conversation, { from: 'system', text });
    } catch (error) {
      if (!isSwitchboardError(error) || !NOTICE_MAY_FAIL.has(error.code)) throw error;
      this.deps.logger.info(
        { conversationId: conversation.id, channel: conversation.channel, code: error.code },
        'handoff notice not delivered',
      );
    }
  }

  private async internalNote(conversationId: string, text: string): Promise<void> {
    await this.deps.log.append(conversationId, { from: 'system', text, at: Date.now(), internal: true });
  }

  /** Tells the observer, if any; its failures are logged, never the handoff's. */
  private async observe(call: (observer: HandoffObserver) => Promise<void>): Promise<void> {
    if (!this.deps.observer) return;
    try {
      await call(this.deps.observer);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'handoff observer failed');
    }
  }

  private publish(topic: string, event: AgentEvent): Promise<void> {
    return this.deps.bus.publish(topic, event);
  }
}

/** The handoff notices in the conversation's language. */
const notices = (conversation: Conversation): HandoffNotices => messagesFor(NOTICES, conversation.locale);

function toTicket(ticket: HandoffTicket | HeldTicket): HandoffTicket {
  const { conversationId, channel, skill, priority, reason, enqueuedAt } = ticket;
  return { conversationId, channel, skill, priority, reason, enqueuedAt };
}

function describeEvidence(handoff: HandoffRecord): string {
  const intents = handoff.evidence.map((item) => `${item.intent} ${item.score.toFixed(2)}`).join(', ');
  const parts = [intents || 'no intent matched'];
  if (handoff.entities?.length) parts.push(handoff.entities.map((entity) => `${entity.entity} ${entity.value}`).join(', '));
  if (handoff.sentiment !== undefined) parts.push(`sentiment ${handoff.sentiment.toFixed(2)}`);
  if (handoff.detail) parts.push(handoff.detail);
  return parts.join('; ');
}
