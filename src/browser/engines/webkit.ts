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
 *   `<API> cannot load <url> due to access control checks.`;
 * - `Source/WebKit/NetworkProcess/soup/NetworkDataTaskSoup.cpp` `shouldRedirectAsGET`: WebKitGTK's method
 *   rewrite on redirects (DELETE becomes GET across origins, measured; Safari's network stack may differ).
 *
 * WebKitGTK-only wording (Safari words these through CFNetwork): a refused connection
 * (`Could not connect to <host>: Connection refused`) and a dropped one (`Connection terminated unexpectedly`).
 * Safari also shows `Failed to load resource: <reason>`; WebKitGTK's console does not print it, so neither
 * does the model.
 *
 * Not modelled: the preflight cache (every call is assumed to preflight afresh), CSP and content blockers,
 * network errors other than a refused or dropped connection.
 */
import {
  isCorsSafelistedRequestHeader,
  isForbiddenRequestHeader,
  normalizeHeaderValue,
} from '../request-headers.ts';
import type {
  Exchange,
  HeaderLine,
  HeaderList,
  PageRequest,
  Verdict,
  WireRequest,
  WireResponse,
} from '../types.ts';

export interface EngineView {
  /** Would WebKit hand the response to the script? */
  allowed: boolean;
  /** Console lines in print order, verbatim. */
  lines: string[];
  /** Set when WebKit decides differently from Chromium (verdict, or whether it preflights), saying how. */
  difference: string | null;
  /** Did WebKit send a preflight (for its first CORS hop)? */
  preflight: boolean;
  /** The requests WebKit puts on the wire, in order (the preflight's Access-Control-Request-* are WebKit's). */
  requests: WireRequest[];
  /**
   * False when WebKit needed an answer the exchanges do not hold (a request only WebKit makes) and no responder
   * was given: `allowed` is then an assumption, said in `difference`.
   */
  complete: boolean;
}

/** Answers a request only WebKit makes (the prober or the test's scenario server can give one). */
export type Responder = (request: WireRequest) => WireResponse;

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
    'User-Agent',
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
  tooManyRedirects: () => 'Load cannot follow more than 20 redirections',
  crossOriginHttpOnly: () => 'Cross origin requests are only supported for HTTP.',
  noCorsNeedsFollow: () => 'No-Cors mode requires follow redirect mode',
  unsafeAttempt: (url: string, origin: string) =>
    `Unsafe attempt to load URL ${url} from origin ${origin}. Domains, protocols and ports must match.`,
  restrictedPort: (port: number, url: string) => `Not allowed to use restricted network port ${port}: ${url}`,
  redirectNotHttp: () => 'Redirection to URL with a scheme that is not HTTP(S).',
  notAllowedToRequest: () => 'Not allowed to request resource',
  /** A redirect to ftp: is refused before any CORS check, in every mode (WebKitGTK 2.50). */
  ftpDisabled: () => 'FTP URLs are disabled',
  /** WebKitGTK (libsoup) wording of a connection closed without a response. */
  connectionTerminated: () => 'Connection terminated unexpectedly',
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

/**
 * Request headers WebKit refuses from a page (HTTPParsers.cpp isForbiddenHeader): the Fetch Standard's list.
 * Unlike Chromium, WebKit lets a page set `User-Agent` (then a CORS-unsafe header that needs a preflight).
 */
export function isWebKitForbiddenHeader(name: string, value: string): boolean {
  return name.toLowerCase() !== 'user-agent' && isForbiddenRequestHeader(name, value);
}

/**
 * isCrossOriginSafeRequestHeader: the Fetch Standard's five names with their value rules and the 128-byte cap.
 * WebKit has none of Chromium's extra names (client hints, Intervention) and no 1024-byte total rule.
 */
export function isWebKitSafelistedHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (!['accept', 'accept-language', 'content-language', 'content-type', 'range'].includes(lower))
    return false;
  // WebKit's range parser takes the unit case-insensitively (`Bytes=0-1` needs no preflight; Chromium preflights).
  const v = lower === 'range' && /^bytes=/i.test(value) ? `bytes=${value.slice(6)}` : value;
  return isCorsSafelistedRequestHeader(name, v);
}

