/**
 * Firefox's view of the same exchanges: its own decision order and its own console wording, from its
 * sources (reference/browser-truth.md §2; netwerk/protocol/http/nsCORSListenerProxy.cpp, strings from
 * dom/locales/en-US/chrome/security/security.properties) and proven against real Firefox 153 ESR by
 * test/browser/firefox*.test.ts.
 *
 * Where Firefox differs from Chromium (all seen in real Firefox 153 ESR by the differential suite):
 * - it counts Access-Control-Allow-Origin lines named exactly so: two such lines →
 *   CORSMultipleAllowOriginNotAllowed; one line `a, b`, or lines under other spellings, are merged and fail
 *   as a mismatch (CORSAllowOriginNotMatchingOrigin with ‘a, b’);
 * - a failed preflight, a failed redirect hop and a network error during a preflight print a second line,
 *   `CORS request did not succeed). Status code: (null).`; a failure on the final response prints one line;
 *   a redirected preflight prints three (external redirect, preflight status, did not succeed);
 * - `*` in Access-Control-Allow-Headers covers `Authorization` (pref
 *   network.cors_preflight.authorization_covered_by_wildcard, on in 153 ESR): allowed, with a
 *   `Cross-Origin Request Warning`. Chromium blocks it;
 * - request classification: User-Agent is settable and CORS-unsafe, Chromium's client-hint names (DPR,
 *   Save-Data, …) are not safelisted, and there is no 1024-byte total rule: Firefox preflights where Chromium
 *   does not; after a cross-origin redirect of a preflighted request it preflights again;
 * - too many redirects, userinfo or data: in a redirect, and refused connections: only "did not succeed";
 *   a non-http(s) URL: CORSRequestNotHttp; mode 'same-origin' to another origin: no CORS line at all.
 *
 * - after a tainting (cross-origin) redirect its new preflight carries the page's origin, not `null`, and
 *   is checked against it: the console line names the check that preflight fails (a method, a header),
 *   where Chromium reports an origin mismatch (test/scenarios/redirected-preflight.ts).
 *
 * Not modelled: the preflight cache (every call is a first visit, as in the suite), `content.cors.disable`,
 * HTTP/2 (where header names arrive lower-cased and the exact-name count would not apply).
 * The model's exchanges are Chromium's round trips: when Chromium stops at a preflight that Firefox lets
 * through, there is no actual response to judge, and the view assumes it would pass (and says so); when
 * Firefox would send a preflight Chromium does not, the view says so in `difference`.
 */
import {
  FETCH_FORBIDDEN_REQUEST_HEADER_NAMES as FORBIDDEN,
  isCorsUnsafeRequestHeaderByte,
  isSimpleRange,
  mimeEssence,
} from '../request-headers.ts';
import type { Exchange, HeaderList, PageRequest, WireResponse } from '../types.ts';

export interface EngineView {
  /** Would Firefox hand the response to the script? */
  allowed: boolean;
  /** Console lines in print order, verbatim. */
  lines: string[];
  /** Set when Firefox decides differently from Chromium, saying how. */
  difference: string | null;
}

/** security.properties keys Firefox uses for CORS (the MDN page is the key without its trailing digit). */
export type FirefoxCorsKey =
  | 'CORSDisabled'
  | 'CORSDidNotSucceed2'
  | 'CORSOriginHeaderNotAdded'
  | 'CORSExternalRedirectNotAllowed'
  | 'CORSRequestNotHttp'
  | 'CORSMissingAllowOrigin2'
  | 'CORSMultipleAllowOriginNotAllowed'
  | 'CORSAllowOriginNotMatchingOrigin'
  | 'CORSNotSupportingCredentials'
  | 'CORSMethodNotFound'
  | 'CORSMissingAllowCredentials'
  | 'CORSPreflightDidNotSucceed3'
  | 'CORSInvalidAllowMethod'
  | 'CORSInvalidAllowHeader'
  | 'CORSMissingAllowHeaderFromPreflight2'
  | 'CORSAllowHeaderFromPreflightDeprecation';

const BLOCKED =
  'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ';

