import path from 'node:path';
import { loadConfig, type Config } from '../config.ts';
import { isSwitchboardError } from '../core/errors.ts';
import { startHost } from '../host.ts';
import { createLogger, type Logger } from '../logger.ts';
import { trainIntentClassifier } from '../nlu/load-intent-classifier.ts';
import { hashAgentToken, newAgentToken } from '../handoff/agent-directory.ts';
import { intentsCalibrate } from './intents-calibrate.ts';
import { intentsTest } from './intents-test.ts';

const USAGE = `Usage: switchboard <command>

Commands:
  serve              start the host (configuration from environment variables; see README)
  intents train      train the intent model from INTENTS_DIR and write it to MODEL_CACHE_DIR
  intents test       run the intent regression suites (INTENTS_DIR/<locale>/tests); --help for options
  intents calibrate  pick the escalation threshold (HANDOFF_THRESHOLD) from a validation set; --help
  agents token       print a new agent token and the SHA-256 to put in AGENTS / AGENTS_FILE
`;

async function serve(config: Config, logger: Logger): Promise<void> {
  const host = await startHost(config, { logger });
  let signals = 0;
  const stop = (signal: string) => {
    signals += 1;
    if (signals > 1) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(1);
    }
    logger.info({ signal }, 'signal received');
    host.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function trainIntents(config: Config, logger: Logger): Promise<void> {
  const trained = await trainIntentClassifier({
    intentsDir: path.resolve(config.intentsDir),
    cacheDir: path.resolve(config.modelCacheDir),
    classifier: config.nluClassifier,
    logger,
  });
  logger.info({ corpusHash: trained.corpusHash, locales: trained.locales }, 'intent model trained and cached');
}

function printAgentToken(): void {
  const token = newAgentToken();
  process.stdout.write(
    `token (give it to the agent; it is shown only now): ${token}\ntokenSha256 (put it in the agent's configuration): ${hashAgentToken(token)}\n`,
  );
}

async function main(argv: string[]): Promise<void> {
  const [command, subcommand] = argv;
  if (command === 'agents' && subcommand === 'token') {
    printAgentToken();
    return;
  }
  // Until the configuration is read, problems are logged at the default level.
  let logger = createLogger({ level: 'info', logContent: false });
  try {
    const config = loadConfig();
    logger = createLogger({ level: config.logLevel, logContent: config.logContent });
    if (command === 'serve') return await serve(config, logger);
    if (command === 'intents' && subcommand === 'train') return await trainIntents(config, logger);
    if (command === 'intents' && subcommand === 'test') {
      process.exitCode = await intentsTest(argv.slice(2), { config, logger });
      return;
    }
    if (command === 'intents' && subcommand === 'calibrate') {
      process.exitCode = await intentsCalibrate(argv.slice(2), { config, logger });
      return;
    }
    process.stderr.write(USAGE);
    process.exitCode = command === undefined || command === 'help' ? 0 : 2;
  } catch (error) {
    // Configuration and start-up problems are the user's to fix: say what, no stack.
    if (isSwitchboardError(error)) logger.fatal({ code: error.code }, error.message);
    else logger.fatal({ err: error }, 'start-up failed');
    process.exitCode = 1;
  }
}

await main(process.argv.slice(2));
