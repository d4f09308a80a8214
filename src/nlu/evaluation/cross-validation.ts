import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Logger } from '../../logger.ts';
import type { Corpus } from '../corpus.ts';
import type { IntentClassifier } from '../intent-classifier.ts';
import { trainIntentClassifier } from '../load-intent-classifier.ts';
import { stratifiedFolds } from './folds.ts';
import { normalizeText, type TestCase } from './test-suite.ts';

/*
 * `intents test --cross-validation K`, for a corpus with no test set (as
 * `rasa test nlu --cross-validation` does): the corpus's own utterances are
 * split into K stratified folds (by locale and intent, seeded); K models are
 * trained, each on a temporary copy of the corpus without one fold, and each
 * classifies the fold it did not see. Every utterance is thus classified
 * once by a model that was not trained on it. Identical utterances of an
 * intent (case and spacing aside) count once, so none is both taught and tested.
 */

export interface CrossValidationItem {
  locale: string;
  intent: string;
  text: string;
}

export interface FoldRun {
  fold: number;
  classifier: IntentClassifier;
  /** The utterances this fold's model was not trained on, per locale. */
  heldOut: CrossValidationItem[];
}

export interface CrossValidationOptions {
  corpus: Corpus;
  folds: number;
  seed: number;
  logger: Logger;
  /** Called once per fold with its model; the model is dropped after it returns. */
  onFold: (run: FoldRun) => Promise<void>;
}

/** Every distinct utterance of the corpus, in corpus order. */
export function crossValidationItems(corpus: Corpus): CrossValidationItem[] {
  const items: CrossValidationItem[] = [];
  for (const locale of corpus.locales) {
    for (const intent of locale.intents) {
      const seen = new Set<string>();
      for (const text of intent.utterances) {
        const key = normalizeText(text);
        if (seen.has(key)) continue;
        seen.add(key);
        items.push({ locale: locale.locale, intent: intent.intent, text });
      }
    }
  }
  return items;
}

const itemKey = (locale: string, intent: string, text: string) => JSON.stringify([locale, intent, normalizeText(text)]);

/** Trains and runs the K folds; returns the total training time in milliseconds. */
export async function crossValidate(options: CrossValidationOptions): Promise<{ trainingMs: number }> {
  const { corpus, folds, seed } = options;
  const items = crossValidationItems(corpus);
  const assignment = stratifiedFolds(items, (item) => `${item.locale}\u0000${item.intent}`, folds, seed);
  const foldOf = new Map(items.map((item, index) => [itemKey(item.locale, item.intent, item.text), assignment[index] ?? 0]));

  const root = await mkdtemp(path.join(tmpdir(), 'switchboard-cv-'));
  let trainingMs = 0;
  try {
    for (let fold = 0; fold < folds; fold += 1) {
      const intentsDir = path.join(root, `fold-${fold}`);
      await writeFoldCorpus(corpus, intentsDir, (locale, intent, text) => foldOf.get(itemKey(locale, intent, text)) !== fold);
      const trained = await trainIntentClassifier({ intentsDir, logger: options.logger });
      trainingMs += trained.trainingMs;
      const heldOut = items.filter((_item, index) => assignment[index] === fold);
      await options.onFold({ fold, classifier: trained.classifier, heldOut });
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return { trainingMs };
}

/**
 * Writes a copy of the corpus keeping only the utterances `keep` accepts:
 * the same files, entities and everything else, so the fold's model differs
 * from the real one only by what it was taught.
 */
export async function writeFoldCorpus(
  corpus: Corpus,
  intentsDir: string,
  keep: (locale: string, intent: string, text: string) => boolean,
): Promise<void> {
  for (const locale of corpus.locales) {
    const dir = path.join(intentsDir, locale.locale);
    await mkdir(dir, { recursive: true });
    for (const file of locale.files) {
      const data = file.document.data
        .map((entry) => ({ ...entry, utterances: entry.utterances.filter((text) => keep(locale.locale, entry.intent, text)) }))
        .filter((entry) => entry.utterances.length > 0);
      await writeFile(path.join(dir, file.fileName), JSON.stringify({ ...file.document, data }));
    }
  }
}

/** A held-out utterance as a test case: its intent, and escalation only for the bot's handoff intents. */
export function itemCase(item: CrossValidationItem, handoffIntents: ReadonlySet<string>): TestCase {
  return { text: item.text, intent: item.intent, escalate: handoffIntents.has(item.intent) };
}
