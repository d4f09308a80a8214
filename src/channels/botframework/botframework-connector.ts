import { ActivityTypes, type CloudAdapter } from 'botbuilder';
import type { Conversation } from '../../core/conversation.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { Logger } from '../../logger.ts';
import type { ChannelConnector } from '../connector.ts';
import { splitText } from '../split-text.ts';
import { decodeReference } from './botframework-activity.ts';

/**
 * Bot Framework documents no text limit; Teams refuses messages above about
 * 28 KB. Parts of at most this many characters stay well under it even in
 * 4-byte UTF-8.
 */
export const BOTFRAMEWORK_TEXT_LIMIT = 6_000;

/**
 * Replies through the Bot Connector at the conversation's serviceUrl, as
 * proactive messages: `continueConversationAsync` gets a token for the app
 * (botbuilder's credentials, cached) and `sendActivity` posts the message.
 * botbuilder's HTTP pipeline retries 429 (with Retry-After), 5xx and network
 * failures. No messaging window and no opt-out on this channel.
 */
export class BotFrameworkConnector implements ChannelConnector {
  readonly channel = 'botframework' as const;

  constructor(
    private readonly adapter: CloudAdapter,
    private readonly appId: string,
    private readonly logger: Logger,
  ) {}

  checkSendable(): void {
    // Always sendable: no window, no opt-out.
  }

  async send(conversation: Conversation, text: string): Promise<void> {
    const reference = decodeReference(conversation.address);
    const parts = splitText(text, BOTFRAMEWORK_TEXT_LIMIT);
    try {
      await this.adapter.continueConversationAsync(this.appId, reference, async (context) => {
        // The continuation activity has a made-up id; replying to it would
        // name an activity the channel never saw (Web Chat holds such replies
        // back waiting for it). Without it, each part is a new message.
        const continuation: { id?: string } = context.activity;
        delete continuation.id;
        for (const part of parts) {
          await context.sendActivity({ type: ActivityTypes.Message, text: part, textFormat: 'plain' });
        }
      });
    } catch (error) {
      const status = (error as { statusCode?: unknown } | null)?.statusCode;
      const problem = typeof status === 'number' ? `HTTP ${status}` : error instanceof Error ? error.name : 'error';
      this.logger.warn({ conversationId: conversation.id, channel: this.channel, problem }, 'Bot Framework send failed');
      throw new SwitchboardError('delivery_failed', `The Bot Framework connector did not accept the message (${problem}).`, 502, {
        cause: error,
      });
    }
  }
}
