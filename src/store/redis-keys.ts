/**
 * Every Redis key (and pub/sub channel) of the store area, built in one place
 * so the layout can be read, changed and prefixed consistently.
 *
 * Layout, with the default prefix `sb`:
 *
 *   sb:{conv:<id>}:record        hash: the conversation record (+ `lastEntryId`)
 *   sb:{conv:<id>}:transcript    list: JSON transcript entries, oldest first
 *   sb:{conv:<id>}:turn-lock     string: the host running the conversation's turn (with a TTL)
 *   sb:conv-key:<conversationKey> string: the conversation id for a channel key
 *   sb:dialog:<storageKey>       hash: botbuilder state (`etag`, `data`)
 *   sb:events:<topic>            pub/sub channel of the event bus
 *
 * The two keys of one conversation share the hash tag `{conv:<id>}` because
 * the append and read-transcript scripts touch both; on Redis Cluster they
 * then live in one slot and the scripts run unchanged. The channel-key index
 * is deliberately *not* tagged with the conversation: it is looked up by
 * channel key, before the id is known, so it cannot share the id's slot.
 * getOrCreate is designed around that (see redis-conversation-store.ts).
 * Dialog state keys are touched one at a time, so they need no tag either.
 */
export const DEFAULT_KEY_PREFIX = 'sb';

export interface StoreKeys {
  /** The prefix every key starts with (followed by `:`). */
  readonly prefix: string;
  conversationRecord(id: string): string;
  conversationTranscript(id: string): string;
  conversationTurnLock(id: string): string;
  conversationKeyIndex(conversationKey: string): string;
  dialogState(storageKey: string): string;
  eventChannel(topic: string): string;
}

export function createStoreKeys(prefix: string = DEFAULT_KEY_PREFIX): StoreKeys {
  // A brace in the prefix would become (part of) the hash tag of every key
  // and silently put all conversations in one slot, or split the keys of one
  // conversation over two slots; refuse it rather than debug it on a cluster.
  if (prefix === '' || /[{}]/.test(prefix)) {
    throw new TypeError(`Invalid Redis key prefix "${prefix}": it must be non-empty and brace-free.`);
  }
  const conversationTag = (id: string): string => `${prefix}:{conv:${id}}`;
  return Object.freeze({
    prefix,
    conversationRecord: (id: string) => `${conversationTag(id)}:record`,
    conversationTranscript: (id: string) => `${conversationTag(id)}:transcript`,
    conversationTurnLock: (id: string) => `${conversationTag(id)}:turn-lock`,
    conversationKeyIndex: (conversationKey: string) => `${prefix}:conv-key:${conversationKey}`,
    dialogState: (storageKey: string) => `${prefix}:dialog:${storageKey}`,
    eventChannel: (topic: string) => `${prefix}:events:${topic}`,
  });
}
