import { conflict, notFound, type SwitchboardError } from '../core/errors.ts';

/**
 * The errors the stores throw on purpose, shared by the Redis and in-memory
 * implementations so that a caller sees the same code and message from both.
 */
export const conversationNotFound = (id: string): SwitchboardError =>
  notFound('conversation_not_found', `Conversation "${id}" does not exist.`);

/** MemoryStorage's message, word for word, with a stable code added. */
export const eTagConflict = (storageKey: string): SwitchboardError =>
  conflict('etag_conflict', `Storage: error writing "${storageKey}" due to eTag conflict.`);
