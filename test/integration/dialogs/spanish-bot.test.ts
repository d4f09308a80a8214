import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentClient, agentsEnv, testAgent } from '../../support/agent-client.ts';
import { chatIn } from '../../support/chat-flow.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';
import { WebchatClient, type WebchatMessage } from '../../support/webchat-client.ts';

// The demo bot in Spanish, end to end: a web chat client whose locale is
// Spanish, the Spanish model, the dialogs' Spanish replies, the handoff
// notices and the CSAT question in Spanish. Real turn path, in-memory stores.
const lucia = testAgent('lucia', ['general'], 5);

let host: TestHost;
beforeAll(async () => {
  host = await startTestHost({ env: { AGENTS: agentsEnv([lucia]), HANDOFF_AUTO_ASSIGN: 'false' } });
});
afterAll(async () => {
  await host.stop();
});

const collected = async (conversationId: string): Promise<Record<string, string>> => {
  const conversation = await host.stores.conversations.get(conversationId);
  if (!conversation) throw new Error('no conversation');
  return host.turns.collectedValues(conversation);
};

describe('demo bot in Spanish: answers', () => {
  it('greets, answers and says goodbye in Spanish', async () => {
    await chatIn(host, 'es')
      .send('hola, buenas tardes')
      .assertReply(/^¡Hola! Soy el asistente/)
      .send('¿a qué hora abren el sábado?')
      .assertReply(/de lunes a viernes de 9:00 a 18:00/)
      .send('¿cuánto cuesta el envío exprés?')
      .assertReply(/El exprés tarda de 1 a 2 días laborables/)
      .send('muchas gracias, adiós')
      .assertReply(/Adiós|De nada/)
      .assertNoMoreReplies();
  });

  it('hands what it does not understand to a person, saying so in Spanish', async () => {
    await chatIn(host, 'es').send('modificar una cosa').assertReply(/^Te paso con una persona/).assertEscalated('out_of_scope');
  });
});

describe('demo bot in Spanish: order status', () => {
  it('asks for the order number, then answers with the dates written in Spanish', async () => {
    await chatIn(host, 'es')
      .send('¿dónde está mi pedido?')
      .assertReply(/¿Cuál es el número de pedido\? Es como A1001/)
      .send('es el a1001')
      .assertReply(
        'El pedido A1001 (Trail running shoes) se envió el 24 de noviembre de 2026 y debería llegar el 28 de noviembre de 2026 como muy tarde.',
      )
      .assertNoMoreReplies();
  });

  it('re-asks in Spanish when the answer holds no order number', async () => {
    await chatIn(host, 'es')
      .send('quiero seguir mi paquete')
      .assertReply(/número de pedido/)
      .send('el azul')
      .assertReply(/Eso no parece un número de pedido/);
  });

  it('finds the order by the e-mail address it was placed with, and keeps the address for the agent', async () => {
    const flow = chatIn(host, 'es')
      .send('no encuentro mi pedido, mi correo es Ana@Example.com')
      .assertReply(/El pedido B2001 \(Backpack 30L\) se entregó el 10 de noviembre de 2026\./);
    const conversation = await flow.current();
    expect(await collected(conversation.id)).toMatchObject({ email: 'Ana@example.com', orderNumber: 'B2001' });
  });

  it('finds the order by phone number, given when asked for the order number', async () => {
    const flow = chatIn(host, 'es')
      .send('¿dónde está mi pedido?')
      .assertReply(/¿Cuál es el número de pedido\?/)
      .send('no lo tengo, mi móvil es el 612 34 56 78')
      .assertReply(/El pedido B2001 .* se entregó/);
    expect(await collected((await flow.current()).id)).toMatchObject({ phoneNumber: '+34612345678' });
  });

  it('says so when no order was placed with the address, and still takes the number', async () => {
    await chatIn(host, 'es')
      .send('¿cómo va mi pedido? mi email es nadie@example.org')
      .assertReply(/No he encontrado ningún pedido hecho con nadie@example.org/)
      .send('A1003')
      .assertReply(/El pedido A1003 \(Camping stove\) se entregó el 20 de noviembre de 2026/);
  });
});

