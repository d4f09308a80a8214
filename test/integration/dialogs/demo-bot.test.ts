import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat } from '../../support/chat-flow.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';

// Transcript tests of every demo dialog, through the real turn path with the
// real demo model and in-memory stores. Each test uses its own conversation.
let host: TestHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

describe('demo bot: one-shot answers', () => {
  it('greets', async () => {
    await chat(host).send('hello there').assertReply(/^Hi! I'm the assistant/).assertNoMoreReplies();
  });

  it('says goodbye', async () => {
    await chat(host).send('ok bye, see you later').assertReply(/Goodbye/);
  });

  it('answers thanks', async () => {
    await chat(host).send('thank you so much').assertReply(/You're welcome/);
  });

  it('explains what it can do', async () => {
    await chat(host).send('what can you do?').assertReply(/I can check where an order is/);
  });

  it('gives store hours', async () => {
    await chat(host).send('what time do you open on saturday').assertReply(/Monday to Friday 9:00–18:00/);
  });

  it('gives delivery options', async () => {
    await chat(host).send('how much is express shipping').assertReply(/Express takes 1–2 working days/);
  });

  it('asks to put it another way when unsure, and hands over after a second miss', async () => {
    await chat(host)
      .send('change an order')
      .assertReply(/Could you put it another way/)
      .assertConversation((conversation) => expect(conversation.status).toBe('bot'))
      .send('open order')
      .assertReply(/bringing in a person/)
      .assertEscalated('repeated_fallback');
  });
});

describe('demo bot: handing over to a person', () => {
  it('when asked for one', async () => {
    await chat(host).send('I want to talk to a human').assertReply(/bringing in a person/).assertEscalated('customer_request');
  });

  it('when asked with a single word', async () => {
    await chat(host).send('agent!').assertReply(/bringing in a person/).assertEscalated('customer_request');
  });

  it('when nothing in the message is understood', async () => {
    await chat(host).send('purple elephants dance quantum tango').assertReply(/bringing in a person/).assertEscalated('out_of_scope');
  });

  it('when the customer is angry', async () => {
    await chat(host).send('this is terrible, I am furious').assertReply(/bringing in a person/).assertEscalated('negative_sentiment');
  });

  it('when a dialog asks for it: a refund above the limit', async () => {
    await chat(host)
      .send('I want to return order B2002')
      .assertReply(/Returns of orders over \$300 are handled by our team/)
      .assertReply(/bringing in a person/)
      .assertEscalated('dialog_request')
      .assertConversation((conversation) => expect(conversation.handoff?.detail).toMatch(/B2002/));
  });

  it('stays silent while a person has the conversation', async () => {
    await chat(host)
      .send('agent please')
      .assertReply(/bringing in a person/)
      .send('hello? where is my order A1001')
      .assertNoMoreReplies();
  });

  it('does not treat the answer to its own question as out of scope', async () => {
    await chat(host).send('where is my order').assertReply(/order number/).send('A1003').assertReply(/delivered/);
  });
});

describe('demo bot: order status', () => {
  it('asks for the order number, then uses it', async () => {
    await chat(host)
      .send('where is my order?')
      .assertReply(/What's the order number\?/)
      .send('it is a1001')
      .assertReply(/Order A1001 \(Trail running shoes\) shipped on 24 November 2026 and should arrive by 28 November 2026\./)
      .assertNoMoreReplies();
  });

  it('answers at once when the number comes with the question', async () => {
    await chat(host).send('what is the status of order A1003').assertReply(/A1003 .* was delivered on 20 November 2026/);
  });

  it('re-asks when the answer has no order number, and gives up politely after three tries', async () => {
    await chat(host)
      .send('track my package')
      .assertReply(/What's the order number/)
      .send('the blue one')
      .assertReply(/doesn't look like an order number/)
      .send('it came last week')
      .assertReply(/doesn't look like an order number/)
      .send('the big box')
      .assertReply(/couldn't find an order number/);
  });

  it('says so when the order does not exist, and does not keep the wrong number', async () => {
    await chat(host)
      .send('where is order Z9999')
      .assertReply(/couldn't find order Z9999/)
      .send('where is my order')
      .assertReply(/What's the order number/);
  });

  it('remembers the order number for the next question', async () => {
    await chat(host)
      .send('where is order A1002')
      .assertReply(/A1002 .* is being prepared/)
      .send('I want to cancel my order')
      .assertReply(/Do you want me to cancel order A1002/);
  });
});

describe('demo bot: cancel an order', () => {
  it('cancels after confirmation', async () => {
    await chat(host)
      .send('please cancel my order')
      .assertReply(/What's the order number/)
      .send('A1005')
      .assertReply(/Do you want me to cancel order A1005 \(Sleeping bag\)\?/)
      .send('yes')
      .assertReply(/Done: order A1005 is cancelled/);
  });

  it('keeps the order when the customer says no', async () => {
    await chat(host)
      .send('cancel order A1002')
      .assertReply(/Do you want me to cancel order A1002/)
      .send('no')
      .assertReply(/left order A1002 as it is/);
  });

  it('refuses once the order has shipped', async () => {
    await chat(host).send('cancel order A1001').assertReply(/already shipped on 24 November 2026, so it can't be cancelled/);
  });
});

describe('demo bot: returns', () => {
  it('starts a return for a delivered order', async () => {
    await chat(host)
      .send('I want to return an item')
      .assertReply(/What's the order number/)
      .send('B2001')
      .assertReply(/Why are you sending it back\?.*\(1\) It arrived damaged/)
      .send('2')
      .assertReply(/Which day suits you\?/)
      .send('next monday please')
      .assertReply(/reference RMA-B2001, reason: wrong size or fit\)\. Our courier will pick the parcel up on \d{1,2} \w+ \d{4}/);
  });

  it('explains that an order on its way cannot be returned yet', async () => {
    await chat(host).send('how do I return order A1001').assertReply(/on its way .* as soon as it arrives/);
  });
});

describe('demo bot: interruptions', () => {
  it('a request for a person interrupts a question in progress', async () => {
    await chat(host)
      .send('where is my order')
      .assertReply(/What's the order number/)
      .send('let me talk to a real person')
      .assertReply(/bringing in a person/)
      .assertEscalated('customer_request');
  });

  it('asking for help in the middle of a question answers it', async () => {
    await chat(host)
      .send('where is my order')
      .assertReply(/What's the order number/)
      .send('what can you do?')
      .assertReply(/I can check where an order is/);
  });
});
