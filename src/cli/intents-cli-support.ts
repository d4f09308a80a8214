import path from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { Config } from '../config.ts';
import type { BotDefinition, BotDependencies } from '../dialogs/bot-definition.ts';
import { loadBot } from '../dialogs/load-bot.ts';
import type { Logger } from '../logger.ts';
import { readCalibratedThresholds, type CalibratedThresholds } from '../nlu/calibration.ts';
import type { ThresholdSource } from '../nlu/evaluation/report.ts';

/** What the intents commands need of the bot: which intents escalate by themselves. */
export type BotIntents = Pick<BotDefinition, 'handoffIntents' | 'outOfScopeIntents'>;

/** What every intents command gets from main.ts. */
export interface IntentsCommandContext {
  config: Config;
  logger: Logger;
  /** Where the command's report goes (default: stdout). */
  write?: (text: string) => void;
  /** The bot's handoff and out-of-scope intents; by default read from BOT_MODULE, as the host does. */
  bot?: BotIntents;
}

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** The command's flags (no positionals, unknown ones refused), a malformed command line as a UsageError. */
export function parseFlags<const Options extends OptionsConfig>(args: readonly string[], options: Options) {
  try {
    return parseArgs({ args: [...args], strict: true, allowPositionals: false, options }).values;
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

export const writer = (context: IntentsCommandContext): ((text: string) => void) =>
  context.write ?? ((text: string) => void process.stdout.write(text));

/**
 * The logger for training and loading: the configured one when LOG_LEVEL is
 * set, else one that only says warnings, so the report is not buried in
 * "model trained" lines.
 */
export function quietLogger(logger: Logger): Logger {
  return process.env.LOG_LEVEL ? logger : logger.child({}, { level: 'warn' });
}

/**
 * The bot's handoff and out-of-scope intents, from BOT_MODULE. Only these
 * two lists are read, so the factory gets its logger and, for every other
 * dependency (orders, customers…), a stand-in that throws if used: a
 * factory builds dialogs, it does not call its providers while doing so.
 */
export async function loadBotIntents(context: IntentsCommandContext): Promise<BotIntents> {
  if (context.bot) return context.bot;
  const factory = await loadBot(path.resolve(context.config.botModule));
  const logger = quietLogger(context.logger);
  const dependencies = new Proxy(
    {},
    { get: (_target, name) => (name === 'logger' ? logger : typeof name === 'string' && name !== 'then' ? unavailable(name) : undefined) },
  ) as BotDependencies;
  const bot = await factory(dependencies);
  return { handoffIntents: bot.handoffIntents ?? [], outOfScopeIntents: bot.outOfScopeIntents ?? [] };
}

function unavailable(dependency: string): unknown {
  return new Proxy(
    {},
    {
      get: (_target, name) =>
        typeof name === 'string' && name !== 'then'
          ? () => {
              throw new Error(`${dependency}.${name}() is not available while the intents commands read the bot's intents`);
            }
          : undefined,
    },
  );
}

export interface EffectiveThresholds {
  /** The locales' calibrations, for the policy (escalationSettings leaves out those the environment overrides). */
  calibrated: CalibratedThresholds;
  /** The handoff threshold (top score) each locale gets and where it comes from. */
  of(locale: string): { value: number; source: ThresholdSource };
  /** The out-of-scope threshold each locale gets and where it comes from. */
  outOfScopeOf(locale: string): { value: number; source: ThresholdSource };
}

/**
 * The thresholds as the host resolves them, each kind on its own: the
 * variable (HANDOFF_THRESHOLD, OOS_THRESHOLD), else the locale's
 * calibration.json measured on that score, else the default.
 */
export async function effectiveThresholds(config: Config, intentsDir: string, locales: readonly string[]): Promise<EffectiveThresholds> {
  const calibrated = await readCalibratedThresholds(intentsDir, locales);
  const pick = (fromEnv: boolean, configured: number, byLocale: Record<string, number>, locale: string) => {
    if (fromEnv) return { value: configured, source: 'env' as const };
    const value = byLocale[locale];
    return value === undefined ? { value: configured, source: 'default' as const } : { value, source: 'calibration' as const };
  };
  return {
    calibrated,
    of: (locale) => pick(config.handoff.thresholdFromEnv, config.handoff.threshold, calibrated.handoff, locale),
    outOfScopeOf: (locale) =>
      pick(config.handoff.outOfScopeThresholdFromEnv, config.handoff.outOfScopeThreshold, calibrated.outOfScope, locale),
  };
}

export function numberOption(
  name: string,
  value: string | undefined,
  { min, max, integer = false }: { min: number; max?: number; integer?: boolean },
): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed)) || parsed < min || (max !== undefined && parsed > max)) {
    const range = max === undefined ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`--${name} must be ${integer ? 'an integer' : 'a number'} ${range}, got "${value}"`);
  }
  return parsed;
}

/** Only the locales asked for (all when none), checking they exist. */
export function pickLocales(all: readonly string[], wanted: readonly string[] | undefined): string[] {
  if (!wanted || wanted.length === 0) return [...all];
  for (const locale of wanted) {
    if (!all.includes(locale)) throw new UsageError(`--locale ${locale}: the corpus has ${all.join(', ')}`);
  }
  return all.filter((locale) => wanted.includes(locale));
}

/** A path as the user would like to read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
