/**
 * The whole fetch, in Chromium's order (Fetch Standard §4.1 main fetch, §4.3 HTTP fetch, §4.4
 * HTTP-redirect fetch, §4.8 CORS-preflight fetch; Chromium services/network/cors/cors_url_loader.cc
 * StartRequest / OnReceiveRedirect / FollowRedirect / OnReceiveResponse).
 *
 * `simulate` is a generator: it yields each request the browser would put on the wire and is fed
 * the response (or network error) for it, until it returns the Verdict. The caller never follows a
 * redirect itself: a redirect response is fed back and the model decides.
 *
 * Local Network Access applies when the caller passes `options.localNetwork` (local-network-access.ts):
 * checked before every connection (preflight, actual request, each redirect hop).
 *
 * Deliberately not modelled: the preflight cache and the HTTP cache (the model is a first visit),
 * cookies and their SameSite rules (only whether credentials WOULD be attached), mixed content, CSP connect-src, service workers, streaming
 * bodies and XHR upload listeners (cors-with-forced-preflight), extension allowlists.
 */

import {
  type BrowserCache,
  CHROMIUM_PREFLIGHT_CACHE,
  httpLookup,
  httpStore,
  type PreflightCachePolicy,
  preflightEntries,
  storePreflight,
} from './cache.ts';
import { checkAccess } from './cors-check.ts';
import { firefoxView } from './engines/firefox.ts';
import { webkitView, withWebKitAnswers } from './engines/webkit.ts';
import { hasHeader } from './headers.ts';
import {
  decideLocalNetworkAccess,
  type LocalNetworkContext,
  permissionStateFor,
} from './local-network-access.ts';
import {
  chromeMessage,
  chromeNoCorsRedirectLine,
  chromeRefusedHeaderLine,
  chromeSameOriginModeLine,
  chromeUnsupportedSchemeLine,
} from './messages/chromium.ts';
import { checkMethod, isCorsSafelistedMethod } from './methods.ts';
import { fetchSite, parseUrl, sameOrigin, stripCredentials } from './origin.ts';
import { buildPreflight, checkPreflightResponse, isRedirect, needsPreflight } from './preflight.ts';
import { decideRedirect, REQUEST_BODY_HEADERS } from './redirects.ts';
import { applyPageHeaders, corsUnsafeRequestHeaderNames } from './request-headers.ts';
import { type ResponseType, readableHeaders } from './response-headers.ts';
import type {
  CorsError,
  CredentialsMode,
  Exchange,
  HeaderLine,
  HeaderList,
  Initiator,
  PageRequest,
  RequestMode,
  TraceStep,
  Verdict,
  WireRequest,
  WireResponse,
} from './types.ts';

/** The request after the page-side steps (fetch()/XHR argument processing), before any network work. */
export interface PreparedRequest {
  url: string;
  origin: string;
  method: string;
  headers: HeaderLine[];
  credentials: CredentialsMode;
  mode: RequestMode;
  redirect: 'follow' | 'error' | 'manual';
  initiator: Initiator;
  /** Names dropped by the browser (forbidden, or not no-CORS-safelisted in no-cors mode). */
  dropped: string[];
  /** Lines printed while preparing (XHR `Refused to set unsafe header`). */
  lines: string[];
  corsFlag: boolean;
  trace: TraceStep[];
}

export type Prepared =
  | { ok: true; request: PreparedRequest }
  | {
      ok: false;
      /** Thrown to the script before any request (bad URL, method, header) or the renderer-side refusal. */
      jsError: string;
      corsError: CorsError | null;
      /** CDP failedParameter of the renderer-side issue (the scheme for CorsDisabledScheme). */
      failedParameter?: string;
      lines: string[];
      dropped: string[];
      trace: TraceStep[];
    };

const FETCH_SRC = 'Fetch Standard';
const CR_LOADER = 'Chromium cors_url_loader.cc';

