/*
 * The sentiment lexicon Switchboard gives NLP.js for Spanish, in place of the
 * one `@nlpjs/lang-es` ships (SentiCon, stemmed). That one scores function
 * words and everyday nouns: "que" −0.375, "ir" −0.5, "hora" −0.25, "abrir"
 * −0.25, "poder" −0.375, and "es" stems to "ser" at −0.25; so "¿a qué hora
 * abre la tienda mañana?" sums to −0.88 and went to a person as
 * negative_sentiment, while "qué asco de servicio" or "son unos ladrones"
 * were no angrier than a question about opening hours. A customer-service
 * bot needs one thing from sentiment: to notice anger and complaints. This
 * is a short list of exactly that, on SentiCon's scale (about −1..1 per
 * word, summed over the message, so NEGATIVE_SENTIMENT_THRESHOLD −0.5 means
 * one clearly negative word), with the praise a satisfied customer writes.
 *
 * Keys are NLP.js's normalised tokens (lower case, no accents), in the forms
 * people write; "no", "nunca", "jamás" and "ni" turn the next words around.
 */

const NEGATIVE: Readonly<Record<string, number>> = {
  // anger, disgust
  asco: -1, asqueroso: -1, asquerosa: -1, harto: -0.75, harta: -0.75, hartos: -0.75, hartas: -0.75,
  enfadado: -0.75, enfadada: -0.75, enojado: -0.75, enojada: -0.75, cabreado: -0.75, cabreada: -0.75,
  furioso: -1, furiosa: -1, indignado: -0.75, indignada: -0.75, odio: -1, odiar: -1,
  mierda: -1, joder: -1, puta: -1, puto: -1, carajo: -1, cono: -0.75, hostia: -0.75,
  // judgement of the service
  verguenza: -0.75, vergonzoso: -0.75, vergonzosa: -0.75, inaceptable: -1, intolerable: -1,
  horrible: -1, terrible: -1, fatal: -0.75, pesimo: -1, pesima: -1, peor: -0.75, malisimo: -1, malisima: -1,
  desastre: -1, desastroso: -1, basura: -1, ridiculo: -0.75, ridicula: -0.75, lamentable: -0.75,
  inutil: -0.75, inutiles: -0.75, incompetente: -1, incompetentes: -1, impresentable: -1, impresentables: -1,
  estafa: -1, estafadores: -1, timo: -1, ladron: -1, ladrones: -1, robo: -0.75, enganado: -0.75, enganada: -0.75,
  decepcionado: -0.75, decepcionada: -0.75, decepcion: -0.75, cansado: -0.5, cansada: -0.5,
  queja: -0.5, reclamacion: -0.5, denuncia: -0.75, denunciar: -0.75, abogado: -0.5,
  mal: -0.5, malo: -0.5, mala: -0.5,
};

const POSITIVE: Readonly<Record<string, number>> = {
  genial: 0.75, perfecto: 0.75, perfecta: 0.75, excelente: 1, estupendo: 0.75, estupenda: 0.75,
  fantastico: 0.75, fantastica: 0.75, maravilloso: 0.75, maravillosa: 0.75, encantado: 0.5, encantada: 0.5,
  amable: 0.5, contento: 0.5, contenta: 0.5, bien: 0.25, bueno: 0.25, buena: 0.25, gracias: 0.25,
};

/** What NLP.js's sentiment analyser reads from the container as `sentiment-es`. */
export const SPANISH_SENTIMENT = {
  senticon: { ...NEGATIVE, ...POSITIVE },
  negations: { words: ['no', 'nunca', 'jamas', 'ni'] },
  stemmed: false,
};
