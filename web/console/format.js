// Words and numbers the console shows: channel names, escalation reasons,
// durations, and the state of a platform's messaging window. No DOM here.

export const CHANNELS = {
  webchat: 'Web chat',
  sms: 'SMS',
  messenger: 'Messenger',
  whatsapp: 'WhatsApp',
  botframework: 'Bot Framework',
};

export const REASONS = {
  low_confidence: 'The bot was not confident',
  out_of_scope: 'Out of the bot’s scope',
  customer_request: 'The customer asked for a person',
  negative_sentiment: 'The customer sounds unhappy',
  repeated_fallback: 'The bot kept failing',
  dialog_request: 'A dialog asked for a person',
};

/**
 * Longest text an agent may send, in characters (Unicode code points, as the
 * server counts), when the server does not say: /api/agent/me gives the
 * server's MAX_MESSAGE_LENGTH, which applies to every channel (platform
 * connectors split longer texts into the platform's own parts: SMS segments,
 * Messenger's 2,000), so one limit is right here.
 */
const DEFAULT_MAX_CHARS = 4096;

/** The limit in force, and from how many characters the counter shows (the last 15 %). */
export function messageLimit(me) {
  const max = Number.isInteger(me?.maxMessageLength) && me.maxMessageLength > 0 ? me.maxMessageLength : DEFAULT_MAX_CHARS;
  return { max, counterFrom: Math.floor(max * 0.85) };
}

export const channelName = (channel) => CHANNELS[channel] ?? String(channel ?? 'Unknown channel');
export const reasonText = (reason) => REASONS[reason] ?? String(reason ?? 'Unknown reason');
export const charCount = (text) => [...text].length;

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A waiting time that ticks: 0:07, 4:32, 1 h 05 min, 2 d 3 h. */
export function formatWait(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  if (total < 3600) return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ${String(Math.floor((ms % HOUR) / MINUTE)).padStart(2, '0')} min`;
  return `${Math.floor(ms / DAY)} d ${Math.floor((ms % DAY) / HOUR)} h`;
}

/** A coarse time left: 23 h 10 min, 45 min, 6 d 2 h. */
export function formatLeft(ms) {
  if (ms < HOUR) return `${Math.max(1, Math.ceil(ms / MINUTE))} min`;
  if (ms < DAY) return `${Math.floor(ms / HOUR)} h ${Math.floor((ms % HOUR) / MINUTE)} min`;
  return `${Math.floor(ms / DAY)} d ${Math.floor((ms % DAY) / HOUR)} h`;
}

export function formatClock(ms) {
  const date = new Date(ms);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
}

/**
 * Whether an agent can still write on a Meta channel, counted from the
 * customer's last message: 24 hours on both, then 7 more days on Messenger
 * with the human-agent tag. Other channels have no window (null).
 * Returns { state: 'open' | 'tag' | 'closed', text }.
 */
export function messagingWindow(channel, lastCustomerMessageAt, now = Date.now()) {
  if (channel !== 'messenger' && channel !== 'whatsapp') return null;
  if (!Number.isFinite(lastCustomerMessageAt)) {
    return { state: 'closed', text: 'Messaging window closed: the customer has to write first.' };
  }
  const standardLeft = lastCustomerMessageAt + DAY - now;
  if (standardLeft > 0) return { state: 'open', text: `24-hour window open · closes in ${formatLeft(standardLeft)}` };
  const tagLeft = lastCustomerMessageAt + 7 * DAY - now;
  if (channel === 'messenger' && tagLeft > 0) {
    return { state: 'tag', text: `24-hour window closed · human-agent tag for ${formatLeft(tagLeft)} more` };
  }
  return { state: 'closed', text: 'Messaging window closed: the customer has to write first.' };
}

/** An opaque customer id, shortened for a heading (the full one is in the context). */
export function shortId(id) {
  const text = String(id ?? '');
  const bare = text.includes(':') ? text.slice(text.lastIndexOf(':') + 1) : text;
  return bare.length > 10 ? `${bare.slice(0, 8)}…` : bare;
}
