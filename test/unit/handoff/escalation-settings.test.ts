import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { DEFAULT_HANDOFF_WORDS, EscalationPolicy } from '../../../src/handoff/escalation-policy.ts';
import { escalationSettings } from '../../../src/handoff/escalation-settings.ts';
import type { Classification } from '../../../src/nlu/intent-classifier.ts';

const bot = { handoffIntents: ['agent.request'], outOfScopeIntents: ['chitchat'] };

const nlu = (locale: string, score: number, outOfScope?: number): Classification => ({
  locale,
  intents: [{ intent: 'help', score }],
  top: { intent: 'help', score },
  entities: [],
  sentiment: { score: 0, vote: 'neutral' },
  ...(outOfScope === undefined ? {} : { outOfScope }),
});

const calibrated = (handoff: Record<string, number>, outOfScope: Record<string, number> = {}) => ({ handoff, outOfScope });

describe('escalationSettings', () => {
  it('builds the host policy settings, with calibrated thresholds per locale', () => {
    const settings = escalationSettings(loadConfig({}), bot, calibrated({ es: 0.6 }));
    expect(settings).toEqual({
      handoffThreshold: 0.35,
      handoffThresholdByLocale: { es: 0.6 },
      outOfScopeThresholdByLocale: {},
      negativeSentimentScore: -0.5,
      repeatedFallbackLimit: 2,
      handoffIntents: ['agent.request'],
      outOfScopeIntents: ['chitchat'],
      outOfScopeThreshold: 0.3,
      handoffWords: DEFAULT_HANDOFF_WORDS,
    });
    const policy = new EscalationPolicy(settings);
    expect(policy.beforeDialogs({ nlu: nlu('es', 0.5), dialogWaiting: false }, 'x')?.reason).toBe('low_confidence');
    expect(policy.beforeDialogs({ nlu: nlu('en', 0.5), dialogWaiting: false }, 'x')).toBeUndefined();
  });

  it('ignores calibration when HANDOFF_THRESHOLD is set', () => {
    const config = loadConfig({ HANDOFF_THRESHOLD: '0.4' });
    expect(config.handoff).toMatchObject({ threshold: 0.4, thresholdFromEnv: true });
    const settings = escalationSettings(config, bot, calibrated({ en: 0.9 }));
    expect(settings.handoffThreshold).toBe(0.4);
    expect(settings.handoffThresholdByLocale).toEqual({});
  });

  it('applies an out-of-scope calibration to that locale only', () => {
    const policy = new EscalationPolicy(escalationSettings(loadConfig({}), bot, calibrated({}, { es: 0.6 })));
    // OOS 0.5: under Spanish's calibrated 0.6, over the default 0.3 elsewhere.
    expect(policy.beforeDialogs({ nlu: nlu('es', 0.9, 0.5), dialogWaiting: false }, 'x')).toBeUndefined();
    expect(policy.beforeDialogs({ nlu: nlu('en', 0.9, 0.5), dialogWaiting: false }, 'x')?.reason).toBe('out_of_scope');
    expect(policy.beforeDialogs({ nlu: nlu('es', 0.9, 0.6), dialogWaiting: false }, 'x')?.reason).toBe('out_of_scope');
  });

  it('ignores out-of-scope calibrations when OOS_THRESHOLD is set, and keeps those on the top score', () => {
    const config = loadConfig({ OOS_THRESHOLD: '0.5' });
    expect(config.handoff).toMatchObject({ outOfScopeThreshold: 0.5, outOfScopeThresholdFromEnv: true, thresholdFromEnv: false });
    const settings = escalationSettings(config, bot, calibrated({ en: 0.45 }, { es: 0.8 }));
    expect(settings).toMatchObject({ outOfScopeThreshold: 0.5, outOfScopeThresholdByLocale: {}, handoffThresholdByLocale: { en: 0.45 } });
  });

  it('leaves the default at 0.35 when the variable is not set', () => {
    expect(loadConfig({}).handoff).toMatchObject({ threshold: 0.35, thresholdFromEnv: false });
    expect(loadConfig({ HANDOFF_THRESHOLD: '' }).handoff).toMatchObject({ threshold: 0.35, thresholdFromEnv: false });
  });
});