/** createAccessControlPreflightRequest: the unsafe names, lower-cased, code-point sorted, `,`-joined. */
export function webkitRequestHeadersValue(headers: HeaderList): string | null {
  const names = [
    ...new Set(headers.filter(([n, v]) => !isWebKitSafelistedHeader(n, v)).map(([n]) => n.toLowerCase())),
  ].sort();
  return names.length ? names.join(',') : null;
}

const SIMPLE_METHODS = new Set(['GET', 'HEAD', 'POST']);
const REQUEST_BODY_HEADERS = new Set([
  'content-encoding',
  'content-language',
  'content-location',
  'content-type',
]);

/** Fetch's method normalisation (DELETE GET HEAD OPTIONS POST PUT, case-insensitively); others stay as written. */
function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'].includes(upper) ? upper : method;
}

interface PageHeaders {
  headers: HeaderLine[];
  /** XHR's `Refused to set unsafe header "<name>"` lines, in call order. */
  refused: string[];
  /** fetch()/setRequestHeader throws: no request, nothing logged. */
  throws: boolean;
}

/** What fetch()'s Headers / XHR's setRequestHeader keep: forbidden names dropped (XHR logs each one). */
function webkitPageHeaders(request: PageRequest, initiator: 'fetch' | 'xhr'): PageHeaders {
  const headers: HeaderLine[] = [];
  const refused: string[] = [];
  for (const [name, raw] of request.headers) {
    if (!TOKEN.test(name) || /[^\u0000-\u00ff]/.test(raw)) return { headers, refused, throws: true };
    const value = normalizeHeaderValue(raw);
    if (/[\0\r\n]/.test(value)) return { headers, refused, throws: true };
    if (isWebKitForbiddenHeader(name, value)) {
      if (initiator === 'xhr') refused.push(`Refused to set unsafe header "${name}"`);
      continue;
    }
    if (
      request.mode === 'no-cors' &&
      !['accept', 'accept-language', 'content-language', 'content-type'].includes(name.toLowerCase())
    ) {
      continue;
    }
    const i = headers.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (i === -1) headers.push([name, value]);
    else headers[i] = [headers[i]?.[0] ?? name, `${headers[i]?.[1]}, ${value}`];
  }
  return { headers, refused, throws: false };
}

