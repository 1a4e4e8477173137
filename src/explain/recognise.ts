/**
 * Finds browser console messages in normalised text (./text.ts) and reads their values.
 *
 * Sources of the wordings: shared/reference/browser-truth.md — Chromium §1.1 (prefix), §1.2 (CorsError
 * bodies, current), §1.3 (older bodies and suffixes), §1.4 (renderer messages); Firefox §2.1
 * (`security.properties`, also the older MDN wordings); WebKit §3 (`CrossOriginAccessControl.cpp`
 * reasons and the `ThreadableLoader` "cannot load … due to access control checks" line). CSP, mixed
 * content and net::ERR lines as the three browsers print them.
 *
 * Every pattern runs over the whole text; matches that lie inside a longer match are dropped (a WebKit
 * reason inside a Chromium body, a bare Chromium body inside a full message). Chromium's body is read
 * right after its prefix with sticky patterns, so the prefix decides where the body starts.
 */

import { lit, squash, tidy, WS } from './text.ts';
import type { BrowserName, MessageValues, Problem } from './types.ts';

export interface Fragment {
  start: number;
  end: number;
  browser: BrowserName;
  corsError: string;
  problem: Problem;
  preflight: boolean | null;
  values: MessageValues;
  /** Helper lines that are not messages on their own: network lines, WebKit's URL line, JS errors. */
  role: 'message' | 'net-line' | 'webkit-url' | 'webkit-redirect' | 'js-error';
  /** Lower wins when two matches cover the same text. */
  rank: number;
}

/** A name or method, possibly wrapped by the paste (≤2 wraps): the wraps are removed from the value. */
const TOKEN = String.raw`(\S{1,256}(?:\n\S{1,256}){0,4}?)`;
const Q = `'([^']{0,4096})'`; // a quoted value (Chromium always uses ')
const QV = `['"]([^'"]{0,2048})['"]`; // a quoted value, either quote (Firefox after normalisation, MDN copies)
const URLISH = String.raw`([^\s'"]{1,4096}(?:\n[^\s'"]{1,4096}){0,4}?)`; // an unquoted URL, possibly wrapped (≤4 wraps)

/**
 * The fixed text a pattern starts with, lower-cased, without whitespace and quotes: patterns whose text
 * is absent from the paste are skipped before their (large) regex is ever compiled, which keeps explain's
 * cold start short. Reads the regex source as `lit()` writes it.
 */
export function literalPrefix(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (source.startsWith(String.raw`\s?`, i)) i += 3;
    else if (source.startsWith(`['"]`, i)) i += 4;
    else if (c === '\\' && i + 1 < source.length && ESCAPED.has(source[i + 1]!)) {
      out += source[i + 1];
      i += 2;
    } else if (LITERAL.has(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
      if (c !== ' ') out += c;
      i++;
    } else break;
  }
  return out.toLowerCase();
}
// Sets, not a regex test per character: this runs over ~150 sources on explain's cold path.
const ESCAPED = new Set('.()*?+[]{}|/^$\\-');
const LITERAL = new Set(' ,:;!<>=@#%&_~-');

/**
 * Each pattern's source as written: `RegExp.prototype.source` re-escapes the whole pattern on every read,
 * a measurable part of explain's cold start for these long sources.
 */
const SOURCES = new WeakMap<RegExp, string>();
function regex(src: string, flags: string): RegExp {
  const re = new RegExp(src, flags);
  SOURCES.set(re, src);
  return re;
}
const sourceOf = (re: RegExp): string => SOURCES.get(re) ?? re.source;

