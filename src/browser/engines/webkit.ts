/**
 * WebKit's view of the same exchanges: its own decision order and its own console wording, from its
 * sources (reference/browser-truth.md §3) and proven against the real engine (WebKitGTK 2.50) by
 * test/browser/webkit-differential.test.ts.
 *
 * Sources (WebKit/WebKit main):
 * - `Source/WebCore/loader/CrossOriginAccessControl.cpp`: `passesAccessControlCheck` (Allow-Origin, then
 *   Allow-Credentials) and `validatePreflightResponse` (status first, then the access check, then the lists);
 * - `Source/WebCore/loader/CrossOriginPreflightResultCache.cpp`: the list parse errors, the method check, then
 *   the header check, which walks the request's HTTPHeaderMap (known header names first, in WebKit's
 *   spelling, then other names as the page set them);
 * - `Source/WebKit/NetworkProcess/NetworkLoadChecker.cpp` `checkRedirection`: a redirect is CORS-checked before
 *   the redirect mode is looked at, and its failure is wrapped in `Cross-origin redirection to …`;
 * - `Source/WebCore/loader/ThreadableLoader.cpp` `logError` (and XHR's twin): the second line
 *   `<API> cannot load <url> due to access control checks.`.
 *
 * Not modelled: the preflight cache (every call is assumed to preflight afresh), CSP and content blockers,
 * the 20-redirect limit, network errors other than a refused connection (WebKitGTK words those through
 * libsoup/GIO; Safari through CFNetwork).
 */
import type { Exchange, HeaderList, PageRequest, WireResponse } from '../types.ts';

export interface EngineView {
  /** Would WebKit hand the response to the script? */
  allowed: boolean;
  /** Console lines in print order, verbatim. */
  lines: string[];
  /** Set when WebKit decides differently from Chromium, saying how. */
  difference: string | null;
}

/**
 * Header names WebKit knows (its HTTPHeaderName enum), lower-case → WebKit's spelling. A request header with one
 * of these names is stored apart from the others and printed in this spelling; the list was checked against
 * WebKitGTK 2.50 (each name set by a page and named in the Allow-Headers error).
 */
const KNOWN_HEADER_NAMES: ReadonlyMap<string, string> = new Map(
  [
    'Accept',
    'Accept-Language',
    'Accept-Ranges',
    'Access-Control-Allow-Credentials',
    'Access-Control-Allow-Headers',
    'Access-Control-Allow-Methods',
    'Access-Control-Allow-Origin',
    'Access-Control-Expose-Headers',
    'Access-Control-Max-Age',
    'Age',
    'Authorization',
    'Cache-Control',
    'Clear-Site-Data',
    'Content-Disposition',
    'Content-Encoding',
    'Content-Language',
    'Content-Location',
    'Content-Range',
    'Content-Security-Policy',
    'Content-Security-Policy-Report-Only',
    'Content-Type',
    'Cross-Origin-Embedder-Policy',
    'Cross-Origin-Embedder-Policy-Report-Only',
    'Cross-Origin-Opener-Policy',
    'Cross-Origin-Opener-Policy-Report-Only',
    'Cross-Origin-Resource-Policy',
    'Default-Style',
    'ETag',
    'Expires',
    'Icy-Metadata',
    'Icy-MetaInt',
    'If-Match',
    'If-Modified-Since',
    'If-None-Match',
    'If-Range',
    'If-Unmodified-Since',
    'Last-Event-ID',
    'Last-Modified',
    'Link',
    'Location',
    'Ping-From',
    'Ping-To',
    'Pragma',
    'Range',
    'Referrer-Policy',
    'Refresh',
    'Report-To',
    'Reporting-Endpoints',
    'Server-Timing',
    'Service-Worker',
    'Service-Worker-Allowed',
    'Service-Worker-Navigation-Preload',
    'Set-Cookie2',
    'SourceMap',
    'Timing-Allow-Origin',
    'Upgrade-Insecure-Requests',
    'Vary',
    'X-Content-Type-Options',
    'X-Frame-Options',
    'X-SourceMap',
    'X-Temp-Tablet',
    'X-XSS-Protection',
  ].map((n) => [n.toLowerCase(), n]),
);

// ---- Reason strings (CrossOriginAccessControl.cpp, CrossOriginPreflightResultCache.cpp, NetworkLoadChecker.cpp)