function networkErrorReason(
  response: Extract<WireResponse, { kind: 'network-error' }>,
  url: string,
): string | null {
  if (response.netError === 'net::ERR_CONNECTION_REFUSED') return webkitReason.connectionRefused(hostOf(url));
  if (response.netError === 'net::ERR_EMPTY_RESPONSE') return webkitReason.connectionTerminated();
  return null;
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

/**
 * WebKit's walk through one fetch()/XHR call (NetworkLoadChecker order), taking each response from the
 * exchanges Chromium made (matched by purpose, method and URL) or, for a request only WebKit makes, from
 * `respond`. Without an answer the view says what it assumed (`complete: false`).
 */
export function webkitView(
  request: PageRequest,
  exchanges: readonly Exchange[],
  chromiumAllowed: boolean,
  respond?: Responder,
): EngineView {
  const initiator = request.initiator ?? 'fetch';
  const credentialsUsed = request.credentials === 'include';
  const pageOrigin = request.origin;
  const requests: WireRequest[] = [];
  let firstPreflight: boolean | null = null;
  const chromiumPreflight = exchanges.some((e) => e.request.purpose === 'preflight');

  const view = (allowed: boolean, lines: string[], why: string, complete = true): EngineView => {
    const preflight = firstPreflight ?? false;
    const notes: string[] = [];
    if (allowed !== chromiumAllowed)
      notes.push(
        `WebKit ${allowed ? 'allows' : 'blocks'} where Chromium ${chromiumAllowed ? 'allows' : 'blocks'}: ${why}`,
      );
    if (preflight && !chromiumPreflight)
      notes.push(
        'WebKit preflights where Chromium does not (its safelist has only the Fetch Standard’s five names and no 1024-byte rule; User-Agent is not forbidden)',
      );
    if (!complete) notes.push(why);
    return {
      allowed,
      lines,
      difference: notes.length ? notes.join('; ') : null,
      preflight,
      requests,
      complete,
    };
  };

  const method0 = normalizeMethod(request.method);
  if (!TOKEN.test(request.method) || ['CONNECT', 'TRACE', 'TRACK'].includes(request.method.toUpperCase())) {
    return view(false, [], 'the method is refused before any request');
  }
  const page = webkitPageHeaders(request, initiator);
  if (page.throws) return view(false, [], 'fetch() throws on the header list');
  if (request.mode === 'no-cors' && !SIMPLE_METHODS.has(method0)) {
    // FetchRequest: "Method must be GET, POST or HEAD in no-cors mode." is thrown to the script, nothing logged.
    return view(false, [], 'no-cors with a non-simple method throws');
  }

  // DocumentThreadableLoader: a cross-origin no-cors load must follow redirects; refused before any request.
  if (
    request.mode === 'no-cors' &&
    (request.redirect ?? 'follow') !== 'follow' &&
    urlOrigin(request.url) !== pageOrigin
  ) {
    return view(
      false,
      [
        ...page.refused,
        webkitReason.noCorsNeedsFollow(),
        webkitReason.notAllowedToRequest(),
        webkitCannotLoadLine(initiator, request.url),
      ],
      'no-cors needs redirect mode follow',
    );
  }
  // DocumentThreadableLoader: a cors-mode load of a scheme that is not CORS-enabled never reaches the network.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(request.url)?.[1]?.toLowerCase() ?? '';
  if (request.mode === 'cors' && !['http', 'https', 'data', 'blob'].includes(scheme)) {
    return view(
      false,
      [...page.refused, webkitReason.crossOriginHttpOnly(), webkitCannotLoadLine(initiator, request.url)],
      `${scheme}: is not a CORS scheme`,
    );
  }

  const used = new Set<number>();
  const take = (r: WireRequest): WireResponse | null => {
    requests.push(r);
    const i = exchanges.findIndex(
      (e, k) =>
        !used.has(k) &&
        e.request.purpose === r.purpose &&
        e.request.url === r.url &&
        (r.purpose === 'preflight' || e.request.method.toUpperCase() === r.method.toUpperCase()),
    );
    if (i !== -1) {
      used.add(i);
      return exchanges[i]?.response ?? null;
    }
    return respond ? respond(r) : null;
  };

  const lines = [...page.refused];
  let url = request.url;
  let method = method0;
  let headers = page.headers;
  let origin = pageOrigin;
  let sameOriginRequest = urlOrigin(url) === pageOrigin;
  let previousUrl: string | null = null;
  let redirects = 0;
  let preflighted = false;
  const fail = (reason: string, at: string, why: string): EngineView =>
    view(false, [...lines, reason, webkitCannotLoadLine(initiator, at)], why);

  for (;;) {
    // NetworkLoadChecker::continueCheckingRequest
    sameOriginRequest = sameOriginRequest && urlOrigin(url) === pageOrigin;
    const corsHop = request.mode !== 'no-cors' && !sameOriginRequest;
    if (request.mode === 'same-origin' && !sameOriginRequest) {
      // The first URL is refused in the page (one line); a redirect away is refused by the network process.
      if (previousUrl === null) {
        return view(false, [...lines, webkitCannotLoadLine(initiator, url, false)], 'same-origin mode');
      }
      return fail(webkitReason.unsafeAttempt(url, pageOrigin), url, 'same-origin mode, redirected away');
    }
    if (corsHop) {
      // checkCORSRedirectedRequest: a redirect off a cross-origin URL to another origin makes the origin opaque.
      if (
        previousUrl !== null &&
        urlOrigin(previousUrl) !== pageOrigin &&
        urlOrigin(previousUrl) !== urlOrigin(url)
      ) {
        origin = 'null';
      }
      // checkCORSRequest: the preflight decision and Access-Control-Request-Headers use the page's original
      // headers, and once a call has preflighted (m_isSimpleRequest = false) every later hop preflights too.
      const unsafe = webkitRequestHeadersValue(page.headers);
      if (preflighted || !SIMPLE_METHODS.has(method) || unsafe !== null) {
        preflighted = true;
        const pf: WireRequest = {
          purpose: 'preflight',
          method: 'OPTIONS',
          url,
          headers: [
            ['Origin', origin],
            ['Access-Control-Request-Method', method],
            ...(unsafe !== null ? ([['Access-Control-Request-Headers', unsafe]] as HeaderLine[]) : []),
          ],
          withCredentials: false,
        };
        firstPreflight ??= true;
        const res = take(pf);
        if (res === null) {
          return view(
            chromiumAllowed,
            lines,
            `WebKit sends a preflight to ${url} that Chromium never sent; its verdict rests on that answer (not known here)`,
            false,
          );
        }
        if (res.kind === 'network-error') {
          const reason = networkErrorReason(res, url);
          return view(
            false,
            reason ? [...lines, reason, webkitCannotLoadLine(initiator, url)] : lines,
            `preflight failed (${res.netError})`,
          );
        }
        const reason = webkitPreflightCheck({
          response: res,
          origin,
          credentialsUsed,
          method,
          pageHeaders: page.headers,
          unsafe: new Set(unsafe?.split(',') ?? []),
        });
        if (reason) return fail(reason, url, reason);
      }
      firstPreflight ??= false;
    }
    // Fetch's bad ports (the preflight is not checked, the load is): one line, no second line.
    const port = portOf(url);
    if (port !== null && BAD_PORTS.has(port)) {
      return view(false, [...lines, webkitReason.restrictedPort(port, url)], `port ${port} is restricted`);
    }
    const actual: WireRequest = {
      purpose: 'actual',
      method,
      url,
      headers: corsHop ? [['Origin', origin], ...headers] : headers,
      withCredentials: credentialsUsed || (request.credentials === 'same-origin' && sameOriginRequest),
    };
    const res = take(actual);
    if (res === null) {
      return view(
        true,
        lines,
        `WebKit goes on to the actual request, which Chromium never sent; assumed to pass its CORS check (the answer is not known here)`,
        false,
      );
    }
    if (res.kind === 'network-error') {
      // A failed request that was not preflighted is logged by nothing WebKit prints.
      return view(false, lines, `network error (${res.netError})`);
    }
    const location = headerValue(res.headers, 'Location');
    const next =
      location !== null && isRedirectStatus(res.status) ? (resolve(location, url) ?? location) : null;
    if (next !== null && /^ftp:/i.test(next))
      return fail(webkitReason.ftpDisabled(), url, 'redirect to ftp:');
    if (corsHop) {
      // validateResponse runs on redirects too, before the redirect mode is looked at (even for 'manual').
      const access = webkitAccessCheck(res.headers, res.status, origin, credentialsUsed);
      if (access)
        return fail(
          next !== null ? webkitReason.redirectDenied(withoutCredentials(next), access) : access,
          url,
          access,
        );
    }
    if (next === null) return view(true, lines, 'the response passes WebKit’s checks');
    // NetworkLoadChecker::checkRedirection
    if (request.redirect === 'error')
      return fail(webkitReason.redirectModeError(url), url, 'redirect mode error');
    if (request.redirect === 'manual')
      return view(true, lines, 'manual redirect gives an opaque-redirect response');
    if (request.mode === 'same-origin' && urlOrigin(next) === null) {
      // Refused at the redirect itself (in the page), so the second line names the redirecting URL.
      return fail(
        webkitReason.unsafeAttempt(next, pageOrigin),
        url,
        'same-origin mode, redirected to a non-HTTP URL',
      );
    }
    if (request.mode === 'no-cors' && urlOrigin(next) === null) {
      return fail(webkitReason.redirectNotHttp(), next, 'no-cors redirect to a non-HTTP(S) scheme');
    }
    // A same-origin request that redirects away is re-checked in the page (DocumentThreadableLoader), which
    // gets the Location already stripped of userinfo: the scheme is checked, the credentials are not.
    const pageSide = sameOriginRequest && urlOrigin(url) === pageOrigin;
    if (request.mode === 'cors' && pageSide && urlOrigin(next) === null) {
      return fail(
        webkitReason.redirectDenied(next, webkitReason.redirectNonCorsScheme()),
        url,
        'redirect to a non-CORS scheme',
      );
    }
    if (request.mode === 'cors' && !pageSide) {
      if (urlOrigin(next) === null) {
        return fail(
          webkitReason.redirectDenied(next, webkitReason.redirectNonCorsScheme()),
          url,
          'redirect to a non-CORS scheme',
        );
      }
      const stripped = withoutCredentials(next);
      if (stripped !== next) {
        // The request URL loses its userinfo before the message names it; the reason keeps the Location's.
        return fail(
          webkitReason.redirectDenied(stripped, webkitReason.redirectWithCredentials(next)),
          url,
          'redirect URL with credentials',
        );
      }
    }
    redirects += 1;
    if (redirects > 20) return fail(webkitReason.tooManyRedirects(), url, 'more than 20 redirects');
    // WebKitGTK's soup backend (NetworkDataTaskSoup shouldRedirectAsGET) also turns DELETE into GET on any
    // redirect to another origin, 307/308 included (Safari's CFNetwork path does not).
    const crossOriginHop = urlOrigin(next) !== urlOrigin(url);
    if (
      ((res.status === 301 || res.status === 302) && method === 'POST') ||
      (res.status === 303 && method !== 'GET' && method !== 'HEAD') ||
      (crossOriginHop && method === 'DELETE')
    ) {
      method = 'GET';
      headers = headers.filter(([n]) => !REQUEST_BODY_HEADERS.has(n.toLowerCase()));
    }
    previousUrl = url;
    url = withoutCredentials(next);
  }
}

/** Fetch "bad port" list (WebKit's portAllowed). */
const BAD_PORTS: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104,
  109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515,
  526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636, 989, 990, 993, 995, 1719, 1720, 1723, 2049,
  3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

function portOf(url: string): number | null {
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
    return u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  } catch {
    return null;
  }
}

