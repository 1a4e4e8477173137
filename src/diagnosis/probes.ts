/**
 * Building probe requests from the page's request. A probe is a page request the browser would never
 * send (another origin, no credentials, a missing path); the prober runs it through the browser model
 * like the page's own, so a probe that needs a preflight gets one.
 */
import type { PageRequest } from '../browser/types.ts';
import type { ProbeSpec } from './types.ts';

/** The page's request from another origin. Always `cors` mode: a probe exists to read the CORS answer. */
export function fromOrigin(request: PageRequest, origin: string): PageRequest {
  return { ...request, origin, mode: 'cors' };
}

export function probe(name: string, purpose: string, request: PageRequest): ProbeSpec {
  return { name, purpose, request };
}

const SAFELISTED_METHODS = ['GET', 'HEAD', 'POST'];
const SAFELISTED_CT = ['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain'];

/**
 * A rough pre-check (the model decides for real): does the page's request carry something that makes
 * the browser preflight it? Used only to decide whether a "simple request" probe is worth sending.
 */
export function likelyPreflighted(request: PageRequest): boolean {
  if (!SAFELISTED_METHODS.includes(request.method.toUpperCase())) return true;
  return request.headers.some(([n, v]) => {
    const l = n.toLowerCase();
    if (l === 'accept' || l === 'accept-language' || l === 'content-language') return false;
    if (l === 'content-type') return !SAFELISTED_CT.includes(v.split(';')[0]!.trim().toLowerCase());
    return true;
  });
}

function isSafelistedHeader([n, v]: readonly [string, string]): boolean {
  const l = n.toLowerCase();
  if (l === 'accept' || l === 'accept-language' || l === 'content-language') return true;
  return l === 'content-type' && SAFELISTED_CT.includes(v.split(';')[0]!.trim().toLowerCase());
}

/**
 * The page's request stripped down to a GET the browser sends without a preflight (HEAD stays HEAD):
 * safe to send, and its answer shows whether the CORS layer handles this URL at all.
 */
export function simpleVariant(request: PageRequest): PageRequest {
  const method = request.method.toUpperCase() === 'HEAD' ? 'HEAD' : 'GET';
  const { body: _body, ...rest } = request;
  return { ...rest, method, mode: 'cors', headers: request.headers.filter(isSafelistedHeader) };
}

/** The same request without cookies or Authorization: what an anonymous caller (and a preflight) gets. */
export function anonymous(request: PageRequest): PageRequest {
  return {
    ...request,
    mode: 'cors',
    credentials: 'omit',
    headers: request.headers.filter(([n]) => !['authorization', 'cookie'].includes(n.toLowerCase())),
  };
}

/** Request headers of the page's that make the browser preflight (lower case, in order). */
export function unsafeHeaderNames(request: PageRequest): string[] {
  return request.headers.filter((h) => !isSafelistedHeader(h)).map(([n]) => n.toLowerCase());
}

export function isSafelistedMethod(method: string): boolean {
  return SAFELISTED_METHODS.includes(method.toUpperCase());
}

/**
 * Two preflights that split the page's: its method alone (headers dropped) and its headers alone (on a
 * GET). Whichever passes tells whether the method or the headers were refused. Only for a request with
 * both a non-safelisted method and non-safelisted headers; each stops after its preflight unless safe.
 */
export function preflightSplit(
  request: PageRequest,
): { methodOnly: PageRequest; headersOnly: PageRequest } | undefined {
  if (isSafelistedMethod(request.method) || unsafeHeaderNames(request).length === 0) return undefined;
  const { body: _body, ...rest } = request;
  return {
    methodOnly: { ...rest, mode: 'cors', headers: request.headers.filter(isSafelistedHeader) },
    headersOnly: { ...rest, mode: 'cors', method: 'GET' },
  };
}

/**
 * A preflight for the most common preflighted call (a JSON PUT) to the page's URL, for a page whose own
 * request needs none: does a CORS layer answer OPTIONS here? The PUT itself is never sent by a probe.
 */
export function preflightShaped(request: PageRequest): PageRequest {
  const { body: _body, ...rest } = request;
  return { ...rest, mode: 'cors', method: 'PUT', headers: [['Content-Type', 'application/json']] };
}

/** FNV-1a, base 36: a short stable token (the cache-busting query of one origin). */
function token(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}

/**
 * The page's URL with a query parameter no cache has stored (`cors-doctor-nocache=<token>`), so the
 * answer comes from the server itself: compared with the page's, it shows a cache mixing origins up.
 */
export function cacheBusted(url: string, origin: string): string | undefined {
  try {
    const u = new URL(url);
    // Appended to the query as written: searchParams would re-encode the page's own parameters.
    const param = `cors-doctor-nocache=${token(`${origin} ${url}`)}`;
    u.search = u.search.length > 1 ? `${u.search}&${param}` : param;
    return u.href;
  } catch {
    return undefined;
  }
}

/** The same URL's directory with a last segment that surely does not exist (same host, same scheme). */
export function missingSibling(url: string): string | undefined {
  try {
    const u = new URL(url);
    const parts = u.pathname.split('/');
    parts[parts.length - 1] = 'cors-doctor-no-such-path';
    u.pathname = parts.join('/');
    u.search = '';
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}

/** The URL with its path's trailing slash added (or removed): Django's APPEND_SLASH, Flask's strict slashes. */
export function slashVariant(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.pathname === '/') return undefined;
    u.pathname = u.pathname.endsWith('/') ? u.pathname.replace(/\/+$/, '') : `${u.pathname}/`;
    u.hash = '';
    return u.href;
  } catch {
    return undefined;
  }
}

/** The origin's root URL (`/`), unless the page's URL is it already. */
export function rootOf(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.pathname === '/' && u.search === '') return undefined;
    return `${u.origin}/`;
  } catch {
    return undefined;
  }
}