/**
 * Message templates from security.properties: %1$S = the channel's URL, %2$S = the key's parameter. Quotes are
 * U+2018/U+2019 as Firefox prints them; the warning uses backticks.
 */
export const FIREFOX_TEMPLATES: Record<FirefoxCorsKey, string> = {
  CORSDisabled: `${BLOCKED}%1$S. (Reason: CORS disabled).`,
  CORSDidNotSucceed2: `${BLOCKED}%1$S. (Reason: CORS request did not succeed). Status code: %2$S.`,
  CORSOriginHeaderNotAdded: `${BLOCKED}%1$S. (Reason: CORS header ‘Origin’ cannot be added).`,
  CORSExternalRedirectNotAllowed: `${BLOCKED}%1$S. (Reason: CORS request external redirect not allowed).`,
  CORSRequestNotHttp: `${BLOCKED}%1$S. (Reason: CORS request not http).`,
  CORSMissingAllowOrigin2: `${BLOCKED}%1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: %2$S.`,
  CORSMultipleAllowOriginNotAllowed: `${BLOCKED}%1$S. (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`,
  CORSAllowOriginNotMatchingOrigin: `${BLOCKED}%1$S. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘%2$S’).`,
  CORSNotSupportingCredentials: `${BLOCKED}‘%1$S’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`,
  CORSMethodNotFound: `${BLOCKED}%1$S. (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).`,
  CORSMissingAllowCredentials: `${BLOCKED}%1$S. (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`,
  CORSPreflightDidNotSucceed3: `${BLOCKED}%1$S. (Reason: CORS preflight response did not succeed). Status code: %2$S.`,
  CORSInvalidAllowMethod: `${BLOCKED}%1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Methods’).`,
  CORSInvalidAllowHeader: `${BLOCKED}%1$S. (Reason: invalid token ‘%2$S’ in CORS header ‘Access-Control-Allow-Headers’).`,
  CORSMissingAllowHeaderFromPreflight2: `${BLOCKED}%1$S. (Reason: header ‘%2$S’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`,
  CORSAllowHeaderFromPreflightDeprecation:
    'Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at %1$S soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`).',
};

/**
 * The Chromium CorsErrors that name the same failure as a Firefox key (for "same reason, other words" versus
 * "different reason"). CORSDidNotSucceed2 is the follow-up line or a network failure: no CorsError.
 */
export const CHROMIUM_EQUIVALENT: Record<FirefoxCorsKey, readonly string[]> = {
  CORSDisabled: [],
  CORSDidNotSucceed2: [],
  CORSOriginHeaderNotAdded: [],
  CORSExternalRedirectNotAllowed: ['PreflightDisallowedRedirect'],
  CORSRequestNotHttp: ['CorsDisabledScheme'],
  CORSMissingAllowOrigin2: ['MissingAllowOriginHeader', 'PreflightMissingAllowOriginHeader'],
  CORSMultipleAllowOriginNotAllowed: ['MultipleAllowOriginValues', 'PreflightMultipleAllowOriginValues'],
  CORSAllowOriginNotMatchingOrigin: [
    'AllowOriginMismatch',
    'PreflightAllowOriginMismatch',
    'InvalidAllowOriginValue',
    'PreflightInvalidAllowOriginValue',
  ],
  CORSNotSupportingCredentials: ['WildcardOriginNotAllowed', 'PreflightWildcardOriginNotAllowed'],
  CORSMethodNotFound: ['MethodDisallowedByPreflightResponse'],
  CORSMissingAllowCredentials: ['InvalidAllowCredentials', 'PreflightInvalidAllowCredentials'],
  CORSPreflightDidNotSucceed3: ['PreflightInvalidStatus'],
  CORSInvalidAllowMethod: ['InvalidAllowMethodsPreflightResponse'],
  CORSInvalidAllowHeader: ['InvalidAllowHeadersPreflightResponse'],
  CORSMissingAllowHeaderFromPreflight2: ['HeaderDisallowedByPreflightResponse'],
  CORSAllowHeaderFromPreflightDeprecation: [],
};

/** One console line as Firefox prints it, with its key and level. */
export interface FirefoxLine {
  key: FirefoxCorsKey;
  level: 'error' | 'warning';
  text: string;
}

