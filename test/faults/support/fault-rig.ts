import { FakeTwilioApi } from '../../support/fake-twilio-api.ts';
import { faultHostEnv } from './fault-env.ts';
import { HostProcess } from './host-process.ts';
import { PrivateRedis } from './private-redis.ts';
import { newSmsAccount, type SmsAccount } from './sms-load.ts';

/**
 * What every fault test stands on: a private redis-server, a fake Twilio API
 * on loopback, and N hosts (separate processes) running the echo bot against
 * both (see faultHostEnv).
 */
export interface FaultRig {
  account: SmsAccount;
  redis: PrivateRedis;
  fake: FakeTwilioApi;
  hosts: HostProcess[];
  keyPrefix: string;
  /** Stops the hosts (resuming any left frozen first), the fake API and Redis. */
  stop(): Promise<void>;
}

export async function startFaultRig(settings: { name: string; hosts: number; claimIdleMs: number }): Promise<FaultRig> {
  const account = newSmsAccount();
  const keyPrefix = `fault-${settings.name}-${Date.now()}`;
  const redis = await PrivateRedis.start();
  const fake = await FakeTwilioApi.start(account.accountSid, account.authToken);
  const env = faultHostEnv({ redisUrl: redis.url, keyPrefix, account, twilioApiUrl: fake.url, claimIdleMs: settings.claimIdleMs });
  const names = Array.from({ length: settings.hosts }, (_, index) => `${settings.name}-${String.fromCharCode(97 + index)}`);
  const hosts = await Promise.all(names.map((name) => HostProcess.start(name, env)));
  return {
    account,
    redis,
    fake,
    hosts,
    keyPrefix,
    stop: async () => {
      for (const host of hosts) host.resume();
      await Promise.all(hosts.map((host) => host.stop()));
      await fake.stop();
      await redis.dispose();
    },
  };
}
