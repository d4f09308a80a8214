import path from 'node:path';
import type { Config } from '../config.ts';
import type { Logger } from '../logger.ts';
import type { ContextProvider } from './customer-provider.ts';
import { guardContextProvider, type LookupOutcome } from './guarded-provider.ts';
import { HttpContextProvider } from './http-context-provider.ts';
import { JsonContextProvider } from './json-context-provider.ts';

/**
 * The context provider CONTEXT_PROVIDER names (the demo's JSON files by
 * default), wrapped so that no call outlasts CONTEXT_TIMEOUT_MS.
 */
export async function openContextProvider(
  config: Config,
  logger: Logger,
  onLookup?: (operation: string, outcome: LookupOutcome) => void,
): Promise<ContextProvider> {
  const log = logger.child({ component: 'context' });
  const { http, timeoutMs, cacheTtlMs } = config.context;
  let provider: ContextProvider;
  if (http) {
    provider = new HttpContextProvider({ ...http, timeoutMs, cacheTtlMs, logger: log });
    log.info(
      { customers: Boolean(http.customerUrl), orders: true, cases: Boolean(http.customerCasesUrl), timeoutMs, cacheTtlMs },
      'customer context from the HTTP provider',
    );
  } else {
    provider = await JsonContextProvider.fromFiles(path.resolve(config.ordersFile), path.resolve(config.customersFile));
  }
  return guardContextProvider(provider, { timeoutMs, logger: log, ...(onLookup ? { onLookup } : {}) });
}
