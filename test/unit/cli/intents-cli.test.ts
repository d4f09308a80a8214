import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intentsCalibrate } from '../../../src/cli/intents-calibrate.ts';
import type { IntentsCommandContext } from '../../../src/cli/intents-cli-support.ts';
import { intentsTest } from '../../../src/cli/intents-test.ts';
import { loadConfig } from '../../../src/config.ts';
import { readCalibratedThresholds } from '../../../src/nlu/calibration.ts';
import { loadCorpus } from '../../../src/nlu/corpus.ts';
import type { IntentsReport } from '../../../src/nlu/evaluation/report.ts';
import { makeTempDir, recordingLogger, removeDir, smallCorpus, writeCorpusFiles } from '../nlu/nlu-fixtures.ts';

// The intents commands end to end on a tiny corpus in a temporary folder:
// suites, report files, the baseline gate, cross-validation and calibration.

let root: string;
let intentsDir: string;
let out: string;

const suite = {
  name: 'Small',
  cases: [
    { text: 'hello hello', intent: 'hello' },
    { text: 'goodbye now', intent: 'bye' },
    { text: 'where is my order B2002', intent: 'order.find', entities: { orderNumber: 'B2002' } },
    { text: 'qwxz blorp' },
    // Wrong on purpose: the classifier says hello.
    { text: 'hi there, good morning', intent: 'bye' },
  ],
};

function context(env: Record<string, string> = {}): IntentsCommandContext & { output: () => string } {
  let text = '';
  return {
    config: loadConfig({ INTENTS_DIR: intentsDir, MODEL_CACHE_DIR: path.join(root, 'cache'), ...env }),
    logger: recordingLogger().logger,
    bot: { handoffIntents: [], outOfScopeIntents: [] },
    write: (chunk) => {
      text += chunk;
    },
    output: () => text,
  };
}

const readReport = async (): Promise<IntentsReport> => JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')) as IntentsReport;

beforeAll(async () => {
  root = await makeTempDir('sb-intents-cli-');
  intentsDir = path.join(root, 'intents');
  out = path.join(root, 'report');
  await writeCorpusFiles(intentsDir, { 'en/small.json': smallCorpus, 'en/tests/small.json': suite });
});
afterAll(async () => {
  await removeDir(root);
});

describe('switchboard intents test', () => {
  it('fails on a failed expectation with no baseline, and writes both reports', async () => {
    const ctx = context();
    expect(await intentsTest(['--out', out], ctx)).toBe(1);
    expect(ctx.output()).toMatch(/\[en\] 5 cases: small\.json \(5\)/);
    expect(ctx.output()).toMatch(/intent: expected bye, got hello/);
    expect(ctx.output()).toMatch(/FAIL: 1 failed expectation\(s\) not in the baseline \(allowed: 0\)/);

    const report = await readReport();
    expect(report).toMatchObject({ mode: 'suites', model: 'trained', passed: false });
    const en = report.locales[0];
    expect(en?.cases).toBe(5);
    expect(en?.failures.map((failure) => failure.text)).toEqual(['hi there, good morning']);
    expect(en?.intents.map((label) => label.label)).toEqual(['bye', 'hello', 'order.find', 'None']);
    expect(en?.escalation).toMatchObject({ outOfScope: 1, outOfScopeEscalated: 1 });
    expect(en?.entities).toEqual({ checked: 1, passed: 1 });
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toMatch(/\| hello \| 0\.500 \| 1\.000 \| 0\.667 \| 1 \| 2 \|/);
  });

  it('passes with --allow-failures, then loads the model from the cache', async () => {
    const ctx = context();
    expect(await intentsTest(['--out', out, '--allow-failures', '1'], ctx)).toBe(0);
    expect((await readReport()).model).toBe('cache');
    expect(ctx.output()).toMatch(/PASS/);
  });

  it('--update-baseline records the failure as known; the next run passes; a new failure fails', async () => {
    expect(await intentsTest(['--out', out, '--update-baseline'], context())).toBe(0);
    const baseline = JSON.parse(await readFile(path.join(intentsDir, 'en/tests/baseline.json'), 'utf8')) as {
      knownFailures: Array<{ text: string }>;
      intents: Record<string, { f1: number }>;
    };
    expect(baseline.knownFailures.map((failure) => failure.text)).toEqual(['hi there, good morning']);
    expect(Object.keys(baseline.intents).sort()).toEqual(['None', 'bye', 'hello', 'order.find']);

    const again = context();
    expect(await intentsTest(['--out', out], again)).toBe(0);
    expect(again.output()).toMatch(/failed expectations: 1 \(1 known in the baseline, 0 new\)/);

    await writeCorpusFiles(intentsDir, {
      'en/tests/small.json': { ...suite, cases: [...suite.cases, { text: 'see you later friend', intent: 'hello' }] },
    });
    const worse = context();
    expect(await intentsTest(['--out', out], worse)).toBe(1);
    expect(worse.output()).toMatch(/NEW {3}"see you later friend"/);
    expect((await readReport()).reasons.join('\n')).toMatch(/1 failed expectation\(s\) not in the baseline[\s\S]*F1/);
    await writeCorpusFiles(intentsDir, { 'en/tests/small.json': suite });
  });

  it('--cross-validation K trains K models on the corpus itself', async () => {
    const ctx = context();
    expect(await intentsTest(['--out', out, '--cross-validation', '2', '--seed', '3'], ctx)).toBe(0);
    const report = await readReport();
    expect(report).toMatchObject({ mode: 'cross-validation', model: 'cross-validation', crossValidation: { folds: 2, seed: 3 } });
    expect(report.locales[0]?.cases).toBe(12);
    expect(await intentsTest(['--out', out, '--cross-validation', '2', '--min-accuracy', '1.0'], context())).toBe(
      report.locales[0]?.accuracy === 1 ? 0 : 1,
    );
  });

  it('exits 2 on a bad option, with the usage', async () => {
    const ctx = context();
    expect(await intentsTest(['--tolerance', 'lots'], ctx)).toBe(2);
    expect(ctx.output()).toMatch(/--tolerance must be a number from 0 to 1[\s\S]*Usage: switchboard intents test/);
    expect(await intentsTest(['--frobnicate'], context())).toBe(2);
  });
});

