/**
 * The one decision function. Adapters translate a framework's request into `CorsRequest` and the
 * returned `CorsDecision` into headers and, for preflights, a response; they decide nothing.
 *
 * Classification follows Fetch: a request without `Origin` is not a CORS request; `OPTIONS` with
 * `Origin` and `Access-Control-Request-Method` is a CORS-preflight request (§4.8), answered here before
 * routing and authentication; anything else with `Origin` is an actual request, which gets its headers
 * and goes on to the application (the browser, not the server, blocks what is not allowed).
 *
 * Rejection contract: a refused preflight gets 403 and no CORS headers (nothing about the policy
 * leaks); a refused actual request simply gets no Access-Control-* headers. In debug mode a preflight
 * refused for its method or headers, from an allowed origin, gets 204 with Allow-Origin (and
 * Allow-Credentials) but without the grant, so Chromium's console line names the exact method or
 * header (`Method PUT is not allowed by Access-Control-Allow-Methods…`); every refusal also carries
 * `Cors-Doctor-Reason: <catalog id>`.
 */
import { dynamicAllows } from './dynamic.ts';
import type { CorsDecisionEvent, RejectionReason } from './event.ts';
import type { CorsOptions } from './options.ts';
import { logSafe, matchesPattern } from './origin.ts';
import { type CompiledPolicy, compilePolicy } from './policy.ts';
import {
  checkRequestHeaders,
  isToken,
  MAX_ACRH_LENGTH,
  MAX_METHOD_LENGTH,
  SAFELISTED_METHODS,
} from './tokens.ts';

/** The four request facts CORS depends on (header values as received; absent = undefined or null). */
export interface CorsRequest {
  method: string;
  origin: string | null | undefined;
  /** Access-Control-Request-Method */
  requestMethod?: string | null | undefined;
  /** Access-Control-Request-Headers */
  requestHeaders?: string | null | undefined;
}

/** A response header to set (lower-case name). Values never contain request bytes that were not validated. */
export type CorsHeader = readonly [name: string, value: string];

/** No Origin: not CORS. Headers still matter for caches (Vary) and `*` policies (Allow-Origin on every response). */
export interface NotCorsDecision {
  readonly kind: 'not-cors';
  readonly headers: readonly CorsHeader[];
  /** A token to append to Vary (never replacing what is there), or null. */
  readonly vary: string | null;
}

export interface ActualDecision {
  readonly kind: 'actual';
  readonly allowed: boolean;
  readonly reason: RejectionReason | null;
  readonly headers: readonly CorsHeader[];
  readonly vary: string | null;
}

/** Answer right away with this status, these headers and an empty body. */
export interface PreflightDecision {
  readonly kind: 'preflight';
  readonly allowed: boolean;
  readonly reason: RejectionReason | null;
  readonly status: 204 | 403;
  readonly headers: readonly CorsHeader[];
  readonly vary: string;
}

export type CorsDecision = NotCorsDecision | ActualDecision | PreflightDecision;

export const ACAO = 'access-control-allow-origin';
export const ACAC = 'access-control-allow-credentials';
export const ACAM = 'access-control-allow-methods';
export const ACAH = 'access-control-allow-headers';
export const ACEH = 'access-control-expose-headers';
export const ACMA = 'access-control-max-age';
export const REASON_HEADER = 'cors-doctor-reason';

/** The headers this middleware owns on a response (adapters re-assert them at the last moment). */
export const CORS_RESPONSE_HEADERS: readonly string[] = [ACAO, ACAC, ACAM, ACAH, ACEH, ACMA];
/**
 * Every Access-Control-* response header a browser reads, the policy's own and Private Network
 * Access's: the policy owns them, so adapters drop any the application set itself (issue 19, defect 2).
 * A fixed list, checked with hasHeader, instead of scanning every header name of every response.
 */
export const OWNED_RESPONSE_HEADERS: readonly string[] = [
  ...CORS_RESPONSE_HEADERS,
  'access-control-allow-private-network',
];

const PREFLIGHT_VARY_ORIGIN = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';
const PREFLIGHT_VARY_ANY = 'Access-Control-Request-Method, Access-Control-Request-Headers';

/** A compiled policy plus the decisions that do not depend on the request, built once. */
export interface Compiled extends CompiledPolicy {
  readonly notCors: NotCorsDecision;
  readonly actualRejected: ActualDecision;
  /** Allowed actual-request decisions, one per exact origin (and one for `*`), shared and frozen. */
  readonly actualAllowed: ReadonlyMap<string, ActualDecision>;
  readonly actualAny: ActualDecision | null;
  readonly preflightRejected: PreflightDecision;
}

/**
 * Access-Control-Request-Headers values already found fully allowed (browsers send the same sorted
 * list again and again), per policy. Only allowed values of at most 256 chars enter, at most 64 of
 * them: an attacker cannot grow it, and once full it simply stops caching. Kept out of the policy
 * object so that nobody holding `mw.policy` can add a value to it (and so grant a header).
 */