export const webkitReason = {
  wildcardWithCredentials: () =>
    'Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.',
  multipleOrigins: () => 'Access-Control-Allow-Origin cannot contain more than one origin.',
  originNotAllowed: (origin: string, status: number) =>
    `Origin ${origin} is not allowed by Access-Control-Allow-Origin. Status code: ${status}`,
  credentialsNotTrue: () => 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
  preflightNotSuccessful: (status: number) => `Preflight response is not successful. Status code: ${status}`,
  invalidAllowMethods: (value: string) =>
    `Header Access-Control-Allow-Methods has an invalid value: ${value}`,
  invalidAllowHeaders: (value: string) =>
    `Header Access-Control-Allow-Headers has an invalid value: ${value}`,
  methodNotAllowed: (method: string) => `Method ${method} is not allowed by Access-Control-Allow-Methods.`,
  headerNotAllowed: (name: string) =>
    `Request header field ${name} is not allowed by Access-Control-Allow-Headers.`,
  redirectDenied: (location: string, reason: string) =>
    `Cross-origin redirection to ${location} denied by Cross-Origin Resource Sharing policy: ${reason}`,
  redirectNonCorsScheme: () => 'not allowed to follow a cross-origin CORS redirection with non CORS scheme',
  redirectWithCredentials: (location: string) => `redirection URL ${location} has credentials`,
  redirectModeError: (url: string) => `Not allowed to follow a redirection while loading ${url}`,
  /** WebKitGTK (libsoup/GIO) wording of a refused connection; Safari words it through CFNetwork instead. */
  connectionRefused: (host: string) => `Could not connect to ${host}: Connection refused`,
} as const;

/** The second line (ThreadableLoader::logError; XMLHttpRequest logs its own twin). */
export function webkitCannotLoadLine(initiator: 'fetch' | 'xhr', url: string, accessControl = true): string {
  const api = initiator === 'xhr' ? 'XMLHttpRequest' : 'Fetch API';
  return `${api} cannot load ${url}${accessControl ? ' due to access control checks.' : '.'}`;
}

// ---- Header helpers, WebKit-style: duplicates joined with ", " (HTTPHeaderMap::add), values trimmed.

function headerValue(headers: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  const values = headers
    .filter(([n]) => n.toLowerCase() === lower)
    .map(([, v]) => v.replace(/^[ \t]+|[ \t]+$/g, ''));
  return values.length === 0 ? null : values.join(', ');
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** parseAccessControlAllowList: comma-split, whitespace-trimmed, empty items skipped, each item an HTTP token. */
function parseAllowList(value: string | null): string[] | null {
  if (value === null) return [];
  const items: string[] = [];
  for (const raw of value.split(',')) {
    const item = raw.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
    if (item === '') continue;
    if (!TOKEN.test(item)) return null;
    items.push(item);
  }
  return items;
}

function isRedirectStatus(status: number): boolean {
  return status === 301 || status === 302 || status === 303 || status === 307 || status === 308;
}

function urlOrigin(url: string): string | null {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null;
  } catch {
    return null;
  }
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}

/** passesAccessControlCheck: null when the response passes, else WebKit's reason. */
export function webkitAccessCheck(
  headers: HeaderList,
  status: number,
  origin: string,
  credentialsUsed: boolean,
): string | null {
  const allowOrigin = headerValue(headers, 'Access-Control-Allow-Origin');
  if (allowOrigin === '*' && !credentialsUsed) return null;
  if (allowOrigin !== origin) {
    if (allowOrigin === '*') return webkitReason.wildcardWithCredentials();
    if (allowOrigin?.includes(',')) return webkitReason.multipleOrigins();
    return webkitReason.originNotAllowed(origin, status);
  }
  if (credentialsUsed && headerValue(headers, 'Access-Control-Allow-Credentials') !== 'true') {
    return webkitReason.credentialsNotTrue();
  }
  return null;
}

/**
 * The page's headers as WebKit's HTTPHeaderMap holds them: known names first (in WebKit's spelling), then the
 * others as the page spelled them, each in first-set order; a repeated name keeps its first spelling.
 */
