import type { Order } from '../src/integrations/order-provider.ts';
import type { BotText, OrderPurpose } from './bot-text.ts';
import { longDate } from './long-date.ts';

const date = (isoDate: string) => longDate(isoDate, 'es-ES');
const items = (order: Order) => order.items.join(', ');

const PURPOSE: Record<OrderPurpose, string> = {
  track: 'a seguir tu pedido',
  cancel: 'a cancelar tu pedido',
  return: 'a empezar una devolución',
};

/** La tienda de demostración en español (de tú, como se escribe en un chat). */
export const ES: BotText = {
  greeting: (firstName) =>
    `¡Hola${firstName ? `, ${firstName}` : ''}! Soy el asistente de la tienda de demostración de Switchboard. Puedo consultar un pedido, cancelarlo, empezar una devolución o contarte las opciones de envío y nuestro horario. ¿En qué te ayudo?`,
  goodbye: 'Gracias por escribirnos. ¡Adiós y que tengas un buen día!',
  thanks: '¡De nada! ¿Te puedo ayudar con algo más?',
  help: 'Puedo decirte dónde está un pedido, cancelar un pedido que aún no se ha enviado, empezar una devolución y contarte las opciones de envío y el horario de la tienda. Pregúntame, por ejemplo: «¿dónde está mi pedido A1001?». También puedes pedir hablar con una persona cuando quieras.',
  storeHours:
    'Nuestra tienda de 12 Harbour Street abre de lunes a viernes de 9:00 a 18:00 y los sábados de 10:00 a 16:00; cierra los domingos y festivos. La tienda online y este chat están abiertos las 24 horas.',
  deliveryOptions:
    'El envío estándar tarda de 3 a 5 días laborables y es gratis en pedidos de más de 50 $ (si no, 4,95 $). El exprés tarda de 1 a 2 días laborables y cuesta 9,95 $, y la entrega al día siguiente cuesta 14,95 $ si pides antes de las 14:00. La recogida en tienda es gratuita.',
  fallback:
    'Perdona, no lo he entendido bien. ¿Me lo dices de otra forma? Puedo ayudarte con pedidos, devoluciones, envíos y el horario de la tienda, o puedes pedir hablar con una persona.',
  welcomeBack: (orderNumber) =>
    orderNumber
      ? `Gracias por esperar. Aquí sigo si necesitas algo más, por ejemplo sobre el pedido ${orderNumber}. ¿Te ayudo con algo más?`
      : 'Gracias por esperar. Aquí sigo: ¿te ayudo con algo más?',
  ordersUnavailable:
    'Lo siento, ahora mismo no puedo consultar pedidos: nuestro sistema de pedidos no responde. Te paso con una persona de nuestro equipo que pueda revisarlo.',

  askForOrder: (purpose, example) =>
    `Claro, te ayudo ${PURPOSE[purpose]}. ¿Cuál es el número de pedido? Es como ${example}. ¿No lo tienes a mano? Dime el correo electrónico o el teléfono con el que hiciste el pedido.`,
  notAnOrderNumber: (example) =>
    `Eso no parece un número de pedido. Es una letra y cuatro cifras, como ${example}. ¿Cuál es el tuyo? (O el correo o el teléfono con el que lo hiciste.)`,
  gaveUpOnOrderNumber:
    'No he encontrado ningún número de pedido en eso. Lo tienes en el correo de confirmación; envíamelo cuando lo tengas.',
  orderNotFound: (orderNumber) =>
    `No he encontrado el pedido ${orderNumber}. Revisa el número en el correo de confirmación y vuelve a enviármelo, por favor.`,
  noOrdersForContact: (contact) =>
    `No he encontrado ningún pedido hecho con ${contact}. ¿Cuál es el número de pedido? Lo tienes en el correo de confirmación.`,
  whichOrder: (contact, orders) =>
    `He encontrado ${orders.length} pedidos hechos con ${contact}: ${orders.map((order) => `${order.orderNumber} (${items(order)})`).join(', ')}. ¿Cuál es? Envíame su número.`,

  orderStatus: (order) => {
    const what = `El pedido ${order.orderNumber} (${items(order)})`;
    switch (order.status) {
      case 'processing':
        return `${what} se está preparando: lo recibimos el ${date(order.statusDate)} y debería enviarse en 2 días laborables.`;
      case 'shipped':
        return order.estimatedDelivery
          ? `${what} se envió el ${date(order.statusDate)} y debería llegar el ${date(order.estimatedDelivery)} como muy tarde.`
          : `${what} se envió el ${date(order.statusDate)}.`;
      case 'delivered':
        return `${what} se entregó el ${date(order.statusDate)}.`;
      case 'cancelled':
        return `${what} se canceló el ${date(order.statusDate)}.`;
    }
  },

  cannotCancel: (order) => {
    switch (order.status) {
      case 'processing':
        return undefined;
      case 'shipped':
        return `El pedido ${order.orderNumber} ya se envió el ${date(order.statusDate)}, así que ya no se puede cancelar. Cuando llegue, puedes empezar una devolución.`;
      case 'delivered':
        return `El pedido ${order.orderNumber} se entregó el ${date(order.statusDate)}, así que no se puede cancelar. Puedes empezar una devolución.`;
      case 'cancelled':
        return `El pedido ${order.orderNumber} ya está cancelado.`;
    }
  },
  confirmCancel: (order) => `¿Quieres que cancele el pedido ${order.orderNumber} (${items(order)})? Responde sí o no, por favor.`,
  confirmCancelRetry: (orderNumber) => `Responde sí para cancelar el pedido ${orderNumber}, o no para mantenerlo.`,
  keptOrder: (orderNumber) => `De acuerdo, dejo el pedido ${orderNumber} como está.`,
  cancelled: (orderNumber) =>
    `Hecho: el pedido ${orderNumber} está cancelado. El reembolso llegará a tu método de pago original en 5 días laborables.`,
  tooLateToCancel: (orderNumber) =>
    `Lo siento, no se ha podido cancelar el pedido ${orderNumber}: acaba de salir del almacén. Puedes empezar una devolución cuando llegue.`,

  cannotReturn: (order) => {
    switch (order.status) {
      case 'delivered':
        return undefined;
      case 'processing':
        return `El pedido ${order.orderNumber} aún no se ha enviado, así que no hay nada que devolver: si quieres, puedes cancelarlo.`;
      case 'shipped':
        return `El pedido ${order.orderNumber} está en camino (se envió el ${date(order.statusDate)}). Podrás empezar una devolución en cuanto llegue.`;
      case 'cancelled':
        return `El pedido ${order.orderNumber} se canceló, así que no hay nada que devolver.`;
    }
  },
  returnNeedsAPerson: (orderNumber, limit) =>
    `Las devoluciones de pedidos de más de ${limit} las lleva nuestro equipo, así que te paso con una persona que pueda aprobar el reembolso del pedido ${orderNumber}.`,
  askReturnReason: (orderNumber) => `Puedo empezar la devolución del pedido ${orderNumber}. ¿Por qué lo devuelves?`,
  returnReasonRetry: 'Elige uno de los motivos por su número o por sus palabras, por favor.',
  returnReasons: ['Llegó dañado', 'No es mi talla', 'No es lo que esperaba', 'He cambiado de opinión'],
  askPickupDate:
    'Nuestro mensajero puede recoger el paquete en tu dirección. ¿Qué día te viene bien? Por ejemplo «mañana», «el próximo viernes» o «12/03/2027».',
  pickupDateRetry: '¿Qué día pasa el mensajero? Cualquier día a partir de mañana y dentro de los próximos 30 días, por ejemplo «el lunes que viene».',
  pickupDatePassed: (day) => `El ${date(day)} ya no nos da tiempo. ¿Qué día a partir de mañana te viene bien?`,
  pickupDateTooFar: (day) => `El ${date(day)} queda a más de 30 días. ¿Qué día dentro de los próximos 30 días te viene bien?`,
  returnStarted: (orderNumber, reason, pickupDate) =>
    `Tu devolución del pedido ${orderNumber} está en marcha (referencia RMA-${orderNumber}, motivo: ${reason.toLowerCase()}). ` +
    (pickupDate
      ? `Nuestro mensajero recogerá el paquete el ${date(pickupDate)}, y el reembolso llegará en 5 días laborables desde que lo recibamos.`
      : 'Te hemos enviado por correo una etiqueta prepagada: deja el paquete en cualquier oficina de correos en 30 días y el reembolso llegará en 5 días laborables desde que lo recibamos.'),

  longDate: date,
  money: (amount) => new Intl.NumberFormat('es-ES', { style: 'currency', currency: 'USD', minimumFractionDigits: 0 }).format(amount),
};
