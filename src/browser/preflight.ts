/**
 * The CORS-preflight fetch (Fetch Standard §4.8 "CORS-preflight fetch") as Chromium does it:
 * services/network/cors/preflight_controller.cc (CreatePreflightRequest, CheckPreflightAccess) and
 * preflight_result.cc (Parse, EnsureAllowedCrossOriginMethod, EnsureAllowedCrossOriginHeaders).
 *
 * Chromium's order on the preflight response: network error → redirect → CORS check (Allow-Origin and
 * Allow-Credentials, judged with the ACTUAL request's credentials mode) → ok status (200–299) → parse
 * Allow-Methods → parse Allow-Headers → method → headers. (CORS check before status: a 404 preflight
 * without Allow-Origin reports the missing header, not the status.)
 *
 * Not modelled: the preflight cache (Access-Control-Max-Age; Chromium keeps an entry 5 s by default,
 * at most 2 h): the model always sends the preflight, as a first visit does. Local Network Access
 * permission prompts and the retired Private-Network-Access preflight headers.
 */

import { checkAccess } from './cors-check.ts';
import { predictHeaderOrder } from './header-order.ts';
import { getHeader, hasHeader, splitList } from './headers.ts';
import { isCorsSafelistedMethod, isToken } from './methods.ts';
import { fetchSite } from './origin.ts';
import { corsUnsafeNotForbiddenRequestHeaderNames } from './request-headers.ts';
import type {
  CorsError,
  CredentialsMode,
  HeaderLine,
  HeaderList,
  WireRequest,
  WireResponse,
} from './types.ts';

/**
 * The running Chromium (156, proven by the differential suite) still lets `*` in
 * Access-Control-Allow-Headers cover `Authorization` (preflight_result.cc only refuses it when the
 * network context enables NonWildcardRequestHeadersSupport, and Chrome ships it off). The Fetch
 * Standard says `*` never covers Authorization (CORS non-wildcard request-header name).
 */
export const CHROMIUM_WILDCARD_COVERS_AUTHORIZATION = true;

/** Does this request need a preflight (Chromium cors_url_loader.cc NeedsPreflight, given the CORS flag)? */
export function needsPreflight(method: string, headers: HeaderList): boolean {
  return !isCorsSafelistedMethod(method) || corsUnsafeNotForbiddenRequestHeaderNames(headers).length > 0;
}

/** Access-Control-Request-Headers value: unsafe non-forbidden names, lower-cased, sorted, joined with "," (no space). */
export function accessControlRequestHeaders(headers: HeaderList): string | null {
  const names = [...new Set(corsUnsafeNotForbiddenRequestHeaderNames(headers))].sort();
  return names.length === 0 ? null : names.join(',');
}

/**
 * The preflight request Chromium sends (CreatePreflightRequest): OPTIONS, no credentials,
 * `Accept: *\/*`, ACRM = the method as the script wrote it (after normalisation), ACRH when there are
 * unsafe names, `Origin` (`null` when tainted), `Sec-Fetch-Mode: cors`. (User-Agent and the usual
 * Accept-Language/Referer are added below the model, by whoever sends it.)
 */
export function buildPreflight(
  url: string,
  method: string,
  headers: HeaderList,
  pageOrigin: string,
  requestOrigin: string,
): WireRequest {
  const out: HeaderLine[] = [
    ['Accept', '*/*'],
    ['Access-Control-Request-Method', method],
  ];
  const acrh = accessControlRequestHeaders(headers);
  if (acrh !== null) out.push(['Access-Control-Request-Headers', acrh]);
  out.push(['Origin', requestOrigin]);
  out.push(['Sec-Fetch-Mode', 'cors']);
  out.push(['Sec-Fetch-Site', fetchSite(pageOrigin, url)]);
  out.push(['Sec-Fetch-Dest', 'empty']);
  return { purpose: 'preflight', method: 'OPTIONS', url, headers: out, withCredentials: false };
}