export function webkitHeaderOrder(headers: HeaderList): string[] {
  const known: string[] = [];
  const other: string[] = [];
  const seen = new Set<string>();
  for (const [name] of headers) {
    const lower = name.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    const spelled = KNOWN_HEADER_NAMES.get(lower);
    if (spelled) known.push(spelled);
    else other.push(name);
  }
  return [...known, ...other];
}

/**
 * validatePreflightResponse: status, then Allow-Origin/Allow-Credentials, then the two lists' syntax, then the
 * method, then each CORS-unsafe header. `unsafe` holds the lower-case names the preflight announced
 * (Access-Control-Request-Headers), i.e. the headers that are not CORS-safelisted.
 */
export function webkitPreflightCheck(opts: {
  response: { status: number; headers: HeaderList };
  origin: string;
  credentialsUsed: boolean;
  method: string;
  pageHeaders: HeaderList;
  unsafe: ReadonlySet<string>;
}): string | null {
  const { response, origin, credentialsUsed, method } = opts;
  if (response.status < 200 || response.status > 299)
    return webkitReason.preflightNotSuccessful(response.status);
  const access = webkitAccessCheck(response.headers, response.status, origin, credentialsUsed);
  if (access) return access;
  const methodsValue = headerValue(response.headers, 'Access-Control-Allow-Methods');
  const methods = parseAllowList(methodsValue);
  if (!methods) return webkitReason.invalidAllowMethods(methodsValue ?? '');
  const headersValue = headerValue(response.headers, 'Access-Control-Allow-Headers');
  const allowed = parseAllowList(headersValue);
  if (!allowed) return webkitReason.invalidAllowHeaders(headersValue ?? '');
  // allowsCrossOriginMethod: exact (case-sensitive) match, `*` without credentials, or GET/HEAD/POST.
  const methodOk =
    methods.includes(method) ||
    (methods.includes('*') && !credentialsUsed) ||
    method === 'GET' ||
    method === 'HEAD' ||
    method === 'POST';
  if (!methodOk) return webkitReason.methodNotAllowed(method);
  // validateCrossOriginHeaders: `*` without credentials covers every header, Authorization included.
  const allowedLower = new Set(allowed.map((h) => h.toLowerCase()));
  const wildcard = allowedLower.has('*') && !credentialsUsed;
  for (const name of webkitHeaderOrder(opts.pageHeaders)) {
    const lower = name.toLowerCase();
    if (!opts.unsafe.has(lower)) continue;
    if (!wildcard && !allowedLower.has(lower)) return webkitReason.headerNotAllowed(name);
  }
  return null;
}

function networkErrorReason(
  response: Extract<WireResponse, { kind: 'network-error' }>,
  url: string,
): string | null {
  if (response.netError === 'net::ERR_CONNECTION_REFUSED') return webkitReason.connectionRefused(hostOf(url));
  return null;
}

const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);

/** Fetch's method normalisation (DELETE GET HEAD OPTIONS POST PUT, case-insensitively); others stay as written. */
function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

function blocked(lines: string[], chromiumAllowed: boolean, note: string): EngineView {
  return {
    allowed: false,
    lines,
    difference: chromiumAllowed ? `WebKit blocks where Chromium allows: ${note}` : null,
  };
}

function passed(chromiumAllowed: boolean, note: string): EngineView {
  return {
    allowed: true,
    lines: [],
    difference: chromiumAllowed ? null : `WebKit allows where Chromium blocks: ${note}`,
  };
}

