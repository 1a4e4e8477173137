/**
 * From a recognised message to its likely causes: the seed's quick-reference table (message → mistake),
 * sharpened with what the message carries (status, the quoted Allow-Origin value, the header or method).
 * Where one message has several readings, all are listed, most likely first, with how to tell them apart.
 */

import { publicCorsProxyHost } from '../catalog/cors-proxies.ts';
import { entryWords } from '../catalog/entries.ts';
import type { FindingId } from '../catalog/ids.ts';
import type { Cause, Likelihood, MessageValues, Problem } from './types.ts';

export interface Reading {
  summary: string;
  causes: Cause[];
  tellApart: string | null;
  note: string | null;
  /** The message implies a credentialed request (`--credentials include`). */
  credentials: boolean;
}

function cause(id: FindingId, likelihood: Likelihood, sentence: string): Cause {
  const e = entryWords(id);
  return {
    id,
    mistake: e.mistake,
    title: e.title,
    likelihood,
    cause: sentence,
    fix: e.fix,
    docs: `docs/mistakes/${id}.md`,
  };
}

const your = (origin: string | undefined) => (origin ? `'${origin}'` : "your page's origin");

/**
 * How an allowed-origin value differs from the page's origin when it is a near miss (mistake 7), or null
 * when the two are unrelated.
 */
export function originDifference(value: string, origin: string): string | null {
  if (value === origin) return null;
  if (value.toLowerCase() === origin.toLowerCase()) return 'letter case (origins are compared exactly)';
  if (value === `${origin}/`) return 'a trailing slash (an origin has no path)';
  let v: URL;
  let o: URL;
  try {
    o = new URL(origin);
  } catch {
    return null;
  }
  try {
    v = new URL(value);
  } catch {
    const bare = value.replace(/\/+$/, '');
    return bare === o.host || bare === o.hostname ? `the missing scheme (${o.protocol}//)` : null;
  }
  if (v.origin === o.origin) {
    if (/:(80|443)(\/|$)/.test(value)) return 'an explicit default port (the browser leaves :443/:80 out)';
    return 'a path after the host (an origin is scheme://host[:port] only)';
  }
  const sameHost = v.hostname === o.hostname;
  if (sameHost && v.protocol !== o.protocol)
    return `the scheme (${v.protocol.slice(0, -1)} instead of ${o.protocol.slice(0, -1)})`;
  if (sameHost && v.port !== o.port)
    return `the port (${v.port || 'default'} instead of ${o.port || 'default'})`;
  const loopback = (h: string) => h === 'localhost' || h === '127.0.0.1' || h === '[::1]';
  if (v.protocol === o.protocol && v.port === o.port && loopback(v.hostname) && loopback(o.hostname)) {
    return `the host name (${v.hostname} and ${o.hostname} are different origins to the browser)`;
  }
  const strip = (h: string) => h.replace(/^www\./, '');
  if (v.protocol === o.protocol && v.port === o.port && strip(v.hostname) === strip(o.hostname)) {
    return 'the www. prefix';
  }
  return null;
}

const isOrigin = (s: string) => /^[a-z][a-z0-9+.-]*:\/\/[^/\s]+$/i.test(s);

/** With credentials, `*` in Allow-Methods/-Headers is the literal name `*` (mistake 2's second form). */
const WILDCARD_LITERAL = (header: string) =>
  cause(
    'wildcard-with-credentials',
    'possible',
    `If the server answers ${header}: * and the request carries credentials, the * is read as a literal name and allows nothing.`,
  );

const TELL_WILDCARD = (header: string, what: string) =>
  `Look at the OPTIONS response in the Network tab: if ${header} is * and the request sends credentials, list the names instead of * (mistake 2); otherwise add the missing ${what} to the list (mistake 3).`;

/** Firefox and Safari do not say whether the failing response was the preflight's. */
const PREFLIGHT_UNKNOWN = () =>
  cause(
    'preflight-failed-status',
    'possible',
    'If the request needs a preflight (PUT/DELETE/PATCH, Authorization or custom headers, JSON), the OPTIONS answer may be the one without the header: OPTIONS is not handled.',
  );

const TELL_MISSING =
  'Look at this request in the Network tab. A 4xx/5xx status points to mistake 4 (headers only on successes). With a 2xx, the check command below also tries other origins: if they get the header, your origin is not on the list or is misspelt there (mistakes 1, 7); if none does, CORS is not set up for this route (mistake 1).';

