import type { Server } from 'node:http';
import { once } from 'node:events';
import path from 'node:path';
import type { Express } from 'express';
import { ConnectorRegistry } from './channels/connector.ts';
import type { ChannelFactory } from './channels/platform-channel.ts';
import { openPlatformChannels } from './channels/platform-channels.ts';
import { webchatRoutes } from './channels/webchat/webchat-routes.ts';
import type { Config } from './config.ts';
import { ConversationLog } from './core/conversation-log.ts';
import { Inbox } from './core/inbox.ts';
import { ReplyDispatcher } from './core/reply-dispatcher.ts';
import { TurnRunner } from './core/turn-runner.ts';
import { loadBot } from './dialogs/load-bot.ts';
import { DialogEngine } from './dialogs/dialog-engine.ts';
import { createApp } from './http/app.ts';
import { AgentDirectory } from './handoff/agent-directory.ts';
import { agentRoutes } from './handoff/agent-routes.ts';
import { EscalationPolicy } from './handoff/escalation-policy.ts';
import { escalationSettings } from './handoff/escalation-settings.ts';
import { HandoffService, type BotControl } from './handoff/handoff-service.ts';
import { EventStreams } from './http/event-stream.ts';
import { healthRoutes } from './http/health-routes.ts';
import { Metrics, metricsRoutes } from './http/metrics.ts';
import { openApiRoutes } from './http/openapi.ts';
import { CSAT_DIALOG_ID } from './dialogs/csat-dialog.ts';
import type { DialogEngineOptions } from './dialogs/dialog-engine.ts';
import { authenticate } from './handoff/agent-routes.ts';
import { loadCustomerContext } from './integrations/customer-context.ts';
import { openContextProvider } from './integrations/open-context-provider.ts';
import { ApiKeys } from './outbound/api-keys.ts';
import { EventWebhooks } from './outbound/event-webhooks.ts';
import { NotificationService } from './outbound/notification-service.ts';
import { openOutboundStores } from './outbound/open-outbound-stores.ts';
import { eventSubscriptionRoutes, notificationRoutes } from './outbound/outbound-routes.ts';
import { CsatRecorder } from './reports/csat-recorder.ts';
import { HandoffReporter } from './reports/handoff-reporter.ts';
import { utcDay } from './reports/stats-store.ts';
import { supervisorRoutes } from './reports/supervisor-routes.ts';
import { createLogger, type Logger } from './logger.ts';
import { readCalibratedThresholds } from './nlu/calibration.ts';
import type { IntentClassifier } from './nlu/intent-classifier.ts';
import { loadIntentClassifier } from './nlu/load-intent-classifier.ts';
import { localeResolver } from './nlu/locale-resolver.ts';
import type { BotFactory } from './dialogs/bot-definition.ts';
import { openStores, type Stores } from './store/open-stores.ts';

/** The project root: web/, dialogs/ and intents/ are found from here. */
const ROOT = path.resolve(import.meta.dirname, '..');

export interface HostOptions {
  logger?: Logger;
  /** The bot; by default the module named by BOT_MODULE is loaded. */
  bot?: BotFactory;
  /** An already trained classifier (tests share one to save training time). */
  classifier?: IntentClassifier;
  /** The platform channels to open (default: all of CHANNEL_FACTORIES, each enabled by its configuration). */
  channelFactories?: readonly ChannelFactory[];
}

export interface Host {
  readonly config: Config;
  readonly app: Express;
  readonly server: Server;
  /** Base URL the host listens on, e.g. http://127.0.0.1:3000. */
  readonly url: string;
  readonly logger: Logger;
  readonly stores: Stores;
  readonly turns: TurnRunner;
  readonly inbox: Inbox;
  readonly classifier: IntentClassifier;
  readonly handoff: HandoffService;
  readonly agents: AgentDirectory;
  /** The demo agent's token, when no agents were configured. */
  readonly demoAgentToken: string | undefined;
  /** Graceful stop: refuse new work, finish the turns in flight, close connections. */
  stop(): Promise<void>;
}