/** Firefox's whole answer: the verdict and every CORS console line, in print order. */
export interface FirefoxDecision {
  allowed: boolean;
  lines: FirefoxLine[];
  /** True when the decision assumed an actual response the exchanges did not contain. */
  assumedActual: boolean;
}

/** Fills a template. Firefox leaves a missing %2$S as `(null)` (nsTextFormatter with a null argument). */
export function firefoxLine(key: FirefoxCorsKey, url: string, param: string | null = null): FirefoxLine {
  const text = FIREFOX_TEMPLATES[key].replace('%1$S', url).replace('%2$S', param ?? '(null)');
  return { key, level: key === 'CORSAllowHeaderFromPreflightDeprecation' ? 'warning' : 'error', text };
}

/** The URL as Firefox prints it: the channel URI spec (WHATWG-serialized here; equal for http(s) URLs). */
function spec(url: string): string {
  try {
    return new URL(url).href;
  } catch {
    return url;
  }
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'null';
  }
}

function lines(list: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return list.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v.replace(/^[ \t]+|[ \t]+$/g, ''));
}

/** nsHttpHeaderArray::GetHeader: repeated lines merged with ", "; null when absent. */
function merged(list: HeaderList, name: string): string | null {
  const all = lines(list, name);
  return all.length === 0 ? null : all.join(', ');
}

/**
 * A header value as Firefox prints it: the bytes (one per code unit here) decoded as UTF-8, invalid sequences
 * becoming U+FFFD (NS_ConvertUTF8toUTF16). A Latin-1 `é` byte alone prints as `�`.
 */
function asPrinted(value: string): string {
  if (![...value].some((c) => c.charCodeAt(0) >= 0x80) || [...value].some((c) => c.charCodeAt(0) > 0xff))
    return value;
  return new TextDecoder('utf-8').decode(Uint8Array.from([...value].map((c) => c.charCodeAt(0))));
}

/** nsCCharSeparatedTokenizer over ',': items trimmed, empty items skipped. */
function items(value: string | null): string[] {
  if (value === null) return [];
  return value
    .split(',')
    .map((v) => v.replace(/^[ \t]+|[ \t]+$/g, ''))
    .filter((v) => v !== '');
}

/** NS_IsValidHTTPToken: RFC 9110 tchar+. */
const isToken = (v: string): boolean => /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(v);

const isRedirectStatus = (r: WireResponse): boolean =>
  r.kind === 'response' &&
  [301, 302, 303, 307, 308].includes(r.status) &&
  lines(r.headers, 'location').length > 0;

/**
 * nsCORSListenerProxy::CheckRequestApproved, steps 4–8 of §2.2 (run on every response of a CORS request,
 * redirects and the preflight included). Returns the failing line, or null.
 */
export function firefoxCorsCheck(
  response: { status: number; headers: HeaderList },
  url: string,
  origin: string,
  withCredentials: boolean,
): FirefoxLine | null {
  // Firefox counts lines whose name is spelled exactly `Access-Control-Allow-Origin` (CheckOriginHeader
  // compares the name as received, case-sensitively); other spellings are merged like any header, so
  // `a, b` on one line, or under two spellings, falls through to the mismatch below.
  const exact = response.headers.filter(([n]) => n === 'Access-Control-Allow-Origin').length;
  if (exact > 1) return firefoxLine('CORSMultipleAllowOriginNotAllowed', url);
  const value = merged(response.headers, 'access-control-allow-origin') ?? undefined;
  if (value === undefined) return firefoxLine('CORSMissingAllowOrigin2', url, String(response.status));
  if (withCredentials && value === '*') return firefoxLine('CORSNotSupportingCredentials', url);
  if ((value !== '*' || withCredentials) && value !== origin) {
    return firefoxLine('CORSAllowOriginNotMatchingOrigin', url, asPrinted(value));
  }
  if (withCredentials && merged(response.headers, 'access-control-allow-credentials') !== 'true') {
    return firefoxLine('CORSMissingAllowCredentials', url);
  }
  return null;
}