/** The page-side steps: what fetch() / XMLHttpRequest do with their arguments before the network. */
export function prepareRequest(request: PageRequest): Prepared {
  const initiator: Initiator = request.initiator ?? 'fetch';
  const trace: TraceStep[] = [];
  const where =
    initiator === 'fetch'
      ? "Failed to execute 'fetch' on 'Window'"
      : "Failed to execute 'open' on 'XMLHttpRequest'";
  const parsed = parseUrl(request.url);
  if (!parsed.ok) {
    trace.push({ step: 'request.url', source: 'URL Standard', outcome: 'fail', detail: parsed.problem });
    return {
      ok: false,
      jsError: `TypeError: ${where}: Failed to parse URL from ${request.url}`,
      corsError: null,
      lines: [],
      dropped: [],
      trace,
    };
  }
  const method = checkMethod(request.method, initiator);
  if (!method.ok) {
    trace.push({
      step: 'request.method',
      source: `${FETCH_SRC} §2.2.1`,
      outcome: 'fail',
      detail: method.message,
    });
    return { ok: false, jsError: method.message, corsError: null, lines: [], dropped: [], trace };
  }
  // XHR is always mode cors; its credentials come from withCredentials (include or same-origin).
  const mode: RequestMode = initiator === 'xhr' ? 'cors' : request.mode;
  const redirect = initiator === 'xhr' ? 'follow' : (request.redirect ?? 'follow');
  const origin = request.origin;
  if (parsed.scheme !== 'http' && parsed.scheme !== 'https') {
    const line = chromeUnsupportedSchemeLine(parsed.href, parsed.scheme);
    trace.push({
      step: 'request.scheme',
      source: 'Chromium fetch_manager.cc',
      outcome: 'fail',
      detail: line,
    });
    return {
      ok: false,
      jsError: 'TypeError: Failed to fetch',
      corsError: 'CorsDisabledScheme',
      failedParameter: parsed.scheme,
      lines: [line],
      dropped: [],
      trace,
    };
  }
  if (mode === 'no-cors' && !isCorsSafelistedMethod(method.method)) {
    const msg = `TypeError: ${where}: '${method.method}' is unsupported in no-cors mode.`;
    trace.push({
      step: 'request.no-cors-method',
      source: `${FETCH_SRC} Request constructor`,
      outcome: 'fail',
      detail: msg,
    });
    return { ok: false, jsError: msg, corsError: null, lines: [], dropped: [], trace };
  }
  const page = applyPageHeaders(request.headers, mode, initiator);
  if (page.error !== null) {
    trace.push({
      step: 'request.headers',
      source: `${FETCH_SRC} §5.2 Headers`,
      outcome: 'fail',
      detail: page.error,
    });
    return { ok: false, jsError: page.error, corsError: null, lines: [], dropped: [], trace };
  }
  const lines = initiator === 'xhr' ? page.forbidden.map(chromeRefusedHeaderLine) : [];
  const dropped = [...page.forbidden, ...page.droppedNoCors];
  if (page.forbidden.length > 0) {
    trace.push({
      step: 'request.forbidden-headers',
      source: `${FETCH_SRC} §2.2.2 forbidden request-header; Chromium net/http/http_util.cc IsSafeHeader`,
      outcome: 'info',
      detail: `the page cannot set ${page.forbidden.join(', ')}: the browser drops ${page.forbidden.length === 1 ? 'it' : 'them'} silently${initiator === 'xhr' ? ' (XHR logs "Refused to set unsafe header")' : ''}`,
    });
  }
  if (page.droppedNoCors.length > 0) {
    trace.push({
      step: 'request.no-cors-headers',
      source: `${FETCH_SRC} Headers guard request-no-cors`,
      outcome: 'info',
      detail: `mode no-cors drops ${page.droppedNoCors.join(', ')} (only Accept, Accept-Language, Content-Language and a safelisted Content-Type survive)`,
    });
  }
  const headers = [...page.headers];
  if (request.body != null && !hasHeader(headers, 'content-type')) {
    headers.push(['Content-Type', 'text/plain;charset=UTF-8']);
  }
  if (mode === 'no-cors' && redirect !== 'follow') {
    const line = chromeNoCorsRedirectLine(parsed.href);
    trace.push({
      step: 'request.no-cors-redirect',
      source: 'Chromium fetch_manager.cc',
      outcome: 'fail',
      detail: line,
    });
    return {
      ok: false,
      jsError: 'TypeError: Failed to fetch',
      corsError: 'NoCorsRedirectModeNotFollow',
      lines: [...lines, line],
      dropped,
      trace,
    };
  }
  const crossOrigin = !sameOrigin(origin, parsed.href);
  if (mode === 'same-origin' && crossOrigin) {
    const line = chromeSameOriginModeLine(parsed.href, origin);
    trace.push({ step: 'request.mode', source: 'Chromium fetch_manager.cc', outcome: 'fail', detail: line });
    return {
      ok: false,
      jsError: 'TypeError: Failed to fetch',
      corsError: 'DisallowedByMode',
      lines: [...lines, line],
      dropped,
      trace,
    };
  }
  const corsFlag = mode === 'cors' && crossOrigin;
  trace.push({
    step: 'request.cors-flag',
    source: `${FETCH_SRC} §4.1 main fetch; ${CR_LOADER} SetCorsFlagIfNeeded`,
    outcome: 'info',
    detail: corsFlag
      ? `cross-origin request from ${origin}: CORS applies`
      : mode === 'no-cors'
        ? 'mode no-cors: no CORS check, the response is opaque when cross-origin'
        : 'same-origin request: no CORS',
  });
  return {
    ok: true,
    request: {
      url: corsFlag ? stripCredentials(parsed.href) : parsed.href,
      origin,
      method: method.method,
      headers,
      credentials:
        initiator === 'xhr' && request.credentials === 'omit' ? 'same-origin' : request.credentials,
      mode,
      redirect,
      initiator,
      dropped,
      lines,
      corsFlag,
      trace,
    },
  };
}

