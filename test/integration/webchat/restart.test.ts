import { describe, expect, it } from 'vitest';
import { startTestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

describe('a host restart with Redis', () => {
  it('resumes the order-status dialog where it was, with the same token', async () => {
    const first = await startTestHost({ redis: true });
    const client = await WebchatClient.start(first.url);
    expect((await client.ask('where is my order?')).text).toMatch(/What's the order number/);
    await first.stop();

    const second = await startTestHost({ redis: true, keyPrefix: first.keyPrefix });
    try {
      const sameCustomer = WebchatClient.resume(second.url, client.conversationId, client.token);
      expect((await sameCustomer.ask('A1001')).text).toMatch(/A1001 .* shipped on 24 November 2026/);
      expect((await sameCustomer.messages()).length).toBe(4);
    } finally {
      await second.stop();
    }
  });

  it('finishes a turn in flight before stopping', async () => {
    const host = await startTestHost({ redis: true });
    const client = await WebchatClient.start(host.url);
    const response = await client.send('what are your opening hours');
    expect(response.status).toBe(202);
    await host.stop();
    const reader = await startTestHost({ redis: true, keyPrefix: host.keyPrefix });
    try {
      const transcript = await reader.stores.conversations.transcript(client.conversationId);
      expect(transcript.map((entry) => entry.from)).toEqual(['customer', 'bot']);
    } finally {
      await reader.stop();
    }
  });
});
