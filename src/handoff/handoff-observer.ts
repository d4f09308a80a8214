import type { Conversation } from '../core/conversation.ts';
import type { Agent } from './agent-directory.ts';
import type { HeldTicket } from './agent-queue.ts';
import type { HandoffRecord } from './handoff-record.ts';

/**
 * Told of each step of a handoff, after it happened (outbound events, the
 * supervisor's figures). The handoff never waits on it for long and never
 * fails because of it: errors are logged by the HandoffService.
 */
export interface HandoffObserver {
  /** The conversation entered the agent queue. */
  escalated(conversation: Conversation, handoff: HandoffRecord): Promise<void>;
  /** An agent got it: by claim, auto-assignment, or a transfer from `from`. */
  assigned(conversation: Conversation, ticket: HeldTicket, agent: Agent, from?: Agent): Promise<void>;
  /** The agent gave it back to the bot (`conversation.handoff` carries assignedAt and releasedAt). */
  released(conversation: Conversation, agent: Agent): Promise<void>;
  /** The customer left (an SMS opt-out); may be told again for a redelivered STOP. */
  customerLeft(conversationId: string): Promise<void>;
}