export interface Classification {
  /** The request is cross-origin in cors mode: CORS applies. */
  corsFlag: boolean;
  /** Chromium would send a preflight first. */
  needsPreflight: boolean;
  /** Why: the method is not safelisted, and/or these unsafe header names. */
  methodIsSafelisted: boolean;
  /** Sorted lower-case CORS-unsafe, non-forbidden request header names (the ACRH items). */
  unsafeHeaderNames: string[];
  /** Names the page cannot set (forbidden request-headers): the browser drops them. */
  forbiddenHeaderNames: string[];
  /** The preflight request, or null. */
  preflight: WireRequest | null;
  /** The actual request as first sent. */
  actual: WireRequest | null;
  /** Set when the request never starts (bad URL, method or header; renderer-side refusal). */
  error: string | null;
}

/** Classify a page request without any response: CORS or not, preflight or not, and which one. */
export function classifyRequest(request: PageRequest): Classification {
  const prepared = prepareRequest(request);
  if (!prepared.ok) {
    return {
      corsFlag: false,
      needsPreflight: false,
      methodIsSafelisted: isCorsSafelistedMethod(request.method),
      unsafeHeaderNames: [],
      forbiddenHeaderNames: prepared.dropped,
      preflight: null,
      actual: null,
      error: prepared.lines.at(-1) ?? prepared.jsError,
    };
  }
  const r = prepared.request;
  const pf = r.corsFlag && needsPreflight(r.method, r.headers);
  return {
    corsFlag: r.corsFlag,
    needsPreflight: pf,
    methodIsSafelisted: isCorsSafelistedMethod(r.method),
    unsafeHeaderNames: r.mode === 'cors' ? corsUnsafeRequestHeaderNames(r.headers) : [],
    forbiddenHeaderNames: r.dropped,
    preflight: pf ? buildPreflight(r.url, r.method, r.headers, r.origin, r.origin) : null,
    actual: buildActual(r, r.url, r.method, r.headers, r.origin, r.corsFlag),
    error: null,
  };
}

