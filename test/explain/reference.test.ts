/**
 * explain against the console strings of shared/reference/browser-truth.md (§1.2–1.4 Chromium, §2.1
 * Firefox, §3 WebKit), CSP, mixed content and LNA lines, and real pastes with DevTools noise around them.
 * Real Chromium/Firefox/WebKit recordings are checked in engine-lines.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExplainedMessage, explain, type MessageValues } from '../../src/explain/index.ts';

const URL_ = 'https://api.example.com/data';
const ORIGIN = 'https://myapp.com';
const S_FETCH = ' Have the server send the header with a valid value.';
const S_FETCH_OLD =
  " Have the server send the header with a valid value, or, if an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.";
const S_XHR =
  ' The credentials mode of requests initiated by the XMLHttpRequest is controlled by the withCredentials attribute.';
const PRE = "Response to preflight request doesn't pass access control check: ";

const chrome = (body: string, kind = 'fetch', redirectedFrom?: string) =>
  `Access to ${kind} at '${URL_}' ${redirectedFrom ? `(redirected from '${redirectedFrom}') ` : ''}from origin '${ORIGIN}' has been blocked by CORS policy: ${body}`;
const FF = (reason: string, url = URL_) =>
  `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${url}. (Reason: ${reason}).`;

interface Case {
  name: string;
  input: string;
  browser: ExplainedMessage['browser'];
  corsError: string;
  /** The first (most likely) cause id, or null when no catalog cause applies. */
  first: string | null;
  /** Other ids that must be listed. */
  also?: string[];
  values?: Partial<MessageValues>;
  preflight?: boolean | null;
  /** Substrings of the check command (null: no command). */
  check?: string[] | null;
}

const ACAO_MISSING = "No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const WILDCARD =
  "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.";

