import { createHmac, timingSafeEqual } from 'node:crypto';
import { parse as parseQueryString, stringify as stringifyQueryString } from 'node:querystring';
import type { TwilioParams } from './twilio-params.ts';

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 of HMAC-SHA1,
 * keyed with the account's Auth Token, over the full URL Twilio called
 * followed by every POST parameter, sorted by name, written as name+value
 * with no separators; a repeated parameter contributes each of its distinct
 * values, sorted. This is the algorithm of twilio-node's
 * `getExpectedTwilioSignature` (the tests check against it).
 */
export function twilioSignature(authToken: string, url: string, params: TwilioParams): string {
  let data = url;
  for (const name of [...params.keys()].sort()) {
    for (const value of [...new Set(params.get(name))].sort()) data += name + value;
  }
  return createHmac('sha1', authToken).update(Buffer.from(data, 'utf8')).digest('base64');
}

/**
 * Whether `signature` is Twilio's for this URL and these parameters. Like
 * twilio-node's `validateRequest`, the URL is tried as received with and
 * without its default port (Twilio signs what was configured, `:443` or
 * not), then as `new URL()` normalizes it (and with Node's legacy query
 * encoding), for back ends that signed an escaped form. Every comparison
 * is constant-time.
 */
export function verifyTwilioSignature(authToken: string, signature: string, url: string, params: TwilioParams): boolean {
  const given = Buffer.from(signature, 'utf8');
  const matches = (candidate: string): boolean => {
    const expected = Buffer.from(twilioSignature(authToken, candidate, params), 'utf8');
    return expected.length === given.length && timingSafeEqual(expected, given);
  };
  if ([withoutPort(url), withPort(url)].some(matches)) return true;
  let normalized: string;
  try {
    normalized = new URL(url).toString();
  } catch {
    return false;
  }
  const candidates = [withoutPort(normalized), withPort(normalized)];
  return [...candidates, ...candidates.map(withLegacyQueryString)].some(matches);
}

interface UrlParts {
  scheme: string;
  userInfo: string;
  host: string;
  port: string;
  rest: string;
}

/** Splits a URL without normalizing it, so the path and query keep the characters Twilio signed. */
function splitUrl(url: string): UrlParts | undefined {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^/?#]*)/i.exec(url);
  if (!match) return undefined;
  const [prefix, scheme = '', authority = ''] = match;
  const userInfoEnd = authority.lastIndexOf('@');
  const hostAndPort = authority.slice(userInfoEnd + 1);
  // In an IPv6 literal, the port's colon comes after the closing bracket.
  const portStart = hostAndPort.indexOf(':', hostAndPort.lastIndexOf(']') + 1);
  return {
    scheme,
    userInfo: authority.slice(0, userInfoEnd + 1),
    host: portStart === -1 ? hostAndPort : hostAndPort.slice(0, portStart),
    port: portStart === -1 ? '' : hostAndPort.slice(portStart),
    rest: url.slice(prefix.length),
  };
}

function withPort(url: string): string {
  const parts = splitUrl(url);
  if (!parts || parts.port) return url;
  const port = parts.scheme.toLowerCase() === 'https://' ? ':443' : ':80';
  return parts.scheme + parts.userInfo + parts.host + port + parts.rest;
}

function withoutPort(url: string): string {
  const parts = splitUrl(url);
  return parts ? parts.scheme + parts.userInfo + parts.host + parts.rest : url;
}

function withLegacyQueryString(url: string): string {
  const queryStart = url.indexOf('?');
  if (queryStart === -1 || queryStart === url.length - 1) return url;
  return `${url.slice(0, queryStart)}?${stringifyQueryString(parseQueryString(url.slice(queryStart + 1)))}`;
}