/** The actual request on the wire: the page's headers plus what Chromium adds that matters for CORS. */
export function buildActual(
  r: Pick<PreparedRequest, 'origin' | 'mode' | 'credentials'>,
  url: string,
  method: string,
  headers: HeaderList,
  requestOrigin: string,
  corsFlag: boolean,
): WireRequest {
  const out: HeaderLine[] = [...headers];
  if (!hasHeader(out, 'accept')) out.push(['Accept', '*/*']);
  // StartRequest should_include_origin_header: CORS flag set, or a method other than GET/HEAD.
  if (corsFlag || (method !== 'GET' && method !== 'HEAD')) out.push(['Origin', requestOrigin]);
  out.push(['Sec-Fetch-Mode', r.mode]);
  out.push(['Sec-Fetch-Site', fetchSite(r.origin, url)]);
  out.push(['Sec-Fetch-Dest', 'empty']);
  // Fetch "credentials flag": include, or same-origin while the tainting is basic.
  const withCredentials =
    r.credentials === 'include' ||
    (r.credentials === 'same-origin' && !corsFlag && sameOrigin(r.origin, url));
  return { purpose: 'actual', method, url, headers: out, withCredentials };
}

interface Outcome {
  allowed: boolean;
  corsError: CorsError | null;
  failedParameter: string;
  netError: string | null;
  responseType: ResponseType;
  readableHeaders: string[];
  line: string | null;
  status: number | null;
}

/**
 * Simulate the whole fetch: yields each wire request (preflight, actual request, each redirect hop),
 * receives the response for it, returns the Verdict.
 */
/** Options for `simulate` / `runSimulation`. */
export interface SimulateOptions {
  /**
   * Also compute the Firefox and WebKit views (their lines and verdict differences). Default true;
   * bulk callers that need only Chromium's verdict can turn it off (messages.firefox/safari stay []).
   */
  otherEngines?: boolean;
  /**
   * Apply Chromium's Local Network Access gate (the page's address space, each server's, the permission).
   * Absent: no gate (the page and the servers are taken to be in the same address space).
   */
  localNetwork?: LocalNetworkContext;
  /**
   * The browser's preflight and HTTP caches (cache.ts), read and updated in place: a sequence of
   * requests is a sequence of runs sharing one cache. Absent: a first visit, nothing cached.
   */
  cache?: BrowserCache;
  /** The time of this request on the caller's clock, seconds (with `cache`; default 0). */
  now?: number;
  /** How long preflights are kept (default Chromium's). */
  preflightCachePolicy?: PreflightCachePolicy;
}

