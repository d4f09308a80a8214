import {
  CallerIdConstants,
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type InvokeResponse,
  type TurnContext,
} from 'botbuilder';
import type { Config } from '../../config.ts';
import { SwitchboardError } from '../../core/errors.ts';

/**
 * Where botbuilder gets the credentials for outbound calls (the app password,
 * a certificate, a managed identity…). By default botbuilder's own
 * ConfigurationServiceClientCredentialFactory, built from the Microsoft* settings.
 */
export type CredentialsFactory = NonNullable<ConstructorParameters<typeof ConfigurationBotFrameworkAuthentication>[1]>;

/** Microsoft's public cloud values of our three endpoint settings (their defaults in src/config.ts). */
export const PUBLIC_CLOUD_ENDPOINTS = {
  openIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  tokenIssuer: 'https://api.botframework.com',
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
} as const;

/** Microsoft's public cloud values of the other settings botbuilder takes together (see below). */
const PUBLIC_CLOUD = {
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  OAuthUrl: 'https://api.botframework.com',
  CallerId: CallerIdConstants.PublicAzureChannel,
} as const;

/**
 * botbuilder's authentication for this bot. Once any endpoint is given,
 * botbuilder takes every one from the options (BotFrameworkAuthenticationFactory),
 * so all are passed: the three we make configurable (defaults: the public
 * cloud) and the public cloud's values for the rest.
 */
export function botFrameworkAuthentication(
  settings: Config['botFramework'],
  credentialsFactory?: CredentialsFactory,
): ConfigurationBotFrameworkAuthentication {
  return new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: settings.appId,
      MicrosoftAppPassword: settings.appPassword,
      MicrosoftAppType: settings.appType,
      MicrosoftAppTenantId: settings.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: settings.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: settings.tokenIssuer,
      ToChannelFromBotLoginUrl: settings.loginUrl,
      ValidateAuthority: true,
      ...PUBLIC_CLOUD,
    },
    credentialsFactory,
  );
}

/**
 * botbuilder's CloudAdapter, used for two things only: authenticating
 * inbound requests and sending replies proactively. The bot never runs in
 * its turn; every channel shares SwitchboardAdapter's one turn path.
 *
 * `CloudAdapter.process(req, res, logic)` would do the same inbound work,
 * but it writes its own answers: plain-text error messages, a 500 for a
 * token whose signature does not verify (jsonwebtoken's error is not an
 * AuthenticationError), and console output. `authenticate` runs the same
 * `processActivity` (JWT validation: issuer, audience, expiry, serviceUrl
 * claim, channel endorsements; then a turn context for `logic`) and leaves
 * the HTTP answer to our router.
 */
export class SwitchboardCloudAdapter extends CloudAdapter {
  async authenticate(
    authHeader: string,
    activity: Activity,
    logic: (context: TurnContext) => Promise<void>,
  ): Promise<InvokeResponse | undefined> {
    // Set once botbuilder hands over a turn: errors before it are authentication's.
    const phase = { authenticated: false };
    try {
      return await this.processActivity(authHeader, activity, async (context) => {
        phase.authenticated = true;
        await logic(context);
      });
    } catch (error) {
      if (phase.authenticated) throw error;
      throw authenticationFailure(error);
    }
  }
}

/**
 * Anything that stops botbuilder's validation is a 401, except the one
 * failure that is ours to fix or wait out: the OpenID metadata or signing
 * keys could not be fetched (botbuilder reports a 500; node-fetch a FetchError).
 */
function authenticationFailure(error: unknown): SwitchboardError {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  const name = error instanceof Error ? error.name : '';
  if ((typeof status === 'number' && status >= 500) || name === 'FetchError') {
    return new SwitchboardError(
      'authentication_unavailable',
      'The Bot Framework signing keys could not be loaded; try again later.',
      503,
      { cause: error },
    );
  }
  return new SwitchboardError('unauthorized', 'The Bot Framework token is missing or invalid.', 401, { cause: error });
}
