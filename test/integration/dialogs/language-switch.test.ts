import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, chatIn } from '../../support/chat-flow.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient } from '../../support/webchat-client.ts';

// The language of each message: a customer who switches language mid-conversation
// gets replies in the new one, the conversation records it for agents, and short
// or ambiguous messages ("ok", "A1001", "sí") leave the conversation's language alone.
let host: TestHost;
beforeAll(async () => {
  host = await startTestHost();
});
afterAll(async () => {
  await host.stop();
});

describe('language per message', () => {
  it('follows a customer who switches from English to Spanish and back, and records it on the conversation', async () => {
    await chat(host)
      .send('hello, where is my order A1003?')
      .assertReply(/^Order A1003 \(Camping stove\) was delivered on 20 November 2026\./)
      .assertConversation((conversation) => expect(conversation.locale).toBe('en'))
      .send('perdona, ¿a qué hora abre la tienda el sábado?')
      .assertReply(/^Nuestra tienda de 12 Harbour Street abre de lunes a viernes/)
      .assertConversation((conversation) => expect(conversation.locale).toBe('es'))
      .send('thanks a lot, that was helpful')
      .assertReply(/^You're welcome!/)
      .assertConversation((conversation) => expect(conversation.locale).toBe('en'));
  });

  it('keeps the conversation in its language on short or ambiguous messages (an order number, "hmm", "no")', async () => {
    await chatIn(host, 'es')
      .send('quiero cancelar un pedido')
      .assertReply(/¿Cuál es el número de pedido\?/)
      .send('A1002')
      .assertReply(/¿Quieres que cancele el pedido A1002/)
      .send('hmm')
      .assertReply(/Responde sí para cancelar el pedido A1002/)
      .send('no')
      .assertReply('De acuerdo, dejo el pedido A1002 como está.')
      .assertConversation((conversation) => expect(conversation.locale).toBe('es'));
  });

  it('asks the next question of a dialog in the language the customer switched to', async () => {
    await chat(host)
      .send('I want to return an item')
      .assertReply(/What's the order number\?/)
      .send('es el pedido B2001, lo quiero devolver')
      .assertReply(/^Puedo empezar la devolución del pedido B2001\. ¿Por qué lo devuelves\?/);
  });

  it('tells the person taking over which language the customer writes in', async () => {
    await chat(host)
      .send('hi')
      .assertReply(/^Hi!/)
      .send('necesito hablar con una persona, por favor')
      .assertReply(/^Te paso con una persona de nuestro equipo/)
      .assertEscalated('customer_request')
      .assertConversation((conversation) => expect(conversation.locale).toBe('es'));
  });

  it('starts in the web chat client\'s language, mapped to one the bot speaks', async () => {
    const spanish = await WebchatClient.start(host.url, { locale: 'es-AR' });
    expect((await host.stores.conversations.get(spanish.conversationId))?.locale).toBe('es');
    expect((await spanish.ask('hola')).text).toMatch(/^¡Hola!/);
    const other = await WebchatClient.start(host.url, { locale: 'fr-FR' });
    expect((await host.stores.conversations.get(other.conversationId))?.locale).toBe('en');
  });
});
