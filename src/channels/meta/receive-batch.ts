import type { ReplyAddress } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { Inbox } from '../../core/inbox.ts';
import type { InboundMessage } from '../../core/messages.ts';
import type { Logger } from '../../logger.ts';

/** One customer message of a webhook batch, with where its replies go. */
export interface InboundItem {
  message: InboundMessage;
  address: ReplyAddress;
}

/**
 * Hands a batch to the inbox in platform-timestamp order (Meta does not
 * guarantee delivery order), every message even when one fails; then, if any
 * failed, throws a 503 so Meta redelivers the batch (the inbox ignores what
 * it already recorded). Text longer than `maxLength` code points is cut.
 */
export async function receiveBatch(
  inbox: Inbox,
  items: InboundItem[],
  settings: { requestId: string; maxLength: number; logger: Logger },
): Promise<void> {
  const ordered = [...items].sort((a, b) => a.message.timestamp - b.message.timestamp);
  let failed = 0;
  for (const { message, address } of ordered) {
    try {
      await inbox.receive(limitText(message, settings.maxLength, settings.logger), address, { requestId: settings.requestId });
    } catch (error) {
      failed += 1;
      settings.logger.error({ err: error, channel: message.channel, requestId: settings.requestId }, 'inbound message not recorded');
    }
  }
  if (failed > 0) {
    throw new SwitchboardError(
      'inbound_not_recorded',
      `${failed} of ${ordered.length} messages could not be recorded; deliver them again.`,
      503,
    );
  }
}

function limitText(message: InboundMessage, maxLength: number, logger: Logger): InboundMessage {
  const codePoints = Array.from(message.text);
  if (codePoints.length <= maxLength) return message;
  logger.warn({ channel: message.channel, length: codePoints.length, limit: maxLength }, 'inbound text cut to the limit');
  return { ...message, text: codePoints.slice(0, maxLength).join('') };
}
