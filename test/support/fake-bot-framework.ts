import { generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MicrosoftAppCredentials, ServiceClientCredentialsFactory } from 'botframework-connector';

/**
 * Microsoft's side of the Bot Framework, on loopback, for tests:
 *
 * - the channel's OpenID provider (what BOTFRAMEWORK_OPENID_METADATA_URL
 *   points at): its configuration and a JWKS whose key carries channel
 *   endorsements, exactly the shape login.botframework.com serves; tokens
 *   for inbound activities are signed with its private key (`channelToken`);
 * - the AAD token endpoint (`{loginUrl}/oauth2/v2.0/token`, client
 *   credentials), issuing tokens signed by a second key;
 * - the Bot Connector at `serviceUrl`: records every
 *   `POST v3/conversations/{id}/activities[/{activityId}]` with whether its
 *   Bearer token is one the token endpoint issued for this app and audience.
 */

export const BOT_CONNECTOR_SCOPE = 'https://api.botframework.com';
export const CHANNEL_ISSUER = 'https://api.botframework.com';
export const ENDORSEMENTS = ['directline', 'webchat', 'msteams', 'emulator', 'test'];

export interface ConnectorCall {
  conversationId: string;
  /** The activity replied to, when the path names one. */
  replyToId: string | undefined;
  /** The Bearer token checked out: signed by the token endpoint, for this app and the connector. */
  authorized: boolean;
  body: Record<string, unknown>;
}

export interface TokenRequest {
  clientId: string | null;
  scope: string | null;
  granted: boolean;
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

const newKey = (kid: string): SigningKey => ({ kid, ...generateKeyPairSync('rsa', { modulusLength: 2048 }) });

export interface ChannelClaims {
  aud?: string;
  iss?: string;
  serviceurl?: string;
  /** Seconds since the epoch. */
  exp?: number;
  nbf?: number;
  [claim: string]: unknown;
}

export class FakeBotFramework {
  readonly connectorCalls: ConnectorCall[] = [];
  readonly tokenRequests: TokenRequest[] = [];
  /** The key the fake OpenID provider publishes. */
  readonly channelKey = newKey(`channel-${randomUUID().slice(0, 8)}`);
  /** The key the fake AAD signs access tokens with. */
  private readonly aadKey = newKey('aad');
  private sequence = 0;
  private readonly scripted: number[] = [];
  /** Called with each connector call as it arrives (benchmarks time replies with it). */
  onConnectorCall: ((call: ConnectorCall) => void) | undefined;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly appId: string,
    private readonly appPassword: string,
  ) {}

