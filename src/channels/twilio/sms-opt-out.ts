import type { Conversation, ReplyAddress } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';

/**
 * SMS opt-out, as carriers require and Twilio enforces: a customer who texts
 * one of these words, alone (any case, surrounding spaces ignored), gets no
 * more messages from us until they text START or UNSTOP. Twilio answers both
 * itself, so we send no confirmation.
 *
 * The state is kept on the conversation, so it survives restarts: the reply
 * address carries `optedOut: "true"` and the status is `closed` (for SMS,
 * only an opt-out closes a conversation). Either one counts, so a race that
 * overwrites one of them (a concurrent message rewriting the address, a turn
 * in flight escalating) cannot lose the opt-out.
 */
export const OPT_OUT_KEYWORDS: readonly string[] = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
export const OPT_IN_KEYWORDS: readonly string[] = ['START', 'UNSTOP'];

export type SmsKeyword = 'opt-out' | 'opt-in';

/** The opt-out or opt-in keyword the whole body is, if it is one. */
export function smsKeyword(body: string): SmsKeyword | undefined {
  const word = body.trim().toUpperCase();
  if (OPT_OUT_KEYWORDS.includes(word)) return 'opt-out';
  if (OPT_IN_KEYWORDS.includes(word)) return 'opt-in';
  return undefined;
}

const OPTED_OUT_FIELD = 'optedOut';

export function isOptedOut(conversation: Pick<Conversation, 'address' | 'status'>): boolean {
  return conversation.address[OPTED_OUT_FIELD] === 'true' || conversation.status === 'closed';
}

/** The address with the opt-out flag set or cleared. */
export function withOptOut(address: ReplyAddress, optedOut: boolean): ReplyAddress {
  const { [OPTED_OUT_FIELD]: _flag, ...rest } = address;
  return optedOut ? { ...rest, [OPTED_OUT_FIELD]: 'true' } : rest;
}

export const optedOutError = (): SwitchboardError =>
  new SwitchboardError(
    'opted_out',
    'The customer opted out of messages from us (STOP); nothing can be sent until they text START.',
    409,
  );
