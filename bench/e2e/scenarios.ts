import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Redis } from 'ioredis';
import { HostProcess } from '../../test/faults/support/host-process.ts';
import type { SmsAccount } from '../../test/faults/support/sms-load.ts';
import type { FakeBotFramework } from '../../test/support/fake-bot-framework.ts';
import type { FakeTwilioApi } from '../../test/support/fake-twilio-api.ts';
import { HOST_NODE_OPTIONS, demoHostEnv } from '../support/demo-host.ts';
import type { HttpSender } from './http-sender.ts';
import type { SystemUnderTest } from './measure.ts';
import type { ReplyClock } from './reply-clock.ts';
import { BotFrameworkTarget } from './targets/botframework-target.ts';
import { EchoTarget } from './targets/echo-target.ts';
import { TwilioTarget } from './targets/twilio-target.ts';
import { WebchatTarget } from './targets/webchat-target.ts';

/** Where the servers' logs go (git-ignored). */
export const BENCH_LOG_DIR = path.resolve('test-results/bench');

/** What every scenario shares: the fakes and the Redis live for the whole run in the load generator's process. */
export interface BenchContext {
  conversations: number;
  /** Options for node running each Switchboard host (--cpu-prof…). */
  hostNodeOptions: readonly string[];
  redisUrl: string;
  redis: Redis;
  account: SmsAccount;
  twilio: FakeTwilioApi;
  bf: FakeBotFramework;
  bfApp: { id: string; password: string };
  sender: HttpSender;
}

export interface RunningSystem {
  system: SystemUnderTest;
  stop(): Promise<void>;
}

export type ScenarioName =
  | 'bare-echo'
  | 'bare-relay'
  | 'botbuilder-echo'
  | 'twilio-redis'
  | 'webchat-redis'
  | 'twilio-memory'
  | 'two-hosts-redis';

export interface Scenario {
  name: ScenarioName;
  /** What it measures, for the report. */
  description: string;
  hosts: number;
  store: 'redis' | 'memory' | undefined;
  start(context: BenchContext, clock: ReplyClock): Promise<RunningSystem>;
}

const server = (name: string, env: Record<string, string>, file: string) =>
  HostProcess.start(name, env, { command: [`bench/e2e/servers/${file}`], logDir: BENCH_LOG_DIR });

const switchboard = (context: BenchContext, name: string, env: Record<string, string>) =>
  HostProcess.start(name, env, { logDir: BENCH_LOG_DIR, nodeOptions: [...HOST_NODE_OPTIONS, ...context.hostNodeOptions] });

function forgetTwilio(twilio: FakeTwilioApi): void {
  twilio.sent.splice(0);
  twilio.calls.splice(0);
}

/** Switchboard hosts with the demo bot and the SMS channel against the fake Twilio API, sharing one key prefix. */
async function smsHosts(context: BenchContext, clock: ReplyClock, name: string, count: number, redis: boolean): Promise<RunningSystem> {
  const env = demoHostEnv({
    ...(redis ? { redisUrl: context.redisUrl } : {}),
    keyPrefix: `bench-${randomBytes(4).toString('hex')}`,
    account: context.account,
    twilioApiUrl: context.twilio.url,
  });
  const hosts = await Promise.all(Array.from({ length: count }, (_, index) => switchboard(context, count === 1 ? name : `${name}-${index + 1}`, env)));
  const target = new TwilioTarget(
    hosts.map((host) => host.url),
    context.account,
    context.sender,
    context.conversations,
    context.twilio,
    clock,
  );
  return {
    system: { pids: hosts.map((host) => host.pid), target, forget: () => forgetTwilio(context.twilio) },
    stop: async () => {
      await Promise.all(hosts.map((host) => host.stop()));
    },
  };
}