/** Methods Firefox normalises to upper case (Fetch "normalize"); `patch` stays as written. */
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];
function normalizeMethod(m: string): string {
  const upper = m.toUpperCase();
  return NORMALIZED.includes(upper) ? upper : m;
}

/**
 * nsCORSPreflightListener::CheckPreflightRequestApproved after the CORS check: status, then
 * Access-Control-Allow-Methods (each item a token; `*` only without credentials; case-sensitive; GET, HEAD,
 * POST implicit), then Access-Control-Allow-Headers (each item a token; `*` only without credentials and not
 * for Authorization unless the pref lets it, with a warning). Header names are checked in the order the
 * preflight listed them (lower-case, sorted).
 */
function checkPreflight(
  response: { status: number; headers: HeaderList },
  url: string,
  method: string,
  requestHeaderNames: string[],
  withCredentials: boolean,
): { fail: FirefoxLine | null; warnings: FirefoxLine[] } {
  const none = { fail: null, warnings: [] };
  if (response.status < 200 || response.status > 299) {
    return { ...none, fail: firefoxLine('CORSPreflightDidNotSucceed3', url, String(response.status)) };
  }
  let foundMethod = ['GET', 'HEAD', 'POST'].includes(method);
  for (const m of items(merged(response.headers, 'access-control-allow-methods'))) {
    if (!isToken(m)) return { ...none, fail: firefoxLine('CORSInvalidAllowMethod', url, asPrinted(m)) };
    if (m === '*' && !withCredentials) foundMethod = true;
    else if (m === method) foundMethod = true;
  }
  if (!foundMethod) return { ...none, fail: firefoxLine('CORSMethodNotFound', url) };

  let wildcard = false;
  let authorizationListed = false;
  const allowed: string[] = [];
  for (const h of items(merged(response.headers, 'access-control-allow-headers'))) {
    if (!isToken(h)) return { ...none, fail: firefoxLine('CORSInvalidAllowHeader', url, asPrinted(h)) };
    if (h === '*' && !withCredentials) wildcard = true;
    else allowed.push(h.toLowerCase());
    if (h.toLowerCase() === 'authorization') authorizationListed = true;
  }
  let coveredByWildcard = false;
  for (const name of requestHeaderNames) {
    const lower = name.toLowerCase();
    if (wildcard) {
      if (lower !== 'authorization') continue;
      if (!authorizationListed) {
        coveredByWildcard = true;
        continue;
      }
    }
    if (!allowed.includes(lower)) {
      return { ...none, fail: firefoxLine('CORSMissingAllowHeaderFromPreflight2', url, name) };
    }
  }
  return {
    fail: null,
    warnings: coveredByWildcard ? [firefoxLine('CORSAllowHeaderFromPreflightDeprecation', url)] : [],
  };
}

/**
 * Firefox's forbidden request-header names (nsContentUtils::IsForbiddenRequestHeader): the Fetch list, which
 * no longer has User-Agent — unlike Chromium, a page *can* set User-Agent in Firefox, and it is CORS-unsafe.
 */
export function firefoxForbiddenRequestHeader(name: string, value: string): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('proxy-') || lower.startsWith('sec-') || FORBIDDEN.has(lower)) return true;
  if (['x-http-method', 'x-http-method-override', 'x-method-override'].includes(lower)) {
    return items(value).some((m) => ['CONNECT', 'TRACE', 'TRACK'].includes(m.toUpperCase()));
  }
  return false;
}

const hasUnsafeByte = (v: string): boolean =>
  [...v].some((c) => isCorsUnsafeRequestHeaderByte(c.charCodeAt(0)));

/**
 * nsContentUtils::IsCORSSafelistedRequestHeader: the Fetch Standard's five names only (none of Chromium's
 * client-hint extras), values at most 128 bytes. Firefox does not apply the 1024-byte total rule.
 */
export function firefoxSafelistedRequestHeader(name: string, value: string): boolean {
  if (value.length > 128) return false;
  switch (name.toLowerCase()) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
    case 'content-type': {
      if (hasUnsafeByte(value)) return false;
      const essence = mimeEssence(value.toLowerCase());
      return (
        essence === 'text/plain' ||
        essence === 'application/x-www-form-urlencoded' ||
        essence === 'multipart/form-data'
      );
    }
    case 'range':
      return isSimpleRange(value);
    default:
      return false;
  }
}

