/**
 * The browser model's public data types: plain data in, plain data out, no I/O.
 *
 * The model is driven as a generator (see `simulate` in ./index.ts): it yields each request the browser
 * would put on the wire (preflight, actual request, each redirect hop) and is fed the response the server
 * gave, until it returns a Verdict. The prober feeds it real responses; tests feed it scripted ones. That
 * keeps the model pure while the order of round trips stays the browser's.
 */

import type { AddressSpace, LocalNetworkAccessReport } from './local-network-access.ts';

export type CredentialsMode = 'omit' | 'same-origin' | 'include';
export type RequestMode = 'cors' | 'no-cors' | 'same-origin';
export type RedirectMode = 'follow' | 'error' | 'manual';
/** Which API made the request: decides Chromium's `{kind}` word and some suffixes. */
export type Initiator = 'fetch' | 'xhr';

/** One header line: name as written (case kept), value as received. Lists keep order and duplicates. */
export type HeaderLine = readonly [name: string, value: string];
export type HeaderList = readonly HeaderLine[];

/** What the page's script asks for: `fetch(url, { method, headers, credentials, mode, redirect })`. */
export interface PageRequest {
  /** Absolute URL. */
  url: string;
  /** The page's origin, serialized (`https://app.example.com`), or `null` for an opaque origin. */
  origin: string;
  /** As the script wrote it; case is kept (`patch` is not normalised, `put` is). */
  method: string;
  /** As the script set them, in order. */
  headers: HeaderList;
  credentials: CredentialsMode;
  mode: RequestMode;
  redirect?: RedirectMode;
  initiator?: Initiator;
  /** fetch()'s `targetAddressSpace` option (Local Network Access): the space the page expects the server in. */
  targetAddressSpace?: AddressSpace;
  /** Request body as the script passes it (a string), if any: fetch() then adds `Content-Type: text/plain;charset=UTF-8` unless set. */
  body?: string | null;
}

/** A request the browser puts on the wire, with the headers Chromium would send. */
export interface WireRequest {
  purpose: 'preflight' | 'actual';
  method: string;
  url: string;
  /** Origin, Access-Control-Request-*, Accept, Sec-Fetch-*, plus the page's own headers on the actual request. */
  headers: HeaderList;
  /** Whether the browser would attach cookies / HTTP auth to this request. */
  withCredentials: boolean;
}

/** What came back for a WireRequest: a response (any status, redirects included, not followed) or no response. */
export type WireResponse =
  | { kind: 'response'; status: number; statusText?: string; headers: HeaderList }
  | {
      kind: 'network-error';
      /** Chromium's net error name, e.g. `net::ERR_CONNECTION_REFUSED`, `net::ERR_NAME_NOT_RESOLVED`, `net::ERR_TIMED_OUT`. */
      netError: string;
      message?: string;
    };

/** Chromium's CorsError as the DevTools protocol spells it (Network.CorsError). */
export type CorsError =
  | 'DisallowedByMode'
  | 'InvalidResponse'
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials'
  | 'CorsDisabledScheme'
  | 'PreflightInvalidStatus'
  | 'PreflightDisallowedRedirect'
  | 'PreflightWildcardOriginNotAllowed'
  | 'PreflightMissingAllowOriginHeader'
  | 'PreflightMultipleAllowOriginValues'
  | 'PreflightInvalidAllowOriginValue'
  | 'PreflightAllowOriginMismatch'
  | 'PreflightInvalidAllowCredentials'
  | 'InvalidAllowMethodsPreflightResponse'
  | 'InvalidAllowHeadersPreflightResponse'
  | 'MethodDisallowedByPreflightResponse'
  | 'HeaderDisallowedByPreflightResponse'
  | 'RedirectContainsCredentials'
  | 'InsecureLocalNetwork'
  | 'InvalidLocalNetworkAccess'
  | 'NoCorsRedirectModeNotFollow'
  | 'LocalNetworkAccessPermissionDenied';

/** One step of the model's reasoning, for the report and the diagnosis to show which rule decided. */
export interface TraceStep {
  /** Short machine name of the step, e.g. `cors-check.allow-origin`, `preflight.status`. */
  step: string;
  /** Where the rule comes from, e.g. `Fetch §4.9 CORS check step 4` or `Chromium cors.cc CheckAccess`. */
  source: string;
  outcome: 'pass' | 'fail' | 'info';
  detail: string;
}

/** One round trip the model asked for, and what came back. */
export interface Exchange {
  request: WireRequest;
  response: WireResponse;
  /** Answered by the browser's HTTP cache (a stored response; nothing went on the wire). */
  fromCache?: boolean;
}

export interface EngineLines {
  /** Console lines in the order the engine prints them (CORS lines only; no `net::ERR_FAILED` network line). */
  lines: string[];
}

/** The model's answer for one page request. */
export interface Verdict {
  /** Would Chromium hand the response to the page's script? (`no-cors` opaque responses count as allowed.) */
  allowed: boolean;
  /** Did Chromium send a preflight (it may have been answered by an error)? */
  preflight: boolean;
  /** The CorsError that blocked it, or null (allowed, or blocked for a non-CORS reason). */
  corsError: CorsError | null;
  /** CDP's `corsErrorStatus.failedParameter`: the raw hint (header value, method, header name), or ''. */
  failedParameter: string;
  /** Set when the failure was not CORS at all (no response): `net::ERR_…`. */
  netError: string | null;
  /** The response type the script sees. */
  responseType: 'basic' | 'cors' | 'opaque' | 'opaqueredirect' | 'error';
  /** Lower-case response header names the script can read (sorted), when allowed; [] otherwise. */
  readableHeaders: string[];
  /** Exactly what each engine prints. chrome: the `fetch()` (or XHR, per initiator) line, or null. */
  messages: {
    chrome: string | null;
    firefox: string[];
    safari: string[];
  };
  /** Where each engine decides differently from Chromium (verdict, not wording), e.g. WebKit `*` covers Authorization. */
  engineDifferences: { engine: 'firefox' | 'webkit'; allowed: boolean; note: string }[];
  trace: TraceStep[];
  exchanges: Exchange[];
  /** Every Chromium console line in print order (XHR `Refused to set unsafe header` lines, then the CORS line). */
  chromeLines?: string[];
  /** What the script sees when it fails: `TypeError: Failed to fetch`, a thrown TypeError, or null when it resolves. */
  jsError?: string | null;
  /** Status the script sees (0 for opaque responses), or null when it fails. */
  status?: number | null;
  /**
   * When Chromium's choice of failedParameter is not derivable from the spec (several headers refused
   * by the preflight: it names one in Blink's hash-table order), every candidate, sorted. The message
   * uses the predicted one (header-order.ts: right in 137 of 140 recorded refusals).
   */
  failedParameterCandidates?: string[];
  /**
   * Local Network Access as applied (only when the caller gave `SimulateOptions.localNetwork`): the
   * spaces of the page and of the last server reached, the permission, and whether it was needed.
   */
  localNetworkAccess?: LocalNetworkAccessReport;
  /** With `SimulateOptions.cache`: the preflight came from the preflight cache (none was sent). */
  preflightFromCache?: boolean;
  /** Header names the page asked for but the browser refuses to send (forbidden request-headers, or no-cors drops). */
  droppedHeaders?: string[];
}