/** The paste reduced like literalPrefix reduces patterns. */
export function flatten(text: string): string {
  return text.replace(/[\s'"`]/g, '').toLowerCase();
}

// ---------------------------------------------------------------------------------------------------------
// Chromium: `Access to {kind} at '{url}' [(redirected from '{initial}') ]from origin '{origin}' has been
// blocked by CORS policy: [Response to preflight request doesn't pass access control check: ]{body}`
// ---------------------------------------------------------------------------------------------------------

const CHROME_PREFIX = new RegExp(
  `${lit('Access to')}${WS}([A-Za-z][A-Za-z\\s]{0,40}?)${WS}${lit('at')}${WS}${Q}${WS}(?:${lit('(redirected from')}${WS}${Q}${WS}\\)${WS})?${lit('from origin')}${WS}${Q}${WS}${lit('has been blocked by CORS policy:')}${WS}`,
  'g',
);
/** The DevTools issue-summary variant (`DevToolsImprovedNetworkError`): no URL, no origin. */
const CHROME_SUMMARY_PREFIX = new RegExp(`${lit('Access blocked by CORS policy:')}${WS}`, 'g');
const PREFLIGHT_PREFIX = new RegExp(
  `${lit("Response to preflight request doesn't pass access control check:")}${WS}`,
  'y',
);

interface ChromeBody {
  /** CorsError when not preflight-prefixed. */
  error: string;
  /** CorsError when preceded by the preflight prefix (the eight "preflight errors" of §1.1). */
  preflightError?: string;
  /** The body is always about a preflight (the four unprefixed preflight bodies). */
  alwaysPreflight?: boolean;
  problem: Problem;
  re: RegExp;
  read?: (m: RegExpExecArray) => MessageValues;
}

const body = (src: string) => regex(src, 'y');
const keyed = <T extends { re: RegExp; key?: string }>(xs: T[]): (T & { key: string })[] =>
  xs.map((x) => ({ ...x, key: x.key ?? literalPrefix(sourceOf(x.re)) }));

/** §1.2 and §1.3 bodies. Suffixes (`Have the server send…`, the XHR withCredentials note) need no match. */
const CHROME_BODIES = keyed<ChromeBody>([
  {
    error: 'MissingAllowOriginHeader',
    preflightError: 'PreflightMissingAllowOriginHeader',
    problem: 'allow-origin-missing',
    re: body(lit("No 'Access-Control-Allow-Origin' header is present on the requested resource.")),
  },
  {
    error: 'WildcardOriginNotAllowed',
    preflightError: 'PreflightWildcardOriginNotAllowed',
    problem: 'allow-origin-wildcard-credentials',
    re: body(
      lit(
        "The value of the 'Access-Control-Allow-Origin' header in the response must not be the wildcard '*' when the request's credentials mode is 'include'.",
      ),
    ),
  },
  {
    error: 'MultipleAllowOriginValues',
    preflightError: 'PreflightMultipleAllowOriginValues',
    problem: 'allow-origin-multiple',
    re: body(
      `${lit("The 'Access-Control-Allow-Origin' header contains multiple values")}${WS}'([\\s\\S]{0,4096}?)'${WS}${lit(', but only one is allowed.')}`,
    ),
    read: (m) => ({ value: tidy(m[1] ?? '') }),
  },
  {
    error: 'InvalidAllowOriginValue',
    preflightError: 'PreflightInvalidAllowOriginValue',
    problem: 'allow-origin-invalid',
    re: body(
      `${lit("The 'Access-Control-Allow-Origin' header contains the invalid value")}${WS}${Q}${WS}\\.`,
    ),
    read: (m) => ({ value: tidy(m[1] ?? '') }),
  },
  {
    error: 'AllowOriginMismatch',
    preflightError: 'PreflightAllowOriginMismatch',
    problem: 'allow-origin-mismatch',
    re: body(
      `${lit("The 'Access-Control-Allow-Origin' header has a value")}${WS}${Q}${WS}${lit('that is not equal to the supplied origin.')}`,
    ),
    read: (m) => ({ value: tidy(m[1] ?? '') }),
  },
  {
    error: 'InvalidAllowCredentials',
    preflightError: 'PreflightInvalidAllowCredentials',
    problem: 'allow-credentials-invalid',
    re: body(
      `${lit("The value of the 'Access-Control-Allow-Credentials' header in the response is")}${WS}${Q}${WS}${lit("which must be 'true' when the request's credentials mode is 'include'.")}`,
    ),
    read: (m) => ({ value: tidy(m[1] ?? '') }),
  },
  {
    error: 'DisallowedByMode',
    problem: 'mode-same-origin',
    re: body(lit('Cross origin requests are not allowed by request mode.')),
  },
  { error: 'InvalidResponse', problem: 'network', re: body(lit('The response is invalid.')) },
  {
    error: 'CorsDisabledScheme',
    problem: 'scheme-not-supported',
    re: body(
      `${lit('Cross origin requests are only supported for protocol schemes:')}${WS}([a-z0-9,\\s-]{0,400}?)\\.`,
    ),
  },
  {
    error: 'PreflightInvalidStatus',
    preflightError: 'PreflightInvalidStatus',
    alwaysPreflight: true,
    problem: 'preflight-status',
    re: body(lit('It does not have HTTP ok status.')),
  },
  {
    error: 'PreflightDisallowedRedirect',
    preflightError: 'PreflightDisallowedRedirect',
    alwaysPreflight: true,
    problem: 'preflight-redirect',
    re: body(lit('Redirect is not allowed for a preflight request.')),
  },
  {
    error: 'InvalidAllowMethodsPreflightResponse',
    alwaysPreflight: true,
    problem: 'allow-methods-invalid',
    re: body(lit('Cannot parse Access-Control-Allow-Methods response header field in preflight response.')),
  },
  {
    error: 'InvalidAllowHeadersPreflightResponse',
    alwaysPreflight: true,
    problem: 'allow-headers-invalid',
    re: body(lit('Cannot parse Access-Control-Allow-Headers response header field in preflight response.')),
  },
  {
    error: 'MethodDisallowedByPreflightResponse',
    alwaysPreflight: true,
    problem: 'method-not-allowed',
    re: body(
      `${lit('Method')}${WS}${TOKEN}${WS}${lit('is not allowed by Access-Control-Allow-Methods in preflight response.')}`,
    ),
    read: (m) => ({ method: squash(m[1] ?? '') }),
  },
  {
    error: 'HeaderDisallowedByPreflightResponse',
    alwaysPreflight: true,
    problem: 'header-not-allowed',
    re: body(
      `${lit('Request header field')}${WS}${TOKEN}${WS}${lit('is not allowed by Access-Control-Allow-Headers in preflight response.')}`,
    ),
    read: (m) => ({ header: squash(m[1] ?? '') }),
  },
  {
    error: 'RedirectContainsCredentials',
    problem: 'redirect-credentials',
    re: body(
      `${lit('Redirect location')}${WS}${Q}${WS}${lit('contains a username and password, which is disallowed for cross-origin requests.')}`,
    ),
    read: (m) => ({ value: squash(m[1] ?? '') }),
  },
  {
    error: 'InsecureLocalNetwork',
    problem: 'local-network',
    re: body(
      `${lit('The request client is not a secure context and the resource is in more-private address space')}${WS}\`([a-z]{1,20})\``,
    ),
    read: (m) => ({ addressSpace: m[1] ?? '' }),
  },
  {
    error: 'InvalidLocalNetworkAccess',
    problem: 'local-network',
    re: body(
      `${lit('Request had a target IP address space of')}${WS}\`([a-z]{1,20})\`${WS}${lit('yet the resource is in address space')}${WS}\`([a-z]{1,20})\``,
    ),
    read: (m) => ({ addressSpace: m[2] ?? '' }),
  },
  {
    error: 'LocalNetworkAccessPermissionDenied',
    problem: 'local-network',
    re: body(
      `${lit('Permission was denied for this request to access the')}${WS}\`([a-z]{1,20})\`${WS}${lit('address space.')}`,
    ),
    read: (m) => ({ addressSpace: m[1] ?? '' }),
  },
  // §1.3: Private Network Access, removed from Chromium in January 2026.
  {
    error: 'PreflightMissingAllowPrivateNetwork',
    preflightError: 'PreflightMissingAllowPrivateNetwork',
    alwaysPreflight: true,
    problem: 'local-network',
    re: body(
      `${lit("No 'Access-Control-Allow-Private-Network' header was present in the preflight response for this private network request targeting the")}${WS}\`([a-z]{1,20})\``,
    ),
    read: (m) => ({ addressSpace: m[1] ?? '' }),
  },
  {
    error: 'PreflightInvalidAllowPrivateNetwork',
    preflightError: 'PreflightInvalidAllowPrivateNetwork',
    alwaysPreflight: true,
    problem: 'local-network',
    re: body(
      `${lit("The 'Access-Control-Allow-Private-Network' header in the preflight response for this private network request targeting the")}${WS}\`([a-z]{1,20})\`${WS}${lit('address space had a value of')}${WS}${Q}`,
    ),
    read: (m) => ({ addressSpace: m[1] ?? '', value: tidy(m[2] ?? '') }),
  },
  {
    error: 'UnexpectedPrivateNetworkAccess',
    problem: 'local-network',
    re: body(
      `${lit('Request had no target IP address space, yet the resource is in address space')}${WS}\`([a-z]{1,20})\``,
    ),
    read: (m) => ({ addressSpace: m[1] ?? '' }),
  },
  {
    error: 'PreflightMissingPrivateNetworkAccessId',
    alwaysPreflight: true,
    problem: 'local-network',
    re: body(`${lit("No 'Private-Network-Access-Id' header was present in the preflight response")}`),
  },
  {
    error: 'PreflightMissingPrivateNetworkAccessName',
    alwaysPreflight: true,
    problem: 'local-network',
    re: body(`${lit("No 'Private-Network-Access-Name' header was present in the preflight response")}`),
  },
  {
    error: 'PrivateNetworkAccessPermissionUnavailable',
    problem: 'local-network',
    re: body(`${lit('Unable to ask for permission to access the')}${WS}\`([a-z]{1,20})\``),
    read: (m) => ({ addressSpace: m[1] ?? '' }),
  },
  {
    error: 'PreflightMissingAllowExternal',
    preflightError: 'PreflightMissingAllowExternal',
    alwaysPreflight: true,
    problem: 'local-network',
    re: body(lit("No 'Access-Control-Allow-External' header was present in the preflight response")),
  },
  {
    error: 'PreflightInvalidAllowExternal',
    preflightError: 'PreflightInvalidAllowExternal',
    alwaysPreflight: true,
    problem: 'local-network',
    re: body(lit("The 'Access-Control-Allow-External' header in the preflight response")),
  },
]);

function readChromeBody(text: string, at: number, prefixed: boolean) {
  let pos = at;
  PREFLIGHT_PREFIX.lastIndex = pos;
  const pre = PREFLIGHT_PREFIX.exec(text);
  const preflightPrefix = pre !== null;
  if (pre) pos += pre[0].length;
  const head = flatten(text.slice(pos, pos + 400));
  for (const b of CHROME_BODIES) {
    if (!head.startsWith(b.key)) continue;
    b.re.lastIndex = pos;
    const m = b.re.exec(text);
    if (!m) continue;
    const corsError = preflightPrefix && b.preflightError ? b.preflightError : b.error;
    return {
      end: pos + m[0].length,
      corsError,
      problem: b.problem,
      preflight: preflightPrefix || b.alwaysPreflight === true,
      values: b.read ? b.read(m) : {},
    };
  }
  if (!prefixed && !preflightPrefix) return null;
  return {
    end: pos,
    corsError: 'Unknown',
    problem: 'unknown' as Problem,
    preflight: preflightPrefix ? true : null,
    values: {},
  };
}

/** Chromium's `{kind}` words (§1.1), to undo a wrap inside one (`f\netch`). */
const KINDS = [
  'fetch',
  'XMLHttpRequest',
  'script',
  'font',
  'image',
  'CSS stylesheet',
  'audio',
  'video',
  'text track',
  'manifest',
  'link prefetch resource',
  'SVG document',
  'XSL stylesheet',
  'other resource',
  'resource',
];
const KIND_BY_LETTERS = new Map(KINDS.map((k) => [squash(k).toLowerCase(), k]));

function resourceKind(raw: string): string {
  return KIND_BY_LETTERS.get(squash(raw).toLowerCase()) ?? tidy(raw);
}

function chromeMessages(text: string): Fragment[] {
  const out: Fragment[] = [];
  for (const m of text.matchAll(CHROME_PREFIX)) {
    const start = m.index;
    const read = readChromeBody(text, start + m[0].length, true)!;
    const values: MessageValues = {
      kind: resourceKind(m[1] ?? ''),
      url: squash(m[2] ?? ''),
      origin: squash(m[4] ?? ''),
      ...read.values,
    };
    if (m[3] !== undefined) values.initialUrl = squash(m[3]);
    out.push({ start, browser: 'chrome', role: 'message', rank: 0, ...read, values });
  }
  for (const m of text.matchAll(CHROME_SUMMARY_PREFIX)) {
    const read = readChromeBody(text, m.index + m[0].length, true)!;
    out.push({ start: m.index, browser: 'chrome', role: 'message', rank: 1, ...read });
  }
  return out;
}

/** A Chromium body pasted without its `Access to …` prefix (rank 2: a full message containing it wins). */
function bareChromeBodies(text: string): Fragment[] {
  const out: Fragment[] = [];
  const starts = new RegExp(
    [
      lit("Response to preflight request doesn't pass"),
      lit("No 'Access-Control-Allow-Origin'"),
      lit("The value of the 'Access-Control-Allow-"),
      lit("The 'Access-Control-Allow-Origin' header"),
      lit('It does not have HTTP ok status.'),
      lit('Redirect is not allowed for a preflight'),
      lit('Cannot parse Access-Control-Allow-'),
      `${lit('Method')}${WS}\\S{1,200}${WS}${lit('is not allowed by Access-Control-Allow-Methods in')}`,
      `${lit('Request header field')}${WS}\\S{1,256}${WS}${lit('is not allowed by Access-Control-Allow-Headers in')}`,
      lit('Permission was denied for this request to access'),
      lit('The request client is not a secure context'),
      lit('Cross origin requests are'),
    ].join('|'),
    'g',
  );
  for (const m of text.matchAll(starts)) {
    const read = readChromeBody(text, m.index, false);
    if (read) out.push({ start: m.index, browser: 'chrome', role: 'message', rank: 2, ...read });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Chromium renderer messages (§1.4), CSP, mixed content, network lines.
// ---------------------------------------------------------------------------------------------------------

interface SimplePattern {
  /** Fixed text the paste must contain (flattened); derived from the regex when absent. */
  key?: string;
  browser: BrowserName;
  corsError: string | ((m: RegExpExecArray) => string);
  problem: Problem | ((m: RegExpExecArray) => Problem);
  preflight?: boolean | null;
  role?: Fragment['role'];
  rank?: number;
  re: RegExp;
  read: (m: RegExpExecArray) => MessageValues;
}

const g = (src: string) => regex(src, 'g');

/** Chromium reports a Local Network Access block as a net error too. */
function netProblem(code: string | undefined): Problem {
  return /^ERR_BLOCKED_BY_(LOCAL|PRIVATE)_NETWORK/.test(code ?? '') ? 'local-network' : 'network';
}

const FETCH_API = `${lit('Fetch API cannot load')}${WS}`;

const SIMPLE: SimplePattern[] = [
  {
    browser: 'chrome',
    corsError: 'DisallowedByMode',
    problem: 'mode-same-origin',
    re: g(
      `${FETCH_API}${URLISH}${WS}\\.${WS}${lit('Request mode is "same-origin" but the URL\'s origin is not same as the request origin')}${WS}(\\S{1,1024}?)\\.?(?=\\s|$)`,
    ),
    read: (m) => ({ url: squash(m[1] ?? ''), origin: squash(m[2] ?? '') }),
  },
  {
    browser: 'chrome',
    corsError: 'CorsDisabledScheme',
    problem: 'scheme-not-supported',
    re: g(
      `${FETCH_API}${URLISH}${WS}\\.${WS}${lit('URL scheme')}${WS}"([^"]{0,64})"${WS}${lit('is not supported.')}`,
    ),
    read: (m) => ({ url: squash(m[1] ?? ''), value: squash(m[2] ?? '') }),
  },
  {
    browser: 'chrome',
    corsError: 'NoCorsRedirectModeNotFollow',
    problem: 'no-cors-redirect',
    re: g(
      `${FETCH_API}${URLISH}${WS}\\.${WS}${lit('Request mode is "no-cors" but the redirect mode is not "follow".')}`,
    ),
    read: (m) => ({ url: squash(m[1] ?? '') }),
  },
  {
    browser: 'chrome',
    corsError: 'UnsafeHeader',
    problem: 'unsafe-header',
    re: g(
      `${lit('Refused to set unsafe header')}${WS}"${WS}([^"\\s]{1,256}(?:\\n[^"\\s]{1,256}){0,4}?)${WS}"`,
    ),
    read: (m) => ({ header: squash(m[1] ?? '') }),
  },
  // CSP (mistake 10): Chromium's older and newer wording, WebKit's, Firefox's.
  {
    browser: 'chrome',
    corsError: 'CSPViolation',
    problem: 'csp',
    re: g(
      `${lit('Refused to connect to')}${WS}${Q}${WS}${lit('because it violates the following Content Security Policy directive:')}${WS}"([^"]{0,2048})"`,
    ),
    read: (m) => ({ url: squash(m[1] ?? ''), directive: tidy(m[2] ?? '') }),
  },
  {
    browser: 'chrome',
    corsError: 'CSPViolation',
    problem: 'csp',
    re: g(
      `${lit('Connecting to')}${WS}${Q}${WS}${lit('violates the following Content Security Policy directive:')}${WS}"([^"]{0,2048})"`,
    ),
    read: (m) => ({ url: squash(m[1] ?? ''), directive: tidy(m[2] ?? '') }),
  },
  {
    browser: 'safari',
    corsError: 'CSPViolation',
    problem: 'csp',
    re: g(
      `${lit('Refused to connect to')}${WS}([^\\s']{1,4096})${WS}${lit('because it does not appear in the')}${WS}([a-z-]{1,40})${WS}${lit('directive of the Content Security Policy.')}`,
    ),
    read: (m) => ({ url: squash(m[1] ?? ''), directive: m[2] ?? '' }),
  },
  {
    browser: 'firefox',
    corsError: 'CSPViolation',
    problem: 'csp',
    re: g(
      `${lit('Content')}[- ]?${lit('Security')}[- ]?${lit("Policy: The page's settings blocked the loading of a resource")}${WS}(?:\\(([a-z-]{1,40})\\)${WS})?${lit('at')}${WS}([^\\s'"]{1,4096}?)(?:${WS}\\("([a-z-]{1,40})"\\)|${WS}${lit('because it violates the following directive:')}${WS}"([^"]{0,2048})"|(?=\\.?(?:\\s|$)))`,
    ),
    read: (m) => ({
      url: squash(m[2] ?? '').replace(/\.$/, ''),
      directive: tidy(m[4] ?? m[1] ?? m[3] ?? ''),
    }),
  },
  // Mixed content.
  {
    browser: 'chrome',
    corsError: 'MixedContent',
    problem: 'mixed-content',
    re: g(
      `${lit('Mixed Content: The page at')}${WS}${Q}${WS}${lit('was loaded over HTTPS, but requested an insecure')}${WS}[A-Za-z ]{1,40}?${WS}${Q}`,
    ),
    read: (m) => ({ pageUrl: squash(m[1] ?? ''), url: squash(m[2] ?? '') }),
  },
  {
    browser: 'firefox',
    corsError: 'MixedContent',
    problem: 'mixed-content',
    re: g(`${lit('Blocked loading mixed active content')}${WS}"([^"]{1,4096})"`),
    read: (m) => ({ url: squash(m[1] ?? '') }),
  },
  {
    browser: 'safari',
    corsError: 'MixedContent',
    problem: 'mixed-content',
    re: g(
      `${lit('The page at')}${WS}([^\\s']{1,4096})${WS}${lit('was not allowed to')}${WS}(?:run|display)${WS}${lit('insecure content from')}${WS}([^\\s']{1,4096}?)\\.?(?=\\s|$)`,
    ),
    read: (m) => ({ pageUrl: squash(m[1] ?? ''), url: squash(m[2] ?? '') }),
  },
  // Local Network Access seen as a net error (WebSocket, or a network line).
  {
    browser: 'chrome',
    corsError: (m) => `net::ERR_BLOCKED_BY_${m[2] ?? 'LOCAL'}_NETWORK_ACCESS_CHECKS`,
    problem: 'local-network',
    key: '_network_access_checks',
    re: g(
      `(?:${lit('WebSocket connection to')}${WS}${Q}${WS}${lit('failed:')}${WS}(?:${lit('Error in connection establishment:')}${WS})?)?net::ERR_BLOCKED_BY_(LOCAL|PRIVATE)_NETWORK_ACCESS_CHECKS`,
    ),
    read: (m) => (m[1] ? { url: squash(m[1]) } : {}),
    rank: 1,
  },
  // The DevTools network line (`GET https://… net::ERR_FAILED 200 (OK)`): a helper, and for non-CORS net
  // errors (refused, DNS, TLS) a message of its own.
  {
    browser: 'chrome',
    corsError: (m) => `net::${m[3] ?? 'ERR_FAILED'}`,
    problem: (m) => netProblem(m[3]),
    role: 'net-line',
    rank: 3,
    key: 'net::err_',
    re: g(
      String.raw`(?:\b([A-Z]{3,10}) )?(https?://[^\s'"]{1,4096}) net::(ERR_[A-Z0-9_]{1,80})(?: (\d{3})(?: \([^)\n]{0,60}\))?)?`,
    ),
    read: (m) => {
      const v: MessageValues = { url: m[2] ?? '', netError: `net::${m[3]}` };
      if (m[1]) v.method = m[1];
      if (m[4]) v.status = Number(m[4]);
      return v;
    },
  },
  {
    browser: 'chrome',
    corsError: (m) => `net::${m[1] ?? 'ERR_FAILED'}`,
    problem: (m) => netProblem(m[1]),
    role: 'net-line',
    rank: 4,
    key: 'net::err_',
    re: g('net::(ERR_[A-Z0-9_]{1,80})'),
    read: (m) => ({ netError: `net::${m[1]}` }),
  },
  // The errors the page's script sees; hints only.
  {
    browser: 'chrome',
    corsError: 'TypeError',
    problem: 'unknown',
    role: 'js-error',
    re: g('TypeError: Failed to fetch'),
    read: () => ({}),
  },
  {
    browser: 'firefox',
    corsError: 'TypeError',
    problem: 'unknown',
    role: 'js-error',
    re: g(String.raw`TypeError: NetworkError when attempting to fetch resource\.?`),
    read: () => ({}),
  },
  {
    browser: 'safari',
    corsError: 'TypeError',
    problem: 'unknown',
    role: 'js-error',
    re: g('TypeError: Load failed'),
    read: () => ({}),
  },
];

// ---------------------------------------------------------------------------------------------------------
// Firefox (§2.1): `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote
// resource at {url}. (Reason: {reason}). [Status code: {status}.]`
// ---------------------------------------------------------------------------------------------------------

interface FirefoxReason {
  key: string;
  problem: Problem;
  re: RegExp;
  read?: (m: RegExpExecArray) => MessageValues;
  preflight?: boolean;
}

const keyedReasons = (xs: FirefoxReason[]) =>
  xs.map((x) => ({ ...x, prefix: literalPrefix(sourceOf(x.re)) }));

/**
 * Firefox's patterns, built on the first paste that holds a Firefox line (`cross-originrequest`): the
 * usual paste is Chrome's, and building ~40 long patterns is a measurable part of explain's cold start.
 */
let firefox: ReturnType<typeof buildFirefox> | undefined;
function buildFirefox() {
  const prefix = g(
    `${lit('Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at')}${WS}['"]?${WS}([^\\s'"]{1,4096}?(?:\\n[^\\s'"]{1,4096}?){0,4}?)${WS}['"]?${WS}\\.${WS}${lit('(Reason:')}${WS}`,
  );
  const warning = g(
    `${lit('Cross-Origin Request Warning: The Same Origin Policy will disallow reading the remote resource at')}${WS}${URLISH}${WS}${lit('soon.')}${WS}${lit('(Reason: When the')}`,
  );
  const status = new RegExp(
    `${WS}\\)?${WS}\\.?${WS}${lit('Status code:')}${WS}(\\d\\s?\\d\\s?\\d|${lit('(null)')}|null)`,
    'y',
  );
  const reasons = keyedReasons([
    { key: 'CORSDisabled', problem: 'cors-disabled', re: body(lit('CORS disabled')) },
    { key: 'CORSDidNotSucceed2', problem: 'network', re: body(lit('CORS request did not succeed')) },
    {
      key: 'CORSOriginHeaderNotAdded',
      problem: 'origin-header-not-added',
      re: body(lit("CORS header 'Origin' cannot be added")),
    },
    {
      key: 'CORSExternalRedirectNotAllowed',
      problem: 'preflight-redirect',
      preflight: true,
      re: body(lit('CORS request external redirect not allowed')),
    },
    { key: 'CORSRequestNotHttp', problem: 'scheme-not-supported', re: body(lit('CORS request not http')) },
    {
      key: 'CORSMissingAllowOrigin2',
      problem: 'allow-origin-missing',
      re: body(lit("CORS header 'Access-Control-Allow-Origin' missing")),
    },
    {
      key: 'CORSMultipleAllowOriginNotAllowed',
      problem: 'allow-origin-multiple',
      re: body(lit("Multiple CORS header 'Access-Control-Allow-Origin' not allowed")),
    },
    {
      key: 'CORSAllowOriginNotMatchingOrigin',
      problem: 'allow-origin-mismatch',
      re: body(`${lit("CORS header 'Access-Control-Allow-Origin' does not match")}${WS}${QV}`),
      read: (m) => ({ value: tidy(m[1] ?? '') }),
    },
    {
      key: 'CORSNotSupportingCredentials',
      problem: 'allow-origin-wildcard-credentials',
      re: body(lit("Credential is not supported if the CORS header 'Access-Control-Allow-Origin' is '*'")),
    },
    {
      key: 'CORSMethodNotFound',
      problem: 'method-not-allowed',
      preflight: true,
      re: body(lit("Did not find method in CORS header 'Access-Control-Allow-Methods'")),
    },
    {
      key: 'CORSMissingAllowCredentials',
      problem: 'allow-credentials-invalid',
      re: body(lit("expected 'true' in CORS header 'Access-Control-Allow-Credentials'")),
    },
    {
      key: 'CORSPreflightDidNotSucceed3',
      problem: 'preflight-status',
      preflight: true,
      re: body(lit('CORS preflight response did not succeed')),
    },
    {
      key: 'CORSPreflightDidNotSucceed',
      problem: 'preflight-status',
      preflight: true,
      re: body(lit('CORS preflight channel did not succeed')),
    },
    {
      key: 'CORSInvalidAllowMethod',
      problem: 'allow-methods-invalid',
      preflight: true,
      re: body(
        `${lit('invalid token')}${WS}${QV}${WS}${lit("in CORS header 'Access-Control-Allow-Methods'")}`,
      ),
      read: (m) => ({ value: tidy(m[1] ?? '') }),
    },
    {
      key: 'CORSInvalidAllowHeader',
      problem: 'allow-headers-invalid',
      preflight: true,
      re: body(
        `${lit('invalid token')}${WS}${QV}${WS}${lit("in CORS header 'Access-Control-Allow-Headers'")}`,
      ),
      read: (m) => ({ value: tidy(m[1] ?? '') }),
    },
    {
      key: 'CORSMissingAllowHeaderFromPreflight2',
      problem: 'header-not-allowed',
      preflight: true,
      re: body(
        `${lit('header')}${WS}${QV}${WS}${lit("is not allowed according to header 'Access-Control-Allow-Headers' from CORS preflight response")}`,
      ),
      read: (m) => ({ header: squash(m[1] ?? '') }),
    },
    {
      key: 'CORSMissingAllowHeaderFromPreflight',
      problem: 'header-not-allowed',
      preflight: true,
      re: body(
        `${lit('missing token')}${WS}${QV}${WS}${lit("in CORS header 'Access-Control-Allow-Headers' from CORS preflight channel")}`,
      ),
      read: (m) => ({ header: squash(m[1] ?? '') }),
    },
  ]);
  return { prefix, warning, status, reasons };
}

function firefoxMessages(text: string): Fragment[] {
  firefox ??= buildFirefox();
  const {
    prefix: FIREFOX_PREFIX,
    warning: FIREFOX_WARNING,
    status: STATUS,
    reasons: FIREFOX_REASONS,
  } = firefox;
  const out: Fragment[] = [];
  for (const m of text.matchAll(FIREFOX_PREFIX)) {
    const at = m.index + m[0].length;
    const values: MessageValues = { url: squash(m[1] ?? '') };
    let found: Fragment | null = null;
    const head = flatten(text.slice(at, at + 300));
    for (const r of FIREFOX_REASONS) {
      if (!head.startsWith(r.prefix)) continue;
      r.re.lastIndex = at;
      const rm = r.re.exec(text);
      if (!rm) continue;
      let end = at + rm[0].length;
      STATUS.lastIndex = end;
      const sm = STATUS.exec(text);
      if (sm) {
        end += sm[0].length;
        const code = squash(sm[1] ?? '');
        if (/^\d{3}$/.test(code)) values.status = Number(code);
      }
      const statusNull = sm !== null && values.status === undefined;
      // `Status code: (null)`: no response came back at all.
      const problem: Problem = statusNull && r.problem === 'allow-origin-missing' ? 'network' : r.problem;
      found = {
        start: m.index,
        end,
        browser: 'firefox',
        corsError: r.key,
        problem,
        preflight: r.preflight ?? null,
        values: { ...values, ...(r.read ? r.read(rm) : {}) },
        role: 'message',
        rank: 0,
      };
      break;
    }
    out.push(
      found ?? {
        start: m.index,
        end: at,
        browser: 'firefox',
        corsError: 'Unknown',
        problem: 'unknown',
        preflight: null,
        values,
        role: 'message',
        rank: 0,
      },
    );
  }
  for (const m of text.matchAll(FIREFOX_WARNING)) {
    out.push({
      start: m.index,
      end: m.index + m[0].length,
      browser: 'firefox',
      corsError: 'CORSAllowHeaderFromPreflightDeprecation',
      problem: 'header-not-allowed',
      preflight: true,
      values: { url: squash(m[1] ?? ''), header: 'authorization', value: '*' },
      role: 'message',
      rank: 0,
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// WebKit (§3): reason lines, and `Fetch API cannot load {url} due to access control checks.`
// ---------------------------------------------------------------------------------------------------------

/** WebKit's loader names (ThreadableLoader), wrap-tolerant. */
const LOADER = `(${lit('Fetch API')}|${lit('XMLHttpRequest')}|${lit('EventSource')})`;
function loaderKind(raw: string | undefined): string {
  const k = squash(raw ?? '');
  return k === 'FetchAPI' ? 'Fetch API' : k || 'resource';
}

const WEBKIT: SimplePattern[] = [
  {
    // The reason of a redirect WebKit refused follows this prefix on the same line.
    browser: 'safari',
    corsError: 'RedirectDenied',
    problem: 'unknown',
    role: 'webkit-redirect',
    re: g(
      `${lit('Cross-origin redirection to')}${WS}${URLISH}${WS}${lit('denied by Cross-Origin Resource Sharing policy:')}`,
    ),
    read: (m) => ({ url: squash(m[1] ?? '') }),
  },
  {
    browser: 'safari',
    corsError: 'OriginNotAllowed',
    problem: 'allow-origin-not-allowed',
    key: 'isnotallowedbyaccess-control-allow-origin',
    re: g(
      `(?<![\\w-])${lit('Origin')}${WS}([^\\s'"]{1,1024}(?:\\n[^\\s'"]{1,1024}){0,4}?)${WS}${lit('is not allowed by Access-Control-Allow-Origin.')}(?:${WS}${lit('Status code:')}${WS}(\\d\\s?\\d\\s?\\d))?`,
    ),
    read: (m) =>
      m[2] ? { origin: squash(m[1] ?? ''), status: Number(m[2]) } : { origin: squash(m[1] ?? '') },
  },
  {
    browser: 'safari',
    corsError: 'WildcardWithCredentials',
    problem: 'allow-origin-wildcard-credentials',
    re: g(lit('Cannot use wildcard in Access-Control-Allow-Origin when credentials flag is true.')),
    read: () => ({}),
  },
  {
    browser: 'safari',
    corsError: 'MultipleAllowOrigin',
    problem: 'allow-origin-multiple',
    re: g(lit('Access-Control-Allow-Origin cannot contain more than one origin.')),
    read: () => ({}),
  },
  {
    browser: 'safari',
    corsError: 'AllowCredentialsNotTrue',
    problem: 'allow-credentials-invalid',
    re: g(lit('Credentials flag is true, but Access-Control-Allow-Credentials is not "true".')),
    read: () => ({}),
  },
  {
    browser: 'safari',
    corsError: 'PreflightNotSuccessful',
    problem: (m) => (/^30[12378]$/.test(m[1] ?? '') ? 'preflight-redirect' : 'preflight-status'),
    preflight: true,
    re: g(`${lit('Preflight response is not successful.')}(?:${WS}${lit('Status code:')}${WS}(\\d{3}))?`),
    read: (m) => (m[1] ? { status: Number(m[1]) } : {}),
  },
  {
    browser: 'safari',
    corsError: 'InvalidAllowMethods',
    problem: 'allow-methods-invalid',
    preflight: true,
    re: g(`${lit('Header Access-Control-Allow-Methods has an invalid value:')}(?: ([^\\n]{0,512}))?`),
    read: (m) => ({ value: tidy(m[1] ?? '') }),
  },
  {
    browser: 'safari',
    corsError: 'InvalidAllowHeaders',
    problem: 'allow-headers-invalid',
    preflight: true,
    re: g(`${lit('Header Access-Control-Allow-Headers has an invalid value:')}(?: ([^\\n]{0,512}))?`),
    read: (m) => ({ value: tidy(m[1] ?? '') }),
  },
  {
    browser: 'safari',
    corsError: 'MethodNotAllowed',
    problem: 'method-not-allowed',
    preflight: true,
    re: g(`${lit('Method')}${WS}${TOKEN}${WS}${lit('is not allowed by Access-Control-Allow-Methods.')}`),
    read: (m) => ({ method: squash(m[1] ?? '') }),
    rank: 1,
  },
  {
    browser: 'safari',
    corsError: 'HeaderNotAllowed',
    problem: 'header-not-allowed',
    preflight: true,
    re: g(
      `${lit('Request header field')}${WS}${TOKEN}${WS}${lit('is not allowed by Access-Control-Allow-Headers.')}`,
    ),
    read: (m) => ({ header: squash(m[1] ?? '') }),
    rank: 1,
  },
  {
    browser: 'safari',
    corsError: 'RedirectNonCorsScheme',
    problem: 'redirect-scheme',
    re: g(lit('not allowed to follow a cross-origin CORS redirection with non CORS scheme')),
    read: () => ({}),
  },
  {
    browser: 'safari',
    corsError: 'RedirectWithCredentials',
    problem: 'redirect-credentials',
    re: g(`${lit('redirection URL')}${WS}${URLISH}${WS}${lit('has credentials')}`),
    read: (m) => ({ value: squash(m[1] ?? '') }),
  },
  {
    browser: 'safari',
    corsError: 'AccessControlChecks',
    problem: 'access-control-checks',
    role: 'webkit-url',
    key: 'duetoaccesscontrolchecks',
    re: g(
      `(?:${LOADER}${WS}${lit('cannot load')}|${lit('Cannot load')}(?:${WS}(image))?)${WS}([^\\s'"]{1,4096}?(?:\\n[^\\s'"]{1,4096}?){0,4}?)${WS}${lit('due to access control checks.')}`,
    ),
    read: (m) => ({ url: squash(m[3] ?? ''), kind: loaderKind(m[1] ?? m[2]) }),
  },
  {
    // ThreadableLoader's line for failures that are not access-control checks (network error, a mode).
    browser: 'safari',
    corsError: 'LoadFailed',
    problem: 'network',
    role: 'webkit-url',
    rank: 1,
    key: 'cannotload',
    re: g(
      `${LOADER}${WS}${lit('cannot load')}${WS}([^\\s'"]{1,4096}?(?:\\n[^\\s'"]{1,4096}?){0,4}?)${WS}\\.(?=$|\\s(?:$|[A-Z[(]))`, // the URL ends where a new sentence or line begins
    ),
    read: (m) => ({ url: squash(m[2] ?? ''), kind: loaderKind(m[1]) }),
  },
];

const KEYS = new Map<SimplePattern, string>();
function keyOf(p: SimplePattern): string {
  let key = KEYS.get(p);
  if (key === undefined) KEYS.set(p, (key = p.key ?? literalPrefix(sourceOf(p.re))));
  return key;
}

function runSimple(text: string, flat: string, patterns: SimplePattern[]): Fragment[] {
  const out: Fragment[] = [];
  for (const p of patterns) {
    if (!flat.includes(keyOf(p))) continue;
    for (const m of text.matchAll(p.re)) {
      out.push({
        start: m.index,
        end: m.index + m[0].length,
        browser: p.browser,
        corsError: typeof p.corsError === 'function' ? p.corsError(m) : p.corsError,
        problem: typeof p.problem === 'function' ? p.problem(m) : p.problem,
        preflight: p.preflight ?? null,
        values: p.read(m),
        role: p.role ?? 'message',
        rank: p.rank ?? 0,
      });
    }
  }
  return out;
}

/** Words one of the bare Chromium bodies contains. */
const BARE_KEYS = [
  'access-control-allow-',
  'preflight',
  'crossoriginrequestsare',
  'permissionwasdenied',
  'notasecurecontext',
];

/** Every fragment in the text, in text order, with matches inside longer matches removed. */
export function recognise(text: string): Fragment[] {
  const flat = flatten(text);
  const chrome = flat.includes('corspolicy') ? chromeMessages(text) : [];
  // Bare bodies are looked for only outside the full messages (the usual paste has none left).
  let rest = text;
  for (const f of chrome) rest = rest.slice(0, f.start) + ' '.repeat(f.end - f.start) + rest.slice(f.end);
  const restFlat = chrome.length > 0 ? flatten(rest) : flat;
  const all = [
    ...chrome,
    ...(BARE_KEYS.some((k) => restFlat.includes(k)) ? bareChromeBodies(rest) : []),
    ...(flat.includes('cross-originrequest') ? firefoxMessages(text) : []),
    ...runSimple(text, flat, SIMPLE),
    ...runSimple(text, flat, WEBKIT),
  ];
  // Longest first at each position, then by rank; keep a match unless it lies inside a kept one.
  all.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start) || a.rank - b.rank);
  const kept: Fragment[] = [];
  let reach = -1;
  for (const f of all) {
    if (f.end <= reach) continue; // inside (or equal to) an earlier, longer match
    if (f.start < reach) continue; // overlaps the previous kept match: the earlier one wins
    kept.push(f);
    reach = f.end;
  }
  return kept;
}
