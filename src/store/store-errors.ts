import { SwitchboardError, conflict, isSwitchboardError, notFound } from '../core/errors.ts';

/**
 * The errors the stores throw on purpose, shared by the Redis and in-memory
 * implementations so that a caller sees the same code and message from both.
 */
export const conversationNotFound = (id: string): SwitchboardError =>
  notFound('conversation_not_found', `Conversation "${id}" does not exist.`);

/** MemoryStorage's message, word for word, with a stable code added. */
export const eTagConflict = (storageKey: string): SwitchboardError =>
  conflict('etag_conflict', `Storage: error writing "${storageKey}" due to eTag conflict.`);

/**
 * Another host took over the conversation's turn (this one stalled past its
 * turn lock's time to live): whatever this host was doing is dropped, and the
 * new holder does it. 409 because it is a lost race, never a client's mistake;
 * it never reaches HTTP (turns run behind the inbox).
 */
export const turnFenced = (conversationId: string): SwitchboardError =>
  new SwitchboardError('turn_fenced', `Another host now runs the turns of conversation "${conversationId}".`, 409);

/** Redis cannot be reached: nothing can be kept, so nothing is accepted (the platforms retry a 503). */
export const storeUnavailable = (cause?: unknown): SwitchboardError =>
  new SwitchboardError(
    'store_unavailable',
    'The message store cannot be reached right now; nothing was recorded. Try again shortly.',
    503,
    cause === undefined ? undefined : { cause },
  );

/**
 * Redis replies and client errors that mean "Redis is not there (or not
 * serving) right now" rather than "this command is wrong": a closed or
 * reconnecting connection, a command that timed out, a server still loading
 * its data after a restart, a cluster without a working slot map.
 */
const UNAVAILABLE_MESSAGES =
  /^(?:Connection is closed\.|Command timed out|Stream isn't writeable|Reached the max retries per request limit|None of startup nodes is available|Failed to refresh slots cache|Cluster isn't ready|LOADING |CLUSTERDOWN |TRYAGAIN |MASTERDOWN |BUSY )|\b(?:ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTCONN|EHOSTUNREACH)\b/;
const UNAVAILABLE_NAMES = new Set(['MaxRetriesPerRequestError', 'ClusterAllFailedError']);

/**
 * The error and the errors it wraps: `cause`, and `error` (botbuilder-dialogs
 * wraps whatever a dialog's storage threw in a DialogContextError that keeps
 * it there), a few levels deep.
 */
export function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 5 && !chain.includes(current)) {
    chain.push(current);
    if (typeof current !== 'object') break;
    const { cause, error: inner } = current as { cause?: unknown; error?: unknown };
    current = inner instanceof Error ? inner : cause;
  }
  return chain;
}

export function isStoreUnavailableError(error: unknown): boolean {
  return errorChain(error).some((link) => {
    if (isSwitchboardError(link)) return link.code === 'store_unavailable';
    if (!(link instanceof Error)) return false;
    return UNAVAILABLE_NAMES.has(link.name) || UNAVAILABLE_MESSAGES.test(link.message);
  });
}
