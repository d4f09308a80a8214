import { badRequest, type SwitchboardError } from '../core/errors.ts';

/**
 * The errors of the agent queue, in one place: the input checks both
 * implementations share (bad input is a 400, never a 500), and the short
 * codes the handoff Lua scripts return with `redis.error_reply('CODE detail')`.
 *
 * The ordinary answers of the queue (taken, empty, at_capacity,
 * not_eligible, not_found) are not errors: they are outcomes in the
 * scripts' replies, parsed in handoff-scripts.ts.
 */
export const invalidTicket = (detail: string): SwitchboardError =>
  badRequest('invalid_ticket', `Invalid handoff ticket: ${detail}`);

export const invalidAgent = (detail: string): SwitchboardError =>
  badRequest('invalid_agent', `Invalid agent: ${detail}`);

export const invalidSkill = (): SwitchboardError =>
  badRequest('invalid_skill', 'A skill must be a non-empty string.');

export const invalidQueueArgument = (detail: string): SwitchboardError =>
  badRequest('invalid_queue_argument', detail);

/**
 * What each script error code becomes. SBQ_BAD_ARGUMENT is a script's own
 * guard on its ARGV (the wrappers check first, so it means a caller bypassed
 * them); SBQ_CORRUPT_TICKET means a key of the handoff area holds something
 * the queue did not write: a bug or a foreign writer, so a plain Error (500).
 */
const LUA_ERRORS = {
  SBQ_BAD_ARGUMENT: (detail: string): Error => invalidQueueArgument(`Agent queue script refused its arguments: ${detail}`),
  SBQ_CORRUPT_TICKET: (detail: string): Error => new Error(`Malformed handoff ticket in Redis: ${detail}`),
} satisfies Record<string, (detail: string) => Error>;

type HandoffLuaErrorCode = keyof typeof LUA_ERRORS;

const isHandoffLuaErrorCode = (value: string): value is HandoffLuaErrorCode => Object.hasOwn(LUA_ERRORS, value);

/**
 * The error for what a script returned, or the error itself when it is
 * anything else (a connection failure, a bug in a script).
 */
export function fromHandoffLuaError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  // `<CODE> <detail>`; Redis may prepend `ERR ` (see store/lua-errors.ts).
  const match = /^(?:ERR )?(SBQ_[A-Z_]+)(?:\s+(.*))?$/s.exec(error.message);
  const code = match?.[1];
  if (code === undefined || !isHandoffLuaErrorCode(code)) return error;
  const mapped = LUA_ERRORS[code](match?.[2] ?? '');
  return Object.assign(mapped, { cause: error });
}

/** Runs a script call, turning the errors it returns into the queue's errors. */
export async function withHandoffLuaErrors<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromHandoffLuaError(error);
  }
}
