/** The channels Switchboard speaks. The string is stored on every conversation. */
export type ChannelName = 'webchat' | 'sms' | 'messenger' | 'whatsapp' | 'botframework';

export interface Attachment {
  /** MIME type or platform type (image, audio, file…). */
  contentType: string;
  /** Where the media can be fetched, when the platform gives a URL. */
  url?: string;
  /** Platform media id, when the platform gives an id instead of a URL (WhatsApp). */
  mediaId?: string;
  name?: string;
}

/**
 * One customer message, whatever channel it came from. Every connector turns
 * its platform payload into exactly this (mapping in shared/CHANNELS.md §5).
 */
export interface InboundMessage {
  channel: ChannelName;
  /** Identifies the conversation on its channel, e.g. `sms:{To}:{From}`. */
  conversationKey: string;
  userId: string;
  text: string;
  attachments: Attachment[];
  /** The platform's own id, used for deduplication. */
  platformMessageId: string;
  /** Platform timestamp in ms since the epoch (receive time when it has none). */
  timestamp: number;
  /** The customer's language, when the channel says it (e.g. BCP-47 `en-US`). */
  locale?: string;
}

/** Who wrote a transcript entry. */
export type Author = 'customer' | 'bot' | 'agent' | 'system';
