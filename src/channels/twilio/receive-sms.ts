import type { ConversationControl, Inbox } from '../../core/inbox.ts';
import type { ConversationLog } from '../../core/conversation-log.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { HandoffService } from '../../handoff/handoff-service.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationStore } from '../../store/conversation-store.ts';
import { toInboundSms } from './sms-inbound.ts';
import { isOptedOut, smsKeyword, withOptOut } from './sms-opt-out.ts';
import type { TwilioParams } from './twilio-params.ts';

export interface ReceiveSmsDependencies {
  inbox: Inbox;
  store: ConversationStore;
  log: ConversationLog;
  handoff: Pick<HandoffService, 'customerLeft'>;
  logger: Logger;
  /** MAX_MESSAGE_LENGTH: longer texts are cut to it (a webhook cannot ask Twilio to shorten). */
  maxMessageLength: number;
}

/**
 * A verified inbound SMS: normalized and handed to the inbox (which drops a
 * redelivered MessageSid and records the rest). A status callback sent to
 * this route by mistake is ignored. STOP and its synonyms close the
 * conversation and take it out of the agent queue; START or UNSTOP reopens
 * it. Both are recorded for the agents, without a bot turn (Twilio answers
 * them itself). Resolves once the message is recorded.
 */
export async function receiveSms(deps: ReceiveSmsDependencies, params: TwilioParams, requestId: string): Promise<void> {
  if (params.has('MessageStatus')) {
    deps.logger.info({ channel: 'sms', requestId }, 'status callback on the inbound route ignored');
    return;
  }
  const { message: received, address } = toInboundSms(params, Date.now());
  const message = limitText(received, deps.maxMessageLength, deps.logger);
  const keyword = smsKeyword(message.text);
  const existing = await deps.store.findByKey(message.conversationKey);
  const wasOptedOut = existing !== undefined && isOptedOut(existing);
  const optedOut = keyword === undefined ? wasOptedOut : keyword === 'opt-out';
  let control: ConversationControl | undefined;
  if (keyword === 'opt-out') control = { status: 'closed' };
  else if (keyword === 'opt-in') control = existing?.status === 'closed' ? { status: 'bot' } : {};

  const result = await deps.inbox.receive(message, withOptOut(address, optedOut), {
    requestId,
    ...(control ? { control } : {}),
    ...(existing ? { known: existing } : {}),
  });
  const conversationId = result.outcome === 'accepted' ? result.conversationId : existing?.id;
  if (keyword === 'opt-out' && conversationId !== undefined) {
    // Also on a redelivery: the first attempt may have failed after recording.
    const removed = await deps.handoff.customerLeft(conversationId);
    if (result.outcome === 'accepted') {
      deps.logger.info({ channel: 'sms', conversationId: result.conversationId, requestId, removedFromQueue: removed }, 'sms opt-out');
      await note(
        deps,
        result.conversationId,
        `The customer opted out (${message.text.trim().toUpperCase()})${removed ? ' and left the agent queue' : ''}. ` +
          'Nothing can be sent to them until they text START.',
      );
    }
  } else if (keyword === 'opt-in' && wasOptedOut && result.outcome === 'accepted') {
    deps.logger.info({ channel: 'sms', conversationId: result.conversationId, requestId }, 'sms opt-in');
    await note(deps, result.conversationId, `The customer opted back in (${message.text.trim().toUpperCase()}): the bot answers them again.`);
  }
}

function limitText(message: InboundMessage, maxLength: number, logger: Logger): InboundMessage {
  const codePoints = Array.from(message.text);
  if (codePoints.length <= maxLength) return message;
  logger.warn({ channel: 'sms', length: codePoints.length, limit: maxLength }, 'inbound text cut to the limit');
  return { ...message, text: codePoints.slice(0, maxLength).join('') };
}

function note(deps: ReceiveSmsDependencies, conversationId: string, text: string) {
  return deps.log.append(conversationId, { from: 'system', text, at: Date.now(), internal: true });
}