export function* simulate(
  request: PageRequest,
  options: SimulateOptions = {},
): Generator<WireRequest, Verdict, WireResponse> {
  const otherEngines = options.otherEngines !== false;
  const exchanges: Exchange[] = [];
  const prepared = prepareRequest(request);
  const initiator: Initiator = request.initiator ?? 'fetch';
  if (!prepared.ok) {
    return finish(
      otherEngines,
      request,
      exchanges,
      prepared.trace,
      prepared.lines,
      prepared.dropped,
      false,
      prepared.jsError,
      {
        allowed: false,
        corsError: prepared.corsError,
        failedParameter: prepared.failedParameter ?? '',
        netError: null,
        responseType: 'error',
        readableHeaders: [],
        line: prepared.lines.at(-1) ?? null,
        status: null,
      },
    );
  }
  const r = prepared.request;
  const trace = r.trace;
  const initialUrl = r.url;
  let url = r.url;
  let method = r.method;
  let headers: HeaderLine[] = [...r.headers];
  let corsFlag = r.corsFlag;
  let tainted = false;
  let redirectCount = 0;
  let preflightSent = false;
  let preflightFromCache = false;
  const blocked = (error: CorsError, failedParameter: string, atUrl: string): Outcome => ({
    allowed: false,
    corsError: error,
    failedParameter,
    netError: null,
    responseType: 'error',
    readableHeaders: [],
    line: chromeMessage({ error, failedParameter, initiator, url: atUrl, initialUrl, origin: r.origin }),
    status: null,
  });
  const netFailure = (netError: string): Outcome => ({
    allowed: false,
    corsError: null,
    failedParameter: '',
    netError,
    responseType: 'error',
    readableHeaders: [],
    line: null,
    status: null,
  });
  const done = (o: Outcome): Verdict => {
    const v = finish(
      otherEngines,
      request,
      exchanges,
      trace,
      r.lines,
      r.dropped,
      preflightSent,
      o.allowed ? null : 'TypeError: Failed to fetch',
      o,
    );
    if (lnaState) v.localNetworkAccess = { ...lnaState };
    if (preflightFromCache) v.preflightFromCache = true;
    return v;
  };

  const lna = options.localNetwork;
  let lnaState: Verdict['localNetworkAccess'];
  /** LNA on connecting to `atUrl`: the blocked Verdict, or null to go on. */
  const lnaGate = (atUrl: string): Verdict | null => {
    if (!lna) return null;
    const d = decideLocalNetworkAccess(lna, atUrl, request.targetAddressSpace);
    lnaState = {
      page: lna.page,
      target: d.target,
      permission: permissionStateFor(lna, d.target),
      gated: d.gated,
    };
    trace.push({
      step: 'local-network-access',
      source: 'WICG Local Network Access; Chromium url_loader.cc / private_network_access_checker.cc',
      outcome: d.ok ? (d.gated ? 'pass' : 'info') : 'fail',
      detail: d.ok
        ? d.gated
          ? `${lna.page} page → ${d.target} server: permission granted, CORS decides`
          : `${lna.page} page → ${d.target} server: no permission needed`
        : d.detail,
    });
    if (d.ok) return null;
    const verdict = done({
      allowed: false,
      corsError: d.error,
      failedParameter: '',
      netError: null,
      responseType: 'error',
      readableHeaders: [],
      line: chromeMessage({
        error: d.error,
        failedParameter: '',
        initiator,
        url: atUrl,
        initialUrl,
        origin: r.origin,
        body: d.reason,
      }),
      status: null,
    });
    // Firefox (LNA off by default) and WebKit (none) are not gated: their views need the exchanges
    // Chromium never made. runSimulation fills them from an ungated run; a driven run leaves them empty.
    verdict.messages.firefox = [];
    verdict.messages.safari = [];
    verdict.engineDifferences = [];
    return verdict;
  };

  for (;;) {
    const requestOrigin = tainted ? 'null' : r.origin;
    const gate = lnaGate(url);
    if (gate) return gate;
    // HTTP fetch step: CORS-preflight fetch when the CORS flag is set and the request needs one.
    const cache = options.cache;
    const now = options.now ?? 0;
    const cached =
      cache && corsFlag && needsPreflight(method, headers)
        ? preflightEntries(cache, requestOrigin, url, now, r.credentials === 'include').find(
            (e) =>
              checkPreflightResponse(
                e.response,
                { method, headers, credentials: r.credentials },
                requestOrigin,
                r.origin,
              ).ok,
          )
        : undefined;
    if (cached) {
      trace.push({
        step: 'preflight.cache-hit',
        source: 'Fetch Standard §4.8 CORS-preflight cache; Chromium preflight_cache.cc',
        outcome: 'pass',
        detail: `a preflight for ${requestOrigin} → ${url} stored ${now - cached.storedAt} s ago covers this ${method} (kept ${cached.expiresAt - cached.storedAt} s): none is sent`,
      });
      preflightFromCache = true;
    } else if (corsFlag && needsPreflight(method, headers)) {
      const pf = buildPreflight(url, method, headers, r.origin, requestOrigin);
      trace.push({
        step: 'preflight.needed',
        source: `${FETCH_SRC} §4.3 HTTP fetch step 4.1; ${CR_LOADER} NeedsPreflight`,
        outcome: 'info',
        detail: describePreflightReason(method, headers),
      });
      const response = yield pf;
      preflightSent = true;
      exchanges.push({ request: pf, response });
      if (response.kind === 'network-error') {
        trace.push({
          step: 'preflight.network',
          source: 'Chromium preflight_controller.cc',
          outcome: 'fail',
          detail: response.netError,
        });
        return done(netFailure(response.netError));
      }
      const result = checkPreflightResponse(
        response,
        { method, headers, credentials: r.credentials },
        requestOrigin,
        r.origin,
      );
      for (const s of result.steps) {
        trace.push({
          step: s.step,
          source: 'Chromium preflight_controller.cc / preflight_result.cc',
          outcome: s.outcome,
          detail: s.detail,
        });
      }
      if (!result.ok) {
        const verdict = done(blocked(result.error, result.failedParameter, url));
        if (result.disallowedHeaders && result.disallowedHeaders.length > 1) {
          verdict.failedParameterCandidates = result.disallowedHeaders;
        }
        return verdict;
      }
      if (cache) {
        const kept = storePreflight(
          cache,
          requestOrigin,
          url,
          response,
          now,
          options.preflightCachePolicy ?? CHROMIUM_PREFLIGHT_CACHE,
          r.credentials === 'include',
        );
        trace.push({
          step: 'preflight.cache-store',
          source: 'Chromium preflight_result.cc (Access-Control-Max-Age: default 5 s, at most 7200 s)',
          outcome: 'info',
          detail: kept > 0 ? `kept for ${kept} s` : 'not kept (Access-Control-Max-Age: 0)',
        });
      }
    }
    const actual = buildActual(r, url, method, headers, requestOrigin, corsFlag);
    const hit = options.cache ? httpLookup(options.cache, actual, options.now ?? 0) : undefined;
    const response: WireResponse = hit ? hit.response : yield actual;
    exchanges.push(hit ? { request: actual, response, fromCache: true } : { request: actual, response });
    if (hit) {
      trace.push({
        step: 'http-cache.hit',
        source: 'RFC 9111 §4 (freshness, Vary); Chromium net/http/http_cache_transaction.cc',
        outcome: 'info',
        detail: `served from the HTTP cache: stored for ${hit.storedFor} ${(options.now ?? 0) - hit.storedAt} s ago, fresh for ${hit.expiresAt - hit.storedAt} s${hit.vary !== '*' && Object.keys(hit.vary).length > 0 ? ` (Vary: ${Object.keys(hit.vary).join(', ')})` : ' (no Vary)'}`,
      });
    } else if (options.cache && response.kind === 'response') {
      httpStore(options.cache, actual, response, r.origin, options.now ?? 0);
    }
    if (response.kind === 'network-error') {
      trace.push({ step: 'actual.network', source: 'network', outcome: 'fail', detail: response.netError });
      return done(netFailure(response.netError));
    }
    if (isRedirect(response)) {
      if (corsFlag) {
        const access = checkAccess(response.headers, r.credentials, requestOrigin);
        trace.push({
          step: 'redirect.cors-check',
          source: `${FETCH_SRC} §4.3 HTTP fetch step 5; ${CR_LOADER} OnReceiveRedirect`,
          outcome: access.ok ? 'pass' : 'fail',
          detail: `${response.status} redirect: ${access.rule}`,
        });
        if (!access.ok) return done(blocked(access.error, access.failedParameter, url));
      }
      const decision = decideRedirect({
        status: response.status,
        headers: response.headers,
        currentUrl: url,
        pageOrigin: r.origin,
        method,
        mode: r.mode,
        redirect: r.redirect,
        corsFlag,
        tainted,
        redirectCount,
      });
      if (decision.kind === 'manual') {
        trace.push({
          step: 'redirect.manual',
          source: `${FETCH_SRC} §4.3`,
          outcome: 'info',
          detail: 'opaque-redirect response',
        });
        return done({
          allowed: true,
          corsError: null,
          failedParameter: '',
          netError: null,
          responseType: 'opaqueredirect',
          readableHeaders: [],
          line: null,
          status: 0,
        });
      }
      if (decision.kind === 'error') {
        trace.push({ step: 'redirect', source: `${FETCH_SRC} §4.4`, outcome: 'fail', detail: decision.why });
        return done(netFailure(decision.netError));
      }
      if (decision.kind === 'scheme') {
        trace.push({
          step: 'redirect.scheme',
          source: `${CR_LOADER} StartRequest`,
          outcome: 'fail',
          detail: decision.why,
        });
        return done(blocked('CorsDisabledScheme', '', decision.url));
      }
      if (decision.kind === 'credentials') {
        trace.push({
          step: 'redirect.credentials',
          source: `${FETCH_SRC} §4.4 steps 9–10`,
          outcome: 'fail',
          detail: decision.why,
        });
        // CheckRedirectLocation builds the error without a failed parameter.
        return done(blocked('RedirectContainsCredentials', '', url));
      }
      const becameTainted = decision.tainted && !tainted;
      trace.push({
        step: 'redirect.follow',
        source: `${FETCH_SRC} §4.4; ${CR_LOADER} FollowRedirect`,
        outcome: 'info',
        detail: `${response.status} → ${decision.url}${decision.method !== method ? ` (method ${method} → ${decision.method})` : ''}${becameTainted ? '; origin tainted: Origin becomes null' : ''}`,
      });
      if (decision.droppedBody)
        headers = headers.filter(([n]) => !REQUEST_BODY_HEADERS.includes(n.toLowerCase()));
      if (decision.dropAuthorization) headers = headers.filter(([n]) => n.toLowerCase() !== 'authorization');
      url = decision.url;
      method = decision.method;
      tainted = decision.tainted;
      redirectCount++;
      if (r.mode === 'cors' && !corsFlag && !sameOrigin(r.origin, url)) corsFlag = true;
      continue;
    }
    // Final response.
    if (corsFlag) {
      const access = checkAccess(response.headers, r.credentials, requestOrigin);
      trace.push({
        step: 'actual.cors-check',
        source: `${FETCH_SRC} §4.9 CORS check; Chromium cors.cc CheckAccess`,
        outcome: access.ok ? 'pass' : 'fail',
        detail: access.rule,
      });
      if (!access.ok) return done(blocked(access.error, access.failedParameter, url));
    }
    const type: ResponseType = corsFlag
      ? 'cors'
      : r.mode === 'no-cors' && (tainted || !sameOrigin(r.origin, url))
        ? 'opaque'
        : 'basic';
    const readable = readableHeaders(type, response.headers, r.credentials);
    trace.push({
      step: 'response.type',
      source: `${FETCH_SRC} §4.1 main fetch step 14`,
      outcome: 'pass',
      detail: `${type} response${type === 'opaque' ? ': status 0, no headers, no body for the script' : `; readable headers: ${readable.join(', ') || '(none)'}`}`,
    });
    return done({
      allowed: true,
      corsError: null,
      failedParameter: '',
      netError: null,
      responseType: type,
      readableHeaders: readable,
      line: null,
      status: type === 'opaque' ? 0 : response.status,
    });
  }
}

