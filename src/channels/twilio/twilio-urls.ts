/** Where Twilio's webhooks are mounted: register `PUBLIC_BASE_URL` + this as the number's inbound URL. */
export const TWILIO_PATH = '/webhooks/twilio';
/** Status callbacks, under TWILIO_PATH. */
export const STATUS_PATH = '/status';
/** The query parameter of the status callback URL that names the conversation. */
export const CONVERSATION_PARAM = 'conversation';

/**
 * The StatusCallback of a message we send: our status route, naming the
 * conversation in the query. Twilio signs the URL with its query, so a
 * verified callback's conversation id is the one we put there: no mapping
 * from message SIDs to conversations needs to be stored anywhere.
 */
export function statusCallbackUrl(publicBaseUrl: string, conversationId: string): string {
  return `${publicBaseUrl}${TWILIO_PATH}${STATUS_PATH}?${CONVERSATION_PARAM}=${encodeURIComponent(conversationId)}`;
}
