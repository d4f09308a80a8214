import type { Conversation } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';

/** Anyone may write for this long after the customer's last message (Messenger and WhatsApp). */
export const CUSTOMER_WINDOW_MS = 24 * 3600_000;
/** Messenger's HUMAN_AGENT tag lets a person write for this long after it. */
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3600_000;

/** How long ago the customer last wrote (infinitely long if never). */
export function sinceCustomerWrote(conversation: Conversation, now = Date.now()): number {
  const last = conversation.lastCustomerMessageAt;
  return last === undefined ? Number.POSITIVE_INFINITY : now - last;
}

export const outsideMessagingWindow = (message: string): SwitchboardError =>
  new SwitchboardError('outside_messaging_window', message, 409);
