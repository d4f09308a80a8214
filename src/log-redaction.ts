import { isObjectRecord } from './core/object-record.ts';

/**
 * What never reaches a log line unless content logging is switched on:
 * credentials always, message bodies by default (customers write addresses,
 * order numbers and worse). A key is censored on the logged object itself
 * and on each object one level down (`{ message: { text } }`), as pino's
 * `*.key` paths did; the request headers one level further.
 */
const SECRET_KEYS = ['token', 'password', 'authorization'] as const;
const CONTENT_KEYS = ['text', 'body', 'utterance'] as const;
const REQUEST_SECRET_HEADERS: readonly string[] = ['authorization', 'cookie'];

export const REDACTION_CENSOR = '[redacted]';

export type LogObject = Record<string, unknown>;

/**
 * The censoring function for pino's `formatters.log` and
 * `formatters.bindings`. It runs on every log line, so it returns the very
 * object it was given when nothing needs censoring and copies only the
 * objects that do (never the caller's object in place): pino's own `redact`
 * cloned every line, which was a tenth of the host's allocations.
 */
export function logRedactor(logContent: boolean): (object: LogObject) => LogObject {
  const keys: readonly string[] = logContent ? SECRET_KEYS : [...SECRET_KEYS, ...CONTENT_KEYS];
  const topLevel = new Set(keys);
  return (object) => {
    let copy: LogObject | undefined;
    for (const key in object) {
      if (!Object.prototype.hasOwnProperty.call(object, key)) continue;
      const value = object[key];
      // pino leaves these out of the line, censored or not.
      if (value === undefined || typeof value === 'function') continue;
      let replacement: unknown = value;
      if (topLevel.has(key)) {
        replacement = REDACTION_CENSOR;
      } else if (isObjectRecord(value)) {
        replacement = censorKeys(value, keys);
        if (key === 'req') replacement = censorRequestHeaders(replacement as object);
      }
      if (replacement !== value) {
        copy ??= { ...object };
        copy[key] = replacement;
      }
    }
    return copy ?? object;
  };
}

/** `value` itself when it has none of `keys`, else a copy with those censored. */
function censorKeys(value: object, keys: readonly string[]): object {
  // Runs on every logged object: nothing is allocated unless a key is found.
  let found: Array<[string, string]> | undefined;
  for (const key of keys) {
    if (Object.prototype.propertyIsEnumerable.call(value, key)) (found ??= []).push([key, REDACTION_CENSOR]);
  }
  return found === undefined ? value : copyWith(value, found);
}

function censorRequestHeaders(req: object): object {
  const headers: unknown = (req as LogObject).headers;
  if (!Object.prototype.propertyIsEnumerable.call(req, 'headers') || !isObjectRecord(headers)) return req;
  const censored = censorKeys(headers, REQUEST_SECRET_HEADERS);
  return censored === headers ? req : copyWith(req, [['headers', censored]]);
}

/**
 * A copy of `value` with `replacements` as enumerable own properties. It
 * keeps the prototype and every own property, enumerable or not, so an
 * Error still serialises with its type, message and stack.
 */
function copyWith(value: object, replacements: ReadonlyArray<readonly [string, unknown]>): object {
  const descriptors = Object.getOwnPropertyDescriptors(value);
  for (const [key, replacement] of replacements) {
    descriptors[key] = { value: replacement, enumerable: true, writable: true, configurable: true };
  }
  return Object.create(Object.getPrototypeOf(value) as object | null, descriptors) as object;
}