const CASES: Case[] = [
  // §1.2 Chromium, current wordings
  {
    name: 'missing ACAO',
    input: chrome(ACAO_MISSING),
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'missing-allow-origin',
    also: ['origin-not-allowed', 'headers-missing-on-errors'],
    values: { url: URL_, origin: ORIGIN, kind: 'fetch' },
    preflight: false,
    check: [`check ${URL_} --origin ${ORIGIN}`],
  },
  {
    name: 'missing ACAO, old opaque suffix',
    input: chrome(
      `${ACAO_MISSING} If an opaque response serves your needs, set the request's mode to 'no-cors' to fetch the resource with CORS disabled.`,
    ),
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'missing-allow-origin',
  },
  {
    name: 'preflight missing ACAO',
    input: chrome(PRE + ACAO_MISSING),
    browser: 'chrome',
    corsError: 'PreflightMissingAllowOriginHeader',
    first: 'preflight-failed-status',
    also: ['headers-missing-on-errors', 'missing-allow-origin'],
    preflight: true,
  },
  {
    name: 'wildcard with credentials',
    input: chrome(WILDCARD),
    browser: 'chrome',
    corsError: 'WildcardOriginNotAllowed',
    first: 'wildcard-with-credentials',
    check: ['--credentials include'],
  },
  {
    name: 'wildcard with credentials, XHR',
    input: chrome(WILDCARD + S_XHR, 'XMLHttpRequest'),
    browser: 'chrome',
    corsError: 'WildcardOriginNotAllowed',
    first: 'wildcard-with-credentials',
    values: { kind: 'XMLHttpRequest' },
    check: ['--credentials include', '--initiator xhr'],
  },
  {
    name: 'preflight wildcard',
    input: chrome(PRE + WILDCARD),
    browser: 'chrome',
    corsError: 'PreflightWildcardOriginNotAllowed',
    first: 'wildcard-with-credentials',
    preflight: true,
  },
  {
    name: 'multiple values',
    input: chrome(
      `The 'Access-Control-Allow-Origin' header contains multiple values 'https://myapp.com, https://myapp.com', but only one is allowed.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'MultipleAllowOriginValues',
    first: 'duplicate-cors-headers',
    values: { value: 'https://myapp.com, https://myapp.com' },
  },
  {
    name: 'multiple values, preflight, old suffix',
    input: chrome(
      `${PRE}The 'Access-Control-Allow-Origin' header contains multiple values '*, https://myapp.com', but only one is allowed.${S_FETCH_OLD}`,
    ),
    browser: 'chrome',
    corsError: 'PreflightMultipleAllowOriginValues',
    first: 'duplicate-cors-headers',
    values: { value: '*, https://myapp.com' },
  },
  {
    name: 'invalid value (empty)',
    input: chrome(`The 'Access-Control-Allow-Origin' header contains the invalid value ''.${S_FETCH}`),
    browser: 'chrome',
    corsError: 'InvalidAllowOriginValue',
    first: 'origin-not-allowed',
    values: { value: '' },
  },
  {
    name: 'invalid value (no scheme)',
    input: chrome(
      `${PRE}The 'Access-Control-Allow-Origin' header contains the invalid value 'myapp.com'.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'PreflightInvalidAllowOriginValue',
    first: 'origin-mismatch',
    values: { value: 'myapp.com' },
  },
  {
    name: 'mismatch: trailing slash',
    input: chrome(
      `The 'Access-Control-Allow-Origin' header has a value 'https://myapp.com/' that is not equal to the supplied origin.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'AllowOriginMismatch',
    first: 'origin-mismatch',
    values: { value: 'https://myapp.com/' },
  },
  {
    name: 'mismatch: http vs https',
    input: chrome(
      `The 'Access-Control-Allow-Origin' header has a value 'http://myapp.com' that is not equal to the supplied origin.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'AllowOriginMismatch',
    first: 'origin-mismatch',
  },
  {
    name: 'mismatch: www',
    input: chrome(
      `The 'Access-Control-Allow-Origin' header has a value 'https://www.myapp.com' that is not equal to the supplied origin.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'AllowOriginMismatch',
    first: 'origin-mismatch',
  },
  {
    name: 'mismatch: :443',
    input: chrome(
      `The 'Access-Control-Allow-Origin' header has a value 'https://myapp.com:443' that is not equal to the supplied origin.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'AllowOriginMismatch',
    first: 'origin-mismatch',
  },
  {
    name: 'mismatch: another front end (fixed origin or cache)',
    input: chrome(
      `The 'Access-Control-Allow-Origin' header has a value 'https://admin.example.org' that is not equal to the supplied origin.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'AllowOriginMismatch',
    first: 'origin-not-allowed',
    also: ['missing-vary-origin'],
  },
  {
    name: 'preflight mismatch',
    input: chrome(
      `${PRE}The 'Access-Control-Allow-Origin' header has a value 'https://myapp.com/' that is not equal to the supplied origin.${S_FETCH}`,
    ),
    browser: 'chrome',
    corsError: 'PreflightAllowOriginMismatch',
    first: 'origin-mismatch',
    preflight: true,
  },
  {
    name: 'credentials not true',
    input: chrome(
      `The value of the 'Access-Control-Allow-Credentials' header in the response is '' which must be 'true' when the request's credentials mode is 'include'.`,
    ),
    browser: 'chrome',
    corsError: 'InvalidAllowCredentials',
    first: 'credentials-not-allowed',
    values: { value: '' },
    check: ['--credentials include'],
  },
  {
    name: 'preflight credentials True',
    input: chrome(
      `${PRE}The value of the 'Access-Control-Allow-Credentials' header in the response is 'True' which must be 'true' when the request's credentials mode is 'include'.${S_XHR}`,
      'XMLHttpRequest',
    ),
    browser: 'chrome',
    corsError: 'PreflightInvalidAllowCredentials',
    first: 'credentials-not-allowed',
    values: { value: 'True' },
  },
  {
    name: 'preflight status',
    input: chrome(`${PRE}It does not have HTTP ok status.`),
    browser: 'chrome',
    corsError: 'PreflightInvalidStatus',
    first: 'preflight-failed-status',
    preflight: true,
  },
  {
    name: 'preflight redirect',
    input: chrome(`${PRE}Redirect is not allowed for a preflight request.`),
    browser: 'chrome',
    corsError: 'PreflightDisallowedRedirect',
    first: 'preflight-redirect',
  },
  {
    name: 'ACAM unparsable',
    input: chrome('Cannot parse Access-Control-Allow-Methods response header field in preflight response.'),
    browser: 'chrome',
    corsError: 'InvalidAllowMethodsPreflightResponse',
    first: 'method-not-allowed',
    preflight: true,
  },
  {
    name: 'ACAH unparsable',
    input: chrome('Cannot parse Access-Control-Allow-Headers response header field in preflight response.'),
    browser: 'chrome',
    corsError: 'InvalidAllowHeadersPreflightResponse',
    first: 'header-not-allowed',
  },
  {
    name: 'method not allowed',
    input: chrome('Method PUT is not allowed by Access-Control-Allow-Methods in preflight response.'),
    browser: 'chrome',
    corsError: 'MethodDisallowedByPreflightResponse',
    first: 'method-not-allowed',
    values: { method: 'PUT' },
    check: ['--method PUT'],
  },
  {
    name: 'method lower case',
    input: chrome('Method patch is not allowed by Access-Control-Allow-Methods in preflight response.'),
    browser: 'chrome',
    corsError: 'MethodDisallowedByPreflightResponse',
    first: 'method-not-allowed',
    values: { method: 'patch' },
    check: ['--method patch'],
  },
  {
    name: 'header not allowed',
    input: chrome(
      'Request header field x-api-key is not allowed by Access-Control-Allow-Headers in preflight response.',
    ),
    browser: 'chrome',
    corsError: 'HeaderDisallowedByPreflightResponse',
    first: 'header-not-allowed',
    values: { header: 'x-api-key' },
    check: ['-H "x-api-key: x"'],
  },
  {
    name: 'authorization not allowed',
    input: chrome(
      'Request header field authorization is not allowed by Access-Control-Allow-Headers in preflight response.',
    ),
    browser: 'chrome',
    corsError: 'HeaderDisallowedByPreflightResponse',
    first: 'header-not-allowed',
    check: ['-H "authorization: Bearer x"'],
  },
  {
    name: 'CORS header set by the front end',
    input: chrome(
      'Request header field access-control-allow-origin is not allowed by Access-Control-Allow-Headers in preflight response.',
    ),
    browser: 'chrome',
    corsError: 'HeaderDisallowedByPreflightResponse',
    first: 'cors-headers-in-request',
    values: { header: 'access-control-allow-origin' },
  },
  {
    name: 'redirect with credentials',
    input: chrome(
      "Redirect location '' contains a username and password, which is disallowed for cross-origin requests.",
    ),
    browser: 'chrome',
    corsError: 'RedirectContainsCredentials',
    first: null,
  },
  {
    name: 'mode',
    input: chrome('Cross origin requests are not allowed by request mode.'),
    browser: 'chrome',
    corsError: 'DisallowedByMode',
    first: null,
  },
  {
    name: 'invalid response',
    input: chrome('The response is invalid.'),
    browser: 'chrome',
    corsError: 'InvalidResponse',
    first: 'network-error',
  },
  {
    name: 'scheme (file: page)',
    input:
      "Access to fetch at 'file:///C:/data.json' from origin 'null' has been blocked by CORS policy: Cross origin requests are only supported for protocol schemes: chrome, chrome-extension, chrome-untrusted, data, http, https, isolated-app.",
    browser: 'chrome',
    corsError: 'CorsDisabledScheme',
    first: null,
    values: { origin: 'null' },
    check: null,
  },
  {
    name: 'LNA permission denied',
    input: chrome('Permission was denied for this request to access the `loopback` address space.'),
    browser: 'chrome',
    corsError: 'LocalNetworkAccessPermissionDenied',
    first: 'local-network-access',
    values: { addressSpace: 'loopback' },
  },
  {
    name: 'LNA insecure',
    input: chrome(
      'The request client is not a secure context and the resource is in more-private address space `local`.',
    ),
    browser: 'chrome',
    corsError: 'InsecureLocalNetwork',
    first: 'local-network-access',
    values: { addressSpace: 'local' },
  },
  {
    name: 'LNA inconsistent',
    input: chrome(
      'Request had a target IP address space of `public` yet the resource is in address space `loopback`.',
    ),
    browser: 'chrome',
    corsError: 'InvalidLocalNetworkAccess',
    first: 'local-network-access',
    values: { addressSpace: 'loopback' },
  },
  // §1.3 older wordings
  {
    name: 'PNA preflight (old)',
    input: chrome(
      `${PRE}No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request targeting the \`private\` address space.`,
    ),
    browser: 'chrome',
    corsError: 'PreflightMissingAllowPrivateNetwork',
    first: 'local-network-access',
    values: { addressSpace: 'private' },
  },
  {
    name: 'PNA invalid (old, two spaces)',
    input: chrome(
      `${PRE}The 'Access-Control-Allow-Private-Network' header in the preflight response for this private network request targeting the \`local\` address space had a value of 'false',  not 'true'.`,
    ),
    browser: 'chrome',
    corsError: 'PreflightInvalidAllowPrivateNetwork',
    first: 'local-network-access',
  },
  {
    name: 'PNA unexpected (old)',
    input: chrome('Request had no target IP address space, yet the resource is in address space `private`.'),
    browser: 'chrome',
    corsError: 'UnexpectedPrivateNetworkAccess',
    first: 'local-network-access',
  },
  {
    name: 'external (2021)',
    input: chrome(
      `${PRE}No 'Access-Control-Allow-External' header was present in the preflight response for this external request (This is an experimental header which is defined in 'https://wicg.github.io/cors-rfc1918/').`,
    ),
    browser: 'chrome',
    corsError: 'PreflightMissingAllowExternal',
    first: 'local-network-access',
  },
  // Resource kinds, redirects, issue-summary variant, bare bodies
  {
    name: 'script',
    input: chrome(ACAO_MISSING, 'script'),
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'missing-allow-origin',
    values: { kind: 'script' },
  },
  {
    name: 'font',
    input: chrome(ACAO_MISSING, 'font'),
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'missing-allow-origin',
    values: { kind: 'font' },
  },
  {
    name: 'CSS stylesheet',
    input: chrome(ACAO_MISSING, 'CSS stylesheet'),
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'missing-allow-origin',
    values: { kind: 'CSS stylesheet' },
  },
  {
    name: 'redirected from',
    input: chrome(ACAO_MISSING, 'fetch', 'https://api.example.com/old'),
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'missing-allow-origin',
    values: { initialUrl: 'https://api.example.com/old', url: URL_ },
    check: ['check https://api.example.com/old --origin'],
  },
  {
    name: 'issue summary',
    input: `Access blocked by CORS policy: ${PRE}It does not have HTTP ok status.`,
    browser: 'chrome',
    corsError: 'PreflightInvalidStatus',
    first: 'preflight-failed-status',
    check: null,
  },
  {
    name: 'bare body',
    input: "No 'Access-Control-Allow-Origin' header is present on the requested resource.",
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'missing-allow-origin',
    check: null,
  },
  {
    name: 'unknown body',
    input: chrome('Something new the browser says.'),
    browser: 'chrome',
    corsError: 'Unknown',
    first: null,
    check: [`check ${URL_}`],
  },
  // §1.4
  {
    name: 'mode same-origin',
    input: `Fetch API cannot load ${URL_}. Request mode is "same-origin" but the URL's origin is not same as the request origin ${ORIGIN}.`,
    browser: 'chrome',
    corsError: 'DisallowedByMode',
    first: null,
    values: { url: URL_, origin: ORIGIN },
  },
  {
    name: 'scheme not supported',
    input: 'Fetch API cannot load file:///tmp/x.json. URL scheme "file" is not supported.',
    browser: 'chrome',
    corsError: 'CorsDisabledScheme',
    first: null,
  },
  {
    name: 'no-cors redirect',
    input: `Fetch API cannot load ${URL_}. Request mode is "no-cors" but the redirect mode is not "follow".`,
    browser: 'chrome',
    corsError: 'NoCorsRedirectModeNotFollow',
    first: 'opaque-response',
  },
  {
    name: 'unsafe header Origin',
    input: 'Refused to set unsafe header "Origin"',
    browser: 'chrome',
    corsError: 'UnsafeHeader',
    first: 'cors-headers-in-request',
    values: { header: 'Origin' },
  },
  {
    name: 'LNA websocket',
    input:
      "WebSocket connection to 'ws://192.168.1.20:8080/' failed: Error in connection establishment: net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS",
    browser: 'chrome',
    corsError: 'net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS',
    first: 'local-network-access',
    values: { url: 'ws://192.168.1.20:8080/' },
  },
  {
    name: 'connection refused',
    input: `GET ${URL_} net::ERR_CONNECTION_REFUSED`,
    browser: 'chrome',
    corsError: 'net::ERR_CONNECTION_REFUSED',
    first: 'network-error',
    values: { method: 'GET', netError: 'net::ERR_CONNECTION_REFUSED' },
  },
  // CSP (mistake 10), mixed content
  {
    name: 'CSP (Chrome, older)',
    input: `Refused to connect to '${URL_}' because it violates the following Content Security Policy directive: "connect-src 'self'".`,
    browser: 'chrome',
    corsError: 'CSPViolation',
    first: 'csp-blocks-request',
    values: { url: URL_, directive: "connect-src 'self'" },
    check: ['--page'],
  },
  {
    name: 'CSP (Chrome, newer)',
    input: `Connecting to '${URL_}' violates the following Content Security Policy directive: "default-src 'self'". Note that 'connect-src' was not explicitly set, so 'default-src' is used as a fallback. The action has been blocked.`,
    browser: 'chrome',
    corsError: 'CSPViolation',
    first: 'csp-blocks-request',
    values: { directive: "default-src 'self'" },
  },
  {
    name: 'CSP (Safari)',
    input: `Refused to connect to ${URL_} because it does not appear in the connect-src directive of the Content Security Policy.`,
    browser: 'safari',
    corsError: 'CSPViolation',
    first: 'csp-blocks-request',
    values: { url: URL_, directive: 'connect-src' },
  },
  {
    name: 'CSP (Firefox)',
    input: `Content-Security-Policy: The page’s settings blocked the loading of a resource (connect-src) at ${URL_} because it violates the following directive: “connect-src 'self'”`,
    browser: 'firefox',
    corsError: 'CSPViolation',
    first: 'csp-blocks-request',
    values: { url: URL_, directive: "connect-src 'self'" },
  },
  {
    name: 'CSP (Firefox, older)',
    input: `Content Security Policy: The page’s settings blocked the loading of a resource at ${URL_} (“connect-src”).`,
    browser: 'firefox',
    corsError: 'CSPViolation',
    first: 'csp-blocks-request',
    values: { url: URL_, directive: 'connect-src' },
  },
  {
    name: 'mixed content (Chrome)',
    input:
      "Mixed Content: The page at 'https://myapp.com/' was loaded over HTTPS, but requested an insecure resource 'http://api.example.com/data'. This request has been blocked; the content must be served over HTTPS.",
    browser: 'chrome',
    corsError: 'MixedContent',
    first: 'mixed-content',
    values: { url: 'http://api.example.com/data', pageUrl: 'https://myapp.com/' },
    check: null,
  },
  {
    name: 'mixed content (Firefox)',
    input: 'Blocked loading mixed active content “http://api.example.com/data”',
    browser: 'firefox',
    corsError: 'MixedContent',
    first: 'mixed-content',
    values: { url: 'http://api.example.com/data' },
  },
  {
    name: 'mixed content (Safari)',
    input:
      '[blocked] The page at https://myapp.com/ was not allowed to display insecure content from http://api.example.com/data.',
    browser: 'safari',
    corsError: 'MixedContent',
    first: 'mixed-content',
    values: { url: 'http://api.example.com/data' },
  },
  // §2.1 Firefox, every key
  {
    name: 'FF missing ACAO 200',
    input: `${FF('CORS header ‘Access-Control-Allow-Origin’ missing')} Status code: 200.`,
    browser: 'firefox',
    corsError: 'CORSMissingAllowOrigin2',
    first: 'missing-allow-origin',
    also: ['preflight-failed-status'],
    values: { url: URL_, status: 200 },
    check: ['<your-page-origin>', '--browser firefox'],
  },
  {
    name: 'FF missing ACAO 401',
    input: `${FF('CORS header ‘Access-Control-Allow-Origin’ missing')} Status code: 401.`,
    browser: 'firefox',
    corsError: 'CORSMissingAllowOrigin2',
    first: 'headers-missing-on-errors',
    values: { status: 401 },
  },
  {
    name: 'FF missing ACAO, status (null)',
    input: `${FF('CORS header ‘Access-Control-Allow-Origin’ missing')} Status code: (null).`,
    browser: 'firefox',
    corsError: 'CORSMissingAllowOrigin2',
    first: 'network-error',
  },
  {
    name: 'FF did not succeed',
    input: `${FF('CORS request did not succeed')} Status code: (null).`,
    browser: 'firefox',
    corsError: 'CORSDidNotSucceed2',
    first: 'network-error',
  },
  {
    name: 'FF disabled',
    input: FF('CORS disabled'),
    browser: 'firefox',
    corsError: 'CORSDisabled',
    first: null,
  },
  {
    name: 'FF origin not added',
    input: FF('CORS header ‘Origin’ cannot be added'),
    browser: 'firefox',
    corsError: 'CORSOriginHeaderNotAdded',
    first: null,
  },
  {
    name: 'FF external redirect',
    input: FF('CORS request external redirect not allowed'),
    browser: 'firefox',
    corsError: 'CORSExternalRedirectNotAllowed',
    first: 'preflight-redirect',
  },
  {
    name: 'FF not http',
    input: FF('CORS request not http', 'file:///tmp/x.json'),
    browser: 'firefox',
    corsError: 'CORSRequestNotHttp',
    first: null,
  },
  {
    name: 'FF multiple',
    input: FF('Multiple CORS header ‘Access-Control-Allow-Origin’ not allowed'),
    browser: 'firefox',
    corsError: 'CORSMultipleAllowOriginNotAllowed',
    first: 'duplicate-cors-headers',
  },
  {
    name: 'FF not matching (trailing slash)',
    input: FF('CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://myapp.com/’'),
    browser: 'firefox',
    corsError: 'CORSAllowOriginNotMatchingOrigin',
    first: 'origin-mismatch',
    values: { value: 'https://myapp.com/' },
  },
  {
    name: 'FF not matching (other origin)',
    input: FF('CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://admin.example.org’'),
    browser: 'firefox',
    corsError: 'CORSAllowOriginNotMatchingOrigin',
    first: 'origin-not-allowed',
    also: ['missing-vary-origin', 'origin-mismatch'],
  },
  {
    name: 'FF credentials + wildcard',
    input: `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ‘${URL_}’. (Reason: Credential is not supported if the CORS header ‘Access-Control-Allow-Origin’ is ‘*’).`,
    browser: 'firefox',
    corsError: 'CORSNotSupportingCredentials',
    first: 'wildcard-with-credentials',
    values: { url: URL_ },
    check: ['--credentials include'],
  },
  {
    name: 'FF method not found',
    input: FF('Did not find method in CORS header ‘Access-Control-Allow-Methods’'),
    browser: 'firefox',
    corsError: 'CORSMethodNotFound',
    first: 'method-not-allowed',
  },
  {
    name: 'FF credentials',
    input: FF('expected ‘true’ in CORS header ‘Access-Control-Allow-Credentials’'),
    browser: 'firefox',
    corsError: 'CORSMissingAllowCredentials',
    first: 'credentials-not-allowed',
    check: ['--credentials include'],
  },
  {
    name: 'FF preflight 404',
    input: `${FF('CORS preflight response did not succeed')} Status code: 404.`,
    browser: 'firefox',
    corsError: 'CORSPreflightDidNotSucceed3',
    first: 'preflight-failed-status',
    values: { status: 404 },
  },
  {
    name: 'FF preflight 302',
    input: `${FF('CORS preflight response did not succeed')} Status code: 302.`,
    browser: 'firefox',
    corsError: 'CORSPreflightDidNotSucceed3',
    first: 'preflight-redirect',
  },
  {
    name: 'FF preflight channel (MDN wording)',
    input: FF('CORS preflight channel did not succeed'),
    browser: 'firefox',
    corsError: 'CORSPreflightDidNotSucceed',
    first: 'preflight-failed-status',
  },
  {
    name: 'FF invalid method token',
    input: FF('invalid token ‘PUT;’ in CORS header ‘Access-Control-Allow-Methods’'),
    browser: 'firefox',
    corsError: 'CORSInvalidAllowMethod',
    first: 'method-not-allowed',
    values: { value: 'PUT;' },
  },
  {
    name: 'FF invalid header token',
    input: FF('invalid token ‘x y’ in CORS header ‘Access-Control-Allow-Headers’'),
    browser: 'firefox',
    corsError: 'CORSInvalidAllowHeader',
    first: 'header-not-allowed',
    values: { value: 'x y' },
  },
  {
    name: 'FF header not allowed',
    input: FF(
      'header ‘x-api-key’ is not allowed according to header ‘Access-Control-Allow-Headers’ from CORS preflight response',
    ),
    browser: 'firefox',
    corsError: 'CORSMissingAllowHeaderFromPreflight2',
    first: 'header-not-allowed',
    values: { header: 'x-api-key' },
    check: ['-H "x-api-key: x"'],
  },
  {
    name: 'FF missing token (MDN wording, ASCII quotes)',
    input: FF(
      "missing token 'x-api-key' in CORS header 'Access-Control-Allow-Headers' from CORS preflight channel",
    ),
    browser: 'firefox',
    corsError: 'CORSMissingAllowHeaderFromPreflight',
    first: 'header-not-allowed',
    values: { header: 'x-api-key' },
  },
  {
    name: 'FF warning',
    input: `Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at ${URL_} soon. (Reason: When the \`Access-Control-Allow-Headers\` is \`*\`, the \`Authorization\` header is not covered. To include the \`Authorization\` header, it must be explicitly listed in CORS header \`Access-Control-Allow-Headers\`).`,
    browser: 'firefox',
    corsError: 'CORSAllowHeaderFromPreflightDeprecation',
    first: 'header-not-allowed',
    values: { header: 'authorization', url: URL_ },
  },
  // §3 WebKit
  {
    name: 'WK origin not allowed + URL line',
    input: `[Error] Origin ${ORIGIN} is not allowed by Access-Control-Allow-Origin. Status code: 200\n[Error] Fetch API cannot load ${URL_} due to access control checks.\n[Error] Failed to load resource: Origin ${ORIGIN} is not allowed by Access-Control-Allow-Origin. Status code: 200`,
    browser: 'safari',
    corsError: 'OriginNotAllowed',
    first: 'missing-allow-origin',
    also: ['origin-not-allowed', 'origin-mismatch'],
    values: { url: URL_, origin: ORIGIN, status: 200 },
    check: [`check ${URL_} --origin ${ORIGIN}`, '--browser safari'],
  },
  {
    name: 'WK origin not allowed 500',
    input: `Origin ${ORIGIN} is not allowed by Access-Control-Allow-Origin. Status code: 500`,
    browser: 'safari',
    corsError: 'OriginNotAllowed',
    first: 'headers-missing-on-errors',
    values: { status: 500 },
  },
  {
    name: 'WK wildcard',
    input: `Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.\nXMLHttpRequest cannot load ${URL_} due to access control checks.`,
    browser: 'safari',
    corsError: 'WildcardWithCredentials',
    first: 'wildcard-with-credentials',
    values: { url: URL_ },
    check: ['--credentials include'],
  },
  {
    name: 'WK multiple',
    input: 'Access-Control-Allow-Origin cannot contain more than one origin.',
    browser: 'safari',
    corsError: 'MultipleAllowOrigin',
    first: 'duplicate-cors-headers',
  },
  {
    name: 'WK credentials',
    input: 'Credentials flag is true, but Access-Control-Allow-Credentials is not "true".',
    browser: 'safari',
    corsError: 'AllowCredentialsNotTrue',
    first: 'credentials-not-allowed',
  },
  {
    name: 'WK preflight 405',
    input: `Preflight response is not successful. Status code: 405\nFetch API cannot load ${URL_} due to access control checks.`,
    browser: 'safari',
    corsError: 'PreflightNotSuccessful',
    first: 'preflight-failed-status',
    values: { status: 405, url: URL_ },
  },
  {
    name: 'WK preflight 301',
    input: 'Preflight response is not successful. Status code: 301',
    browser: 'safari',
    corsError: 'PreflightNotSuccessful',
    first: 'preflight-redirect',
  },
  {
    name: 'WK invalid ACAM',
    input: 'Header Access-Control-Allow-Methods has an invalid value: PUT;DELETE',
    browser: 'safari',
    corsError: 'InvalidAllowMethods',
    first: 'method-not-allowed',
    values: { value: 'PUT;DELETE' },
  },
  {
    name: 'WK invalid ACAH',
    input: 'Header Access-Control-Allow-Headers has an invalid value: "x"',
    browser: 'safari',
    corsError: 'InvalidAllowHeaders',
    first: 'header-not-allowed',
  },
  {
    name: 'WK method',
    input: 'Method DELETE is not allowed by Access-Control-Allow-Methods.',
    browser: 'safari',
    corsError: 'MethodNotAllowed',
    first: 'method-not-allowed',
    values: { method: 'DELETE' },
  },
  {
    name: 'WK header (case kept)',
    input: 'Request header field X-Api-Key is not allowed by Access-Control-Allow-Headers.',
    browser: 'safari',
    corsError: 'HeaderNotAllowed',
    first: 'header-not-allowed',
    values: { header: 'X-Api-Key' },
  },
  {
    name: 'WK redirect denied',
    input: `Cross-origin redirection to https://cdn.example.net/data denied by Cross-Origin Resource Sharing policy: Origin ${ORIGIN} is not allowed by Access-Control-Allow-Origin. Status code: 302\nFetch API cannot load ${URL_} due to access control checks.`,
    browser: 'safari',
    corsError: 'OriginNotAllowed',
    first: 'missing-allow-origin',
    values: {
      url: 'https://cdn.example.net/data',
      initialUrl: URL_,
      redirectedTo: 'https://cdn.example.net/data',
      status: 302,
    },
    check: [`check ${URL_} --origin ${ORIGIN}`],
  },
  {
    name: 'WK redirect scheme',
    input: 'not allowed to follow a cross-origin CORS redirection with non CORS scheme',
    browser: 'safari',
    corsError: 'RedirectNonCorsScheme',
    first: null,
  },
  {
    name: 'WK redirect credentials',
    input: 'redirection URL https://u:p@api.example.com/ has credentials',
    browser: 'safari',
    corsError: 'RedirectWithCredentials',
    first: null,
  },
  {
    name: 'WK URL line alone',
    input: `Fetch API cannot load ${URL_} due to access control checks.`,
    browser: 'safari',
    corsError: 'AccessControlChecks',
    first: 'missing-allow-origin',
    values: { url: URL_ },
  },
  {
    name: 'WK image line',
    input: `Cannot load image ${URL_} due to access control checks.`,
    browser: 'safari',
    corsError: 'AccessControlChecks',
    first: 'missing-allow-origin',
    values: { url: URL_ },
  },
  // mistake 11: a CORS proxy in the URL
  {
    name: 'CORS proxy',
    input: `Access to fetch at 'https://cors-anywhere.herokuapp.com/https://api.example.com/data' from origin '${ORIGIN}' has been blocked by CORS policy: ${ACAO_MISSING}`,
    browser: 'chrome',
    corsError: 'MissingAllowOriginHeader',
    first: 'cors-proxy-in-use',
    also: ['missing-allow-origin'],
  },
];

function only(text: string): ExplainedMessage {
  const outcome = explain(text);
  assert.ok(outcome.ok);
  assert.equal(
    outcome.result.messages.length,
    1,
    `expected one message, got ${JSON.stringify(outcome.result.messages.map((m) => m.corsError))}`,
  );
  return outcome.result.messages[0]!;
}

function assertCase(c: Case, m: ExplainedMessage): void {
  assert.equal(m.browser, c.browser);
  assert.equal(m.corsError, c.corsError);
  assert.equal(
    m.causes[0]?.id ?? null,
    c.first,
    `first cause of ${JSON.stringify(m.causes.map((x) => x.id))}`,
  );
  for (const id of c.also ?? [])
    assert.ok(
      m.causes.some((x) => x.id === id),
      `${id} missing from causes`,
    );
  for (const [k, v] of Object.entries(c.values ?? {}))
    assert.deepEqual(m.values[k as keyof MessageValues], v, `values.${k}`);
  if (c.preflight !== undefined) assert.equal(m.preflight, c.preflight);
  if (c.check === null) assert.equal(m.check, null);
  else
    for (const part of c.check ?? [])
      assert.ok(m.check?.includes(part), `check '${m.check}' lacks '${part}'`);
  for (const cause of m.causes) {
    assert.ok(cause.cause.length > 10 && cause.fix.length > 10, 'cause and fix are sentences');
    assert.equal(cause.docs, `docs/mistakes/${cause.id}.md`);
  }
  if (m.causes.length > 1)
    assert.ok(m.tellApart || m.causes.every((x, i) => i === 0 || x.likelihood !== 'likely'));
}

describe('explain: reference strings', () => {
  for (const c of CASES) {
    it(c.name, () => assertCase(c, only(c.input)));
  }
});

describe('explain: real pastes', () => {
  it('reads a message wrapped over lines (at spaces and inside words), with DevTools noise', () => {
    const paste = `VM123:1 Access to fetch at 'https://api.example.com/data' from origin 'https://myapp.com'
has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present
on the reque
sted resource.
GET https://api.example.com/data net::ERR_FAILED 200 (OK)
(anonymous) @ VM123:1
Uncaught (in promise) TypeError: Failed to fetch
    at <anonymous>:1:1`;
    const m = only(paste);
    assert.equal(m.corsError, 'MissingAllowOriginHeader');
    assert.equal(m.values.status, 200, 'status taken from the network line');
    assert.equal(m.causes[0]?.id, 'missing-allow-origin');
  });

  it('reads a URL wrapped in the middle', () => {
    const m = only(
      `Access to fetch at 'https://api.exam\nple.com/data' from origin 'https://myapp.com' has been blocked by CORS policy: ${ACAO_MISSING}`,
    );
    assert.equal(m.url, URL_);
  });

  it('takes the status of the network line: 401 → headers only on successes', () => {
    const m = only(
      `localhost/:1 ${chrome(ACAO_MISSING)}\napp.js:12 GET ${URL_} net::ERR_FAILED 401 (Unauthorized)`,
    );
    assert.equal(m.values.status, 401);
    assert.equal(m.causes[0]?.id, 'headers-missing-on-errors');
  });

  it('takes the method of a preflight from the network line', () => {
    const m = only(`${chrome(PRE + ACAO_MISSING)}\nPUT ${URL_} net::ERR_FAILED`);
    assert.equal(m.values.method, 'PUT');
    assert.ok(m.check?.includes('--method PUT'));
    assert.equal(m.values.status, undefined);
  });

  it("folds Firefox's follow-up 'CORS request did not succeed' into the reason before it", () => {
    const m = only(
      `${FF('CORS header ‘Access-Control-Allow-Origin’ missing')} Status code: 307.\n${FF('CORS request did not succeed')} Status code: (null).`,
    );
    assert.equal(m.corsError, 'CORSMissingAllowOrigin2');
    assert.equal(m.values.status, 307);
    assert.equal(m.causes[0]?.id, 'preflight-redirect');
  });

  it('keeps several messages in the order pasted', () => {
    const outcome = explain(
      [
        chrome('Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.'),
        'DELETE https://api.example.com/data net::ERR_FAILED',
        `${FF('CORS header ‘Access-Control-Allow-Origin’ missing')} Status code: 500.`,
        `Refused to connect to '${URL_}' because it violates the following Content Security Policy directive: "connect-src 'self'".`,
      ].join('\n'),
    );
    assert.ok(outcome.ok);
    assert.deepEqual(
      outcome.result.messages.map((m) => m.corsError),
      ['MethodDisallowedByPreflightResponse', 'CORSMissingAllowOrigin2', 'CSPViolation'],
    );
  });

  it('accepts a message pasted twice on one line and Safari timestamps', () => {
    const outcome = explain(`12:01:02.123 ${chrome(ACAO_MISSING)} ${chrome(ACAO_MISSING)}`);
    assert.ok(outcome.ok);
    assert.equal(outcome.result.messages.length, 2);
  });

  it('answers text without a CORS message with hints, not a guess', () => {
    for (const text of [
      'hello',
      'Uncaught (in promise) TypeError: Failed to fetch',
      `GET ${URL_} net::ERR_FAILED 200 (OK)`,
      '',
    ]) {
      const outcome = explain(text);
      assert.ok(outcome.ok);
      assert.equal(outcome.result.messages.length, 0, text);
    }
    const r = explain('Uncaught (in promise) TypeError: Failed to fetch');
    assert.ok(r.ok && r.result.hints.some((h) => h.includes('Failed to fetch')));
    const f = explain('TypeError: NetworkError when attempting to fetch resource.');
    assert.ok(f.ok && f.result.hints.some((h) => h.includes('NetworkError')));
  });

  it('refuses input over the size cap with a clear message', () => {
    const outcome = explain('x'.repeat(300_000));
    assert.equal(outcome.ok, false);
    assert.ok(!outcome.ok && /at most \d+/.test(outcome.message));
  });
});