describe('switchboard intents calibrate', () => {
  it('writes calibration.json, which the corpus loader skips and the host applies as the locale\'s out-of-scope threshold', async () => {
    const ctx = context();
    expect(await intentsCalibrate(['--target-escalation-rate', '0.25'], ctx)).toBe(0);
    expect(ctx.output()).toMatch(/validation: .*small\.json\): 4 in-scope, 1 out-of-scope/);
    const file = path.join(intentsDir, 'en', 'calibration.json');
    const calibration = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(calibration).toMatchObject({ method: 'target-escalation-rate', targetEscalationRate: 0.25, score: 'oneMinusOutOfScope' });
    expect(calibration.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const threshold = calibration.handoffThreshold as number;
    const outOfScope = Number((1 - threshold).toFixed(8));
    expect(calibration.outOfScopeThreshold).toBe(outOfScope);
    expect(ctx.output()).toContain(`the host reads it as this locale's OOS_THRESHOLD: ${outOfScope}`);

    expect((await loadCorpus(intentsDir)).locales[0]?.files.map((f) => f.fileName)).toEqual(['small.json']);
    // Measured on 1 − outOfScope: the out-of-scope threshold, not the top score's.
    expect(await readCalibratedThresholds(intentsDir, ['en'])).toEqual({ handoff: {}, outOfScope: { en: outOfScope } });
    await intentsTest(['--out', out, '--allow-failures', '5'], context());
    expect((await readReport()).locales[0]?.outOfScopeThreshold).toEqual({ value: outOfScope, source: 'calibration' });
    // The variables win over the file.
    await intentsTest(['--out', out, '--allow-failures', '5'], context({ HANDOFF_THRESHOLD: '0.2', OOS_THRESHOLD: '0.45' }));
    expect((await readReport()).locales[0]?.handoffThreshold).toEqual({ value: 0.2, source: 'env' });
    expect((await readReport()).locales[0]?.outOfScopeThreshold).toEqual({ value: 0.45, source: 'env' });
    await rm(file);
  });

  it('calibrates on a CLINC150-style file, training on one of its splits, and writes only with --out', async () => {
    const data = {
      train: [
        ['hello there', 'greet'],
        ['hi friend', 'greet'],
        ['good morning', 'greet'],
        ['what time is it', 'time'],
        ['tell me the time', 'time'],
        ['current time please', 'time'],
      ],
      oos_train: [['how tall is a giraffe', 'oos']],
      val: [
        ['hello friend', 'greet'],
        ['hi there', 'greet'],
        ['what is the time', 'time'],
        ['the time please', 'time'],
      ],
      oos_val: [['cook me some rice', 'oos'], ['zzz qqq', 'oos']],
    };
    await writeCorpusFiles(root, { 'clinc.json': data });
    const ctx = context();
    expect(await intentsCalibrate(['--data', path.join(root, 'clinc.json'), '--train-split', 'train', '--split', 'val'], ctx)).toBe(0);
    expect(ctx.output()).toMatch(/validation: clinc\.json val \+ oos_val: 4 in-scope, 2 out-of-scope/);
    expect(ctx.output()).toMatch(/CLINC150's protocol/);
    expect(ctx.output()).toMatch(/nothing written/);

    const target = path.join(root, 'clinc-calibration.json');
    expect(await intentsCalibrate(['--data', path.join(root, 'clinc.json'), '--train-split', 'train', '--out', target], context())).toBe(0);
    expect(JSON.parse(await readFile(target, 'utf8'))).toMatchObject({ method: 'best-accuracy', measuredOn: 'clinc.json val + oos_val: 4 in-scope, 2 out-of-scope' });
  });

  it('refuses validation labels the model does not know', async () => {
    await writeCorpusFiles(root, { 'other.json': [['hello', 'greet'], ['zzz', 'oos']] });
    const ctx = context();
    expect(await intentsCalibrate(['--data', path.join(root, 'other.json'), '--dry-run'], ctx)).toBe(2);
    expect(ctx.output()).toMatch(/1 label\(s\) of the validation set are not intents of the model .*: greet/);
  });
});