const allowedRequestHeaders = new WeakMap<Compiled, Set<string>>();

const ACRH_CACHE_SIZE = 64;
const ACRH_CACHE_MAX_LENGTH = 256;

function freezeDecision<T extends CorsDecision>(d: T): T {
  for (const h of d.headers) Object.freeze(h);
  Object.freeze(d.headers);
  return Object.freeze(d);
}

/** Validate and compile options (throws CorsConfigError listing every problem). */
export function compile(options: CorsOptions): Compiled {
  const policy = compilePolicy(options);
  const tail: CorsHeader[] = [];
  if (policy.credentials) tail.push([ACAC, 'true']);
  if (policy.exposeHeaders !== null) tail.push([ACEH, policy.exposeHeaders]);
  const actualAllowed = new Map<string, ActualDecision>();
  for (const origin of policy.exactOrigins) {
    actualAllowed.set(
      origin,
      freezeDecision({
        kind: 'actual',
        allowed: true,
        reason: null,
        headers: [[ACAO, origin], ...tail],
        vary: 'Origin',
      }),
    );
  }
  const actualAny = policy.anyOrigin
    ? freezeDecision<ActualDecision>({
        kind: 'actual',
        allowed: true,
        reason: null,
        headers: [[ACAO, '*'], ...tail],
        vary: null,
      })
    : null;
  const rejectHeaders: CorsHeader[] = policy.debug ? [[REASON_HEADER, 'origin-not-allowed']] : [];
  const compiled: Compiled = Object.freeze({
    ...policy,
    notCors: freezeDecision<NotCorsDecision>(
      actualAny
        ? { kind: 'not-cors', headers: actualAny.headers, vary: null }
        : { kind: 'not-cors', headers: [], vary: 'Origin' },
    ),
    actualRejected: freezeDecision<ActualDecision>({
      kind: 'actual',
      allowed: false,
      reason: 'origin-not-allowed',
      headers: rejectHeaders,
      vary: 'Origin',
    }),
    actualAllowed,
    actualAny,
    preflightRejected: freezeDecision<PreflightDecision>({
      kind: 'preflight',
      allowed: false,
      reason: 'origin-not-allowed',
      status: 403,
      headers: rejectHeaders,
      vary: PREFLIGHT_VARY_ORIGIN,
    }),
  });
  allowedRequestHeaders.set(compiled, new Set());
  return compiled;
}

function isAllowedOrigin(p: Compiled, origin: string): boolean {
  return (
    p.anyOrigin ||
    p.exactOrigins.has(origin) ||
    (p.patterns.size > 0 && matchesPattern(origin, p.patterns)) ||
    (p.dynamic !== null && dynamicAllows(p, origin).allowed)
  );
}

const ignore = () => {};

function emit(p: Compiled, event: CorsDecisionEvent): void {
  try {
    const result: unknown = p.onDecision!(event);
    // An async logger that rejects would otherwise be an unhandled rejection, which ends the process.
    if (
      result !== null &&
      typeof result === 'object' &&
      typeof (result as Promise<unknown>).then === 'function'
    )
      (result as Promise<unknown>).then(undefined, ignore);
  } catch {
    // A failing logger must not turn a CORS answer into a 500.
  }
}

function describeOrigin(origin: string): string {
  return origin === 'null'
    ? "Origin 'null' (a sandboxed iframe, a file: page or a cross-origin redirect) is never allowed; serve the page from a real origin and list it in 'origins'"
    : `Origin '${logSafe(origin)}' is not in 'origins'; add this exact origin if its pages should call this API`;
}

/** Decide what CORS requires for one request. Pure apart from calling `onDecision`. */
export function decide(p: Compiled, req: CorsRequest): CorsDecision {
  const origin = req.origin;
  if (origin === undefined || origin === null) return p.notCors;
  const acrm = req.requestMethod;
  if (req.method === 'OPTIONS' && acrm !== undefined && acrm !== null)
    return decidePreflight(p, origin, acrm, req.requestHeaders);

  // Actual request (Fetch §4.9 CORS check happens in the browser; we only grant or withhold).
  const cached = p.actualAny ?? p.actualAllowed.get(origin);
  if (cached !== undefined || isAllowedOrigin(p, origin)) {
    const d =
      cached ??
      ({
        kind: 'actual',
        allowed: true,
        reason: null,
        headers: withTail(p, [ACAO, origin]),
        vary: 'Origin',
      } as ActualDecision);
    if (p.onDecision)
      emit(p, {
        kind: 'actual',
        outcome: 'allowed',
        reason: null,
        origin: logSafe(origin),
        method: logSafe(req.method, 32),
        message: `Allowed ${logSafe(req.method, 32)} from '${logSafe(origin)}'.`,
      });
    return d;
  }
  if (p.onDecision)
    emit(p, {
      kind: 'actual',
      outcome: 'rejected',
      reason: 'origin-not-allowed',
      origin: logSafe(origin),
      method: logSafe(req.method, 32),
      message: `${describeOrigin(origin)}. The response went out without Access-Control-Allow-Origin, so the browser hides it from the page.`,
    });
  return p.actualRejected;
}

