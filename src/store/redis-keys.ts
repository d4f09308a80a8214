/**
 * Every Redis key (and pub/sub channel) of the store area, built in one place
 * so the layout can be read, changed and prefixed consistently.
 *
 * Layout, with the default prefix `sb`:
 *
 *   sb:{conv:<id>}:record        hash: the conversation record (+ `lastEntryId`)
 *   sb:{conv:<id>}:transcript    list: JSON transcript entries, oldest first
 *   sb:{conv:<id>}:turn-lock     string: the host running the conversation's turn (with a TTL)
 *   sb:{conv:<id>}:inbound:<key> string: transcript id of the customer message a platform
 *                                delivered with this id (idempotency key, kept 8 days)
 *   sb:{inbox}:stream            stream: the durable inbox (one entry per accepted customer
 *                                message, read by every host through one consumer group)
 *   sb:conv-key:<conversationKey> string: the conversation id for a channel key
 *   sb:dialog:<storageKey>       hash: botbuilder state (`etag`, `data`)
 *   sb:events:<topic>            pub/sub channel of the event bus (record-inbound.lua and
 *                                append-reply.lua publish on a conversation's too)
 *
 * The two keys of one conversation share the hash tag `{conv:<id>}` because
 * the append and read-transcript scripts touch both; on Redis Cluster they
 * then live in one slot and the scripts run unchanged. The channel-key index
 * is deliberately *not* tagged with the conversation: it is looked up by
 * channel key, before the id is known, so it cannot share the id's slot.
 * getOrCreate is designed around that (see redis-conversation-store.ts).
 * Dialog state keys are touched one at a time, so they need no tag either.
 * The record, transcript, turn lock and inbound keys of one conversation are
 * touched together by the inbound scripts (record-inbound, append-reply,
 * complete-inbound), which is why they all carry `{conv:<id>}`. The inbox
 * stream has a tag of its own: its scripts touch only the stream.
 */
export const DEFAULT_KEY_PREFIX = 'sb';

export interface StoreKeys {
  /** The prefix every key starts with (followed by `:`). */
  readonly prefix: string;
  conversationRecord(id: string): string;
  conversationTranscript(id: string): string;
  conversationTurnLock(id: string): string;
  conversationKeyIndex(conversationKey: string): string;
  /** Idempotency key of an inbound message (e.g. `sms:<MessageSid>`), in the conversation's slot. */
  conversationInbound(id: string, key: string): string;
  /** The durable inbox stream (see src/store/redis-inbox-queue.ts). */
  inboxStream(): string;
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
    conversationInbound: (id: string, key: string) => `${conversationTag(id)}:inbound:${key}`,
    inboxStream: () => `${prefix}:{inbox}:stream`,
    dialogState: (storageKey: string) => `${prefix}:dialog:${storageKey}`,
    eventChannel: (topic: string) => `${prefix}:events:${topic}`,
  });
}
