import { pathToFileURL } from 'node:url';
import type { BotFactory } from './bot-definition.ts';

/** Imports the bot module (BOT_MODULE); its default export is the bot's factory. */
export async function loadBot(modulePath: string): Promise<BotFactory> {
  const loaded = (await import(pathToFileURL(modulePath).href)) as { default?: unknown };
  if (typeof loaded.default !== 'function') {
    throw new Error(`${modulePath} must export a bot factory as its default export.`);
  }
  return loaded.default as BotFactory;
}