/** The preflight Firefox sends for a page request (method as sent, Access-Control-Request-Headers items), or null. */
export function firefoxPreflight(request: PageRequest): { method: string; headerNames: string[] } | null {
  // Same-origin requests and no-cors ones are never preflighted.
  if (request.mode !== 'cors' || originOf(request.url) === request.origin) return null;
  const method = normalizeMethod(request.method);
  // fetch() throws before any request for a forbidden method or a header the Headers class refuses (a name
  // that is no token, a value with CR, LF or NUL, or a character beyond Latin-1).
  if (['CONNECT', 'TRACE', 'TRACK'].includes(method.toUpperCase())) return null;
  if (
    request.headers.some(
      ([n, v]) =>
        !isToken(n) ||
        /[\r\n\0]/.test(v.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, '')) ||
        [...v].some((c) => c.charCodeAt(0) > 0xff),
    )
  ) {
    return null;
  }
  const names = [
    ...new Set(
      request.headers
        .filter(([n, v]) => !firefoxForbiddenRequestHeader(n, v) && !firefoxSafelistedRequestHeader(n, v))
        .map(([n]) => n.toLowerCase()),
    ),
  ].sort();
  const safeMethod = method === 'GET' || method === 'HEAD' || method === 'POST';
  return safeMethod && names.length === 0 ? null : { method, headerNames: names };
}

/** The Location of a redirect resolved against the URL that redirected, or null when it does not parse. */
function redirectTarget(headers: HeaderList, base: string): URL | null {
  try {
    return new URL(lines(headers, 'location')[0] ?? '', base);
  } catch {
    return null;
  }
}

/** network.http.redirection-limit default. */
const REDIRECT_LIMIT = 20;