export type PreflightResult =
  | {
      ok: true;
      /** Parsed Allow-Methods (case kept) and Allow-Headers (lower-cased). */
      methods: string[];
      headerNames: string[];
      /** Chromium's cache lifetime in seconds (informational: the cache itself is not modelled). */
      maxAgeSeconds: number;
      /** `*` in Allow-Headers would have covered Authorization in other engines, not in Chromium. */
      steps: PreflightStep[];
    }
  | {
      ok: false;
      error: CorsError;
      failedParameter: string;
      steps: PreflightStep[];
      /** HeaderDisallowed: every disallowed name (Chromium names one of them, in hash order). */
      disallowedHeaders?: string[];
    };

export interface PreflightStep {
  step: string;
  outcome: 'pass' | 'fail';
  detail: string;
}

/** 301, 302, 303, 307, 308 with a Location header: what the network stack treats as a redirect. */
export function isRedirect(response: WireResponse): boolean {
  return (
    response.kind === 'response' &&
    [301, 302, 303, 307, 308].includes(response.status) &&
    hasHeader(response.headers, 'Location')
  );
}

const PREFLIGHT_ERROR: Record<string, CorsError> = {
  WildcardOriginNotAllowed: 'PreflightWildcardOriginNotAllowed',
  MissingAllowOriginHeader: 'PreflightMissingAllowOriginHeader',
  MultipleAllowOriginValues: 'PreflightMultipleAllowOriginValues',
  InvalidAllowOriginValue: 'PreflightInvalidAllowOriginValue',
  AllowOriginMismatch: 'PreflightAllowOriginMismatch',
  InvalidAllowCredentials: 'PreflightInvalidAllowCredentials',
};

/** preflight_result.cc ParseAccessControlAllowList: comma list, empty items skipped, each a token. */
export function parseAllowList(value: string | null): string[] | null {
  if (value === null) return [];
  const items = splitList(value);
  return items.every(isToken) ? items : null;
}

/** preflight_result.cc ParseAccessControlMaxAge: none/unparsable → 5 s, negative → 0, cap 7200 s. */
export function preflightMaxAge(value: string | null): number {
  if (value === null || !/^[+-]?[0-9]+$/.test(value)) return 5;
  const n = Number(value);
  return n < 0 ? 0 : Math.min(n, 7200);
}

/**
 * Judge a preflight response (already known not to be a network error) for the actual request.
 * `credentials` is the ACTUAL request's credentials mode (Fetch §4.8 step 7 note).
 */
