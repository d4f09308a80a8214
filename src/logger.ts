import { pino, type Logger, type LoggerOptions } from 'pino';
import { logRedactor } from './log-redaction.ts';

export type { Logger };

export interface LoggerSettings {
  level: string;
  /** Log message text (for local debugging only). */
  logContent: boolean;
}

export function createLogger(
  settings: LoggerSettings,
  destination?: pino.DestinationStream,
): Logger {
  const redact = logRedactor(settings.logContent);
  const options: LoggerOptions = {
    level: settings.level,
    // A formatter rather than pino's `redact`, which cloned every line.
    formatters: { log: redact },
    base: { service: 'switchboard' },
  };
  const logger = destination ? pino(options, destination) : pino(options);
  // pino hands a child's bindings to no formatter of ours (it resets
  // `formatters.bindings` for children), so they are censored here, once per
  // child. Children inherit this method from the root, grandchildren too.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with each logger's own `this`
  const pinoChild = logger.child;
  const censoredChild: typeof pinoChild = function <L extends string = never>(
    this: Logger,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions<L>,
  ): pino.Logger<L> {
    return pinoChild.call<Logger, [pino.Bindings, pino.ChildLoggerOptions<L> | undefined], pino.Logger<L>>(this, redact(bindings), childOptions);
  };
  logger.child = censoredChild;
  return logger;
}
