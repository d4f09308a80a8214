import type { Config } from '../config.ts';
import type { BotDefinition } from '../dialogs/bot-definition.ts';
import { NO_CALIBRATION, type CalibratedThresholds } from '../nlu/calibration.ts';
import { DEFAULT_HANDOFF_WORDS, type EscalationSettings } from './escalation-policy.ts';

/**
 * The escalation policy's settings as the host builds them: from the
 * configuration, the bot's handoff and out-of-scope intents, and the
 * calibrated per-locale thresholds (those on the top score are ignored when
 * HANDOFF_THRESHOLD is set, those on the out-of-scope score when
 * OOS_THRESHOLD is).
 * `switchboard intents test` builds its policy with this too, so the
 * regression suites judge escalation exactly as the host decides it.
 */
export function escalationSettings(
  config: Config,
  bot: Pick<BotDefinition, 'handoffIntents' | 'outOfScopeIntents'>,
  calibrated: CalibratedThresholds = NO_CALIBRATION,
): EscalationSettings {
  return {
    handoffThreshold: config.handoff.threshold,
    handoffThresholdByLocale: config.handoff.thresholdFromEnv ? {} : { ...calibrated.handoff },
    outOfScopeThresholdByLocale: config.handoff.outOfScopeThresholdFromEnv ? {} : { ...calibrated.outOfScope },
    negativeSentimentScore: config.handoff.negativeSentimentScore,
    repeatedFallbackLimit: config.handoff.repeatedFallbackLimit,
    handoffIntents: bot.handoffIntents ?? [],
    outOfScopeIntents: bot.outOfScopeIntents ?? [],
    outOfScopeThreshold: config.handoff.outOfScopeThreshold,
    handoffWords: config.handoff.words ?? DEFAULT_HANDOFF_WORDS,
  };
}
