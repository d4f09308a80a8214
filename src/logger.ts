import { pino, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Paths that never reach a log line unless content logging is switched on:
 * credentials always, message bodies by default (customers write addresses,
 * order numbers and worse).
 */
const SECRET_PATHS = [
  'token',
  'authorization',
  'headers.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'password',
  '*.token',
  '*.password',
];
const CONTENT_PATHS = ['text', '*.text', 'body', '*.body', 'utterance'];

export interface LoggerSettings {
  level: string;
  /** Log message text (for local debugging only). */
  logContent: boolean;
}

export function createLogger(
  settings: LoggerSettings,
  destination?: pino.DestinationStream,
): Logger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: {
      paths: settings.logContent ? SECRET_PATHS : [...SECRET_PATHS, ...CONTENT_PATHS],
      censor: '[redacted]',
    },
    base: { service: 'switchboard' },
  };
  return destination ? pino(options, destination) : pino(options);
}
