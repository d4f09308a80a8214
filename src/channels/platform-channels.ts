import { botFrameworkChannel } from './botframework/botframework-channel.ts';
import { messengerChannel } from './messenger/messenger-channel.ts';
import type { ChannelDependencies, ChannelFactory, PlatformChannel } from './platform-channel.ts';
import { twilioChannel } from './twilio/twilio-channel.ts';
import { whatsappChannel } from './whatsapp/whatsapp-channel.ts';

/**
 * Every platform channel Switchboard knows. Each factory enables its channel
 * when its credentials are configured; add a channel by adding its factory.
 */
export const CHANNEL_FACTORIES: readonly ChannelFactory[] = [
  twilioChannel,
  messengerChannel,
  whatsappChannel,
  botFrameworkChannel,
];

export async function openPlatformChannels(
  deps: ChannelDependencies,
  factories: readonly ChannelFactory[] = CHANNEL_FACTORIES,
): Promise<PlatformChannel[]> {
  const enabled: PlatformChannel[] = [];
  for (const factory of factories) {
    const channel = await factory(deps);
    if ('disabled' in channel) {
      deps.logger.info({ channel: channel.disabled, missing: channel.missing }, 'channel disabled: credentials not configured');
    } else {
      deps.logger.info({ channel: channel.name, path: channel.path }, 'channel enabled');
      enabled.push(channel);
    }
  }
  return enabled;
}
