import type { Catalogue } from './catalogue.ts';

/** What the turn runner itself says to customers, in each of the framework's languages. */
export interface TurnText {
  /** A turn failed on our side: the customer is never left waiting in silence. */
  apology: string;
  /** A message with attachments and no text (unless TEXT_ONLY_REPLY replaces it in every language). */
  textOnly: string;
}

export const TURN_TEXT = {
  en: {
    apology: 'Sorry, something went wrong on our side. Please try again in a moment.',
    textOnly: 'Thanks! I can only read text for now — could you describe it in words? A person can look at the attachment if needed.',
  },
  es: {
    apology: 'Lo sentimos, algo ha fallado por nuestra parte. Vuelve a intentarlo en un momento, por favor.',
    textOnly: '¡Gracias! De momento solo puedo leer texto: ¿me lo describes con palabras? Si hace falta, una persona puede mirar el archivo.',
  },
} satisfies Catalogue<TurnText>;
