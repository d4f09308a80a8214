import type { HttpSender } from '../http-sender.ts';
import type { LoadTarget } from '../load-loops.ts';
import type { ReplyClock } from '../reply-clock.ts';

/** The bare echo: the HTTP response is the reply. */
export class EchoTarget implements LoadTarget {
  constructor(
    private readonly url: string,
    private readonly sender: HttpSender,
    private readonly clock: ReplyClock,
  ) {}

  async send(conversation: number): Promise<void> {
    const { status } = await this.sender.post(
      `${this.url}/echo`,
      { 'content-type': 'application/json' },
      JSON.stringify({ conversation, text: 'when are you open?' }),
    );
    if (status !== 200) throw new Error(`echo answered ${status}`);
    this.clock.arrived(conversation);
  }
}
