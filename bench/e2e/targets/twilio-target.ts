import { randomBytes } from 'node:crypto';
import { customerNumber, smsWebhook, type SmsAccount } from '../../../test/faults/support/sms-load.ts';
import type { FakeTwilioApi } from '../../../test/support/fake-twilio-api.ts';
import { DEMO_TEXTS } from '../../support/demo-host.ts';
import type { HttpSender } from '../http-sender.ts';
import type { LoadTarget } from '../load-loops.ts';
import type { ReplyClock } from '../reply-clock.ts';

/**
 * Customers texting over Twilio: each message a webhook signed as Twilio
 * signs it (so the load generator is a script of ours, not a generic HTTP
 * load tool: every request needs its own signature and MessageSid), posted
 * to the hosts in turn; replies are what the fake Twilio API receives, one
 * per message, matched to their conversation by the number they go to.
 */
export class TwilioTarget implements LoadTarget {
  private readonly runId = randomBytes(4).toString('hex');
  private readonly numbers = new Map<string, number>();
  private readonly counts: number[];
  private posted = 0;

  constructor(
    private readonly hostUrls: readonly string[],
    private readonly account: SmsAccount,
    private readonly sender: HttpSender,
    conversations: number,
    fake: FakeTwilioApi,
    clock: ReplyClock,
  ) {
    this.counts = new Array<number>(conversations).fill(0);
    for (let conversation = 0; conversation < conversations; conversation += 1) this.numbers.set(customerNumber(conversation), conversation);
    fake.beforeAnswer = (to) => {
      const conversation = this.numbers.get(to);
      if (conversation !== undefined) clock.arrived(conversation);
      return Promise.resolve(undefined);
    };
  }

  async send(conversation: number): Promise<void> {
    const count = (this.counts[conversation] ?? 0) + 1;
    this.counts[conversation] = count;
    const text = DEMO_TEXTS[count % DEMO_TEXTS.length] ?? 'hello';
    // A fresh MessageSid per message: a repeated one would be dropped as a redelivery.
    const webhook = smsWebhook(this.account, customerNumber(conversation), text, `${this.runId}:${conversation}:${count}`);
    // Hosts in turn, as a round-robin load balancer would.
    const host = this.hostUrls[this.posted % this.hostUrls.length] ?? '';
    this.posted += 1;
    const { status } = await this.sender.post(`${host}${webhook.path}`, webhook.headers, webhook.body);
    if (status !== 200) throw new Error(`webhook answered ${status}`);
  }
}