export function webkitView(
  request: PageRequest,
  exchanges: readonly Exchange[],
  chromiumAllowed: boolean,
): EngineView {
  const initiator = request.initiator ?? 'fetch';
  const method = normalizeMethod(request.method);
  const credentialsUsed = request.credentials === 'include';
  const pageOrigin = request.origin;
  const targetOrigin = urlOrigin(request.url);
  const sameOrigin = targetOrigin !== null && targetOrigin === pageOrigin;

  if (request.mode === 'no-cors' && !SIMPLE_METHODS.has(method)) {
    // FetchRequest: "Method must be GET, POST or HEAD in no-cors mode." is thrown to the script, nothing logged.
    return { allowed: false, lines: [], difference: null };
  }
  if (request.mode === 'same-origin' && !sameOrigin && initiator === 'fetch') {
    // Refused before any request; only the second line, without the access-control ending.
    return blocked(
      [webkitCannotLoadLine(initiator, request.url, false)],
      chromiumAllowed,
      'same-origin mode',
    );
  }

  let origin = pageOrigin;
  let crossOrigin = !sameOrigin;
  let sawPreflightFor: string | null = null;

  for (const { request: wire, response } of exchanges) {
    const hopOrigin = headerValue(wire.headers, 'Origin');
    if (crossOrigin && hopOrigin !== null) origin = hopOrigin;
    const fail = (reason: string, url: string, note: string): EngineView =>
      blocked([reason, webkitCannotLoadLine(initiator, url)], chromiumAllowed, note);

    if (wire.purpose === 'preflight') {
      sawPreflightFor = wire.url;
      if (response.kind === 'network-error') {
        const reason = networkErrorReason(response, wire.url);
        const lines = reason ? [reason, webkitCannotLoadLine(initiator, wire.url)] : [];
        return blocked(lines, chromiumAllowed, `preflight failed (${response.netError})`);
      }
      const unsafe = new Set(
        (headerValue(wire.headers, 'Access-Control-Request-Headers') ?? '')
          .split(',')
          .map((h) => h.trim().toLowerCase())
          .filter((h) => h !== ''),
      );
      const reason = webkitPreflightCheck({
        response,
        origin,
        credentialsUsed,
        method: headerValue(wire.headers, 'Access-Control-Request-Method') ?? method,
        pageHeaders: request.headers,
        unsafe,
      });
      if (reason) return fail(reason, wire.url, reason);
      continue;
    }

    // An actual request (first hop or a redirect's next hop).
    if (response.kind === 'network-error') {
      // A network error on a request that was not preflighted is logged by nothing WebKit prints.
      return blocked([], chromiumAllowed, `network error (${response.netError})`);
    }
    const location = headerValue(response.headers, 'Location');
    const isRedirect =
      isRedirectStatus(response.status) && location !== null && request.redirect !== 'manual';
    if (request.mode === 'no-cors' || !crossOrigin) {
      if (isRedirect) {
        const next = resolve(location, wire.url);
        if (next && urlOrigin(next) !== pageOrigin) crossOrigin = true;
        continue;
      }
      return passed(chromiumAllowed, 'no CORS check applies');
    }
    if (request.redirect === 'manual' && isRedirectStatus(response.status)) {
      // An opaque-redirect response is not CORS-checked (NetworkLoadChecker::validateResponse).
      return passed(chromiumAllowed, 'manual redirect gives an opaque-redirect response');
    }
    const access = webkitAccessCheck(response.headers, response.status, origin, credentialsUsed);
    if (isRedirect) {
      const next = resolve(location, wire.url) ?? location;
      if (access) return fail(webkitReason.redirectDenied(next, access), wire.url, access);
      if (request.redirect === 'error') {
        return fail(webkitReason.redirectModeError(wire.url), wire.url, 'redirect mode error');
      }
      const nextOrigin = urlOrigin(next);
      if (nextOrigin === null) {
        return fail(
          webkitReason.redirectDenied(next, webkitReason.redirectNonCorsScheme()),
          wire.url,
          'redirect to a non-CORS scheme',
        );
      }
      const stripped = withoutCredentials(next);
      if (stripped !== next) {
        // The request URL loses its userinfo before the message names it; the reason keeps the Location as sent.
        return fail(
          webkitReason.redirectDenied(stripped, webkitReason.redirectWithCredentials(next)),
          wire.url,
          'redirect URL with credentials',
        );
      }
      continue;
    }
    if (access) return fail(access, wire.url, access);
    return passed(chromiumAllowed, 'the response passes WebKit’s CORS check');
  }

  // The exchanges ended before a final response: Chromium stopped earlier than WebKit would have.
  if (sawPreflightFor !== null && !chromiumAllowed) {
    return {
      allowed: true,
      lines: [],
      difference:
        'WebKit accepts the preflight (its `*` in Access-Control-Allow-Headers also covers Authorization) and sends the actual request; its verdict then rests on that response’s CORS check',
    };
  }
  return { allowed: chromiumAllowed, lines: [], difference: null };
}

function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === '' && u.password === '') return url;
    u.username = '';
    u.password = '';
    return u.href;
  } catch {
    return url;
  }
}

function resolve(location: string, base: string): string | null {
  try {
    return new URL(location, base).href;
  } catch {
    return null;
  }
}