function withTail(p: Compiled, first: CorsHeader): CorsHeader[] {
  const h: CorsHeader[] = [first];
  if (p.credentials) h.push([ACAC, 'true']);
  if (p.exposeHeaders !== null) h.push([ACEH, p.exposeHeaders]);
  return h;
}

function decidePreflight(
  p: Compiled,
  origin: string,
  acrm: string,
  acrh: string | null | undefined,
): PreflightDecision {
  if (!isAllowedOrigin(p, origin)) {
    if (p.onDecision)
      emit(p, {
        kind: 'preflight',
        outcome: 'rejected',
        reason: 'origin-not-allowed',
        origin: logSafe(origin),
        method: logSafe(acrm, 32),
        message: `${describeOrigin(origin)}. Preflight refused with 403.`,
      });
    return p.preflightRejected;
  }
  const vary = p.anyOrigin ? PREFLIGHT_VARY_ANY : PREFLIGHT_VARY_ORIGIN;
  const allowOrigin = p.anyOrigin ? '*' : origin;

  // Fetch §4.8 step 4: the method passes when safelisted, listed (byte-exact), or `*` without credentials.
  let reason: RejectionReason | null = null;
  let refusedHeader: string | undefined;
  let message = '';
  const methodOk =
    acrm.length <= MAX_METHOD_LENGTH &&
    isToken(acrm) &&
    (SAFELISTED_METHODS.has(acrm) || p.methods.has(acrm) || p.anyMethod);
  if (!methodOk) {
    reason = 'method-not-allowed';
    message = `Method '${logSafe(acrm, 32)}' is not in 'methods'; add it if '${logSafe(origin)}' may use it.`;
  } else if (
    acrh !== undefined &&
    acrh !== null &&
    acrh.length > 0 &&
    allowedRequestHeaders.get(p)?.has(acrh) !== true
  ) {
    // Fetch §4.8 steps 5–6.
    const check = checkRequestHeaders(acrh, p.headers, p.anyHeader);
    if (check.ok) {
      const cache = allowedRequestHeaders.get(p);
      if (cache !== undefined && acrh.length <= ACRH_CACHE_MAX_LENGTH && cache.size < ACRH_CACHE_SIZE)
        cache.add(acrh);
    } else {
      reason = 'header-not-allowed';
      if (check.header) refusedHeader = check.header;
      message =
        check.why === 'too-long'
          ? `Access-Control-Request-Headers is longer than ${MAX_ACRH_LENGTH} characters; refused without parsing it.`
          : check.why === 'too-many'
            ? 'Access-Control-Request-Headers lists too many names; refused.'
            : check.why === 'malformed'
              ? 'Access-Control-Request-Headers is not a comma-separated list of header names; refused.'
              : check.why === 'authorization-not-covered'
                ? "Request header 'authorization' is not covered by '*' (Fetch never lets '*' stand for Authorization); add 'authorization' to 'allowedHeaders'."
                : `Request header '${logSafe(check.header, 64)}' is not in 'allowedHeaders'; add it if '${logSafe(origin)}' may send it.`;
    }
  }

  if (reason !== null) {
    if (p.onDecision) {
      const event: CorsDecisionEvent = {
        kind: 'preflight',
        outcome: 'rejected',
        reason,
        origin: logSafe(origin),
        method: logSafe(acrm, 32),
        message: `${message} Preflight refused${p.debug ? ' (debug: 204 without the grant)' : ' with 403'}.`,
      };
      if (refusedHeader !== undefined) event.header = logSafe(refusedHeader, 64);
      emit(p, event);
    }
    if (!p.debug) return { kind: 'preflight', allowed: false, reason, status: 403, headers: [], vary };
    const h: CorsHeader[] = [[ACAO, allowOrigin]];
    if (p.credentials) h.push([ACAC, 'true']);
    h.push([REASON_HEADER, reason]);
    return { kind: 'preflight', allowed: false, reason, status: 204, headers: h, vary };
  }

  const h: CorsHeader[] = [[ACAO, allowOrigin]];
  if (p.credentials) h.push([ACAC, 'true']);
  // Echo only what was asked (validated token / token list), so the policy itself is never revealed.
  if (!SAFELISTED_METHODS.has(acrm)) h.push([ACAM, acrm]);
  if (acrh !== undefined && acrh !== null && acrh.length > 0) h.push([ACAH, acrh]);
  if (p.maxAge !== null) h.push([ACMA, p.maxAge]);
  if (p.onDecision)
    emit(p, {
      kind: 'preflight',
      outcome: 'allowed',
      reason: null,
      origin: logSafe(origin),
      method: logSafe(acrm, 32),
      message: `Allowed preflight for ${acrm} from '${logSafe(origin)}'.`,
    });
  return { kind: 'preflight', allowed: true, reason: null, status: 204, headers: h, vary };
}
