/**
 * The mistake catalog as data, in the project's own words. Facts come from the seed catalog
 * (shared/seed) and the browser sources (shared/reference/browser-truth.md); the sentences are ours.
 * Fix snippets live in ./snippets.ts so that `explain` can load these words without them.
 */
import type { FindingId } from './ids.ts';
import type { CatalogEntry } from './types.ts';

const WEBKIT_NOT_ALLOWED =
  'Origin {origin} is not allowed by Access-Control-Allow-Origin. Status code: {status}';

export const ENTRIES: readonly CatalogEntry[] = [
  {
    id: 'missing-allow-origin',
    mistake: 1,
    group: 'mistake',
    title: 'No Access-Control-Allow-Origin on the response',
    severity: 'error',
    symptoms: {
      seen: 'The request works from curl or Postman, but the page gets a CORS error and `TypeError: Failed to fetch`.',
      chrome: ['MissingAllowOriginHeader', 'PreflightMissingAllowOriginHeader'],
      firefox: ['CORSMissingAllowOrigin2'],
      safari: [WEBKIT_NOT_ALLOWED],
      other: [],
    },
    cause:
      'The server sends no Access-Control-Allow-Origin header at all. Either CORS was never set up on this server, or the CORS middleware does not run for this route (mounted on another router or path, or after the handler that answered). Browsers block cross-origin reads unless the server opts in; curl and Postman do not enforce CORS, so they never show it.',
    fix: "Send `Access-Control-Allow-Origin` with the page's exact origin (or `*` for a public API without credentials) on every response of this route, by running the CORS middleware before all routes.",
  },
  {
    id: 'origin-not-allowed',
    mistake: 1,
    group: 'mistake',
    title: 'CORS is set up, but not for this origin',
    severity: 'error',
    symptoms: {
      seen: "Other front ends can call the API, this one cannot. The console reports a missing or different Access-Control-Allow-Origin for this page's origin only.",
      chrome: [
        'MissingAllowOriginHeader',
        'PreflightMissingAllowOriginHeader',
        'AllowOriginMismatch',
        'PreflightAllowOriginMismatch',
        'InvalidAllowOriginValue',
        'PreflightInvalidAllowOriginValue',
      ],
      firefox: ['CORSMissingAllowOrigin2', 'CORSAllowOriginNotMatchingOrigin'],
      safari: [WEBKIT_NOT_ALLOWED],
      other: [],
    },
    cause:
      "The server has an allow-list and answers the origins on it, but this page's origin is not on it, and no near-miss of it is either. Most CORS libraries then leave Access-Control-Allow-Origin out (or send a fixed value for another origin), so the browser blocks the read.",
    fix: "Add this page's exact origin (scheme://host[:port], as the browser's `Origin` request header shows it) to the server's allowed origins.",
  },
  {
    id: 'wildcard-with-credentials',
    mistake: 2,
    group: 'mistake',
    title: '`*` used on a request with credentials',
    severity: 'error',
    symptoms: {
      seen: "A request sent with `credentials: 'include'` (or `withCredentials = true`) is blocked although the server answers `Access-Control-Allow-Origin: *`.",
      chrome: ['WildcardOriginNotAllowed', 'PreflightWildcardOriginNotAllowed'],
      firefox: ['CORSNotSupportingCredentials'],
      safari: ['Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.'],
      other: [],
    },
    cause:
      'For requests that carry cookies or HTTP authentication, the Fetch Standard forbids the wildcard: the server has to name the one origin it trusts. The same holds for `*` in Access-Control-Allow-Headers, -Allow-Methods and -Expose-Headers, which count as the literal name `*` when credentials are included.',
    fix: 'Check the request origin against an allow-list and echo that one origin back, with `Access-Control-Allow-Credentials: true` and `Vary: Origin`; list methods and headers by name instead of `*`.',
  },
  {
    id: 'credentials-not-allowed',
    mistake: 2,
    group: 'mistake',
    title: 'Credentials sent, but Access-Control-Allow-Credentials is not `true`',
    severity: 'error',
    symptoms: {
      seen: 'A credentialed request is blocked although Access-Control-Allow-Origin names the right origin.',
      chrome: ['InvalidAllowCredentials', 'PreflightInvalidAllowCredentials'],
      firefox: ['CORSMissingAllowCredentials'],
      safari: ['Credentials flag is true, but Access-Control-Allow-Credentials is not "true".'],
      other: [],
    },
    cause:
      "When the page sends credentials, the browser also needs `Access-Control-Allow-Credentials: true`, spelled exactly so (lower-case `true`, one value). A missing header, `True`, `1` or a repeated header all fail. Often the front end added `credentials: 'include'` while the server was configured without credentials.",
    fix: "If the API really needs cookies or HTTP auth, send `Access-Control-Allow-Credentials: true` (together with the exact origin); otherwise drop `credentials: 'include'` / `withCredentials` from the front end.",
  },
  {
    id: 'preflight-failed-status',
    mistake: 3,
    group: 'mistake',
    title: 'The preflight (OPTIONS) request is not handled',
    severity: 'error',
    symptoms: {
      seen: 'The Network tab shows an OPTIONS request answered 404, 405, 401 or 500 (or without CORS headers), and the real request is never sent.',
      chrome: ['PreflightInvalidStatus', 'PreflightMissingAllowOriginHeader'],
      firefox: ['CORSPreflightDidNotSucceed3', 'CORSMissingAllowOrigin2'],
      safari: ['Preflight response is not successful. Status code: {status}'],
      other: [],
    },
    cause:
      "Requests with a method other than GET/HEAD/POST, with custom headers (Authorization, X-…) or a JSON Content-Type make the browser ask first with an OPTIONS request. Routers only answer the methods you registered, so OPTIONS ends in 404/405, or authentication rejects it (the preflight never carries credentials). Chrome checks the CORS headers before the status, so an unhandled preflight usually shows up as a missing Access-Control-Allow-Origin 'in preflight'.",
    fix: 'Let the CORS middleware answer OPTIONS for every route, before routing and authentication, with a 2xx status (204) and the Allow-Origin, -Methods and -Headers the request asks for.',
  },
  {
    id: 'preflight-redirect',
    mistake: 3,
    group: 'mistake',
    title: 'The preflight is answered with a redirect',
    severity: 'error',
    symptoms: {
      seen: 'The OPTIONS request gets a 301/302/307/308 (trailing slash, http→https, a login page) and the request fails.',
      chrome: ['PreflightDisallowedRedirect'],
      firefox: ['CORSExternalRedirectNotAllowed'],
      safari: ['Preflight response is not successful. Status code: {status}'],
      other: [],
    },
    cause:
      'Browsers never follow a redirect on a preflight. A server that redirects `/api/items` to `/api/items/`, plain http to https, or unauthenticated users to a login page breaks every request that needs a preflight.',
    fix: 'Call the final URL directly from the front end (right scheme, host and trailing slash), and answer OPTIONS before any redirect or login rule.',
  },
  {
    id: 'method-not-allowed',
    mistake: 3,
    group: 'mistake',
    title: 'The method is not in Access-Control-Allow-Methods',
    severity: 'error',
    symptoms: {
      seen: 'GET and POST work, PUT/PATCH/DELETE are blocked after the preflight.',
      chrome: ['MethodDisallowedByPreflightResponse', 'InvalidAllowMethodsPreflightResponse'],
      firefox: ['CORSMethodNotFound', 'CORSInvalidAllowMethod'],
      safari: [
        'Method {method} is not allowed by Access-Control-Allow-Methods.',
        'Header Access-Control-Allow-Methods has an invalid value: {value}',
      ],
      other: [],
    },
    cause:
      "The preflight answer lists the methods the page may use, and this one is missing or the list cannot be parsed. The comparison is case-sensitive: `fetch(url, { method: 'patch' })` sends `patch`, which does not match `PATCH`. Some libraries allow only GET, HEAD and POST unless told otherwise (@fastify/cors v11 by default).",
    fix: 'Add the method (upper case) to the allowed methods of the CORS configuration, as a comma-separated list of tokens; write the method in upper case in the front end too.',
  },
  {
    id: 'header-not-allowed',
    mistake: 3,
    group: 'mistake',
    title: 'A request header is not in Access-Control-Allow-Headers',
    severity: 'error',
    symptoms: {
      seen: 'The request works until the front end adds a header (Authorization, X-Api-Key, Content-Type: application/json), then the preflight fails.',
      chrome: ['HeaderDisallowedByPreflightResponse', 'InvalidAllowHeadersPreflightResponse'],
      firefox: [
        'CORSMissingAllowHeaderFromPreflight2',
        'CORSInvalidAllowHeader',
        'CORSAllowHeaderFromPreflightDeprecation',
      ],
      safari: [
        'Request header field {header} is not allowed by Access-Control-Allow-Headers.',
        'Header Access-Control-Allow-Headers has an invalid value: {value}',
      ],
      other: [],
    },
    cause:
      'Every request header outside the small safelist has to be named in the preflight answer. A configured list that omits it, or a wildcard `*` (which never covers Authorization in Chrome and Firefox, and means nothing with credentials), makes the preflight fail.',
    fix: 'Add the header name to the allowed headers of the CORS configuration (list Authorization explicitly, never rely on `*` for it).',
  },
  {
    id: 'headers-missing-on-errors',
    mistake: 4,
    group: 'mistake',
    title: 'CORS headers only on successful responses',
    severity: 'error',
    symptoms: {
      seen: 'Works while the API answers 200; a 400/401/403/500 turns into a CORS error, and the front end cannot read the error body or status.',
      chrome: ['MissingAllowOriginHeader', 'PreflightMissingAllowOriginHeader'],
      firefox: ['CORSMissingAllowOrigin2'],
      safari: [WEBKIT_NOT_ALLOWED],
      other: ['net::ERR_FAILED 401', 'net::ERR_FAILED 500'],
    },
    cause:
      'Error responses leave the server by a path that skips the CORS code: authentication or validation middleware registered before CORS, an error handler that builds a fresh response, or nginx `add_header` without `always` (it only applies to 2xx/3xx). The browser then hides the error from the script and reports CORS instead.',
    fix: 'Run CORS first, before authentication, routing and error handling, so every response carries the headers (nginx: `add_header … always`; Apache: `Header always set`).',
  },
  {
    id: 'duplicate-cors-headers',
    mistake: 5,
    group: 'mistake',
    title: 'CORS headers sent twice',
    severity: 'error',
    symptoms: {
      seen: "The console says Access-Control-Allow-Origin holds several values ('https://a.example, https://a.example' or 'https://a.example, *').",
      chrome: ['MultipleAllowOriginValues', 'PreflightMultipleAllowOriginValues'],
      firefox: ['CORSMultipleAllowOriginNotAllowed'],
      safari: ['Access-Control-Allow-Origin cannot contain more than one origin.'],
      other: [],
    },
    cause:
      'Two layers each add CORS headers: a reverse proxy or API gateway or CDN and the application behind it. The browser joins the repeated header lines into one list, and Access-Control-Allow-Origin must hold exactly one value. Writing the whole allow-list into the header has the same effect.',
    fix: 'Choose one layer to own CORS (usually the application, which knows the allowed origins and credentials) and remove the headers from the other, e.g. `proxy_hide_header` in nginx.',
  },
  {
    id: 'missing-vary-origin',
    mistake: 6,
    group: 'mistake',
    title: 'Allow-Origin depends on the Origin, but `Vary: Origin` is missing',
    severity: 'warning',
    symptoms: {
      seen: 'CORS fails for one front end and works for another, seemingly at random; clearing the cache fixes it for a while. The console shows an Allow-Origin naming the other front end.',
      chrome: ['AllowOriginMismatch', 'PreflightAllowOriginMismatch'],
      firefox: ['CORSAllowOriginNotMatchingOrigin'],
      safari: [WEBKIT_NOT_ALLOWED],
      other: [],
    },
    cause:
      "The server echoes the request's Origin into Access-Control-Allow-Origin but does not say that the response varies with it. A CDN, proxy or the browser's own HTTP cache then serves the copy made for one origin to a request from another.",
    fix: 'Send `Vary: Origin` on every response whose Access-Control-Allow-Origin is chosen from the request (add to an existing Vary, do not replace it).',
  },
  {
    id: 'origin-mismatch',
    mistake: 7,
    group: 'mistake',
    title: 'Typo in the allowed origins',
    severity: 'error',
    symptoms: {
      seen: 'The origin looks right in the server configuration, yet the browser rejects it.',
      chrome: [
        'AllowOriginMismatch',
        'PreflightAllowOriginMismatch',
        'InvalidAllowOriginValue',
        'PreflightInvalidAllowOriginValue',
        'MissingAllowOriginHeader',
      ],
      firefox: ['CORSAllowOriginNotMatchingOrigin', 'CORSMissingAllowOrigin2'],
      safari: [WEBKIT_NOT_ALLOWED],
      other: [],
    },
    cause:
      'An origin is exactly scheme://host[:port], compared character by character. A trailing slash, a path, http instead of https, an explicit default port (:443, :80), `www.` or a missing scheme in the configured value makes it a different string from what the browser sends in `Origin`.',
    fix: 'Copy the `Origin` request header from the Network tab into the configuration: no path, no trailing slash, no default port, right scheme and host.',
  },
  {
    id: 'localhost-allowed',
    mistake: 8,
    group: 'mistake',
    title: 'Development origins (localhost) allowed in production',
    severity: 'warning',
    symptoms: {
      seen: 'No error at all: a security review or a pen test reports that the production API accepts http://localhost:3000.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      "A localhost origin added for local development stayed in the production allow-list. Any page served from that port on a user's machine can then call the production API, with the user's cookies when credentials are allowed.",
    fix: 'Build the allow-list per environment: production lists only the production front ends; localhost origins come only from the development configuration.',
  },
  {
    id: 'header-not-exposed',
    mistake: 9,
    group: 'mistake',
    title: 'Custom response header not exposed',
    severity: 'warning',
    symptoms: {
      seen: "DevTools shows the header (X-Request-ID, X-RateLimit-Remaining, Link…), but `response.headers.get('X-Request-ID')` returns null. No console error.",
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      'A cross-origin script can read only the safelisted response headers (Cache-Control, Content-Language, Content-Length, Content-Type, Expires, Last-Modified, Pragma) unless the server names others in Access-Control-Expose-Headers. DevTools is not bound by that rule, which is why the header is visible there.',
    fix: 'List the headers the front end reads in `Access-Control-Expose-Headers` (by name; `*` does not work with credentials).',
  },
  {
    id: 'csp-blocks-request',
    mistake: 10,
    group: 'mistake',
    title: "The page's Content-Security-Policy blocks the request (not CORS)",
    severity: 'error',
    symptoms: {
      seen: 'The request never leaves the browser; the console speaks of a Content Security Policy directive such as `connect-src`, not of CORS.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [
        'Refused to connect to \'{url}\' because it violates the following Content Security Policy directive: "{directive}".',
      ],
    },
    cause:
      "CSP is set by the server that delivers the HTML page and limits what that page may load or connect to; CORS is set by the API and decides who may read its responses. A `connect-src` (or `default-src`) that omits the API's origin blocks fetch and XHR before any CORS check, and no header on the API can change that.",
    fix: "Add the API's origin to `connect-src` in the Content-Security-Policy of the front end's server (or its `<meta>` tag); CORS headers on the API do not help here.",
  },
  {
    id: 'cors-proxy-in-use',
    mistake: 11,
    group: 'mistake',
    title: 'A public CORS proxy in production',
    severity: 'warning',
    symptoms: {
      seen: 'Requests go to cors-anywhere.herokuapp.com, corsproxy.io, api.allorigins.win or similar; they get rate-limited or fail at random.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      'A public proxy was added to get past a CORS error during development and shipped. Every request, tokens and user data included, passes through a third party that can read and log it, that has no SLA, and that adds a network hop.',
    fix: 'Remove the proxy: configure CORS on the API itself, or, for a third-party API without CORS, call it from your own back end and expose the result through your API.',
  },
  {
    id: 'cors-headers-in-request',
    mistake: 12,
    group: 'mistake',
    title: 'CORS response headers set on the request by the front end',
    severity: 'error',
    symptoms: {
      seen: 'The front end sends `Access-Control-Allow-Origin` (or another Access-Control-Allow-*) as a request header; it changes nothing, or a new preflight error appears naming that header.',
      chrome: ['HeaderDisallowedByPreflightResponse'],
      firefox: ['CORSMissingAllowHeaderFromPreflight2'],
      safari: ['Request header field {header} is not allowed by Access-Control-Allow-Headers.'],
      other: ['Refused to set unsafe header "{name}"'],
    },
    cause:
      "Access-Control-Allow-* headers are the server's answer; on a request they mean nothing to the browser or the server. Worse, they are not safelisted request headers, so adding one forces a preflight that then fails because the server does not allow that header.",
    fix: 'Delete every Access-Control-* header from the front-end request code and configure CORS on the server instead.',
  },
  {
    id: 'origin-reflected',
    mistake: null,
    group: 'security',
    title: 'Any origin is reflected into Access-Control-Allow-Origin',
    severity: 'security',
    symptoms: {
      seen: 'No error: every origin, including an attacker.example page, gets its own origin back as allowed.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      "The server copies the Origin request header into Access-Control-Allow-Origin without checking it (e.g. `origin: true`). With credentials allowed, any web site a logged-in user visits can read the API with that user's session.",
    fix: 'Compare the Origin against an explicit allow-list and echo it only when it is on the list.',
  },
  {
    id: 'null-origin-allowed',
    mistake: null,
    group: 'security',
    title: 'The `null` origin is allowed',
    severity: 'security',
    symptoms: {
      seen: 'No error: requests with `Origin: null` are answered with `Access-Control-Allow-Origin: null`.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      'Sandboxed iframes, `file:` pages and some redirects send `Origin: null`, and any attacker can produce it with a sandboxed iframe. Allowing `null` (often added to make local files work) admits all of them.',
    fix: 'Remove `null` from the allowed origins; serve local test pages from http://localhost in development instead.',
  },
  {
    id: 'insecure-origin-allowed',
    mistake: null,
    group: 'security',
    title: 'A plain-http origin is trusted by an https API',
    severity: 'security',
    symptoms: {
      seen: 'No error: `http://` origins are allowed by an API served over https.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      'A page served over plain http can be altered by anyone on the network path, so trusting its origin lets a network attacker inject a script that reads the API.',
    fix: 'Allow only https:// origins in production.',
  },
  {
    id: 'origin-pattern-bypass',
    mistake: null,
    group: 'security',
    title: 'The origin check can be bypassed',
    severity: 'security',
    symptoms: {
      seen: 'No error: origins such as https://app.example.com.attacker.test or https://evilexample.com are allowed.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      'The origin is matched with an unanchored regular expression, `startsWith`/`endsWith`/`includes`, or a regex with an unescaped dot, so a domain the attacker registers passes the check.',
    fix: 'Compare whole origins for equality against a list; if you need patterns, anchor them (`^https://([a-z0-9-]+\\.)*example\\.com$`) and escape dots.',
  },
  {
    id: 'subdomain-trusted',
    mistake: null,
    group: 'security',
    title: 'Every subdomain is trusted',
    severity: 'security',
    symptoms: {
      seen: 'No error: any https://*.example.com origin is allowed, including ones you do not run.',
      chrome: [],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      'Trusting all subdomains means that one forgotten, user-content or taken-over subdomain (an XSS, a dangling DNS record) can read the API.',
    fix: 'List the subdomains that really host your front ends instead of a wildcard.',
  },
  {
    id: 'network-error',
    mistake: null,
    group: 'not-cors',
    title: 'No response at all (network error, not CORS)',
    severity: 'error',
    symptoms: {
      seen: '`TypeError: Failed to fetch` / `NetworkError when attempting to fetch resource` / `Load failed`, with `net::ERR_CONNECTION_REFUSED`, `ERR_NAME_NOT_RESOLVED`, a TLS error or a timeout in the Network tab.',
      chrome: ['InvalidResponse'],
      firefox: ['CORSDidNotSucceed2'],
      safari: [],
      other: [
        'net::ERR_CONNECTION_REFUSED',
        'net::ERR_NAME_NOT_RESOLVED',
        'net::ERR_CERT_AUTHORITY_INVALID',
        'Status code: (null)',
      ],
    },
    cause:
      'The browser never got a response: DNS failed, the port is closed, the connection was reset, the TLS certificate is not trusted, or it timed out. The script sees the same TypeError as for a CORS block, and Firefox even reports it as a CORS failure, but no header can fix it.',
    fix: 'Make the server reachable from the browser first: right host and port, the server running, a certificate the browser trusts (open the URL in a tab to see the real error).',
  },
  {
    id: 'mixed-content',
    mistake: null,
    group: 'not-cors',
    title: 'An https page calls an http API (mixed content, not CORS)',
    severity: 'error',
    symptoms: {
      seen: "The console says `Mixed Content: … requested an insecure resource 'http://…'. This request has been blocked`.",
      chrome: [],
      firefox: [],
      safari: [],
      other: [
        "Mixed Content: The page at '{page}' was loaded over HTTPS, but requested an insecure resource '{url}'.",
      ],
    },
    cause:
      "A page loaded over https may not fetch http:// URLs; the browser blocks the request before it is sent, whatever the API's CORS headers say.",
    fix: 'Serve the API over https and call it with an https:// URL.',
  },
  {
    id: 'local-network-access',
    mistake: null,
    group: 'not-cors',
    title: 'Local Network Access blocked the request (not CORS headers)',
    severity: 'error',
    symptoms: {
      seen: 'A public page calling localhost, 127.0.0.1 or a 192.168.x.x / 10.x.x.x address fails; the console names an address space (`loopback`, `local`, `private`).',
      chrome: ['LocalNetworkAccessPermissionDenied', 'InsecureLocalNetwork', 'InvalidLocalNetworkAccess'],
      firefox: [],
      safari: [],
      other: ['net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS'],
    },
    cause:
      'Chrome gates requests from a more public address space to a more private one (public → local network → loopback): the page must be a secure context and the user must grant the local-network permission. The old Private Network Access preflight headers no longer have any effect.',
    fix: 'Serve the calling page over https, let the user grant the local network permission (iframes need `allow="local-network"`), or call the device through a public host instead.',
  },
  {
    id: 'opaque-response',
    mistake: null,
    group: 'not-cors',
    title: "`mode: 'no-cors'` hides the response",
    severity: 'info',
    symptoms: {
      seen: "The request 'succeeds' but `response.status` is 0, the body is empty and no header can be read.",
      chrome: ['NoCorsRedirectModeNotFollow'],
      firefox: [],
      safari: [],
      other: [],
    },
    cause:
      "`mode: 'no-cors'` does not turn CORS off; it asks for an opaque response the script cannot read. It is only useful for fire-and-forget requests or for caching in a service worker.",
    fix: "Remove `mode: 'no-cors'` and let the server send the CORS headers for the page's origin.",
  },
];

const BY_ID = new Map<FindingId, CatalogEntry>(ENTRIES.map((e) => [e.id, e]));

/** The entry for an id (words only, no snippets). Every FindingId has one (test/catalog). */
export function entryWords(id: FindingId): CatalogEntry {
  const entry = BY_ID.get(id);
  if (!entry) throw new Error(`catalog has no entry for '${id}'`);
  return entry;
}
