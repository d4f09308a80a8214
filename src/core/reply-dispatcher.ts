import type { Conversation, IntentEvidence, TranscriptEntry } from './conversation.ts';
import type { ConversationLog } from './conversation-log.ts';
import type { ConnectorRegistry } from '../channels/connector.ts';

export interface OutgoingReply {
  from: 'bot' | 'agent' | 'system';
  text: string;
  nlu?: IntentEvidence;
  agentId?: string;
}

/**
 * The one way text reaches a customer: written to the transcript (which is
 * how web chat delivers it), then handed to the channel's connector, if the
 * channel has one.
 */
export class ReplyDispatcher {
  constructor(
    private readonly log: ConversationLog,
    private readonly connectors: ConnectorRegistry,
  ) {}

  async deliver(conversation: Conversation, reply: OutgoingReply): Promise<TranscriptEntry> {
    const entry = await this.log.append(conversation.id, { ...reply, at: Date.now() });
    await this.connectors.get(conversation.channel)?.send(conversation, reply.text);
    return entry;
  }
}