/** Reads one message: what it says, its causes (most likely first), and how to tell them apart. */
export function readProblem(problem: Problem, v: MessageValues, preflight: boolean | null): Reading {
  const r = (
    summary: string,
    causes: Cause[],
    tellApart: string | null = null,
    note: string | null = null,
    credentials = false,
  ): Reading => ({ summary, causes, tellApart, note, credentials });
  const status = v.status;
  const statusText = status !== undefined ? ` (status ${status})` : '';

  switch (problem) {
    case 'allow-origin-missing':
      if (preflight) {
        return r(
          'The preflight (OPTIONS) answer has no Access-Control-Allow-Origin header.',
          [
            cause(
              'preflight-failed-status',
              'likely',
              'The server does not handle OPTIONS for this route: the router answered the preflight (404/405) without CORS headers.',
            ),
            cause(
              'headers-missing-on-errors',
              'possible',
              'Authentication runs before CORS and refused the preflight with 401/403 (a preflight never carries cookies or an Authorization header).',
            ),
            cause('missing-allow-origin', 'possible', 'CORS is not set up on this server at all.'),
            cause(
              'origin-not-allowed',
              'possible',
              `CORS is set up, but ${your(v.origin)} is not on its list of allowed origins.`,
            ),
          ],
          'Find the OPTIONS request just before this one in the Network tab (Chrome checks its headers before its status): 404/405 → OPTIONS not handled (mistake 3); 401/403 → authentication before CORS (mistake 4); 2xx without the header → your origin is not on the list.',
        );
      }
      if (status !== undefined && [301, 302, 303, 307, 308].includes(status)) {
        return r(
          `The redirect response${statusText} has no Access-Control-Allow-Origin header.`,
          [
            cause(
              'preflight-redirect',
              preflight === false ? 'possible' : 'likely',
              `The server answered ${status}: if that was the preflight, browsers never follow a redirect there; call the final URL directly.`,
            ),
            cause(
              'missing-allow-origin',
              'possible',
              'A cross-origin redirect must itself carry Access-Control-Allow-Origin, and this one does not.',
            ),
          ],
          'Open the URL in a tab to see where it redirects (a trailing slash, http → https, a login page) and call that URL from the page.',
        );
      }
      if (status !== undefined && status >= 400) {
        return r(
          `The response${statusText} has no Access-Control-Allow-Origin header.`,
          [
            cause(
              'headers-missing-on-errors',
              'likely',
              `The server answered ${status}, and its error responses leave without CORS headers (the error came from code that runs before, or instead of, the CORS middleware).`,
            ),
            cause('missing-allow-origin', 'possible', 'CORS is not set up for this route at all.'),
          ],
          'Send a request that succeeds (valid token, valid body): if it gets Access-Control-Allow-Origin, only the error path lacks it (mistake 4).',
        );
      }
      return r(
        `The response${statusText} has no Access-Control-Allow-Origin header.`,
        [
          cause(
            'missing-allow-origin',
            'likely',
            'The server sends no Access-Control-Allow-Origin: CORS is not set up, or its middleware does not run for this route.',
          ),
          cause(
            'origin-not-allowed',
            'possible',
            `CORS is set up for other origins, and ${your(v.origin)} is not on the list (most libraries then leave the header out).`,
          ),
          cause(
            'origin-mismatch',
            'possible',
            `The allowed-origins list holds a near miss of ${your(v.origin)} (trailing slash, http/https, port, www).`,
          ),
          ...(status === undefined
            ? [
                cause(
                  'headers-missing-on-errors',
                  'possible',
                  'The response was an error (401, 403, 500…) and the server adds CORS headers only to successful responses.',
                ),
              ]
            : []),
          ...(preflight === null ? [PREFLIGHT_UNKNOWN()] : []),
        ],
        TELL_MISSING,
      );

    case 'allow-origin-not-allowed': {
      const causes: Cause[] = [];
      if (status !== undefined && status >= 400) {
        causes.push(
          cause(
            'headers-missing-on-errors',
            'likely',
            `The server answered ${status} without CORS headers: its error responses skip the CORS code.`,
          ),
        );
      }
      causes.push(
        cause(
          'missing-allow-origin',
          status !== undefined && status >= 400 ? 'possible' : 'likely',
          'The response has no Access-Control-Allow-Origin: CORS is not set up for this route.',
        ),
        cause(
          'origin-not-allowed',
          'possible',
          `CORS is set up, but ${your(v.origin)} is not on the allowed list.`,
        ),
        cause(
          'origin-mismatch',
          'possible',
          `The allowed list holds a near miss of ${your(v.origin)} (trailing slash, scheme, port, www).`,
        ),
        PREFLIGHT_UNKNOWN(),
      );
      return r(
        `The response${statusText} does not allow ${your(v.origin)}: its Access-Control-Allow-Origin is missing or names another origin (Safari does not say which).`,
        causes,
        `Safari prints the same line whether the header is missing or names another origin. ${TELL_MISSING}`,
      );
    }

    case 'allow-origin-wildcard-credentials':
      return r(
        `The ${preflight ? 'preflight answer' : 'response'} says Access-Control-Allow-Origin: *, but the request carries credentials.`,
        [
          cause(
            'wildcard-with-credentials',
            'likely',
            "The page sends credentials (credentials: 'include' or withCredentials = true) and the server answers with the wildcard, which browsers refuse for credentialed requests.",
          ),
        ],
        null,
        "If the API does not need cookies or HTTP auth, removing credentials: 'include' / withCredentials from the front end fixes it too.",
        true,
      );

    case 'allow-origin-multiple': {
      const parts = (v.value ?? '').split(/\s*,\s*|\s+/).filter(Boolean);
      const same = parts.length > 1 && parts.every((p) => p === parts[0]);
      const star = parts.includes('*');
      const sentence = v.value
        ? same || star
          ? `Two layers (a proxy, gateway or CDN and the application) each add Access-Control-Allow-Origin; the browser received '${v.value}'.`
          : `The server sent several origins ('${v.value}'): either two layers each add one, or the whole allow-list is written into the header instead of the one matching origin.`
        : 'Access-Control-Allow-Origin arrived more than once: two layers (proxy and application) both add it.';
      return r(
        `Access-Control-Allow-Origin holds more than one value${v.value ? ` ('${v.value}')` : ''}.`,
        [cause('duplicate-cors-headers', 'likely', sentence)],
        'curl -sI -H "Origin: …" the URL and count the access-control-allow-origin lines; then remove the CORS settings from one of the layers.',
      );
    }

    case 'allow-origin-invalid': {
      const val = v.value ?? '';
      if (val === '') {
        return r('Access-Control-Allow-Origin is present but empty.', [
          cause(
            'origin-not-allowed',
            'likely',
            `The server writes an empty Access-Control-Allow-Origin for origins that are not on its list, and ${your(v.origin)} is not on it.`,
          ),
          cause('origin-mismatch', 'possible', `The list holds a near miss of ${your(v.origin)}.`),
        ]);
      }
      return r(`Access-Control-Allow-Origin is '${val}', which is not a valid origin.`, [
        cause(
          'origin-mismatch',
          'likely',
          `The configured origin '${val}' is not written as scheme://host[:port]${/^[a-z0-9.-]+(:\d+)?\/?$/i.test(val) ? ' (the scheme is missing)' : ''}.`,
        ),
      ]);
    }

    case 'allow-origin-mismatch': {
      const val = v.value ?? '';
      const diff = v.origin ? originDifference(val, v.origin) : null;
      const summary = `Access-Control-Allow-Origin is '${val}', not ${your(v.origin)}.`;
      if (diff) {
        return r(summary, [
          cause(
            'origin-mismatch',
            'likely',
            `The server allows '${val}', which differs from ${your(v.origin)} only by ${diff}: a typo in the allowed origins.`,
          ),
        ]);
      }
      if (/[, ]/.test(val.trim())) {
        return r(summary, [
          cause(
            'duplicate-cors-headers',
            'likely',
            `Access-Control-Allow-Origin holds several values ('${val}'): two layers each add one, or the whole allow-list is written into the header.`,
          ),
        ]);
      }
      if (v.origin && val === v.origin && v.initialUrl) {
        return r(
          `Access-Control-Allow-Origin is the page's origin, but after the redirect the browser compares it with 'null'.`,
          [
            cause(
              'origin-not-allowed',
              'likely',
              `The request was redirected from '${v.initialUrl}' to another origin, so the browser sent Origin: null and only 'null' or '*' (without credentials) can match.`,
            ),
          ],
          null,
          'Call the final URL directly from the page, so no cross-origin redirect happens.',
        );
      }
      if (val === 'null') {
        return r(summary, [
          cause('origin-not-allowed', 'likely', `The server answers 'null' instead of ${your(v.origin)}.`),
          cause(
            'null-origin-allowed',
            'possible',
            "The server allows the 'null' origin, which any sandboxed page can claim.",
          ),
          cause(
            'origin-mismatch',
            'possible',
            "The configured origin was written wrong: an unset variable or setting printed as 'null'.",
          ),
        ]);
      }
      if (!v.origin && /\/$|\/[^/]|:(443|80)$/.test(val.replace(/^[a-z]+:\/\//i, ''))) {
        return r(summary, [
          cause(
            'origin-mismatch',
            'likely',
            `'${val}' is not a bare origin (path, trailing slash or default port): a typo in the allowed origins.`,
          ),
          cause('origin-not-allowed', 'possible', `The server answers with a fixed origin other than yours.`),
        ]);
      }
      return r(
        summary,
        [
          cause(
            'origin-not-allowed',
            'likely',
            `The server answers with a fixed origin, '${val}', and ${your(v.origin)} is not the one it allows.`,
          ),
          ...(isOrigin(val)
            ? [
                cause(
                  'missing-vary-origin',
                  'possible',
                  `The server does echo allowed origins, but a cache (CDN, proxy or the browser) served a copy made for '${val}' because the response lacks Vary: Origin.`,
                ),
              ]
            : []),
          ...(v.origin
            ? []
            : [cause('origin-mismatch', 'possible', `'${val}' is a misspelling of your page's origin.`)]),
        ],
        isOrigin(val)
          ? `If it fails only sometimes, or only after another front end ('${val}') called the API, and a hard reload fixes it, a cache mixed the answers up (mistake 6). If it always fails, the server allows only '${val}' (mistake 1).`
          : null,
      );
    }

    case 'allow-credentials-invalid': {
      const val = v.value;
      return r(
        val
          ? `Access-Control-Allow-Credentials is '${val}'; a credentialed request needs exactly 'true'.`
          : 'The request carries credentials, but Access-Control-Allow-Credentials is missing or not exactly true.',
        [
          cause(
            'credentials-not-allowed',
            'likely',
            val
              ? `The server sends Access-Control-Allow-Credentials: ${val}; only the exact lower-case value 'true' counts.`
              : 'The page sends credentials, and the server does not answer with Access-Control-Allow-Credentials: true (it was configured without credentials).',
          ),
        ],
        null,
        "If the API does not need cookies or HTTP auth, remove credentials: 'include' / withCredentials from the front end instead.",
        true,
      );
    }

    case 'preflight-status':
      if (status !== undefined && [301, 302, 303, 307, 308].includes(status)) {
        return readProblem('preflight-redirect', v, true);
      }
      return r(
        `The preflight (OPTIONS) was answered${status !== undefined ? ` ${status}` : ' with an error status'}, not 2xx.`,
        status === 401 || status === 403
          ? [
              cause(
                'preflight-failed-status',
                'likely',
                `Authentication refused the preflight with ${status}: OPTIONS must be let through before authentication, since a preflight never carries credentials.`,
              ),
              cause(
                'headers-missing-on-errors',
                'possible',
                'The CORS layer runs after authentication, so rejected requests also lose their CORS headers.',
              ),
            ]
          : [
              cause(
                'preflight-failed-status',
                'likely',
                `The server has no OPTIONS handler for this route${status !== undefined ? ` and answered ${status}` : ' (404/405), or the handler failed (500)'}; the CORS middleware must answer preflights itself.`,
              ),
            ],
        null,
        'Browsers send a preflight for methods other than GET/HEAD/POST, for custom headers (Authorization, X-…) and for Content-Type: application/json.',
      );

    case 'preflight-redirect':
      return r(
        `The preflight (OPTIONS) was answered with a redirect${statusText}.`,
        [
          cause(
            'preflight-redirect',
            'likely',
            'The server redirects the OPTIONS request (a trailing slash, http → https, another host, or a login page), and browsers never follow redirects on a preflight.',
          ),
        ],
        null,
        'Call the final URL from the front end: open the URL in a tab and copy where it ends up.',
      );

    case 'allow-methods-invalid':
      return r(
        `The preflight's Access-Control-Allow-Methods cannot be parsed${v.value ? ` ('${v.value}')` : ''}.`,
        [
          cause(
            'method-not-allowed',
            'likely',
            'Access-Control-Allow-Methods must be a comma-separated list of method names; this one holds something else (quotes, semicolons, a stray character).',
          ),
        ],
      );

    case 'allow-headers-invalid':
      return r(
        `The preflight's Access-Control-Allow-Headers cannot be parsed${v.value ? ` ('${v.value}')` : ''}.`,
        [
          cause(
            'header-not-allowed',
            'likely',
            'Access-Control-Allow-Headers must be a comma-separated list of header names; this one holds something else (quotes, semicolons, a stray character).',
          ),
        ],
      );

    case 'method-not-allowed': {
      const m = v.method;
      const lower = m !== undefined && m !== m.toUpperCase();
      return r(
        `The preflight answer does not allow the method${m ? ` ${m}` : ''}.`,
        [
          cause(
            'method-not-allowed',
            'likely',
            lower
              ? `The page sends '${m}' in lower case; methods are compared case-sensitively, so write '${m!.toUpperCase()}' in the fetch call and list it in Access-Control-Allow-Methods.`
              : `Access-Control-Allow-Methods in the preflight answer does not list ${m ?? 'this method'}.`,
          ),
          WILDCARD_LITERAL('Access-Control-Allow-Methods'),
        ],
        TELL_WILDCARD('Access-Control-Allow-Methods', 'method'),
      );
    }

    case 'header-not-allowed': {
      const h = v.header;
      const lower = h?.toLowerCase() ?? '';
      if (lower.startsWith('access-control-')) {
        return r(`The preflight answer does not allow the request header ${h}.`, [
          cause(
            'cors-headers-in-request',
            'likely',
            `The front end sets '${h}' on its request; it is a response header, and sending it only forces a preflight the server then refuses.`,
          ),
          cause(
            'header-not-allowed',
            'unlikely',
            `The server would have to list '${h}' in Access-Control-Allow-Headers (do not: remove it from the request).`,
          ),
        ]);
      }
      if (v.value === '*') {
        return r(
          'Firefox warns: Access-Control-Allow-Headers is *, which will stop covering Authorization.',
          [
            cause(
              'header-not-allowed',
              'likely',
              'The server answers Access-Control-Allow-Headers: *, and the wildcard does not cover Authorization (Chrome already blocks it; Firefox is about to).',
            ),
          ],
        );
      }
      return r(
        `The preflight answer does not allow the request header ${h ?? ''}.`.replace(' .', '.'),
        [
          cause(
            'header-not-allowed',
            'likely',
            lower === 'authorization'
              ? 'Access-Control-Allow-Headers does not name Authorization (a * wildcard never covers it).'
              : `Access-Control-Allow-Headers in the preflight answer does not list '${h ?? 'this header'}'.`,
          ),
          WILDCARD_LITERAL('Access-Control-Allow-Headers'),
          cause(
            'header-not-exposed',
            'unlikely',
            `If '${h ?? 'the header'}' was added to the exposed headers: those are response headers the script may read; headers the script sends belong in the allowed headers.`,
          ),
        ],
        TELL_WILDCARD('Access-Control-Allow-Headers', 'header'),
      );
    }

    case 'redirect-credentials':
      return r(
        'The request was redirected to a URL with a user name and password in it.',
        [],
        null,
        'Browsers refuse redirects to user:password@host URLs on cross-origin requests: remove the credentials from the redirect target (send them in a header instead).',
      );

    case 'redirect-scheme':
      return r(
        'The request was redirected to a scheme that CORS does not allow (not http or https).',
        [],
        null,
        'Make the server redirect to an http(s) URL, or call the final URL directly.',
      );

    case 'mode-same-origin':
      return r(
        "The page asked for mode: 'same-origin', but the URL is on another origin.",
        [],
        null,
        "This is decided in the front end: drop mode: 'same-origin' from the fetch call (the default, 'cors', lets the server decide).",
      );

    case 'scheme-not-supported':
      return r(
        'The page or the URL does not use http(s), so CORS cannot apply (typically a page opened as file://).',
        [],
        null,
        'Serve the page from a web server (e.g. http://localhost:5173) instead of opening the file, and call an http(s) URL.',
      );

    case 'no-cors-redirect':
      return r("The page used mode: 'no-cors' with a redirect mode other than 'follow'.", [
        cause(
          'opaque-response',
          'likely',
          "mode: 'no-cors' gives an unreadable (opaque) response and cannot be combined with redirect: 'error' or 'manual'.",
        ),
      ]);

    case 'origin-header-not-added':
      return r(
        'Firefox could not add the Origin header to the request.',
        [],
        null,
        'This is a browser-side failure (an extension or a privacy setting); try a clean profile.',
      );

    case 'cors-disabled':
      return r(
        'CORS is switched off in this Firefox (content.cors.disable).',
        [],
        null,
        'Reset content.cors.disable in about:config.',
      );

    case 'local-network':
      return r(
        `The browser blocked a request into a more private network${v.addressSpace ? ` (address space '${v.addressSpace}')` : ''}.`,
        [
          cause(
            'local-network-access',
            'likely',
            'Chrome gates requests from public pages to local-network or loopback addresses (Local Network Access); CORS headers on the target do not change that.',
          ),
        ],
      );

    case 'network':
      return r(
        `No response came back${v.netError && v.netError !== 'net::ERR_FAILED' ? ` (${v.netError})` : ''}: the request failed before any CORS check.`,
        [
          cause(
            'network-error',
            'likely',
            'The browser never got a response: DNS, a closed port, a reset connection, an untrusted certificate or a timeout. No CORS header can fix that.',
          ),
        ],
        null,
        'Open the URL in a browser tab to see the real network error.',
      );

    case 'csp':
      return r(
        `The page's own Content-Security-Policy blocked the request${v.directive ? ` (${v.directive})` : ''}.`,
        [
          cause(
            'csp-blocks-request',
            'likely',
            `The Content-Security-Policy of the front end's page does not allow connecting to ${v.url ? `'${v.url}'` : 'the API'}; the request was never sent, so the API's CORS headers do not matter.`,
          ),
        ],
      );

    case 'mixed-content':
      return r('An https page tried to load an http:// URL, and the browser blocked it before sending.', [
        cause(
          'mixed-content',
          'likely',
          'Pages served over https may not call plain-http APIs; CORS headers cannot allow it.',
        ),
      ]);

    case 'unsafe-header': {
      const h = v.header ?? '';
      if (/^(origin|access-control-)/i.test(h)) {
        return r(`The script tried to set the header ${h}, which only the browser may set.`, [
          cause(
            'cors-headers-in-request',
            'likely',
            `The front end tries to set '${h}' itself; CORS is decided by the server's response headers, never by the request.`,
          ),
        ]);
      }
      return r(
        `The script tried to set the header ${h}, which only the browser may set.`,
        [],
        null,
        `Remove ${h} from the request code; the browser sets it itself.`,
      );
    }

    case 'access-control-checks':
      return r(
        'Safari blocked the request in its CORS checks; the reason is on the line printed just before this one.',
        [
          cause('missing-allow-origin', 'possible', 'The response had no Access-Control-Allow-Origin.'),
          cause('preflight-failed-status', 'possible', 'The preflight was not answered with 2xx.'),
          cause('origin-not-allowed', 'possible', "The response allowed another origin than the page's."),
        ],
        'Paste the line above it too (it starts with "Origin …", "Preflight response …" or names a header).',
      );

    case 'unknown':
      return r(
        'A CORS block whose reason cors-doctor does not recognise.',
        [],
        null,
        'Run the check command below: it replays the request as the browser does and names the cause.',
      );
  }
}

/** Adds mistake 11 when the URL is a public CORS proxy. */
export function withProxyCause(reading: Reading, url: string | undefined): Reading {
  const host = publicCorsProxyHost(url);
  if (!host) return reading;
  return {
    ...reading,
    causes: [
      cause(
        'cors-proxy-in-use',
        'likely',
        `The page calls the public CORS proxy ${host}: every request passes through a third party, and such proxies rate-limit and fail.`,
      ),
      ...reading.causes,
    ],
  };
}
