import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCorpus, type LocaleCorpus } from '../../../../src/nlu/corpus.ts';
import { loadTestSuites } from '../../../../src/nlu/evaluation/test-suite.ts';
import { makeTempDir, removeDir, smallCorpus, writeCorpusFiles } from '../nlu-fixtures.ts';

describe('loadTestSuites', () => {
  let root: string;
  let locale: LocaleCorpus;
  const defaults = { handoffIntents: ['bye'] };

  beforeEach(async () => {
    root = await makeTempDir('sb-suites-');
    await writeCorpusFiles(root, { 'en/small.json': smallCorpus });
    const corpus = await loadCorpus(root);
    locale = corpus.locales[0] as LocaleCorpus;
  });
  afterEach(async () => {
    await removeDir(root);
  });

  it('is undefined without a tests folder or a suite in it', async () => {
    expect(await loadTestSuites(root, locale, defaults)).toBeUndefined();
    await writeCorpusFiles(root, { 'en/tests/baseline.json': { kind: 'not a suite' } });
    expect(await loadTestSuites(root, locale, defaults)).toBeUndefined();
  });

  it('reads every suite but baseline.json, in file order, with defaults applied', async () => {
    await writeCorpusFiles(root, {
      'en/tests/b.json': {
        name: 'B',
        cases: [
          { text: 'where is order z9999', intent: 'order.find', entities: { orderNumber: 'Z9999', size: null } },
          { text: 'see ya', intent: 'bye' },
          { text: 'hey you', intent: 'hello', escalate: true },
        ],
      },
      'en/tests/a.json': { name: 'A', cases: [{ text: 'what is the weather' }, { text: 'two sizes', intent: 'order.find', entities: { size: ['small', 'large'] } }] },
      'en/tests/baseline.json': { kind: 'switchboard-intents-baseline' },
    });
    const suites = await loadTestSuites(root, locale, defaults);
    expect(suites?.suites).toEqual([
      { file: 'a.json', name: 'A', cases: 2 },
      { file: 'b.json', name: 'B', cases: 3 },
    ]);
    expect(suites?.cases).toEqual([
      { suite: 'a.json', text: 'what is the weather', intent: 'None', escalate: true },
      { suite: 'a.json', text: 'two sizes', intent: 'order.find', escalate: false, entities: { size: ['large', 'small'] } },
      { suite: 'b.json', text: 'where is order z9999', intent: 'order.find', escalate: false, entities: { orderNumber: ['Z9999'], size: [] } },
      // A handoff intent escalates unless the case says otherwise.
      { suite: 'b.json', text: 'see ya', intent: 'bye', escalate: true },
      { suite: 'b.json', text: 'hey you', intent: 'hello', escalate: true },
    ]);
    expect(suites?.warnings).toEqual([]);
  });

  it('warns about cases that are training utterances', async () => {
    await writeCorpusFiles(root, { 'en/tests/t.json': { name: 'T', cases: [{ text: 'Track my  parcel', intent: 'order.find' }] } });
    expect((await loadTestSuites(root, locale, defaults))?.warnings[0]).toContain('1 case(s) are training utterances, which tests memory rather than understanding: "Track my  parcel"');
  });

  it.each([
    ['an unknown intent', { name: 'X', cases: [{ text: 'x', intent: 'order.lost' }] }, /"order.lost" is not an intent of the en corpus/],
    ['an unknown entity', { name: 'X', cases: [{ text: 'x', intent: 'hello', entities: { colour: 'red' } }] }, /"colour" is not an entity/],
    ['"None" as an intent', { name: 'X', cases: [{ text: 'x', intent: 'None' }] }, /leave "intent" out/],
    ['an unknown field', { name: 'X', cases: [{ text: 'x', expect: 'hello' }] }, /cases\[0\]/],
    ['no cases', { name: 'X', cases: [] }, /cases/],
    ['a text twice', { name: 'X', cases: [{ text: 'Hi you', intent: 'hello' }, { text: 'hi  you', intent: 'bye' }] }, /already a case/],
  ])('refuses %s, naming the file', async (_label, suite, message) => {
    await writeCorpusFiles(root, { 'en/tests/bad.json': suite });
    const error = await loadTestSuites(root, locale, defaults).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_test_suite' });
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).toContain(path.join('en', 'tests', 'bad.json'));
  });
});