function describePreflightReason(method: string, headers: HeaderList): string {
  const reasons: string[] = [];
  if (!isCorsSafelistedMethod(method)) reasons.push(`method ${method} is not GET, HEAD or POST`);
  const unsafe = corsUnsafeRequestHeaderNames(headers);
  if (unsafe.length > 0) reasons.push(`CORS-unsafe request headers: ${unsafe.join(', ')}`);
  return `preflight needed: ${reasons.join('; ')}`;
}

function finish(
  otherEngines: boolean,
  request: PageRequest,
  exchanges: Exchange[],
  trace: TraceStep[],
  prefixLines: string[],
  dropped: string[],
  preflight: boolean,
  jsError: string | null,
  o: Outcome,
): Verdict {
  const none = { allowed: o.allowed, lines: [] as string[], difference: null };
  const ff = otherEngines ? firefoxView(request, exchanges, o.allowed) : none;
  const wk = otherEngines ? webkitView(request, exchanges, o.allowed) : none;
  const engineDifferences: Verdict['engineDifferences'] = [];
  if (ff.difference !== null || ff.allowed !== o.allowed) {
    engineDifferences.push({
      engine: 'firefox',
      allowed: ff.allowed,
      note: ff.difference ?? 'Firefox decides differently',
    });
  }
  if (wk.difference !== null || wk.allowed !== o.allowed) {
    engineDifferences.push({
      engine: 'webkit',
      allowed: wk.allowed,
      note: wk.difference ?? 'WebKit decides differently',
    });
  }
  const chromeLines =
    o.line !== null && !prefixLines.includes(o.line) ? [...prefixLines, o.line] : [...prefixLines];
  return {
    allowed: o.allowed,
    preflight,
    corsError: o.corsError,
    failedParameter: o.failedParameter,
    netError: o.netError,
    responseType: o.responseType,
    readableHeaders: o.readableHeaders,
    messages: { chrome: o.line, firefox: ff.lines, safari: wk.lines },
    engineDifferences,
    trace,
    exchanges,
    chromeLines,
    jsError,
    status: o.status,
    droppedHeaders: dropped,
  };
}

