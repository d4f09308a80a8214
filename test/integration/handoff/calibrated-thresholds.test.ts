import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chat, chatIn } from '../../support/chat-flow.ts';
import { startTestHost, type TestHost } from '../../support/test-host.ts';

// A host started on a corpus with calibration files escalates per those
// thresholds, each in its own locale: a calibration measured on the
// out-of-scope score (what `intents calibrate` writes for the linear
// classifier) is that locale's OOS threshold; one on the top score is its
// HANDOFF_THRESHOLD; the environment wins over both.
let intentsDir: string;
const started: TestHost[] = [];

beforeAll(async () => {
  intentsDir = await mkdtemp(path.join(tmpdir(), 'sb-calibrated-'));
  await cp(path.resolve('intents'), intentsDir, { recursive: true });
  const measured = { method: 'best-accuracy', measuredOn: 'a test', date: '2026-11-26' };
  // Spanish: escalate only at an out-of-scope score of 0.99 or more (1 − 0.01).
  await writeFile(
    path.join(intentsDir, 'es', 'calibration.json'),
    JSON.stringify({ ...measured, handoffThreshold: 0.01, score: 'oneMinusOutOfScope' }),
  );
  // English: a top score under 0.99 is low confidence.
  await writeFile(path.join(intentsDir, 'en', 'calibration.json'), JSON.stringify({ ...measured, handoffThreshold: 0.99, score: 'topScore' }));
});

afterAll(async () => {
  for (const host of started) await host.stop();
  await rm(intentsDir, { recursive: true, force: true });
});

async function hostWith(env: Record<string, string> = {}): Promise<TestHost> {
  const host = await startTestHost({ env: { INTENTS_DIR: intentsDir, ...env } });
  started.push(host);
  return host;
}

describe('a host started with calibration files', () => {
  it("applies a calibration on the out-of-scope score as that locale's out-of-scope threshold", async () => {
    const host = await hostWith();
    // Out-of-scope score about 0.9: under Spanish's calibrated 0.99, so not out of scope;
    // its top score is under NLU_THRESHOLD, so the bot asks to rephrase instead.
    await chatIn(host, 'es')
      .send('modificar una cosa')
      .assertReply(/¿Me lo dices de otra forma\?/)
      .assertConversation((conversation) => expect(conversation.status).toBe('bot'));
    expect(host.sink.lines.some((line) => line.msg === 'calibrated escalation thresholds in use')).toBe(true);
  });

  it("applies a calibration on the top score as that locale's handoff threshold", async () => {
    const host = await hostWith();
    // A confident English answer (top score about 0.95) is under the calibrated 0.99.
    await chat(host).send('pick it up next friday please').assertReply(/bringing in a person/).assertEscalated('low_confidence');
  });

  it('lets OOS_THRESHOLD and HANDOFF_THRESHOLD, when set, win over the files', async () => {
    const host = await hostWith({ OOS_THRESHOLD: '0.3', HANDOFF_THRESHOLD: '0.35' });
    await chatIn(host, 'es').send('modificar una cosa').assertReply(/^Te paso con una persona/).assertEscalated('out_of_scope');
    await chat(host).send('pick it up next friday please').assertReply(/Standard delivery takes/);
  });
});