/** Builds every part of a Switchboard host from its configuration and starts listening. */
export async function startHost(config: Config, options: HostOptions = {}): Promise<Host> {
  const logger = options.logger ?? createLogger({ level: config.logLevel, logContent: config.logContent });
  const stores = await openStores(config, logger);
  // Customers and orders from the business's systems; no call outlasts CONTEXT_TIMEOUT_MS.
  const customers = await openContextProvider(config, logger, (operation, outcome) => metrics.contextLookups.inc({ operation, outcome }));
  const bot = await (options.bot ?? (await loadBot(path.resolve(config.botModule))))({ orders: customers, customers, logger });
  // After the bot: its out-of-scope intents are out-of-scope examples for the classifier.
  const classifier = options.classifier ?? (await loadClassifier(config, logger, bot.outOfScopeIntents ?? []));

  const log = new ConversationLog(stores.conversations, stores.events);
  const connectors = new ConnectorRegistry();
  const metrics = new Metrics();
  const dispatcher = new ReplyDispatcher(log, connectors, metrics);
  // Integrations (README "Integrations"): outbound events, the supervisor's figures, CSAT.
  const outbound = openOutboundStores(config, logger);
  const webhooks = new EventWebhooks({
    store: outbound.webhooks,
    configured: config.eventWebhooks.subscriptions,
    settings: config.eventWebhooks,
    logger: logger.child({ component: 'event-webhooks' }),
    metrics,
  });
  const reporter = new HandoffReporter({ stats: outbound.stats, events: webhooks, store: stores.conversations, dedupe: stores.dedupe, logger, metrics });
  const csat = new CsatRecorder({ store: stores.conversations, log, stats: outbound.stats, events: webhooks, logger, metrics });
  const engineHooks: Partial<DialogEngineOptions> = {
    onMessageTurn: (conversation, nlu) => reporter.botTurn(conversation, nlu),
    ...(config.csatEnabled
      ? {
          csat: {
            resumeDialogId: bot.resumeDialogId,
            canAsk: (conversation) => dispatcher.canSend(conversation, 'bot'),
            onRating: (conversation, rating) => csat.record(conversation, rating),
          },
        }
      : {}),
  };
  // The locales' calibration.json files; HANDOFF_THRESHOLD and OOS_THRESHOLD, when set, win over them (escalationSettings).
  const calibrated = await readCalibratedThresholds(path.resolve(config.intentsDir), classifier.locales);
  const inUse = {
    ...(config.handoff.thresholdFromEnv || Object.keys(calibrated.handoff).length === 0 ? {} : { handoffThresholds: calibrated.handoff }),
    ...(config.handoff.outOfScopeThresholdFromEnv || Object.keys(calibrated.outOfScope).length === 0
      ? {}
      : { outOfScopeThresholds: calibrated.outOfScope }),
  };
  if (Object.keys(inUse).length > 0) logger.info(inUse, 'calibrated escalation thresholds in use');
  const policy = new EscalationPolicy(escalationSettings(config, bot, calibrated));
  const engine = new DialogEngine(bot, stores.dialogState, { threshold: config.nluThreshold, policy, ...engineHooks });
  const agents = await loadAgents(config, logger);
  // The handoff and the turn runner need each other: the runner escalates,
  // the handoff hands conversations back to the bot. The arrow below is only
  // called after both exist.
  const botControl: BotControl = {
    runDialog: (conversationId, dialogId) => turns.runDialog(conversationId, dialogId),
    collectedValues: (conversation) => turns.collectedValues(conversation),
  };
  const handoff = new HandoffService({
    store: stores.conversations,
    log,
    dispatcher,
    queue: stores.agentQueue,
    agents: agents.directory,
    bus: stores.events,
    dedupe: stores.dedupe,
    logger: logger.child({ component: 'handoff' }),
    // With CSAT on, the framework's CSAT dialog runs the bot's resume dialog, then asks for a rating.
    settings: { ...config.handoff, resumeDialogId: config.csatEnabled ? CSAT_DIALOG_ID : bot.resumeDialogId },
    bot: botControl,
    metrics,
    observer: reporter,
    customerContext: (conversation) => loadCustomerContext(customers, conversation),
  });
  metrics.onScrape(async () => {
    const today = await outbound.stats.read(utcDay(Date.now()));
    const botConversations = today.counts.bot_conversations ?? 0;
    const escalatedConversations = Math.min(botConversations, today.counts.escalated_conversations ?? 0);
    if (botConversations > 0) metrics.containmentRate.set((botConversations - escalatedConversations) / botConversations);
    metrics.eventDeliveriesPending.set(await outbound.webhooks.pendingCount());
  });
  metrics.onScrape(async () => {
    for (const [skill, depth] of await handoff.queueDepths()) metrics.queueDepth.set({ skill }, depth);
  });
  const turns = new TurnRunner({
    store: stores.conversations,
    log,
    dispatcher,
    classifier,
    engine,
    logger,
    lock: stores.turnLock,
    inbox: stores.inbox,
    handoff,
    metrics,
    textOnlyReply: config.textOnlyReply,
  });
  const resolveLocale = localeResolver(classifier.locales);
  const inbox = new Inbox({
    store: stores.conversations,
    log,
    queue: stores.inbox,
    logger,
    resolveLocale,
    available: () => stores.available(),
  });
  const channels = await openPlatformChannels({
    config,
    inbox,
    store: stores.conversations,
    dedupe: stores.dedupe,
    handoff,
    log,
    logger,
  }, options.channelFactories);
  for (const channel of channels) connectors.register(channel.connector);
  const apiKeys = new ApiKeys(config.apiKeys);
  const notifications = new NotificationService({
    store: stores.conversations,
    log,
    dispatcher,
    connectors,
    rememberValues: (conversationId, values) => turns.rememberValues(conversationId, values),
    resolveLocale,
    whatsappPhoneNumberId: config.meta.whatsappPhoneNumberId,
    logger: logger.child({ component: 'notifications' }),
    metrics,
  });
  const outboundRoutes = { keys: apiKeys, notifications, webhooks, maxMessageLength: config.maxMessageLength };
  const streams = new EventStreams();
  let stopping = false;

  const app = createApp({
    logger,
    routes: [
      // Platform webhooks first: they are most of the traffic, and every
      // router mounted before them is one more path match per request.
      ...channels.map(({ path: channelPath, router }) => ({ path: channelPath, router })),
      {
        path: '/',
        router: healthRoutes({
          shutdown: () => Promise.resolve(stopping ? 'shutting down' : undefined),
          // The model is loaded before the host listens; this says which locales it serves.
          model: () => Promise.resolve(classifier.locales.length > 0 ? undefined : 'no intent model loaded'),
          store: async () => ((await stores.ping()) ? undefined : 'store does not answer'),
        }),
      },
      { path: '/', router: openApiRoutes() },
      { path: '/', router: metricsRoutes(metrics) },
      {
        path: '/webchat',
        router: webchatRoutes({
          store: stores.conversations,
          log,
          inbox,
          streams,
          maxMessageLength: config.maxMessageLength,
          resolveLocale,
          queuePosition: (conversationId) => handoff.queuePosition(conversationId),
        }),
      },
      {
        path: '/api/agent/supervisor',
        router: supervisorRoutes({
          authenticate: authenticate({ agents: agents.directory, handoff }),
          agents: agents.directory,
          stats: outbound.stats,
          queueDepths: () => handoff.queueDepths(),
        }),
      },
      { path: '/api/notifications', router: notificationRoutes(outboundRoutes) },
      { path: '/api/event-subscriptions', router: eventSubscriptionRoutes(outboundRoutes) },
      {
        path: '/api/agent',
        router: agentRoutes({
          agents: agents.directory,
          handoff,
          bus: stores.events,
          streams,
          maxMessageLength: config.maxMessageLength,
          logger,
        }),
      },
    ],
    ownBodyPaths: channels.map((channel) => channel.path),
    pages: [
      { path: '/', dir: path.join(ROOT, 'web', 'chat') },
      { path: '/console', dir: path.join(ROOT, 'web', 'console') },
      { path: '/shared', dir: path.join(ROOT, 'web', 'shared') },
    ],
  });

  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${port}`;
  logger.info({ url, store: stores.kind, locales: classifier.locales }, 'Switchboard is listening');
  if (agents.demoToken !== undefined) {
    // Asked for by design: the zero-setup demo must tell its user how to sign in.
    const consoleUrl = `${config.publicBaseUrl ?? url}/console#token=${agents.demoToken}`;
    logger.info({ agentId: 'demo-agent' }, `No agents configured: a demo agent was created. Agent console: ${consoleUrl}`);
  }
  logger.info(
    { apiKeys: apiKeys.size, eventWebhooks: config.eventWebhooks.subscriptions.length, csat: config.csatEnabled, context: config.context.provider },
    apiKeys.size > 0 ? 'integrations ready' : 'integrations ready; notifications and event subscriptions need API_KEYS',
  );
  handoff.start();
  webhooks.start();
  turns.start();
  // Live events published while the subscriber connection was down are lost:
  // end the open streams, and the pages reconnect and catch up from the store.
  stores.events.onResubscribed?.(() => streams.closeAll());

  return {
    config,
    app,
    server,
    url,
    logger,
    stores,
    turns,
    inbox,
    classifier,
    handoff,
    agents: agents.directory,
    demoAgentToken: agents.demoToken,
    async stop() {
      if (stopping) return;
      stopping = true;
      logger.info('shutting down: finishing turns in flight');
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      await handoff.stop();
      await webhooks.stop();
      streams.closeAll();
      server.closeIdleConnections();
      const drained = await Promise.race([
        turns.drain().then(() => true),
        new Promise<false>((resolve) => setTimeout(() => resolve(false), config.shutdownTimeoutMs).unref()),
      ]);
      if (!drained) logger.warn('shutdown timeout: some turns did not finish');
      // Stop taking inbox items; anything left stays in the inbox for the other hosts (or the next start).
      await Promise.race([turns.stop(), new Promise<void>((resolve) => setTimeout(resolve, 1_000).unref())]);
      server.closeAllConnections();
      await closed;
      await outbound.close();
      await stores.close();
      logger.info('stopped');
    },
  };
}

/** The configured agents, or one demo agent (with every known skill) when there are none. */
async function loadAgents(config: Config, logger: Logger): Promise<{ directory: AgentDirectory; demoToken?: string }> {
  const directory = await AgentDirectory.load({ file: config.agentsFile, json: config.agentsJson });
  if (directory.size > 0) {
    logger.info({ agents: directory.size }, 'agents loaded');
    return { directory };
  }
  const { directory: demo, token } = AgentDirectory.demo([config.handoff.defaultSkill, ...config.handoff.skills.values()]);
  return { directory: demo, demoToken: token };
}

async function loadClassifier(config: Config, logger: Logger, outOfScopeIntents: readonly string[]): Promise<IntentClassifier> {
  const loaded = await loadIntentClassifier({
    intentsDir: path.resolve(config.intentsDir),
    cacheDir: path.resolve(config.modelCacheDir),
    classifier: config.nluClassifier,
    outOfScopeIntents,
    logger,
  });
  logger.info(
    { source: loaded.source, classifier: config.nluClassifier, corpusHash: loaded.corpusHash.slice(0, 12) },
    'intent model ready',
  );
  return loaded.classifier;
}
