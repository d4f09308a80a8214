import type { Corpus } from './corpus.ts';
import type { LocaleDetection } from './intent-classifier.ts';
import { guessLanguage, teachLanguage } from './nlpjs-runtime.ts';

/*
 * Which of the bot's languages a customer message is written in, by NLP.js's
 * language guess (trigram profiles, `@nlpjs/language`), restricted to the
 * locales the bot has models for. Trigram guesses are unreliable on short
 * texts ("ok", "A1001", "no" is English and Spanish), so the conversation's
 * current locale stands unless the message clearly says otherwise:
 *
 * 1. Only the message's words count: e-mail addresses, web addresses, HTML
 *    tags and anything with a digit in it (order numbers, phone numbers,
 *    dates) are left out.
 * 2. Fewer than MIN_WORDS words or MIN_LETTERS letters left: too short to
 *    tell, the conversation's locale.
 * 3. The best guess is the conversation's locale: it stays.
 * 4. Another locale is best: it wins only by a clear margin, the runner-up
 *    (the conversation's locale or another) scoring at most 1 − MIN_MARGIN
 *    of it. Otherwise the conversation's locale.
 *
 * The guesser is first taught every training utterance of the corpus, as
 * NLP.js's own NLU manager teaches its guesser while training: the bot's
 * vocabulary ("pedido", "order", "refund") then weighs in its language. On
 * the demo's held-out regression suites this cut wrong switches from 9 of
 * 121 English messages to 1. (The trigram tables are module state of
 * `@nlpjs/language`, which only this class uses; teaching is idempotent.)
 *
 * The thresholds were chosen on the demo bot's English and Spanish
 * regression suites (messages not in the corpus): see the README,
 * "Languages".
 */

export const MIN_WORDS = 2;
export const MIN_LETTERS = 8;
export const MIN_MARGIN = 0.1;

const NOT_WORDS = [
  /<[^>]*>/g, // HTML tags
  /\S+@\S+/g, // e-mail addresses
  /\b(?:https?:\/\/|www\.)\S+/gi, // web addresses
  /\S*\p{N}\S*/gu, // order numbers, phone numbers, dates, prices
];

/** The words of a message as the guess should see them. */
export function wordsOf(text: string): string {
  return NOT_WORDS.reduce((rest, pattern) => rest.replace(pattern, ' '), text).replace(/\s+/g, ' ').trim();
}

export class LanguageDetector {
  readonly locales: readonly string[];

  constructor(corpus: Corpus) {
    this.locales = corpus.locales.map((locale) => locale.locale);
    if (this.locales.length < 2) return;
    for (const locale of corpus.locales) teachLanguage(locale.locale, locale.intents.flatMap((intent) => intent.utterances));
  }

  /** The language of `text`, given the locale the conversation is in (see the module comment). */
  detect(text: string, current: string): LocaleDetection {
    if (this.locales.length < 2) return { locale: current, reason: 'single_locale' };
    const words = wordsOf(text);
    const letters = words.match(/\p{L}/gu)?.length ?? 0;
    if (words.split(' ').filter((word) => /\p{L}/u.test(word)).length < MIN_WORDS || letters < MIN_LETTERS) {
      return { locale: current, reason: 'too_short' };
    }
    const [best, runnerUp] = guessLanguage(words, this.locales);
    if (!best || best.locale === current) return { locale: current, reason: 'same' };
    if (best.score <= 0 || (runnerUp?.score ?? 0) > best.score * (1 - MIN_MARGIN)) return { locale: current, reason: 'weak' };
    return { locale: best.locale, reason: 'switched' };
  }
}