export const SCENARIOS: Record<ScenarioName, Scenario> = {
  'bare-echo': {
    name: 'bare-echo',
    description: 'bare Express JSON echo (the response is the reply): the least a request costs here',
    hosts: 1,
    store: undefined,
    async start(context, clock) {
      const child = await server('bare-echo', {}, 'bare-echo.ts');
      return {
        system: { pids: [child.pid], target: new EchoTarget(child.url, context.sender, clock), forget: () => undefined },
        stop: () => child.stop(),
      };
    },
  },
  'bare-relay': {
    name: 'bare-relay',
    description: 'bare Express: the same signed webhook in, one reply out to the fake Twilio API over a kept-alive connection',
    hosts: 1,
    store: undefined,
    async start(context, clock) {
      const child = await server(
        'bare-relay',
        {
          TWILIO_ACCOUNT_SID: context.account.accountSid,
          TWILIO_AUTH_TOKEN: context.account.authToken,
          TWILIO_API_BASE_URL: context.twilio.url,
          PUBLIC_BASE_URL: context.account.publicBaseUrl,
        },
        'bare-relay.ts',
      );
      const target = new TwilioTarget([child.url], context.account, context.sender, context.conversations, context.twilio, clock);
      return {
        system: { pids: [child.pid], target, forget: () => forgetTwilio(context.twilio) },
        stop: () => child.stop(),
      };
    },
  },
  'botbuilder-echo': {
    name: 'botbuilder-echo',
    description: "botbuilder CloudAdapter echo bot: JWT checked, reply to the fake Bot Connector (the SDK's own sample)",
    hosts: 1,
    store: undefined,
    async start(context, clock) {
      const child = await server(
        'botbuilder-echo',
        {
          MicrosoftAppId: context.bfApp.id,
          MicrosoftAppPassword: context.bfApp.password,
          MicrosoftAppType: 'MultiTenant',
          BOTFRAMEWORK_OPENID_METADATA_URL: context.bf.openIdMetadataUrl,
          BOTFRAMEWORK_LOGIN_URL: context.bf.loginUrl,
        },
        'botbuilder-echo.ts',
      );
      const target = new BotFrameworkTarget(child.url, context.bf, context.sender, context.conversations, clock);
      return {
        system: {
          pids: [child.pid],
          target,
          forget: () => {
            context.bf.connectorCalls.splice(0);
            context.bf.tokenRequests.splice(0);
          },
        },
        stop: () => child.stop(),
      };
    },
  },
  'twilio-redis': {
    name: 'twilio-redis',
    description: 'Switchboard, one host: signed Twilio webhooks through the demo bot, Redis state, replies to the fake Twilio API',
    hosts: 1,
    store: 'redis',
    start: (context, clock) => smsHosts(context, clock, 'twilio-redis', 1, true),
  },
  'webchat-redis': {
    name: 'webchat-redis',
    description: 'Switchboard, one host: web chat API posts, replies on each conversation’s event stream, Redis state',
    hosts: 1,
    store: 'redis',
    async start(context, clock) {
      const env = demoHostEnv({
        redisUrl: context.redisUrl,
        keyPrefix: `bench-${randomBytes(4).toString('hex')}`,
        account: context.account,
        twilioApiUrl: context.twilio.url,
      });
      const host = await switchboard(context, 'webchat-redis', env);
      const target = await WebchatTarget.open(host.url, context.conversations, context.sender, clock);
      return {
        system: { pids: [host.pid], target, forget: () => undefined },
        stop: async () => {
          target.close();
          await host.stop();
        },
      };
    },
  },
  'twilio-memory': {
    name: 'twilio-memory',
    description: 'Switchboard, one host: as twilio-redis with the in-memory stores (the zero-setup default)',
    hosts: 1,
    store: 'memory',
    start: (context, clock) => smsHosts(context, clock, 'twilio-memory', 1, false),
  },
  'two-hosts-redis': {
    name: 'two-hosts-redis',
    description: 'Switchboard, two host processes on one Redis, webhooks spread over both in turn',
    hosts: 2,
    store: 'redis',
    start: (context, clock) => smsHosts(context, clock, 'two-hosts-redis', 2, true),
  },
};
