import type { ConversationLog } from '../../core/conversation-log.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationStore } from '../../store/conversation-store.ts';
import type { DedupeStore } from '../../store/dedupe-store.ts';
import { param, type TwilioParams } from './twilio-params.ts';

export interface SmsStatusDependencies {
  store: ConversationStore;
  log: ConversationLog;
  dedupe: DedupeStore;
  logger: Logger;
}

/** Statuses after which the message will not arrive. */
const NOT_DELIVERED = new Set(['failed', 'undelivered']);
/** A repeated callback for the same message and status is noted once. */
const STATUS_MEMORY_MS = 8 * 24 * 3600_000;
const SID = /^[A-Za-z]{2}[0-9A-Za-z]{1,62}$/;
const STATUS = /^[a-z_-]{1,32}$/;
const ERROR_CODE = /^\d{1,8}$/;

/**
 * A verified status callback (`queued`, `sent`, `delivered`, `undelivered`,
 * `failed`, `read`…): logged with the message SID, status and error code
 * (never numbers or text); a message that will not arrive is also noted in
 * its conversation's transcript, for agents only, once per SID and status.
 * Status callbacks never reach the bot.
 */
export async function recordSmsStatus(
  deps: SmsStatusDependencies,
  params: TwilioParams,
  conversationId: string | undefined,
): Promise<void> {
  const messageSid = param(params, 'MessageSid') ?? param(params, 'SmsSid');
  const status = param(params, 'MessageStatus') ?? param(params, 'SmsStatus');
  const errorCode = param(params, 'ErrorCode');
  if (!messageSid || !SID.test(messageSid) || !status || !STATUS.test(status) || (errorCode && !ERROR_CODE.test(errorCode))) {
    throw new SwitchboardError('invalid_body', 'A status callback needs a MessageSid and a MessageStatus.', 400);
  }
  deps.logger.info(
    { channel: 'sms', messageSid, status, ...(errorCode ? { errorCode } : {}), ...(conversationId ? { conversationId } : {}) },
    'sms status',
  );
  if (!NOT_DELIVERED.has(status) || conversationId === undefined) return;
  const key = `sms-status:${messageSid}:${status}`;
  if (!(await deps.dedupe.firstSeen(key, STATUS_MEMORY_MS))) return;
  try {
    const conversation = await deps.store.get(conversationId);
    if (conversation?.channel !== 'sms') return;
    await deps.log.append(conversationId, {
      from: 'system',
      text: `An SMS (${messageSid}) was not delivered: Twilio reports it ${status}${errorCode ? ` (error ${errorCode})` : ''}.`,
      at: Date.now(),
      internal: true,
    });
  } catch (error) {
    await deps.dedupe.forget(key);
    throw error;
  }
}
