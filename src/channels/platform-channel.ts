import type { Router } from 'express';
import type { Config } from '../config.ts';
import type { ConversationLog } from '../core/conversation-log.ts';
import type { Inbox } from '../core/inbox.ts';
import type { ChannelName } from '../core/messages.ts';
import type { HandoffService } from '../handoff/handoff-service.ts';
import type { Logger } from '../logger.ts';
import type { ConversationStore } from '../store/conversation-store.ts';
import type { DedupeStore } from '../store/dedupe-store.ts';
import type { ChannelConnector } from './connector.ts';

/** What every platform channel gets from the host. */
export interface ChannelDependencies {
  config: Config;
  inbox: Inbox;
  store: ConversationStore;
  dedupe: DedupeStore;
  /** To take a conversation away from the agents when the customer leaves (an SMS opt-out). */
  handoff: Pick<HandoffService, 'customerLeft'>;
  /** The transcript with live delivery, for notes agents must see at once (delivery failures). */
  log: ConversationLog;
  logger: Logger;
}

/**
 * A platform channel (SMS, Messenger, WhatsApp, Bot Framework): its webhook
 * routes, mounted at `path`, and its connector for replies. The router reads
 * and verifies its own request bodies (the app's JSON parser skips `path`).
 */
export interface PlatformChannel {
  name: ChannelName;
  path: string;
  router: Router;
  connector: ChannelConnector;
}

/**
 * Builds a channel from configuration, or says why it is disabled (its
 * credentials are not configured); a disabled channel's routes answer 404.
 */
export type ChannelFactory = (
  deps: ChannelDependencies,
) => PlatformChannel | { disabled: ChannelName; missing: string[] } | Promise<PlatformChannel | { disabled: ChannelName; missing: string[] }>;