/** Firefox's decision and lines for a page request, given the round trips (preflight, actual, redirect hops). */
export function firefoxDecision(request: PageRequest, exchanges: readonly Exchange[]): FirefoxDecision {
  const out: FirefoxLine[] = [];
  const withCredentials = request.credentials === 'include';
  const blocked = (...l: FirefoxLine[]): FirefoxDecision => ({
    allowed: false,
    lines: [...out, ...l],
    assumedActual: false,
  });
  const none = (allowed: boolean): FirefoxDecision => ({ allowed, lines: [], assumedActual: false });
  // no-cors: an opaque response without any CORS check, but only for GET/HEAD/POST (else fetch() throws), and
  // across origins only with redirect 'follow' (seen in Firefox, before any request). A redirect the channel
  // refuses (data:, userinfo, non-http, past the limit) or no response at all is a network error, silently.
  if (request.mode === 'no-cors') {
    const redirectOk =
      request.redirect === undefined ||
      request.redirect === 'follow' ||
      originOf(request.url) === request.origin;
    if (!redirectOk || !['GET', 'HEAD', 'POST'].includes(normalizeMethod(request.method))) return none(false);
    let hops = 0;
    for (const { request: wire, response } of exchanges) {
      if (response.kind === 'network-error') return none(false);
      if (!isRedirectStatus(response)) break;
      const t = redirectTarget(response.headers, wire.url);
      if (
        ++hops > REDIRECT_LIMIT ||
        !t ||
        !['http:', 'https:'].includes(t.protocol) ||
        t.username ||
        t.password
      ) {
        return none(false);
      }
    }
    return none(true);
  }
  // same-origin mode to another origin: a network error before any request, and Firefox prints no CORS line.
  if (request.mode === 'same-origin' && originOf(request.url) !== request.origin) return none(false);
  let redirects = 0;
  // A CORS request to a scheme other than http(s) (data: is same-origin for fetch): refused up front.
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(request.url)?.[1]?.toLowerCase() ?? '';
  if (request.mode === 'cors' && !['http', 'https', 'data', 'blob', 'about'].includes(scheme)) {
    return blocked(firefoxLine('CORSRequestNotHttp', spec(request.url)));
  }

  let origin = request.origin;
  let preflightPassed = false;
  for (const { request: wire, response } of exchanges) {
    const url = spec(wire.url);
    if (wire.purpose === 'preflight') {
      const didNotSucceed = firefoxLine('CORSDidNotSucceed2', url);
      if (response.kind === 'network-error') return blocked(didNotSucceed, didNotSucceed);
      // The CORS check runs first, on every response including a redirect
      // (nsCORSListenerProxy::AsyncOnChannelRedirect → CheckRequestApproved).
      // A preflight after a tainting redirect still carries the page's origin (recorded in Firefox 153 ESR:
      // nsCORSPreflightListener builds it from the loading principal, not the tainted one), so it is
      // checked against that: an echo of the page's origin passes where Chromium (Origin: null) fails.
      const cors = firefoxCorsCheck(response, url, request.origin, withCredentials);
      // On a redirect the failed check cancels the redirect (one "did not succeed"), and the failed preflight
      // then adds its own.
      // The preflight follows the request's redirect mode: with 'manual' or 'error' a 3xx is just a bad status.
      const follows = isRedirectStatus(response) && (request.redirect ?? 'follow') === 'follow';
      if (cors) return follows ? blocked(cors, didNotSucceed, didNotSucceed) : blocked(cors, didNotSucceed);
      // Then the preflight channel refuses to follow the redirect, and the preflight listener sees the 3xx as
      // a failed status: three lines.
      if (follows) {
        return blocked(
          firefoxLine('CORSExternalRedirectNotAllowed', url),
          firefoxLine('CORSPreflightDidNotSucceed3', url, String(response.status)),
          didNotSucceed,
        );
      }
      // What Firefox itself asks for (its own unsafe-header list: Chromium's preflight may list fewer names).
      // (Only for the first preflight: after a redirect Firefox re-asks with what is left, e.g. no Authorization.)
      const own = preflightPassed ? null : firefoxPreflight(request);
      const names = own?.headerNames ?? items(merged(wire.headers, 'access-control-request-headers'));
      const method =
        own?.method ??
        merged(wire.headers, 'access-control-request-method') ??
        normalizeMethod(request.method);
      const pre = checkPreflight(response, url, method, names, withCredentials);
      if (pre.fail) return blocked(pre.fail, didNotSucceed);
      out.push(...pre.warnings);
      preflightPassed = true;
      continue;
    }
    const crossOrigin = origin === 'null' || originOf(wire.url) !== request.origin;
    // Lines come from the CORS listener: a hop that is not (yet) cross-origin fails without any.
    const cors = (...l: FirefoxLine[]): FirefoxDecision => (crossOrigin ? blocked(...l) : blocked());
    const didNotSucceed = firefoxLine('CORSDidNotSucceed2', url);
    if (response.kind === 'network-error') return cors(didNotSucceed);
    const redirect = isRedirectStatus(response);
    const follow = request.redirect === undefined || request.redirect === 'follow';
    const target = redirect ? redirectTarget(response.headers, wire.url) : null;
    // The HTTP channel refuses some redirects before the CORS listener sees the 3xx (past the limit, to data:):
    // only "did not succeed" for the hop that redirected, and only if that hop was a CORS one.
    if (redirect && follow && (++redirects > REDIRECT_LIMIT || !target || target.protocol === 'data:')) {
      return cors(didNotSucceed);
    }
    if (crossOrigin) {
      const failed = firefoxCorsCheck(response, url, origin, withCredentials);
      // A failed redirect hop cancels the redirect being followed, and the channel then reports the failed
      // request too (not in redirect modes manual/error, where nothing is followed).
      if (failed) return redirect && follow ? blocked(failed, didNotSucceed) : blocked(failed);
    }
    if (!redirect) return { allowed: true, lines: out, assumedActual: false };
    // redirect: 'manual' hands back an opaque-redirect response; 'error' fails without a CORS line.
    if (request.redirect === 'manual') return { allowed: true, lines: out, assumedActual: false };
    if (request.redirect === 'error') return { allowed: false, lines: out, assumedActual: false };
    if (!target) return cors(didNotSucceed);
    // Userinfo in the Location (NS_ERROR_DOM_BAD_URI) is refused by the CORS listener, after its check of the
    // 3xx: "did not succeed" even when the hop was same-origin.
    // (Mode 'same-origin' has no CORS listener: no line.)
    if (target.username || target.password)
      return request.mode === 'cors' ? blocked(didNotSucceed) : blocked();
    // Mode 'same-origin' redirected to another origin: a network error, without a CORS line.
    if (request.mode === 'same-origin' && target.origin !== request.origin) return blocked();
    // A redirect to a non-http(s) URL: the new channel refuses (CORSRequestNotHttp, with that URL), then the
    // redirected request fails.
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      return cors(firefoxLine('CORSRequestNotHttp', spec(target.href)), didNotSucceed);
    }
    // After a redirect from a cross-origin URL to another origin, Firefox's request origin is a null principal.
    const next = target.origin;
    if (crossOrigin && next !== originOf(wire.url)) origin = 'null';
  }
  // No final response in the exchanges: Chromium stopped where Firefox goes on (e.g. at a preflight it blocks).
  // With no round trip at all nothing was fetched (a forbidden method, a refused mode): no response.
  return { allowed: preflightPassed, lines: out, assumedActual: preflightPassed };
}