/**
 * WebKit's reason line (what `check --json` reports as `browser.safari`): the first line that is not an XHR
 * `Refused to set unsafe header` line; null when WebKit prints nothing.
 */
export function webkitReasonLine(lines: readonly string[]): string | null {
  return lines.find((l) => !l.startsWith('Refused to set unsafe header')) ?? null;
}

/**
 * The Verdict with WebKit's view recomputed where WebKit makes requests Chromium does not (its own preflight for
 * a header only Chromium safelists, or for a page-set User-Agent): `respond` answers them. `simulate` alone
 * cannot ask, so a caller holding a responder (runSimulation, a prober) should pass its Verdict through this.
 */
export function withWebKitAnswers(verdict: Verdict, request: PageRequest, respond: Responder): Verdict {
  const view = webkitView(request, verdict.exchanges, verdict.allowed, respond);
  const others = verdict.engineDifferences.filter((d) => d.engine !== 'webkit');
  const webkit =
    view.difference !== null || view.allowed !== verdict.allowed
      ? [
          {
            engine: 'webkit' as const,
            allowed: view.allowed,
            note: view.difference ?? 'WebKit decides differently',
          },
        ]
      : [];
  return {
    ...verdict,
    messages: { ...verdict.messages, safari: view.lines },
    engineDifferences: [...others, ...webkit],
  };
}
