import type { Conversation, IntentEvidence, TranscriptEntry } from './conversation.ts';
import type { ConversationLog } from './conversation-log.ts';
import { SwitchboardError, isSwitchboardError } from './errors.ts';
import type { ConnectorRegistry } from '../channels/connector.ts';
import type { Metrics } from '../http/metrics.ts';

export interface OutgoingReply {
  from: 'bot' | 'agent' | 'system';
  text: string;
  nlu?: IntentEvidence;
  agentId?: string;
}

/**
 * The one way text reaches a customer: checked against the channel's rules,
 * written to the transcript (which is how web chat delivers it), then handed
 * to the channel's connector, if the channel has one. A delivery the
 * platform refuses is noted in the transcript for the agents to see.
 */
export class ReplyDispatcher {
  constructor(
    private readonly log: ConversationLog,
    private readonly connectors: ConnectorRegistry,
    private readonly metrics?: Metrics,
  ) {}

  async deliver(conversation: Conversation, reply: OutgoingReply): Promise<TranscriptEntry> {
    const connector = this.connectors.get(conversation.channel);
    connector?.checkSendable(conversation, reply.from);
    const entry = await this.log.append(conversation.id, { ...reply, at: Date.now() });
    if (!connector) return entry;
    try {
      await connector.send(conversation, reply.text, reply.from);
    } catch (error) {
      this.metrics?.sendFailures.inc({ channel: conversation.channel });
      const reason = isSwitchboardError(error) ? error.message : 'the platform did not accept it';
      await this.log.append(conversation.id, {
        from: 'system',
        text: `Message ${entry.id} was not delivered: ${reason}`,
        at: Date.now(),
        internal: true,
      });
      throw isSwitchboardError(error)
        ? error
        : new SwitchboardError('delivery_failed', `The ${conversation.channel} platform did not accept the message.`, 502, {
            cause: error,
          });
    }
    return entry;
  }
}
