import type { Catalogue } from '../core/catalogue.ts';

/** The CSAT question and its thanks, in each of the framework's languages. */
export interface CsatText {
  question: string;
  thanks(rating: number): string;
}

export const CSAT_TEXT = {
  en: {
    question:
      'If you have a moment: how would you rate the help you got from our team? Reply with a number from 1 (poor) to 5 (excellent).',
    thanks: (rating) =>
      rating <= 2 ? "Thank you for telling us. I'm sorry it wasn't better; we'll look into it." : 'Thank you for your rating!',
  },
  es: {
    question:
      'Si tienes un momento: ¿cómo valorarías la ayuda que te ha dado nuestro equipo? Responde con un número del 1 (mala) al 5 (excelente).',
    thanks: (rating) =>
      rating <= 2 ? 'Gracias por decírnoslo. Sentimos que no haya ido mejor; lo revisaremos.' : '¡Gracias por tu valoración!',
  },
} satisfies Catalogue<CsatText>;
