import type { SwitchboardError } from '../core/errors.ts';
import { conversationNotFound, eTagConflict, turnFenced } from './store-errors.ts';

/**
 * The error codes the store's Lua scripts return (`redis.error_reply('CODE detail')`)
 * and the SwitchboardError each becomes. Scripts say *what* went wrong in a
 * short code; the caller adds the subject (a conversation id, a storage key)
 * that the script does not know by name.
 */
const LUA_ERRORS = {
  SB_CONVERSATION_NOT_FOUND: conversationNotFound,
  SB_ETAG_CONFLICT: eTagConflict,
  SB_TURN_FENCED: turnFenced,
} satisfies Record<string, (subject: string) => SwitchboardError>;

export type LuaErrorCode = keyof typeof LUA_ERRORS;

const isLuaErrorCode = (value: string): value is LuaErrorCode => Object.hasOwn(LUA_ERRORS, value);

/**
 * The SwitchboardError for an error a script returned, or the error itself
 * when it is anything else (a connection failure, a bug in a script): those
 * must surface as they are, not be dressed up as a client mistake.
 */
export function fromLuaError(error: unknown, subject: string): unknown {
  if (!(error instanceof Error)) return error;
  // Scripts reply `<CODE> <detail>`: Redis keeps a first word as the error
  // code only when a space follows it, and otherwise prepends `ERR `, which
  // is tolerated here too.
  const code = /^(?:ERR )?(SB_[A-Z_]+)(?:\s|$)/.exec(error.message)?.[1];
  return code !== undefined && isLuaErrorCode(code) ? LUA_ERRORS[code](subject) : error;
}

/** Runs a script call, turning the errors it returns into SwitchboardErrors. */
export async function withLuaErrors<T>(subject: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw fromLuaError(error, subject);
  }
}