describe('demo bot in Spanish: cancel and return', () => {
  it('cancels after a Spanish "sí"', async () => {
    await chatIn(host, 'es')
      .send('quiero cancelar el pedido A1005')
      .assertReply(/¿Quieres que cancele el pedido A1005 \(Sleeping bag\)\?/)
      .send('sí')
      .assertReply(/Hecho: el pedido A1005 está cancelado/);
  });

  it('keeps the order after a Spanish "no", and refuses a shipped order', async () => {
    await chatIn(host, 'es')
      .send('cancela el pedido A1002')
      .assertReply(/cancele el pedido A1002/)
      .send('no')
      .assertReply('De acuerdo, dejo el pedido A1002 como está.')
      .send('anula el pedido A1001')
      .assertReply(/ya se envió el 24 de noviembre de 2026, así que ya no se puede cancelar/);
  });

  it('starts a return with a reason and a pick-up day, both kept for the agent', async () => {
    const flow = chatIn(host, 'es')
      .send('quiero devolver el pedido B2001')
      .assertReply(/¿Por qué lo devuelves\?.*\(1\) Llegó dañado/)
      .send('no es mi talla')
      .assertReply(/¿Qué día te viene bien\?/)
      .send('pasado mañana')
      .assertReply(/referencia RMA-B2001, motivo: no es mi talla\)\. Nuestro mensajero recogerá el paquete el \d{1,2} de \p{L}+ de \d{4}/u);
    const values = await collected((await flow.current()).id);
    expect(values).toMatchObject({ returnReason: 'No es mi talla', pickupDate: inDays(2) });
  });

  it('refuses a pick-up day in the past and asks again', async () => {
    await chatIn(host, 'es')
      .send('quiero devolver el pedido B2001')
      .assertReply(/¿Por qué lo devuelves\?/)
      .send('1')
      .assertReply(/¿Qué día te viene bien\?/)
      .send('ayer')
      .assertReply(/ya no nos da tiempo/)
      .send('mañana')
      .assertReply(/recogerá el paquete el/);
  });

  it('hands a return above the limit to a person, telling the customer in Spanish', async () => {
    await chatIn(host, 'es')
      .send('quiero devolver el pedido B2002')
      .assertReply(/Las devoluciones de pedidos de más de 300\sUS\$ las lleva nuestro equipo/)
      .assertReply(/^Te paso con una persona de nuestro equipo/)
      .assertEscalated('dialog_request');
  });
});

describe('demo bot in Spanish: escalation and the notices', () => {
  it('hands over on request, and the customer hears the agent join and leave, the welcome back and the CSAT question in Spanish', async () => {
    const customer = await WebchatClient.start(host.url, { locale: 'es-MX' });
    expect((await host.stores.conversations.get(customer.conversationId))?.locale).toBe('es');
    expect((await customer.ask('¿dónde está el pedido A1001?')).text).toMatch(/^El pedido A1001/);
    expect((await customer.ask('quiero hablar con una persona')).text).toMatch(/^Te paso con una persona de nuestro equipo para que te ayude\. Eres el número 1 en la cola/);
    const conversation = await host.stores.conversations.get(customer.conversationId);
    expect(conversation).toMatchObject({ status: 'queued', locale: 'es', handoff: { reason: 'customer_request' } });

    const agent = new AgentClient(host.url, lucia);
    expect((await agent.claim(customer.conversationId)).status).toBe(200);
    await customerSees(customer, (message) => message.from === 'system' && /se ha unido a la conversación/.test(message.text));
    expect((await agent.send(customer.conversationId, 'Hola, soy Lucía. ¡Ya está resuelto!')).status).toBe(201);
    expect((await agent.release(customer.conversationId)).status).toBe(200);
    await customerSees(customer, (message) => message.from === 'system' && /ha salido de la conversación/.test(message.text));
    await customerSees(customer, (message) => message.from === 'bot' && /^Gracias por esperar\. .*pedido A1001/.test(message.text));
    await customerSees(customer, (message) => message.from === 'bot' && /¿cómo valorarías la ayuda/.test(message.text));
    expect((await customer.ask('le doy un 4')).text).toBe('¡Gracias por tu valoración!');
    expect((await host.stores.conversations.get(customer.conversationId))?.handoff?.csat?.rating).toBe(4);
  });

  it('escalates anger in Spanish, and not an ordinary question', async () => {
    await chatIn(host, 'es')
      .send('¿a qué hora abre la tienda mañana?')
      .assertReply(/abre de lunes a viernes/)
      .send('qué asco de servicio, sois unos ladrones')
      .assertReply(/^Te paso con una persona/)
      .assertEscalated('negative_sentiment');
  });

  it('keeps a phone number left while waiting in line, for the agent to call back', async () => {
    const flow = chatIn(host, 'es')
      .send('necesito hablar con un humano')
      .assertReply(/^Te paso con una persona/)
      .send('llamadme mejor al +34 699 111 222, gracias')
      .assertNoMoreReplies();
    expect(await collected((await flow.current()).id)).toMatchObject({ phoneNumber: '+34699111222' });
  });
});

async function customerSees(client: WebchatClient, match: (message: WebchatMessage) => boolean): Promise<WebchatMessage> {
  for (let tries = 0; tries < 200; tries += 1) {
    const found = (await client.messages()).find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the customer never saw the expected message; they saw: ${(await client.messages()).map((m) => m.text).join(' | ')}`);
}

/** The ISO day `days` after today, in the host's time zone (as "pasado mañana" is read). */
function inDays(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
