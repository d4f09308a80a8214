import type { ChannelFactory } from '../platform-channel.ts';
import { GraphApiClient } from '../meta/graph-api.ts';
import { missingVariables } from '../meta/meta-channel-support.ts';
import { metaWebhookRouter } from '../meta/meta-webhook.ts';
import { receiveBatch } from '../meta/receive-batch.ts';
import { MessengerConnector } from './messenger-connector.ts';
import { parseMessengerEntries } from './messenger-events.ts';

/**
 * Facebook Messenger: `GET`/`POST /webhooks/messenger`, enabled when
 * META_APP_SECRET, META_VERIFY_TOKEN and MESSENGER_PAGE_ACCESS_TOKEN are set.
 */
export const messengerChannel: ChannelFactory = (deps) => {
  const { appSecret, verifyToken, messengerPageAccessToken, graphApiBaseUrl, graphApiVersion } = deps.config.meta;
  if (!appSecret || !verifyToken || !messengerPageAccessToken) {
    return {
      disabled: 'messenger',
      missing: missingVariables({
        META_APP_SECRET: appSecret,
        META_VERIFY_TOKEN: verifyToken,
        MESSENGER_PAGE_ACCESS_TOKEN: messengerPageAccessToken,
      }),
    };
  }
  const logger = deps.logger.child({ channel: 'messenger' });
  const graph = new GraphApiClient({
    baseUrl: graphApiBaseUrl,
    version: graphApiVersion,
    accessToken: messengerPageAccessToken,
    logger,
  });
  const router = metaWebhookRouter({
    channel: 'messenger',
    appSecret,
    verifyToken,
    object: 'page',
    logger: deps.logger,
    async handle(entries, requestId) {
      const { items, ignored } = parseMessengerEntries(entries);
      ignored.log(logger, requestId);
      await receiveBatch(deps.inbox, items, { requestId, maxLength: deps.config.maxMessageLength, logger });
    },
  });
  return { name: 'messenger', path: '/webhooks/messenger', router, connector: new MessengerConnector(graph) };
};
