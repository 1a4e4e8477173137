/**
 * Firefox's view of the same exchanges: its own decision order and its own console wording, from its
 * sources (reference/browser-truth.md §2; netwerk/protocol/http/nsCORSListenerProxy.cpp, strings from
 * dom/locales/en-US/chrome/security/security.properties) and proven against real Firefox 153 ESR by
 * test/browser/firefox*.test.ts.
 *
 * Where Firefox differs from Chromium (all seen in the real browser):
 * - it counts Access-Control-Allow-Origin *lines*: two lines → CORSMultipleAllowOriginNotAllowed, but one
 *   line `a, b` is a mismatch (CORSAllowOriginNotMatchingOrigin with ‘a, b’);
 * - a failed preflight, a failed redirect hop and a network error during a preflight print a second line,
 *   `CORS request did not succeed). Status code: (null).`; a failure on the final response prints one line;
 * - `*` in Access-Control-Allow-Headers covers `Authorization` (pref
 *   network.cors_preflight.authorization_covered_by_wildcard, on in 153 ESR): the request is allowed and a
 *   `Cross-Origin Request Warning` is printed. Chromium blocks it;
 * - a redirected preflight prints three lines (external redirect, preflight status, did not succeed).
 *
 * Not modelled: the preflight cache (every call is a first visit, as in the suite), `content.cors.disable`,
 * non-http schemes (CORSRequestNotHttp), redirect modes other than `follow`, userinfo in redirects.
 * The model's exchanges are Chromium's round trips: when Chromium stops at a preflight that Firefox lets
 * through, there is no actual response to judge, and the view assumes it would pass (it says so).
 */
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
  const acao = lines(response.headers, 'access-control-allow-origin');
  // Firefox counts header lines (a single `a, b` line falls through to the mismatch below).
  if (acao.length > 1) return firefoxLine('CORSMultipleAllowOriginNotAllowed', url);
  const value = acao[0];
  if (value === undefined) return firefoxLine('CORSMissingAllowOrigin2', url, String(response.status));
  if (withCredentials && value === '*') return firefoxLine('CORSNotSupportingCredentials', url);
  if ((value !== '*' || withCredentials) && value !== origin) {
    return firefoxLine('CORSAllowOriginNotMatchingOrigin', url, value);
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
    if (!isToken(m)) return { ...none, fail: firefoxLine('CORSInvalidAllowMethod', url, m) };
    if (m === '*' && !withCredentials) foundMethod = true;
    else if (m === method) foundMethod = true;
  }
  if (!foundMethod) return { ...none, fail: firefoxLine('CORSMethodNotFound', url) };

  let wildcard = false;
  let authorizationListed = false;
  const allowed: string[] = [];
  for (const h of items(merged(response.headers, 'access-control-allow-headers'))) {
    if (!isToken(h)) return { ...none, fail: firefoxLine('CORSInvalidAllowHeader', url, h) };
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

/** Firefox's decision and lines for a page request, given the round trips (preflight, actual, redirect hops). */
export function firefoxDecision(request: PageRequest, exchanges: readonly Exchange[]): FirefoxDecision {
  const out: FirefoxLine[] = [];
  const withCredentials = request.credentials === 'include';
  const blocked = (...l: FirefoxLine[]): FirefoxDecision => ({
    allowed: false,
    lines: [...out, ...l],
    assumedActual: false,
  });
  // no-cors gives an opaque response without any CORS check; other redirect modes are not modelled.
  if (request.mode === 'no-cors') return { allowed: true, lines: [], assumedActual: false };

  let origin = request.origin;
  let preflightPassed = false;
  for (const { request: wire, response } of exchanges) {
    const url = spec(wire.url);
    if (wire.purpose === 'preflight') {
      const didNotSucceed = firefoxLine('CORSDidNotSucceed2', url);
      if (response.kind === 'network-error') return blocked(didNotSucceed, didNotSucceed);
      // The CORS check runs first, on every response including a redirect
      // (nsCORSListenerProxy::AsyncOnChannelRedirect → CheckRequestApproved).
      const cors = firefoxCorsCheck(response, url, origin, withCredentials);
      // On a redirect the failed check cancels the redirect (one "did not succeed"), and the failed preflight
      // then adds its own.
      if (cors)
        return isRedirectStatus(response)
          ? blocked(cors, didNotSucceed, didNotSucceed)
          : blocked(cors, didNotSucceed);
      // Then the preflight channel refuses to follow the redirect, and the preflight listener sees the 3xx as
      // a failed status: three lines.
      if (isRedirectStatus(response)) {
        return blocked(
          firefoxLine('CORSExternalRedirectNotAllowed', url),
          firefoxLine('CORSPreflightDidNotSucceed3', url, String(response.status)),
          didNotSucceed,
        );
      }
      const names = items(merged(wire.headers, 'access-control-request-headers'));
      const method = merged(wire.headers, 'access-control-request-method') ?? normalizeMethod(request.method);
      const pre = checkPreflight(response, url, method, names, withCredentials);
      if (pre.fail) return blocked(pre.fail, didNotSucceed);
      out.push(...pre.warnings);
      preflightPassed = true;
      continue;
    }
    if (response.kind === 'network-error') return blocked(firefoxLine('CORSDidNotSucceed2', url));
    const crossOrigin = origin === 'null' || originOf(wire.url) !== request.origin;
    const redirect = isRedirectStatus(response);
    if (crossOrigin) {
      const cors = firefoxCorsCheck(response, url, origin, withCredentials);
      // A failed redirect hop cancels the redirect, and the channel then reports the failed request too.
      if (cors) return redirect ? blocked(cors, firefoxLine('CORSDidNotSucceed2', url)) : blocked(cors);
    }
    if (!redirect) return { allowed: true, lines: out, assumedActual: false };
    if (request.redirect && request.redirect !== 'follow')
      return { allowed: true, lines: out, assumedActual: false };
    // After a redirect from a cross-origin URL to another origin, Firefox's request origin is a null principal.
    const location = lines(response.headers, 'location')[0] ?? '';
    let next = '';
    try {
      next = new URL(location, wire.url).origin;
    } catch {
      next = 'null';
    }
    if (crossOrigin && next !== originOf(wire.url)) origin = 'null';
  }
  // No final response in the exchanges: Chromium stopped where Firefox goes on (e.g. at a preflight it blocks).
  return { allowed: preflightPassed || exchanges.length === 0, lines: out, assumedActual: preflightPassed };
}

export function firefoxView(
  request: PageRequest,
  exchanges: readonly Exchange[],
  chromiumAllowed: boolean,
): EngineView {
  const d = firefoxDecision(request, exchanges);
  let difference: string | null = null;
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
