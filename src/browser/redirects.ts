/**
 * HTTP-redirect fetch (Fetch Standard §4.4) as Chromium's CorsURLLoader::OnReceiveRedirect /
 * FollowRedirect (services/network/cors/cors_url_loader.cc) run it:
 * 1. CORS flag set → CORS check on the 3xx response itself (with the origin as it stood before this hop);
 * 2. redirect mode manual → opaque-redirect response; error → network error;
 * 3. the 21st redirect → net::ERR_TOO_MANY_REDIRECTS;
 * 4. CheckRedirectLocation: userinfo in the Location → RedirectContainsCredentials (mode cors and the
 *    location is cross-origin to the page or the request is tainted, or the CORS flag is set);
 * 5. tainting: a hop to another origin from a URL that is not the page's origin sets `Origin: null`;
 * 6. 301/302 + POST → GET, 303 + not GET/HEAD → GET (body and request-body headers dropped);
 * 7. a hop to another origin drops `Authorization` (Fetch §4.4 step 13; proven against Chromium by the
 *    randomized differential suite: the second preflight's ACRH loses `authorization`);
 * 8. the CORS flag is re-evaluated for the new URL; a new preflight is sent when it is then needed.
 * Not modelled: streaming-body uploads.
 */

import { getHeader } from './headers.ts';
import { parseUrl, sameOrigin, sameOriginUrls } from './origin.ts';
import type { HeaderList, RedirectMode } from './types.ts';

export const REDIRECT_LIMIT = 20;

export type RedirectDecision =
  | {
      kind: 'follow';
      url: string;
      method: string;
      tainted: boolean;
      droppedBody: boolean;
      /** The hop crosses origins: Authorization is removed from the request. */
      dropAuthorization: boolean;
    }
  | { kind: 'manual' }
  | { kind: 'error'; netError: string; why: string }
  | { kind: 'credentials'; url: string; why: string }
  | { kind: 'scheme'; url: string; why: string };

/**
 * Schemes net/ refuses as redirect targets (URLRequestJobFactory::IsSafeRedirectTarget: net::ERR_UNSAFE_REDIRECT).
 * data: and file: are proven against Chromium; blob:, filesystem:, about: and javascript: are inferred.
 */
export const UNSAFE_REDIRECT_SCHEMES = ['data', 'file', 'filesystem', 'blob', 'about', 'javascript'];

/** Fetch "request-body-header name": dropped with the body when the method becomes GET. */
export const REQUEST_BODY_HEADERS = [
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
];

export function decideRedirect(opts: {
  status: number;
  headers: HeaderList;
  currentUrl: string;
  pageOrigin: string;
  method: string;
  mode: 'cors' | 'no-cors' | 'same-origin';
  redirect: RedirectMode;
  corsFlag: boolean;
  tainted: boolean;
  redirectCount: number;
}): RedirectDecision {
  const location = getHeader(opts.headers, 'Location') ?? '';
  if (opts.redirect === 'manual') return { kind: 'manual' };
  if (opts.redirect === 'error') {
    return { kind: 'error', netError: 'net::ERR_FAILED', why: "redirect mode is 'error'" };
  }
  if (opts.redirectCount >= REDIRECT_LIMIT) {
    return {
      kind: 'error',
      netError: 'net::ERR_TOO_MANY_REDIRECTS',
      why: `more than ${REDIRECT_LIMIT} redirects`,
    };
  }
  const target = parseUrl(location, opts.currentUrl);
  if (!target.ok) {
    return {
      kind: 'error',
      netError: 'net::ERR_INVALID_REDIRECT',
      why: `Location '${location}' is not a URL`,
    };
  }
  if (UNSAFE_REDIRECT_SCHEMES.includes(target.scheme)) {
    return {
      kind: 'error',
      netError: 'net::ERR_UNSAFE_REDIRECT',
      why: `Location '${location}' has scheme ${target.scheme}: the network stack refuses to redirect there`,
    };
  }
  if (target.scheme !== 'http' && target.scheme !== 'https') {
    // Other schemes (ftp:, mailto:, custom) are followed by the network stack and then refused by the
    // CORS loader's scheme check (StartRequest → CorsDisabledScheme), reported at the new URL.
    return { kind: 'scheme', url: target.href, why: `Location '${target.href}' is not an http(s) URL` };
  }
  const hasCredentials = target.url.username !== '' || target.url.password !== '';
  if (
    hasCredentials &&
    ((opts.mode === 'cors' && (opts.tainted || !sameOrigin(opts.pageOrigin, target.href))) || opts.corsFlag)
  ) {
    return {
      kind: 'credentials',
      url: target.href,
      why: `Location '${target.href}' contains a username or password`,
    };
  }
  const tainted =
    opts.tainted ||
    (!sameOriginUrls(target.href, opts.currentUrl) && !sameOrigin(opts.pageOrigin, opts.currentUrl));
  let method = opts.method;
  let droppedBody = false;
  if (
    ((opts.status === 301 || opts.status === 302) && method === 'POST') ||
    (opts.status === 303 && method !== 'GET' && method !== 'HEAD')
  ) {
    method = 'GET';
    droppedBody = true;
  }
  const dropAuthorization = !sameOriginUrls(target.href, opts.currentUrl);
  return { kind: 'follow', url: target.href, method, tainted, droppedBody, dropAuthorization };
}
