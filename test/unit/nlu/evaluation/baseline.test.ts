import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { writeFile } from 'node:fs/promises';
import { baselineOf, compareWithBaseline, readBaseline, writeBaseline } from '../../../../src/nlu/evaluation/baseline.ts';
import { summarize } from '../../../../src/nlu/evaluation/evaluate.ts';
import { makeTempDir, removeDir } from '../nlu-fixtures.ts';
import { result } from './evaluation-fixtures.ts';

const ok = (text: string, intent: string) => result(text, intent, intent);
const wrong = (text: string, expected: string, predicted: string) =>
  result(text, expected, predicted, [`intent: expected ${expected}, got ${predicted}`]);

// 4 × a, 4 × b, all right but one b taken for a.
const before = summarize('en', [ok('a1', 'a'), ok('a2', 'a'), ok('a3', 'a'), ok('a4', 'a'), ok('b1', 'b'), ok('b2', 'b'), ok('b3', 'b'), wrong('b4', 'b', 'a')]);

describe('baselineOf', () => {
  it('records rounded F1 and support per supported intent and every failure as known', () => {
    const baseline = baselineOf(before, 'hash');
    expect(baseline).toMatchObject({ kind: 'switchboard-intents-baseline', version: 1, locale: 'en', corpusHash: 'hash', accuracy: 0.875 });
    expect(baseline.intents).toEqual({ a: { f1: 0.8889, support: 4 }, b: { f1: 0.8571, support: 4 } });
    expect(baseline.knownFailures).toEqual([{ text: 'b4', problems: ['intent: expected b, got a'] }]);
  });
});

describe('compareWithBaseline', () => {
  const baseline = baselineOf(before);

  it('passes the run the baseline was taken from', () => {
    expect(compareWithBaseline(before, baseline, 0)).toEqual({
      regressions: [],
      newFailures: [],
      knownFailures: before.failures,
      fixed: [],
      notCompared: [],
    });
  });

  it('reports an F1 that fell more than the tolerance, and the new failure', () => {
    const after = summarize('en', [ok('a1', 'a'), ok('a2', 'a'), ok('a3', 'a'), wrong('a4', 'a', 'b'), ok('b1', 'b'), ok('b2', 'b'), ok('b3', 'b'), wrong('b4', 'b', 'a')]);
    // a: P 3/4 R 3/4 → 0.75 (from 0.8889); b: P 3/4 R 3/4 → 0.75 (from 0.8571).
    const strict = compareWithBaseline(after, baseline, 0.05);
    expect(strict.regressions).toEqual([
      { what: 'a', baseline: 0.8889, current: 0.75 },
      { what: 'b', baseline: 0.8571, current: 0.75 },
    ]);
    expect(strict.newFailures.map((failure) => failure.text)).toEqual(['a4']);
    expect(strict.knownFailures.map((failure) => failure.text)).toEqual(['b4']);
    // Within a tolerance of 0.15 neither drop counts.
    expect(compareWithBaseline(after, baseline, 0.15).regressions).toEqual([]);
  });

  it('reports known failures that pass now as fixed, and intents with no case any more', () => {
    const after = summarize('en', [ok('a1', 'a'), ok('B4 ', 'b')]);
    const comparison = compareWithBaseline(after, { ...baseline, intents: { ...baseline.intents, gone: { f1: 1, support: 3 } } }, 0.05);
    expect(comparison.fixed).toEqual(['b4']);
    expect(comparison.notCompared).toEqual(['gone']);
    expect(comparison.regressions).toEqual([]);
  });

  it('reports a fall of the escalation accuracy', () => {
    const withEscalation = (escalated: boolean) =>
      summarize('en', [{ ...ok('x', 'a'), expectedEscalate: false, ...(escalated ? { escalation: 'low_confidence' as const } : {}) }]);
    const base = baselineOf(withEscalation(false));
    expect(compareWithBaseline(withEscalation(true), base, 0.05).regressions).toContainEqual({
      what: 'escalation accuracy',
      baseline: 1,
      current: 0,
    });
  });

  it('without a baseline, every failure is new', () => {
    expect(compareWithBaseline(before, undefined, 0.05).newFailures).toEqual(before.failures);
  });
});

describe('baseline files', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('sb-baseline-');
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('round-trips, is undefined when missing and refuses a foreign file', async () => {
    const file = path.join(dir, 'baseline.json');
    expect(await readBaseline(file)).toBeUndefined();
    await writeBaseline(file, baselineOf(before));
    expect(await readBaseline(file)).toEqual(baselineOf(before));
    await writeFile(file, '{"intents": {}}');
    await expect(readBaseline(file)).rejects.toMatchObject({ code: 'invalid_baseline' });
  });
});
