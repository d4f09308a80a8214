import { describe, expect, it, vi } from 'vitest';
import { ConversationLog } from '../../../src/core/conversation-log.ts';
import { Inbox } from '../../../src/core/inbox.ts';
import type { InboundMessage } from '../../../src/core/messages.ts';
import { MemoryConversationStore } from '../../../src/store/memory-conversation-store.ts';
import { MemoryEventBus } from '../../../src/store/memory-event-bus.ts';
import { MemoryInboxQueue } from '../../../src/store/memory-inbox-queue.ts';
import { createTestLogger } from '../../support/log-sink.ts';

function setUp() {
  const { logger, sink } = createTestLogger();
  const store = new MemoryConversationStore();
  const queue = new MemoryInboxQueue({ logger });
  const inbox = new Inbox({
    store,
    log: new ConversationLog(store, new MemoryEventBus({ logger })),
    queue,
    logger,
    resolveLocale: () => 'en',
  });
  return { inbox, logger, sink };
}

const message = (platformMessageId: string): InboundMessage => ({
  channel: 'sms',
  conversationKey: 'sms:+15550000001:+15550000002',
  userId: '+15550000002',
  text: 'where is my order?',
  attachments: [],
  platformMessageId,
  timestamp: Date.now(),
});

describe('Inbox.receive', () => {
  it('builds no child logger for a message it accepts', async () => {
    const { inbox, logger } = setUp();
    const child = vi.spyOn(logger, 'child');
    const result = await inbox.receive(message('SM1'), { to: '+15550000002' }, { requestId: 'r1' });
    expect(result.outcome).toBe('accepted');
    expect(child).not.toHaveBeenCalled();
  });

  it('logs a redelivery with the conversation, channel and request', async () => {
    const { inbox, sink } = setUp();
    const first = await inbox.receive(message('SM2'), { to: '+15550000002' }, { requestId: 'r1' });
    // The turn is still pending (nothing ran it): the platform's retry schedules it again.
    const again = await inbox.receive(message('SM2'), { to: '+15550000002' }, { requestId: 'r2' });
    expect(again).toEqual({ outcome: 'duplicate', conversationId: first.conversationId });
    expect(sink.lines).toContainEqual(
      expect.objectContaining({
        msg: 'redelivery of a message whose turn is pending: scheduled again',
        conversationId: first.conversationId,
        channel: 'sms',
        requestId: 'r2',
      }),
    );
  });
});