export function checkPreflightResponse(
  response: Extract<WireResponse, { kind: 'response' }>,
  actual: { method: string; headers: HeaderList; credentials: CredentialsMode },
  requestOrigin: string,
  /** The page's own origin (decides the client hints in Blink's header map); defaults to requestOrigin. */
  pageOrigin: string = requestOrigin,
): PreflightResult {
  const steps: PreflightStep[] = [];
  const fail = (error: CorsError, failedParameter: string, step: string, detail: string): PreflightResult => {
    steps.push({ step, outcome: 'fail', detail });
    return { ok: false, error, failedParameter, steps };
  };
  // HTTP-network-or-cache fetch does not follow a preflight's redirect (Fetch §4.8; Chromium
  // PreflightController: any redirect → PreflightDisallowedRedirect).
  if (isRedirect(response)) {
    return fail(
      'PreflightDisallowedRedirect',
      '',
      'preflight.redirect',
      `the preflight was answered with a ${response.status} redirect`,
    );
  }
  steps.push({ step: 'preflight.redirect', outcome: 'pass', detail: 'not a redirect' });
  const access = checkAccess(response.headers, actual.credentials, requestOrigin);
  if (!access.ok) {
    return fail(PREFLIGHT_ERROR[access.error]!, access.failedParameter, 'preflight.cors-check', access.rule);
  }
  steps.push({ step: 'preflight.cors-check', outcome: 'pass', detail: access.rule });
  if (response.status < 200 || response.status > 299) {
    return fail('PreflightInvalidStatus', '', 'preflight.status', `status ${response.status} is not 200–299`);
  }
  steps.push({ step: 'preflight.status', outcome: 'pass', detail: `status ${response.status}` });
  const methods = parseAllowList(getHeader(response.headers, 'Access-Control-Allow-Methods'));
  if (methods === null) {
    return fail(
      'InvalidAllowMethodsPreflightResponse',
      '',
      'preflight.allow-methods',
      `Access-Control-Allow-Methods '${getHeader(response.headers, 'Access-Control-Allow-Methods')}' has an item that is not a token`,
    );
  }
  const allowHeaders = parseAllowList(getHeader(response.headers, 'Access-Control-Allow-Headers'));
  if (allowHeaders === null) {
    return fail(
      'InvalidAllowHeadersPreflightResponse',
      '',
      'preflight.allow-headers',
      `Access-Control-Allow-Headers '${getHeader(response.headers, 'Access-Control-Allow-Headers')}' has an item that is not a token`,
    );
  }
  const headerNames = allowHeaders.map((h) => h.toLowerCase());
  const credentialed = actual.credentials === 'include';
  // EnsureAllowedCrossOriginMethod, spec-conformant mode (Chromium's default): case-sensitive match.
  const methodOk =
    methods.includes(actual.method) ||
    isCorsSafelistedMethod(actual.method) ||
    (!credentialed && methods.includes('*'));
  if (!methodOk) {
    const why = methods.some((m) => m.toLowerCase() === actual.method.toLowerCase())
      ? ` (listed in another case: methods are case-sensitive)`
      : credentialed && methods.includes('*')
        ? ` ('*' is a literal method name when credentials are included)`
        : '';
    return fail(
      'MethodDisallowedByPreflightResponse',
      actual.method,
      'preflight.method',
      `${actual.method} is not in Access-Control-Allow-Methods [${methods.join(', ')}]${why}`,
    );
  }
  steps.push({ step: 'preflight.method', outcome: 'pass', detail: `${actual.method} allowed` });
  // EnsureAllowedCrossOriginHeaders.
  if (!credentialed && headerNames.includes('*')) {
    if (hasHeader(actual.headers, 'authorization') && !headerNames.includes('authorization')) {
      if (!CHROMIUM_WILDCARD_COVERS_AUTHORIZATION) {
        return fail(
          'HeaderDisallowedByPreflightResponse',
          'authorization',
          'preflight.headers',
          "'*' in Access-Control-Allow-Headers does not cover Authorization: it must be listed by name",
        );
      }
      steps.push({
        step: 'preflight.authorization-wildcard',
        outcome: 'pass',
        detail:
          "Authorization is covered only by '*' in Access-Control-Allow-Headers: Chromium allows it today, but the Fetch Standard (and Firefox) require it to be listed by name",
      });
    }
  } else {
    // Chromium walks the request's header vector, filled from Blink's hash-ordered HTTPHeaderMap: when
    // several names are disallowed, the one it names follows that order (header-order.ts predicts it;
    // every candidate stays in `disallowedHeaders`, sorted).
    const disallowed = [...new Set(corsUnsafeNotForbiddenRequestHeaderNames(actual.headers))]
      .filter((name) => !headerNames.includes(name))
      .sort();
    const named =
      disallowed.length > 1
        ? (predictHeaderOrder(
            actual.headers.map(([n]) => n),
            pageOrigin,
          ).find((n) => disallowed.includes(n)) ?? disallowed[0]!)
        : disallowed[0];
    if (disallowed.length > 0) {
      const why =
        credentialed && headerNames.includes('*')
          ? " ('*' is a literal header name when credentials are included)"
          : '';
      const result = fail(
        'HeaderDisallowedByPreflightResponse',
        named!,
        'preflight.headers',
        `${disallowed.join(', ')} ${disallowed.length === 1 ? 'is' : 'are'} not in Access-Control-Allow-Headers [${headerNames.join(', ')}]${why}`,
      );
      return { ...result, disallowedHeaders: disallowed } as PreflightResult;
    }
  }
  steps.push({ step: 'preflight.headers', outcome: 'pass', detail: 'every unsafe request header allowed' });
  return {
    ok: true,
    methods,
    headerNames,
    maxAgeSeconds: preflightMaxAge(getHeader(response.headers, 'Access-Control-Max-Age')),
    steps,
  };
}