export function firefoxView(
  request: PageRequest,
  exchanges: readonly Exchange[],
  chromiumAllowed: boolean,
): EngineView {
  // Refused before any round trip (forbidden method, no-cors with PUT, same-origin mode…): the renderer's
  // checks are the Fetch Standard's in both engines, so Chromium's verdict stands, without a CORS line.
  if (exchanges.length === 0 && request.mode !== 'no-cors') {
    const d0 = firefoxDecision(request, exchanges);
    return {
      allowed: d0.lines.length > 0 ? false : chromiumAllowed,
      lines: d0.lines.map((l) => l.text),
      difference: null,
    };
  }
  const d = firefoxDecision(request, exchanges);
  let difference: string | null = null;
  const pre = firefoxPreflight(request);
  if (pre && !exchanges.some((e) => e.request.purpose === 'preflight')) {
    // Chromium sent no preflight (its extra safelisted names, or User-Agent being forbidden there): Firefox
    // would, and its verdict then rests on the OPTIONS answer the model does not have.
    const asked =
      pre.headerNames.length > 0 ? ` (Access-Control-Request-Headers: ${pre.headerNames.join(',')})` : '';
    return {
      allowed: d.allowed,
      lines: d.lines.map((l) => l.text),
      difference: `Firefox sends a preflight here${asked} where Chromium sends none; it is blocked unless the server answers that OPTIONS request with CORS headers`,
    };
  }
  // A preflighted request redirected to another origin: Firefox preflights again at the new URL (seen in
  // real Firefox even when the redirect dropped the only unsafe header, Authorization); Chromium may not.
  const rePreflight = exchanges.findIndex(
    (e, i) =>
      i > 0 &&
      e.request.purpose === 'actual' &&
      exchanges[i - 1]?.request.purpose === 'actual' &&
      originOf(e.request.url) !== originOf(exchanges[i - 1]?.request.url ?? ''),
  );
  if (pre && rePreflight > 0) {
    return {
      allowed: d.allowed,
      lines: d.lines.map((l) => l.text),
      difference: `Firefox sends another preflight to ${spec(exchanges[rePreflight]?.request.url ?? '')} after the cross-origin redirect, where Chromium sends none; it is blocked unless that OPTIONS request gets CORS headers`,
    };
  }
  if (d.allowed !== chromiumAllowed) {
    const warned = d.lines.some((l) => l.key === 'CORSAllowHeaderFromPreflightDeprecation');
    difference = d.allowed
      ? warned
        ? 'Firefox lets `*` in Access-Control-Allow-Headers cover Authorization (with a warning) and allows the request' +
          (d.assumedActual ? ', provided the actual response passes the CORS check' : '')
        : 'Firefox allows this response'
      : `Firefox blocks it: ${d.lines.find((l) => l.level === 'error')?.key ?? 'CORS check failed'}`;
  }
  return { allowed: d.allowed, lines: d.lines.map((l) => l.text), difference };
}
