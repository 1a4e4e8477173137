/**
 * What a browser keeps between requests: the CORS-preflight cache (Fetch Standard §4.8 "CORS-preflight
 * cache"; Chromium services/network/cors/preflight_cache.cc + preflight_result.cc) and the HTTP cache as
 * far as CORS is concerned (RFC 9111 freshness and Vary; mistake 6: one origin's response served to
 * another). Pure data: `simulate` reads and updates a `BrowserCache` given in its options, with the time
 * the caller says it is (`now`, seconds), so a sequence of requests is a sequence of `simulate` runs.
 *
 * Chromium's rules, as modelled (and recorded by test/browser/cache-sequences.test.ts):
 * - preflight entries are keyed by the page's origin and the request URL; an entry covers a later request
 *   when the stored preflight response passes for it (methods, headers, credentials: preflight_result.cc
 *   EnsureAllowedRequest re-checks the same lists); lifetime Access-Control-Max-Age, default 5 s, at most
 *   7200 s (preflightMaxAge);
 * - an entry stored for a request without credentials does not cover one with `credentials: 'include'`
 *   (recorded: a new preflight), the other way round it does;
 * - a failed preflight is not cached; a new header not in the cached Allow-Headers preflights again;
 * - HTTP cache: a GET answered 200 with a positive `max-age` (no `no-store`/`no-cache`) is served from cache
 *   while fresh to any later GET of the same URL whose request headers match the stored ones named by
 *   `Vary` (`Vary: *` never matches), whatever its page origin, and the CORS check then runs on the
 *   stored header lines.
 * Not modelled: heuristic freshness (Last-Modified), Expires, revalidation (ETag/304), the
 * network-isolation key beyond "same site" (the recorded pages share one), cache-size eviction.
 */
import { getHeader, splitList } from './headers.ts';
import { preflightMaxAge } from './preflight.ts';
import type { HeaderList, WireRequest, WireResponse } from './types.ts';

type Response = Extract<WireResponse, { kind: 'response' }>;

export interface PreflightCacheEntry {
  origin: string;
  url: string;
  /** The preflight response as received: re-checked for each later request (covers or not). */
  response: Response;
  /** Stored for a credentialed request: only such an entry covers one (preflight_result.cc credentials_). */
  withCredentials: boolean;
  /** Seconds on the caller's clock. */
  storedAt: number;
  expiresAt: number;
}

export interface HttpCacheEntry {
  url: string;
  /** The request header values named by the response's Vary, lower-case name → value (null: absent). */
  vary: Record<string, string | null> | '*';
  response: Response;
  /** Which page origin's request stored it (for the explanation: "served to another origin"). */
  storedFor: string;
  storedAt: number;
  expiresAt: number;
}

export interface BrowserCache {
  preflight: PreflightCacheEntry[];
  http: HttpCacheEntry[];
}

/** How long an engine keeps a preflight: without Access-Control-Max-Age, and at most. */
export interface PreflightCachePolicy {
  defaultSeconds: number;
  maxSeconds: number;
}
/** preflight_result.cc: kDefaultTimeout 5 s, kMaxTimeout 2 h. */
export const CHROMIUM_PREFLIGHT_CACHE: PreflightCachePolicy = { defaultSeconds: 5, maxSeconds: 7200 };
/** CrossOriginPreflightResultCache.cpp: 5 s default, 600 s at most. */
export const WEBKIT_PREFLIGHT_CACHE: PreflightCachePolicy = { defaultSeconds: 5, maxSeconds: 600 };
/** nsCORSListenerProxy.cpp / nsPreflightCache: 24 h at most; without Max-Age kept briefly (recorded in 153 ESR). */
export const FIREFOX_PREFLIGHT_CACHE: PreflightCachePolicy = { defaultSeconds: 5, maxSeconds: 86400 };

export function emptyCache(): BrowserCache {
  return { preflight: [], http: [] };
}

/** A URL as the cache keys it: without its fragment. */
const cacheUrl = (url: string): string => url.split('#')[0] ?? url;

/** Fresh preflight entries for (origin, url), newest first. */
export function preflightEntries(
  cache: BrowserCache,
  origin: string,
  url: string,
  now: number,
  withCredentials = false,
): PreflightCacheEntry[] {
  return cache.preflight
    .filter(
      (e) =>
        e.origin === origin &&
        e.url === cacheUrl(url) &&
        e.expiresAt > now &&
        (e.withCredentials || !withCredentials),
    )
    .reverse();
}

