import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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
 * Connections to the platforms stay open between calls (a reply is one
 * request; opening a TLS connection for each would cost more than the
 * request). node:http rather than fetch: on Node 20 fetch costs several
 * times the CPU per request (web streams, Headers, an AbortSignal timer that
 * keeps every request's state alive until it fires), and a host makes one or
 * more platform calls per message (bench/e2e: `npm run bench`).
 */
const AGENTS = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
};

interface RawResponse {
  status: number;
  body: string;
  headers: IncomingHttpHeaders;
}

/** One attempt: the whole exchange (connect, send, read the body) within `timeoutMs`, or a `TimeoutError`. */
function send(request: PlatformRequest, timeoutMs: number): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const url = new URL(request.url);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      reject(new TypeError(`Unsupported platform URL protocol ${url.protocol}`));
      return;
    }
    const body = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
    const options = {
      method: request.method ?? 'POST',
      agent: AGENTS[url.protocol],
      headers: body === undefined ? request.headers : { ...request.headers, 'content-length': String(body.length) },
    };
    const req = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, options, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers });
      });
      res.on('error', fail);
    });
    // One plain timer per attempt, cleared as soon as it is over.
    const timer = setTimeout(() => {
      const timeout = new Error(`No answer within ${timeoutMs} ms`);
      timeout.name = 'TimeoutError';
      req.destroy(timeout);
    }, timeoutMs);
    function fail(error: Error): void {
      clearTimeout(timer);
      reject(error);
    }
    req.on('error', fail);
    req.end(body);
  });
}

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
      const response = await send(request, policy.timeoutMs);
      const body = response.body;
      if (response.status >= 200 && response.status < 300) {
        return { status: response.status, body, json: () => JSON.parse(body) as unknown };
      }
      lastProblem = `HTTP ${response.status}`;
      if (!isRetryable(response.status)) {
        throw new SwitchboardError('delivery_failed', `The platform refused the message (${lastProblem}).`, 502);
      }
      retryAfterMs = parseRetryAfter(firstHeader(response.headers['retry-after']));
    } catch (error) {
      if (error instanceof SwitchboardError) throw error;
      lastProblem = networkProblem(error);
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

/** What went wrong without an HTTP answer: the system error's code (ECONNREFUSED…), else the error's name (TimeoutError). */
function networkProblem(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') return code;
  return error instanceof Error ? error.name : 'network error';
}

const firstHeader = (value: string | string[] | undefined): string | null => (Array.isArray(value) ? (value[0] ?? null) : (value ?? null));

function parseRetryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** The URL without its query (which may carry tokens). */
const redactUrl = (url: string): string => url.split('?')[0] ?? '';
