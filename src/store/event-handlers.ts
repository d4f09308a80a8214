import type { Logger } from '../logger.ts';
import type { EventHandler } from './event-bus.ts';

/**
 * Calls one handler so that nothing it does reaches its neighbours: a throw
 * is logged, and so is a rejected promise (handlers are typed as returning
 * void, but an async function fits that type and would otherwise reject
 * unhandled and take the process down).
 */
export function callHandler(handler: EventHandler, payload: unknown, topic: string, logger: Logger): void {
  // Seen as returning unknown, which is what it may do at run time.
  const call: (payload: unknown) => unknown = handler;
  try {
    const result = call(payload);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        logger.error({ err: error, topic }, 'event handler failed');
      });
    }
  } catch (error) {
    logger.error({ err: error, topic }, 'event handler failed');
  }
}

/**
 * The payload as a subscriber on another host would see it: JSON in and out.
 * The in-memory bus applies it too, so that a payload that would not survive
 * Redis (a Date, a Map, undefined members) fails in the same way in tests.
 */
export function encodePayload(payload: unknown): string {
  // JSON.stringify(undefined) is undefined, which is not a message.
  return payload === undefined ? 'null' : JSON.stringify(payload);
}