/** Store a preflight response that passed (Chromium PreflightController::AppendToCache). */
export function storePreflight(
  cache: BrowserCache,
  origin: string,
  url: string,
  response: Response,
  now: number,
  policy: PreflightCachePolicy = CHROMIUM_PREFLIGHT_CACHE,
  withCredentials = false,
): number {
  const raw = getHeader(response.headers, 'access-control-max-age');
  const parsed = preflightMaxAge(raw);
  // preflightMaxAge is Chromium's parse (5 s default, 7200 s cap); other engines differ in both.
  const maxAge =
    raw === null || !/^[+-]?[0-9]+$/.test(raw) ? policy.defaultSeconds : Math.min(parsed, policy.maxSeconds);
  cache.preflight = cache.preflight.filter((e) => !(e.origin === origin && e.url === cacheUrl(url)));
  if (maxAge > 0) {
    cache.preflight.push({
      origin,
      url: cacheUrl(url),
      response,
      withCredentials,
      storedAt: now,
      expiresAt: now + maxAge,
    });
  }
  return maxAge;
}

/** `max-age` of a response for a private (browser) cache, or 0 when it must not be stored or reused. */
export function httpFreshness(headers: HeaderList): number {
  const cc = splitList(getHeader(headers, 'cache-control') ?? '').map((d) => d.trim().toLowerCase());
  if (cc.some((d) => d === 'no-store' || d === 'no-cache' || d.startsWith('no-cache='))) return 0;
  const maxAge = cc.find((d) => /^max-age=\d+$/.test(d));
  return maxAge ? Number(maxAge.slice('max-age='.length)) : 0;
}

/** Seconds a shared cache (CDN, proxy) may keep it: s-maxage, else max-age; 0 for private/no-store. */
export function sharedFreshness(headers: HeaderList): number {
  const cc = splitList(getHeader(headers, 'cache-control') ?? '').map((d) => d.trim().toLowerCase());
  if (cc.some((d) => d === 'private' || d === 'no-store' || d === 'no-cache')) return 0;
  const s = cc.find((d) => /^s-maxage=\d+$/.test(d));
  if (s) return Number(s.slice('s-maxage='.length));
  return httpFreshness(headers);
}

/** The Vary names of a response, lower-case, or '*'. */
export function varyNames(headers: HeaderList): string[] | '*' {
  const names = splitList(getHeader(headers, 'vary') ?? '').map((n) => n.trim().toLowerCase());
  return names.includes('*') ? '*' : names.filter((n) => n !== '');
}

function varyKey(request: WireRequest, names: string[] | '*'): HttpCacheEntry['vary'] {
  if (names === '*') return '*';
  return Object.fromEntries(names.map((n) => [n, getHeader(request.headers, n)]));
}

/** The fresh entry that may answer this GET, or undefined (RFC 9111 §4.1 Vary matching). */
export function httpLookup(
  cache: BrowserCache,
  request: WireRequest,
  now: number,
): HttpCacheEntry | undefined {
  if (request.method !== 'GET') return undefined;
  return cache.http
    .filter((e) => e.url === cacheUrl(request.url) && e.expiresAt > now)
    .reverse()
    .find(
      (e) => e.vary !== '*' && Object.entries(e.vary).every(([n, v]) => getHeader(request.headers, n) === v),
    );
}

/** Store a GET response when it is cacheable (200, positive max-age); returns its lifetime, or 0. */
export function httpStore(
  cache: BrowserCache,
  request: WireRequest,
  response: Response,
  pageOrigin: string,
  now: number,
): number {
  if (request.method !== 'GET' || response.status !== 200) return 0;
  const life = httpFreshness(response.headers);
  if (life <= 0) return 0;
  const vary = varyKey(request, varyNames(response.headers));
  cache.http = cache.http.filter(
    (e) => !(e.url === cacheUrl(request.url) && JSON.stringify(e.vary) === JSON.stringify(vary)),
  );
  cache.http.push({
    url: cacheUrl(request.url),
    vary,
    response,
    storedFor: pageOrigin,
    storedAt: now,
    expiresAt: now + life,
  });
  return life;
}
