import type { Logger } from '../../logger.ts';
import { callPlatform } from '../platform-client.ts';

export interface GraphApiSettings {
  /** e.g. https://graph.facebook.com (tests point it at a fake on loopback). */
  baseUrl: string;
  /** e.g. v21.0 */
  version: string;
  /** The Page access token (Messenger) or system-user token (WhatsApp). */
  accessToken: string;
  logger: Logger;
}

/**
 * The Graph API, as both Meta channels call it: JSON over `POST
 * {base}/{version}/{path}` with the token as a Bearer header (never in the
 * URL, where it could end up in logs), retried by `callPlatform`.
 */
export class GraphApiClient {
  constructor(private readonly settings: GraphApiSettings) {}

  /** Resolves with the response body; throws `delivery_failed` when Meta refuses for good. */
  async post(path: string, body: unknown): Promise<unknown> {
    const { baseUrl, version, accessToken, logger } = this.settings;
    const response = await callPlatform(
      {
        url: `${baseUrl}/${version}/${path}`,
        headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      },
      logger,
    );
    try {
      return response.json();
    } catch {
      return undefined;
    }
  }
}
