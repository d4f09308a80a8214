/**
 * A peer: the Bot Framework SDK's own echo bot, as its samples write it
 * (botbuilder's CloudAdapter, `adapter.process(req, res, logic)`, one
 * `sendActivity` per message). Every activity's JWT is checked against the
 * OpenID metadata and keys the fake Bot Framework serves on loopback, and
 * the reply goes to the fake Bot Connector with a token from the fake AAD
 * endpoint (through the tests' loopback credentials factory, since MSAL only
 * talks to https authorities). Run as its own process by the end-to-end bench.
 *
 * Environment: the host's Bot Framework settings (MicrosoftAppId,
 * MicrosoftAppPassword, MicrosoftAppType, BOTFRAMEWORK_OPENID_METADATA_URL,
 * BOTFRAMEWORK_LOGIN_URL), PORT, HOST.
 */
import { CloudAdapter } from 'botbuilder';
import express from 'express';
import { createServer } from 'node:http';
import { botFrameworkAuthentication } from '../../../src/channels/botframework/botframework-adapter.ts';
import { loadConfig } from '../../../src/config.ts';
import { LoopbackCredentialsFactory } from '../../../test/support/fake-bot-framework.ts';
import { listenAndAnnounce } from './listening.ts';

const settings = loadConfig().botFramework;
if (settings.appId === undefined || settings.appPassword === undefined) throw new Error('MicrosoftAppId and MicrosoftAppPassword are required');
const adapter = new CloudAdapter(
  botFrameworkAuthentication(settings, new LoopbackCredentialsFactory(settings.appId, settings.appPassword)),
);

const app = express();
app.disable('x-powered-by');
app.post('/api/messages', express.json(), async (req, res) => {
  await adapter.process(req, res, async (context) => {
    if (context.activity.type === 'message') await context.sendActivity(`echo: ${context.activity.text}`);
  });
});
await listenAndAnnounce(createServer(app), 'botbuilder echo');
