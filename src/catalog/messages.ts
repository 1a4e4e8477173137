/**
 * What each browser prints for each reason, as templates (`{hint}`, `{url}`, `{status}` are filled in by
 * the browser). For the docs and reports; the explain recogniser has its own tolerant patterns.
 * Sources: shared/reference/browser-truth.md §1.2 (Chromium bodies, current main), §2.1 (Firefox
 * `security.properties`, with its ‘ ’ quotes), §3 (WebKit).
 */
import type { CorsError } from '../browser/types.ts';

/** Chromium's console prefix; `[PREFLIGHT]` is added for the eight preflight-prefixed errors. */
export const CHROME_PREFIX =
  "Access to fetch at '{url}' from origin '{origin}' has been blocked by CORS policy: ";
export const CHROME_PREFLIGHT = "Response to preflight request doesn't pass access control check: ";

const ACAO_WILDCARD =
  "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";
const ACAO_MISSING = "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const ACAO_MULTIPLE =
  "The 'Access-Control-Allow-Origin' header contains multiple values '{hint}', but only one is allowed. Have the server send the header with a valid value.";
const ACAO_INVALID =
  "The 'Access-Control-Allow-Origin' header contains the invalid value '{hint}'. Have the server send the header with a valid value.";
const ACAO_MISMATCH =
  "The 'Access-Control-Allow-Origin' header has a value '{hint}' that is not equal to the supplied origin. Have the server send the header with a valid value.";
const ACAC_INVALID =
  "The value of the 'Access-Control-Allow-Credentials' header in the response is '{hint}' which must be 'true' when the request's credentials mode is 'include'.";

/** Chromium CorsError → console body (after the prefix), for fetch(). */
export const CHROME_BODIES: Readonly<Partial<Record<CorsError, string>>> = {
  DisallowedByMode: 'Cross origin requests are not allowed by request mode.',
  InvalidResponse: 'The response is invalid.',
  WildcardOriginNotAllowed: ACAO_WILDCARD,
  PreflightWildcardOriginNotAllowed: CHROME_PREFLIGHT + ACAO_WILDCARD,
  MissingAllowOriginHeader: ACAO_MISSING,
  PreflightMissingAllowOriginHeader: CHROME_PREFLIGHT + ACAO_MISSING,
  MultipleAllowOriginValues: ACAO_MULTIPLE,
  PreflightMultipleAllowOriginValues: CHROME_PREFLIGHT + ACAO_MULTIPLE,
  InvalidAllowOriginValue: ACAO_INVALID,
  PreflightInvalidAllowOriginValue: CHROME_PREFLIGHT + ACAO_INVALID,
  AllowOriginMismatch: ACAO_MISMATCH,
  PreflightAllowOriginMismatch: CHROME_PREFLIGHT + ACAO_MISMATCH,
  InvalidAllowCredentials: ACAC_INVALID,
  PreflightInvalidAllowCredentials: CHROME_PREFLIGHT + ACAC_INVALID,
  CorsDisabledScheme: 'Cross origin requests are only supported for protocol schemes: {schemes}.',
  PreflightInvalidStatus: `${CHROME_PREFLIGHT}It does not have HTTP ok status.`,
  PreflightDisallowedRedirect: `${CHROME_PREFLIGHT}Redirect is not allowed for a preflight request.`,
  InvalidAllowMethodsPreflightResponse:
    'Cannot parse Access-Control-Allow-Methods response header field in preflight response.',
  InvalidAllowHeadersPreflightResponse:
    'Cannot parse Access-Control-Allow-Headers response header field in preflight response.',
  MethodDisallowedByPreflightResponse:
    'Method {hint} is not allowed by Access-Control-Allow-Methods in preflight response.',
  HeaderDisallowedByPreflightResponse:
    'Request header field {hint} is not allowed by Access-Control-Allow-Headers in preflight response.',
  RedirectContainsCredentials:
    "Redirect location '{hint}' contains a username and password, which is disallowed for cross-origin requests.",
  InsecureLocalNetwork:
    'The request client is not a secure context and the resource is in more-private address space `{space}`.',
  InvalidLocalNetworkAccess:
    'Request had a target IP address space of `{target}` yet the resource is in address space `{space}`.',
  LocalNetworkAccessPermissionDenied:
    'Permission was denied for this request to access the `{space}` address space.',
};

const FF =
  'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at {url}.';

/** Firefox `security.properties` key → console text. */
export const FIREFOX_MESSAGES: Readonly<Record<string, string>> = {
  CORSDisabled: `${FF} (Reason: CORS disabled).`,
  CORSDidNotSucceed2: `${FF} (Reason: CORS request did not succeed). Status code: {status}.`,
  CORSOriginHeaderNotAdded: `${FF} (Reason: CORS header ‘Origin’ cannot be added).`,
  CORSExternalRedirectNotAllowed: `${FF} (Reason: CORS request external redirect not allowed).`,
  CORSRequestNotHttp: `${FF} (Reason: CORS request not http).`,
  CORSMissingAllowOrigin2: `${FF} (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: {status}.`,
  CORSMultipleAllowOriginNotAllowed: `${FF} (Reason: Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed).`,
  CORSAllowOriginNotMatchingOrigin: `${FF} (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘{value}’).`,
  CORSNotSupportingCredentials:
    'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘{url}’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).',
  CORSMethodNotFound: `${FF} (Reason: Did not find method in CORS header ‘Access-Control-Allow-Methods’).`,
  CORSMissingAllowCredentials: `${FF} (Reason: expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’).`,
  CORSPreflightDidNotSucceed3: `${FF} (Reason: CORS preflight response did not succeed). Status code: {status}.`,
  CORSInvalidAllowMethod: `${FF} (Reason: invalid token ‘{value}’ in CORS header ‘Access-Control-Allow-Methods’).`,
  CORSInvalidAllowHeader: `${FF} (Reason: invalid token ‘{value}’ in CORS header ‘Access-Control-Allow-Headers’).`,
  CORSMissingAllowHeaderFromPreflight2: `${FF} (Reason: header ‘{header}’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response).`,
  CORSAllowHeaderFromPreflightDeprecation:
    'Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at {url} soon. (Reason: When the `Access-Control-Allow-Headers` is `*`, the `Authorization` header is not covered. To include the `Authorization` header, it must be explicitly listed in CORS header `Access-Control-Allow-Headers`).',
};
