import type { ConversationLog } from '../../core/conversation-log.ts';
import type { Logger } from '../../logger.ts';
import type { ConversationStore } from '../../store/conversation-store.ts';
import type { DedupeStore } from '../../store/dedupe-store.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { ChannelFactory } from '../platform-channel.ts';
import { GraphApiClient } from '../meta/graph-api.ts';
import { missingVariables } from '../meta/meta-channel-support.ts';
import { metaWebhookRouter } from '../meta/meta-webhook.ts';
import { receiveBatch } from '../meta/receive-batch.ts';
import { WhatsAppConnector } from './whatsapp-connector.ts';
import { parseWhatsAppEntries, type WhatsAppStatus } from './whatsapp-events.ts';

/** Statuses are redelivered like messages; each (message, status) is recorded once. */
const STATUS_DEDUPE_TTL_MS = 8 * 24 * 3600_000;

/**
 * WhatsApp Cloud API: `GET`/`POST /webhooks/whatsapp`, enabled when
 * META_APP_SECRET, META_VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN and
 * WHATSAPP_PHONE_NUMBER_ID are set.
 */
export const whatsappChannel: ChannelFactory = (deps) => {
  const { appSecret, verifyToken, whatsappAccessToken, whatsappPhoneNumberId, graphApiBaseUrl, graphApiVersion } =
    deps.config.meta;
  if (!appSecret || !verifyToken || !whatsappAccessToken || !whatsappPhoneNumberId) {
    return {
      disabled: 'whatsapp',
      missing: missingVariables({
        META_APP_SECRET: appSecret,
        META_VERIFY_TOKEN: verifyToken,
        WHATSAPP_ACCESS_TOKEN: whatsappAccessToken,
        WHATSAPP_PHONE_NUMBER_ID: whatsappPhoneNumberId,
      }),
    };
  }
  const logger = deps.logger.child({ channel: 'whatsapp' });
  const graph = new GraphApiClient({ baseUrl: graphApiBaseUrl, version: graphApiVersion, accessToken: whatsappAccessToken, logger });
  const router = metaWebhookRouter({
    channel: 'whatsapp',
    appSecret,
    verifyToken,
    object: 'whatsapp_business_account',
    logger: deps.logger,
    async handle(entries, requestId) {
      const { items, statuses, ignored } = parseWhatsAppEntries(entries);
      ignored.log(logger, requestId);
      const statusFailures = await recordStatuses(statuses, { store: deps.store, log: deps.log, dedupe: deps.dedupe, logger, requestId });
      await receiveBatch(deps.inbox, items, { requestId, maxLength: deps.config.maxMessageLength, logger });
      if (statusFailures > 0) {
        throw new SwitchboardError('status_not_recorded', 'A delivery status could not be recorded; deliver it again.', 503);
      }
    },
  });
  return {
    name: 'whatsapp',
    path: '/webhooks/whatsapp',
    router,
    connector: new WhatsAppConnector(graph, whatsappPhoneNumberId),
  };
};

/**
 * Logs each status of our messages once (no content), and notes a `failed`
 * one in its conversation's transcript, for agents only (live, like the
 * dispatcher's own delivery failures). Returns how many
 * could not be recorded (their dedupe keys are forgotten, for the retry).
 */
async function recordStatuses(
  statuses: WhatsAppStatus[],
  deps: { store: ConversationStore; log: ConversationLog; dedupe: DedupeStore; logger: Logger; requestId: string },
): Promise<number> {
  let failures = 0;
  for (const status of statuses) {
    const key = `whatsapp-status:${status.messageId}:${status.status}`;
    if (!(await deps.dedupe.firstSeen(key, STATUS_DEDUPE_TTL_MS))) continue;
    const errorCodes = status.errors.map((error) => error.code).filter((code) => code !== undefined);
    deps.logger.info(
      { requestId: deps.requestId, messageId: status.messageId, status: status.status, ...(errorCodes.length ? { errorCodes } : {}) },
      'whatsapp message status',
    );
    if (status.status !== 'failed' || !status.recipientId) continue;
    try {
      const conversation = await deps.store.findByKey(`wa:${status.phoneNumberId}:${status.recipientId}`);
      if (!conversation) continue;
      const reasons = status.errors.map((error) => [error.code, error.title].filter(Boolean).join(' ')).filter(Boolean);
      await deps.log.append(conversation.id, {
        from: 'system',
        text: `WhatsApp could not deliver a message to the customer${reasons.length ? ` (${reasons.join('; ')})` : ''}.`,
        at: Date.now(),
        internal: true,
      });
    } catch (error) {
      failures += 1;
      deps.logger.error({ err: error, requestId: deps.requestId }, 'failed status not recorded');
      await deps.dedupe.forget(key).catch(() => undefined);
    }
  }
  return failures;
}
