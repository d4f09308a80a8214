import express, { Router, type RequestHandler } from 'express';
import { ActivityTypes } from 'botbuilder';
import type { Config } from '../../config.ts';
import type { Logger } from '../../logger.ts';
import { SwitchboardError } from '../../core/errors.ts';
import type { ChannelDependencies, ChannelFactory, PlatformChannel } from '../platform-channel.ts';
import { normalizeActivity, parseActivityBody } from './botframework-activity.ts';
import { botFrameworkAuthentication, PUBLIC_CLOUD_ENDPOINTS, SwitchboardCloudAdapter, type CredentialsFactory } from './botframework-adapter.ts';
import { BotFrameworkConnector } from './botframework-connector.ts';

/** The messaging endpoint to register in Azure Bot Service. */
export const BOTFRAMEWORK_PATH = '/api/messages';

/** Activities are small; an attachment travels as a link, not inline. */
const BODY_LIMIT = '256kb';

export interface BotFrameworkChannelOptions {
  /**
   * Outbound credentials other than botbuilder's default (built from the
   * Microsoft* settings): a certificate or managed-identity factory of
   * botbuilder's, or a test's token source. Inbound authentication is
   * botbuilder's JWT validation whatever is given here.
   */
  credentialsFactory?: CredentialsFactory;
}

/**
 * The Bot Framework channel (Web Chat, Direct Line, Teams… through Azure Bot
 * Service): `POST /api/messages`, enabled when the app's credentials are set.
 */
export const botFrameworkChannel: ChannelFactory = (deps) => createBotFrameworkChannel(deps);

export function createBotFrameworkChannel(
  deps: ChannelDependencies,
  options: BotFrameworkChannelOptions = {},
): PlatformChannel | { disabled: 'botframework'; missing: string[] } {
  const settings = deps.config.botFramework;
  const missing = missingSettings(settings);
  if (missing.length > 0 || settings.appId === undefined) return { disabled: 'botframework', missing };
  let adapter: SwitchboardCloudAdapter;
  try {
    adapter = new SwitchboardCloudAdapter(botFrameworkAuthentication(settings, options.credentialsFactory));
  } catch (error) {
    // botbuilder checks the combination of app type, password and tenant.
    const reason = error instanceof Error ? error.message : String(error);
    throw new SwitchboardError('invalid_config', `Invalid configuration: Bot Framework: ${reason}`, 400, { cause: error });
  }
  const logger = deps.logger.child({ channel: 'botframework' });
  const custom = customEndpoints(settings);
  if (custom.length > 0) {
    // Legitimate for private clouds and tests; anywhere else it trusts another signer.
    logger.warn({ settings: custom }, 'Bot Framework: authentication endpoints differ from Microsoft public cloud');
  }
  return {
    name: 'botframework',
    path: BOTFRAMEWORK_PATH,
    router: botFrameworkRoutes(adapter, deps),
    connector: new BotFrameworkConnector(adapter, settings.appId, logger),
  };
}

/** The settings botbuilder needs for this app type (a managed identity has no password). */
function missingSettings(settings: Config['botFramework']): string[] {
  const missing: string[] = [];
  if (settings.appId === undefined) missing.push('MicrosoftAppId');
  if (settings.appType !== 'UserAssignedMSI' && settings.appPassword === undefined) missing.push('MicrosoftAppPassword');
  if (settings.appType !== undefined && settings.appType !== 'MultiTenant' && settings.tenantId === undefined) {
    missing.push('MicrosoftAppTenantId');
  }
  return missing;
}

function customEndpoints(settings: Config['botFramework']): string[] {
  const custom: string[] = [];
  if (settings.openIdMetadataUrl !== PUBLIC_CLOUD_ENDPOINTS.openIdMetadataUrl) custom.push('BOTFRAMEWORK_OPENID_METADATA_URL');
  if (settings.tokenIssuer !== PUBLIC_CLOUD_ENDPOINTS.tokenIssuer) custom.push('BOTFRAMEWORK_TOKEN_ISSUER');
  if (settings.loginUrl !== PUBLIC_CLOUD_ENDPOINTS.loginUrl) custom.push('BOTFRAMEWORK_LOGIN_URL');
  return custom;
}

/** Why botbuilder refused a request (botbuilder's reason names no secret), for whoever configures the bot. */
function logAuthenticationFailure(logger: Logger, requestId: string, error: unknown): void {
  if (!(error instanceof SwitchboardError)) return;
  const reason = error.cause instanceof Error ? error.cause.message : undefined;
  if (error.code === 'unauthorized') logger.warn({ requestId, reason }, 'Bot Framework request refused: authentication failed');
  if (error.code === 'authentication_unavailable') logger.error({ requestId, reason }, 'Bot Framework signing keys could not be loaded');
}

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw new SwitchboardError('unsupported_media_type', 'Send the activity as application/json.', 415);
  }
  next();
};

/**
 * `POST /api/messages`: parse the activity (our own parser: the app's skips
 * this path), let botbuilder authenticate it, then record a message through
 * the inbox (deduplicated on its id) and answer at once; the bot's reply goes
 * out later through the connector. Other activity types are acknowledged and
 * go nowhere; an `invoke` gets the 200 its sender waits for.
 */
function botFrameworkRoutes(adapter: SwitchboardCloudAdapter, deps: ChannelDependencies): Router {
  const router = Router();
  const logger = deps.logger.child({ channel: 'botframework' });

  router.post(
    '/',
    requireJson,
    express.json({ limit: BODY_LIMIT, strict: true, type: () => true }),
    async (req, res) => {
      const activity = parseActivityBody(req.body);
      const requestId = res.locals.requestId;
      const invokeResponse = await adapter
        .authenticate(req.header('authorization') ?? '', activity, async (context) => {
          const normalized = normalizeActivity(context.activity, deps.config.maxMessageLength);
          if (normalized.kind === 'ignored') {
            logger.debug({ requestId, type: context.activity.type, reason: normalized.reason }, 'activity acknowledged, not for the bot');
            if (context.activity.type === 'invoke') {
              await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200 } });
            }
            return;
          }
          await deps.inbox.receive(normalized.message, normalized.address, { requestId });
        })
        .catch((error: unknown) => {
          logAuthenticationFailure(logger, requestId, error);
          throw error;
        });
      res.status(invokeResponse?.status ?? 200);
      if (invokeResponse?.body === undefined) res.end();
      else res.json(invokeResponse.body);
    },
  );

  router.all('/', (_req, res) => {
    res.setHeader('Allow', 'POST');
    throw new SwitchboardError('method_not_allowed', 'Bot Framework activities are POSTed to this endpoint.', 405);
  });

  return router;
}
