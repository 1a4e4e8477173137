/**
 * Chromium's console line for a CORS failure: third_party/blink/renderer/platform/loader/cors/
 * cors_error_string.cc GetErrorStringForConsoleMessage (current main; strings checked against the
 * running Chromium by test/browser/chromium-differential.test.ts), plus the renderer-side `Fetch API
 * cannot load` lines of core/fetch/fetch_manager.cc.
 */
import type { CorsError, Initiator } from '../types.ts';

const PREFLIGHT_PREFIX = "Response to preflight request doesn't pass access control check: ";
const S_FETCH = ' Have the server send the header with a valid value.';
const S_XHR =
  ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.';

/**
 * SchemeRegistry::ListOfCorsEnabledURLSchemes() as Chromium 156 prints it (the list drifts between
 * versions: `chrome-experimental-site-token-provider` is new in 2026).
 */
export const CORS_ENABLED_SCHEMES = [
  'chrome',
  'chrome-experimental-site-token-provider',
  'chrome-extension',
  'chrome-untrusted',
  'data',
  'http',
  'https',
  'isolated-app',
];

/** The errors whose body starts with the preflight prefix. */
const PREFLIGHT_PREFIXED = new Set<CorsError>([
  'PreflightWildcardOriginNotAllowed',
  'PreflightMissingAllowOriginHeader',
  'PreflightMultipleAllowOriginValues',
  'PreflightInvalidAllowOriginValue',
  'PreflightAllowOriginMismatch',
  'PreflightInvalidAllowCredentials',
  'PreflightInvalidStatus',
  'PreflightDisallowedRedirect',
]);

/** EncodeHint: printable ASCII kept, every other code unit as \uXXXX (upper-case hex). */
export function encodeHint(hint: string): string {
  let out = '';
  for (let i = 0; i < hint.length; i++) {
    const c = hint.charCodeAt(i);
    out += c >= 0x20 && c < 0x7f ? hint[i] : `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** The body of the line (after `…has been blocked by CORS policy: `) for one CorsError. */
export function chromeBody(error: CorsError, failedParameter: string, initiator: Initiator): string {
  const hint = encodeHint(failedParameter);
  const sFetch = initiator === 'fetch' ? S_FETCH : '';
  const sXhr = initiator === 'xhr' ? S_XHR : '';
  const base = error.startsWith('Preflight') ? error.slice('Preflight'.length) : error;
  const prefix = PREFLIGHT_PREFIXED.has(error) ? PREFLIGHT_PREFIX : '';
  switch (base) {
    case 'WildcardOriginNotAllowed':
      return `${prefix}The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.${sXhr}`;
    case 'MissingAllowOriginHeader':
      return `${prefix}No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
    case 'MultipleAllowOriginValues':
      return `${prefix}The 'Access-Control-Allow-Origin' header contains multiple values '${hint}', but only one is allowed.${sFetch}`;
    case 'InvalidAllowOriginValue':
      return `${prefix}The 'Access-Control-Allow-Origin' header contains the invalid value '${hint}'.${sFetch}`;
    case 'AllowOriginMismatch':
      return `${prefix}The 'Access-Control-Allow-Origin' header has a value '${hint}' that is not equal to the supplied origin.${sFetch}`;
    case 'InvalidAllowCredentials':
      return `${prefix}The value of the 'Access-Control-Allow-Credentials' header in the response is '${hint}' which must be 'true' when the request's credentials mode is 'include'.${sXhr}`;
    case 'InvalidStatus':
      return `${prefix}It does not have HTTP ok status.`;
    case 'DisallowedRedirect':
      return `${prefix}Redirect is not allowed for a preflight request.`;
  }
  switch (error) {
    case 'DisallowedByMode':
      return 'Cross origin requests are not allowed by request mode.';
    case 'InvalidResponse':
      return 'The response is invalid.';
    case 'CorsDisabledScheme':
      return `Cross origin requests are only supported for protocol schemes: ${CORS_ENABLED_SCHEMES.join(', ')}.`;
    case 'InvalidAllowMethodsPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Methods response header field in preflight response.';
    case 'InvalidAllowHeadersPreflightResponse':
      return 'Cannot parse Access-Control-Allow-Headers response header field in preflight response.';
    case 'MethodDisallowedByPreflightResponse':
      return `Method ${hint} is not allowed by Access-Control-Allow-Methods in preflight response.`;
    case 'HeaderDisallowedByPreflightResponse':
      return `Request header field ${hint} is not allowed by Access-Control-Allow-Headers in preflight response.`;
    case 'RedirectContainsCredentials':
      return `Redirect location '${hint}' contains a username and password, which is disallowed for cross-origin requests.`;
    case 'InsecureLocalNetwork':
      return `The request client is not a secure context and the resource is in more-private address space \`${hint}\`.`;
    case 'InvalidLocalNetworkAccess':
      return `Request had a target IP address space of \`${hint}\` yet the resource is in address space \`${hint}\`.`;
    case 'LocalNetworkAccessPermissionDenied':
      return `Permission was denied for this request to access the \`${hint}\` address space.`;
    default:
      return '';
  }
}

export interface ChromeMessageInput {
  error: CorsError;
  failedParameter: string;
  initiator: Initiator;
  /** The URL whose response failed (after redirects). */
  url: string;
  /** The URL the script asked for; shown as `(redirected from …)` when it differs from `url`. */
  initialUrl: string;
  /** The page's origin as Chromium prints it (never replaced by `null` after tainting). */
  origin: string;
  /** The reason text when the CorsError alone does not decide it (LNA names two address spaces). */
  body?: string;
}

/** `Access to fetch at '…' [(redirected from '…') ]from origin '…' has been blocked by CORS policy: …` */
export function chromeMessage(input: ChromeMessageInput): string {
  const kind = input.initiator === 'fetch' ? 'fetch' : 'XMLHttpRequest';
  const redirected = input.initialUrl !== input.url ? `(redirected from '${input.initialUrl}') ` : '';
  return `Access to ${kind} at '${input.url}' ${redirected}from origin '${input.origin}' has been blocked by CORS policy: ${input.body ?? chromeBody(input.error, input.failedParameter, input.initiator)}`;
}

/** fetch_manager.cc: `mode: 'same-origin'` to another origin (renderer-side, no network request). */
export function chromeSameOriginModeLine(url: string, origin: string): string {
  return `Fetch API cannot load ${url}. Request mode is "same-origin" but the URL's origin is not same as the request origin ${origin}.`;
}

/** fetch_manager.cc: `mode: 'no-cors'` with redirect ≠ follow. */
export function chromeNoCorsRedirectLine(url: string): string {
  return `Fetch API cannot load ${url}. Request mode is "no-cors" but the redirect mode is not "follow".`;
}

/** fetch_manager.cc: a scheme fetch() does not support. */
export function chromeUnsupportedSchemeLine(url: string, scheme: string): string {
  return `Fetch API cannot load ${url}. URL scheme "${scheme}" is not supported.`;
}

/** XMLHttpRequest::setRequestHeader with a forbidden name. */
export function chromeRefusedHeaderLine(name: string): string {
  return `Refused to set unsafe header "${name}"`;
}
