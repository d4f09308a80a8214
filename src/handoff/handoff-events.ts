import type { TranscriptEntry } from '../core/conversation.ts';
import type { HandoffTicket } from './agent-queue.ts';

/** Every agent hears about the queue here (each filters by its own skills). */
export const QUEUE_TOPIC = 'handoff:queue';
/** What concerns one agent: conversations given to it or taken from it. */
export const agentTopic = (agentId: string): string => `agent:${agentId}`;

/** What an agent's live stream carries (GET /api/agent/stream). */
export type AgentEvent =
  | ({ type: 'queued' } & HandoffTicket)
  /** Left the queue: claimed by `agentId`, or removed. */
  | { type: 'dequeued'; conversationId: string; skill: string; agentId?: string }
  /** A waiting customer wrote again (the queue shows the last message). */
  | { type: 'waiting_message'; conversationId: string; skill: string; text: string; at: number }
  | { type: 'assigned'; conversationId: string; agentId: string; fromAgentId?: string }
  | { type: 'released'; conversationId: string; agentId: string; reason: 'released' | 'lease_expired' | 'customer_left' }
  | { type: 'transferred'; conversationId: string; agentId: string; to: { skill: string } | { agentId: string } }
  /** A line of a conversation the agent holds: customer, bot, agent or system. */
  | { type: 'message'; conversationId: string; entry: TranscriptEntry };
