import type { ChannelFactory } from '../platform-channel.ts';
import { TwilioConnector } from './twilio-connector.ts';
import { twilioRoutes } from './twilio-routes.ts';
import { TWILIO_PATH } from './twilio-urls.ts';

/**
 * The SMS channel through Twilio (also WhatsApp through Twilio, which Twilio
 * delivers to the same webhook with `whatsapp:+…` addresses). Enabled when
 * TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and PUBLIC_BASE_URL are set: the
 * public URL is what Twilio signs and where its status callbacks go.
 */
export const twilioChannel: ChannelFactory = (deps) => {
  const { accountSid, authToken, apiBaseUrl, messagingServiceSid } = deps.config.twilio;
  const publicBaseUrl = deps.config.publicBaseUrl;
  if (!accountSid || !authToken || !publicBaseUrl) {
    const missing = [
      ...(accountSid ? [] : ['TWILIO_ACCOUNT_SID']),
      ...(authToken ? [] : ['TWILIO_AUTH_TOKEN']),
      ...(publicBaseUrl ? [] : ['PUBLIC_BASE_URL']),
    ];
    return { disabled: 'sms', missing };
  }
  const logger = deps.logger.child({ channel: 'sms' });
  return {
    name: 'sms',
    path: TWILIO_PATH,
    router: twilioRoutes({
      authToken,
      publicBaseUrl,
      inbox: deps.inbox,
      store: deps.store,
      log: deps.log,
      dedupe: deps.dedupe,
      handoff: deps.handoff,
      logger,
      maxMessageLength: deps.config.maxMessageLength,
    }),
    connector: new TwilioConnector({
      accountSid,
      authToken,
      apiBaseUrl,
      publicBaseUrl,
      messagingServiceSid,
      store: deps.store,
      logger,
    }),
  };
};
