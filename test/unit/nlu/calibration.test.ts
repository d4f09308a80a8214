import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calibrationFile, readCalibratedThresholds, readCalibration } from '../../../src/nlu/calibration.ts';
import { loadCorpus } from '../../../src/nlu/corpus.ts';
import { makeTempDir, removeDir, smallCorpus, writeCorpusFiles } from './nlu-fixtures.ts';

describe('calibration.json', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await makeTempDir('sb-calibration-');
    await writeCorpusFiles(dir, { 'en/small.json': smallCorpus, 'es/small.json': { ...smallCorpus, locale: 'es' } });
  });
  afterEach(async () => {
    await removeDir(dir);
  });

  it('gives the calibrated locales their threshold, and is not read as corpus', async () => {
    await writeCorpusFiles(dir, {
      'es/calibration.json': { handoffThreshold: 0.42, method: 'best-accuracy', measuredOn: 'val', date: '2026-11-26', extra: 1 },
    });
    expect(await readCalibratedThresholds(dir, ['en', 'es'])).toEqual({ handoff: { es: 0.42 }, outOfScope: {} });
    expect(await readCalibration(dir, 'es')).toMatchObject({ handoffThreshold: 0.42, extra: 1 });
    const corpus = await loadCorpus(dir);
    expect(corpus.locales.map((locale) => locale.files.map((file) => file.fileName))).toEqual([['small.json'], ['small.json']]);
  });

  it.each([
    ['not JSON', '{"handoffThreshold": 0.4'],
    ['a threshold out of range', { handoffThreshold: 1.5, method: 'm', measuredOn: 'v', date: 'd' }],
    ['a missing method', { handoffThreshold: 0.4, measuredOn: 'v', date: 'd' }],
  ])('refuses %s, naming the file', async (_label, content) => {
    await writeCorpusFiles(dir, { 'en/calibration.json': content });
    const error = await readCalibratedThresholds(dir, ['en']).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'invalid_calibration' });
    expect((error as Error).message).toContain(calibrationFile(dir, 'en'));
  });
});

describe('calibrations on the out-of-scope score', () => {
  it('become that locale\'s out-of-scope threshold (1 − the threshold on 1 − outOfScope), not a top-score threshold', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'calibration-scale-'));
    mkdirSync(path.join(dir, 'en'));
    mkdirSync(path.join(dir, 'es'));
    const base = { method: 'best-accuracy', measuredOn: 'test', date: '2026-11-26' };
    writeFileSync(path.join(dir, 'en', 'calibration.json'), JSON.stringify({ ...base, handoffThreshold: 0.4, score: 'topScore' }));
    writeFileSync(path.join(dir, 'es', 'calibration.json'), JSON.stringify({ ...base, handoffThreshold: 0.7, score: 'oneMinusOutOfScope' }));
    expect(await readCalibratedThresholds(dir, ['en', 'es'])).toEqual({ handoff: { en: 0.4 }, outOfScope: { es: 0.3 } });
  });
});
