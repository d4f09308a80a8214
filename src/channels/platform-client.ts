import { setTimeout as sleep } from 'node:timers/promises';
import { SwitchboardError } from '../core/errors.ts';
import type { Logger } from '../logger.ts';

export interface PlatformRequest {
  url: string;
  method?: 'POST' | 'GET';
  headers: Record<string, string>;
  body?: string;
}

export interface PlatformResponse {
  status: number;
  body: string;
  /** The body parsed as JSON (unknown: validate it before use). */
  json(): unknown;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** Backoff before the n-th retry: base × 2^(n-1), with jitter, capped. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Per-attempt timeout. */
  timeoutMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 250, maxDelayMs: 8_000, timeoutMs: 10_000 };

/** Platforms answer these when a retry may succeed (rate limits, outages). */
const isRetryable = (status: number): boolean => status === 429 || status >= 500;

/**
 * Calls a platform's send API, retrying rate limits (429, honouring
 * Retry-After), server errors and network failures with exponential backoff.
 * Anything else the platform refuses is final: `delivery_failed` (502) with
 * the platform's status. Request bodies and credentials are never logged.
 */
export async function callPlatform(
  request: PlatformRequest,
  logger: Logger,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<PlatformResponse> {
  let lastProblem = '';
  for (let attempt = 1; attempt <= policy.attempts; attempt += 1) {
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(request.url, {
        method: request.method ?? 'POST',
        headers: request.headers,
        ...(request.body === undefined ? {} : { body: request.body }),
        signal: AbortSignal.timeout(policy.timeoutMs),
      });
      const body = await response.text();
      if (response.ok) {
        return { status: response.status, body, json: () => JSON.parse(body) as unknown };
      }
      lastProblem = `HTTP ${response.status}`;
      if (!isRetryable(response.status)) {
        throw new SwitchboardError('delivery_failed', `The platform refused the message (${lastProblem}).`, 502);
      }
      retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    } catch (error) {
      if (error instanceof SwitchboardError) throw error;
      lastProblem = error instanceof Error ? error.name : 'network error';
    }
    if (attempt < policy.attempts) {
      const backoff = Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
      const delay = Math.min(retryAfterMs ?? backoff * (0.5 + Math.random() / 2), policy.maxDelayMs);
      logger.warn({ url: redactUrl(request.url), attempt, problem: lastProblem, delayMs: Math.round(delay) }, 'platform call failed; retrying');
      await sleep(delay);
    }
  }
  throw new SwitchboardError(
    'delivery_failed',
    `The platform did not accept the message after ${policy.attempts} attempts (${lastProblem}).`,
    502,
  );
}

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The URL without its query (which may carry tokens). */
const redactUrl = (url: string): string => url.split('?')[0] ?? '';