  static async start(appId: string, appPassword: string): Promise<FakeBotFramework> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const address = server.address();
    if (typeof address !== 'object' || !address) throw new Error('no address');
    const fake = new FakeBotFramework(server, `http://127.0.0.1:${address.port}`, appId, appPassword);
    server.on('request', (req, res) => {
      void readBody(req).then((body) => fake.handle(req, body, res));
    });
    return fake;
  }

  get openIdMetadataUrl(): string {
    return `${this.url}/v1/.well-known/openidconfiguration`;
  }

  /** What ToChannelFromBotLoginUrl names (the token endpoint is below it). */
  get loginUrl(): string {
    return `${this.url}/botframework.com`;
  }

  /** The activity's serviceUrl: Direct Line's own has a trailing slash too. */
  get serviceUrl(): string {
    return `${this.url}/directline/`;
  }

  /** A channel token as Azure Bot Service signs it: valid unless `claims` or `key` say otherwise. */
  channelToken(claims: ChannelClaims = {}, key: Pick<SigningKey, 'kid' | 'privateKey'> = this.channelKey): string {
    const now = Math.floor(Date.now() / 1000);
    return signJwt(
      { iss: CHANNEL_ISSUER, aud: this.appId, serviceurl: this.serviceUrl, nbf: now - 60, exp: now + 3600, ...claims },
      key,
    );
  }

  /** The next connector calls are answered with these statuses, in order (then 200s again). */
  failNext(...statuses: number[]): void {
    this.scripted.push(...statuses);
  }

  /** Connector calls for one conversation. */
  callsFor(conversationId: string): ConnectorCall[] {
    return this.connectorCalls.filter((call) => call.conversationId === conversationId);
  }

  /** Waits until at least `count` connector calls match, and returns them. */
  async waitFor(match: (call: ConnectorCall) => boolean, count = 1): Promise<ConnectorCall[]> {
    for (let tries = 0; tries < 400; tries += 1) {
      const found = this.connectorCalls.filter(match);
      if (found.length >= count) return found;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error(`the fake Bot Connector never got ${count} matching call(s); got ${JSON.stringify(this.connectorCalls, null, 1)}`);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, body: string, res: ServerResponse): void {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method === 'GET' && path === '/v1/.well-known/openidconfiguration') {
      json(res, 200, {
        issuer: CHANNEL_ISSUER,
        authorization_endpoint: `${this.url}/v1/authorize`,
        jwks_uri: `${this.url}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      });
      return;
    }
    if (req.method === 'GET' && path === '/v1/.well-known/keys') {
      const jwk = this.channelKey.publicKey.export({ format: 'jwk' });
      json(res, 200, { keys: [{ kty: 'RSA', use: 'sig', kid: this.channelKey.kid, n: jwk.n, e: jwk.e, endorsements: ENDORSEMENTS }] });
      return;
    }
    if (req.method === 'POST' && path === '/botframework.com/oauth2/v2.0/token') {
      this.issueToken(body, res);
      return;
    }
    const connector = /^\/directline\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
    if (req.method === 'POST' && connector) {
      const authorized = this.acceptsToken(req.headers.authorization);
      const call: ConnectorCall = {
        conversationId: decodeURIComponent(connector[1] ?? ''),
        replyToId: connector[2] === undefined ? undefined : decodeURIComponent(connector[2]),
        authorized,
        body: JSON.parse(body) as Record<string, unknown>,
      };
      this.connectorCalls.push(call);
      this.onConnectorCall?.(call);
      const scripted = this.scripted.shift();
      if (!authorized) json(res, 401, { error: { code: 'Unauthorized', message: 'bad token' } });
      else if (scripted !== undefined) json(res, scripted, { error: { code: 'Scripted', message: `answered ${scripted}` } });
      else json(res, 200, { id: `reply-${(this.sequence += 1)}` });
      return;
    }
    json(res, 404, { error: { code: 'NotFound', message: `${req.method ?? ''} ${path}` } });
  }

  /** Client credentials grant: the app's id and password, for the connector's scope. */
  private issueToken(body: string, res: ServerResponse): void {
    const form = new URLSearchParams(body);
    const granted =
      form.get('grant_type') === 'client_credentials' &&
      form.get('client_id') === this.appId &&
      form.get('client_secret') === this.appPassword &&
      form.get('scope') === `${BOT_CONNECTOR_SCOPE}/.default`;
    this.tokenRequests.push({ clientId: form.get('client_id'), scope: form.get('scope'), granted });
    if (!granted) {
      json(res, 401, { error: 'invalid_client' });
      return;
    }
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ aud: BOT_CONNECTOR_SCOPE, appid: this.appId, iss: `${this.url}/botframework.com/`, nbf: now, exp: now + 3600 }, this.aadKey);
    json(res, 200, { token_type: 'Bearer', expires_in: 3600, access_token: token });
  }

  private acceptsToken(header: string | undefined): boolean {
    const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
    const claims = token === undefined ? undefined : verifyJwt(token, this.aadKey.publicKey);
    return claims !== undefined && claims.aud === BOT_CONNECTOR_SCOPE && claims.appid === this.appId && Number(claims.exp) > Date.now() / 1000;
  }
}

/** Another RSA key with the published key's id: its tokens must not verify. */
export const impostorKey = (kid: string): SigningKey => newKey(kid);

/** RS256, as the Bot Framework signs: header with `kid` (and `x5t`), base64url parts. */
export function signJwt(payload: Record<string, unknown>, key: Pick<SigningKey, 'kid' | 'privateKey'>): string {
  const encode = (part: unknown) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const data = `${encode({ alg: 'RS256', typ: 'JWT', kid: key.kid, x5t: key.kid })}.${encode(payload)}`;
  return `${data}.${sign('sha256', Buffer.from(data), key.privateKey).toString('base64url')}`;
}

function verifyJwt(token: string, publicKey: KeyObject): Record<string, unknown> | undefined {
  const [header, payload, signature] = token.split('.');
  if (header === undefined || payload === undefined || signature === undefined) return undefined;
  const valid = verify('sha256', Buffer.from(`${header}.${payload}`), publicKey, Buffer.from(signature, 'base64url'));
  return valid ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
}

/**
 * Outbound credentials for tests. botbuilder gets tokens through MSAL, which
 * accepts only https authorities and first asks login.microsoftonline.com
 * to discover them, so no setting sends it to a loopback token endpoint.
 * This factory does what botbuilder's PasswordServiceClientCredentialFactory
 * does (same app id check, credentials for the audience botbuilder asks
 * for) except that the token comes from a plain client-credentials POST to
 * `{loginEndpoint}/oauth2/v2.0/token` (the endpoint botbuilder passes, i.e.
 * BOTFRAMEWORK_LOGIN_URL). Signing the requests stays botbuilder's
 * (`AppCredentials.signRequest`).
 */
export class LoopbackCredentialsFactory extends ServiceClientCredentialsFactory {
  constructor(
    private readonly appId: string,
    private readonly appPassword: string,
  ) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    return Promise.resolve(appId === this.appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(false);
  }

  async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string): Promise<LoopbackAppCredentials> {
    if (!(await this.isValidAppId(appId))) throw new Error('Invalid appId.');
    return new LoopbackAppCredentials(appId, this.appPassword, loginEndpoint, audience ?? BOT_CONNECTOR_SCOPE);
  }
}

/**
 * Tokens the loopback credentials got, by app, scope and endpoint, until 5
 * minutes before they expire: MSAL keeps botbuilder's tokens the same way,
 * so a bot asks the token endpoint once an hour, not once per reply.
 */
const tokenCache = new Map<string, { token: string; refreshAt: number }>();

class LoopbackAppCredentials extends MicrosoftAppCredentials {
  constructor(
    appId: string,
    appPassword: string,
    private readonly loginEndpoint: string,
    scope: string,
  ) {
    super(appId, appPassword, undefined, scope);
  }

  override async getToken(forceRefresh = false): Promise<string> {
    const key = `${this.appId} ${this.oAuthScope} ${this.loginEndpoint}`;
    const cached = tokenCache.get(key);
    if (!forceRefresh && cached && cached.refreshAt > Date.now()) return cached.token;
    const response = await fetch(`${this.loginEndpoint}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: this.appId,
        client_secret: this.appPassword,
        scope: `${this.oAuthScope}/.default`,
      }),
    });
    if (!response.ok) throw new Error(`token endpoint answered ${response.status}`);
    const { access_token: token, expires_in: expiresIn } = (await response.json()) as { access_token: string; expires_in: number };
    tokenCache.set(key, { token, refreshAt: Date.now() + (expiresIn - 300) * 1000 });
    return token;
  }
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