/** Drive `simulate` with a pure responder (tests, bulk evaluation). */
export function runSimulation(
  request: PageRequest,
  respond: (r: WireRequest) => WireResponse,
  options: SimulateOptions = {},
): Verdict {
  const gen = simulate(request, options);
  let step = gen.next();
  let guard = 0;
  while (!step.done) {
    if (++guard > 64) throw new Error('runSimulation: more than 64 round trips (model bug)');
    step = gen.next(respond(step.value));
  }
  const verdict = step.value;
  if (options.otherEngines === false) return verdict;
  if (isLnaError(verdict.corsError) && options.localNetwork) {
    // Chromium stopped at the LNA gate; Firefox and WebKit send the request and CORS decides for them.
    const { localNetwork: _, ...rest } = options;
    const ungated = runSimulation(request, respond, rest);
    verdict.messages.firefox = ungated.messages.firefox;
    verdict.messages.safari = ungated.messages.safari;
    const note = (engine: string) =>
      `${engine} has no Local Network Access gate here: it sends the request and CORS decides (${ungated.allowed ? 'allowed' : 'blocked'})`;
    const ff = ungated.engineDifferences.find((d) => d.engine === 'firefox')?.allowed ?? ungated.allowed;
    const wk = ungated.engineDifferences.find((d) => d.engine === 'webkit')?.allowed ?? ungated.allowed;
    verdict.engineDifferences = [
      { engine: 'firefox', allowed: ff, note: note('Firefox (LNA off by default)') },
      { engine: 'webkit', allowed: wk, note: note('WebKit') },
    ];
    return verdict;
  }
  // WebKit sends some requests Chromium never does (its own preflights); the responder can answer them.
  return withWebKitAnswers(verdict, request, respond);
}

const isLnaError = (e: CorsError | null): boolean =>
  e === 'LocalNetworkAccessPermissionDenied' || e === 'InvalidLocalNetworkAccess';
