/**
 * Cases of the web-platform-tests' CORS folder (https://github.com/web-platform-tests/wpt, fetch/api/cors/)
 * as scenarios: each names its WPT file and subtest, makes the same call, and is answered by the ported
 * handler (handlers.ts). `expect` is the WPT expectation; where an engine fails it, `engineExceptions`
 * records what that engine does (the browser is the judge, the model follows it).
 */

import type { Scenario, ScenarioCall } from '../index.ts';
import type { EngineKey } from '../sequences.ts';
import { headerPipe, preflightPy } from './handlers.ts';

export interface WptCase extends Scenario {
  /** WPT file (under fetch/api/cors/) and the subtest's name as WPT prints it. */
  wpt: { file: string; subtest: string };
  /** The WPT assertion on a response header: readable by the script, or filtered out. */
  readable?: { name: string; readable: boolean }[];
  /** Where a real engine departs from the WPT expectation: its verdict, and why. */
  engineExceptions?: Partial<Record<EngineKey, { allowed: boolean; readable?: boolean; note: string }>>;
}

/** Routes for a preflight.py URL: the OPTIONS answer and the answer to `method`, for one query. */
function preflightRoutes(path: string, query: URLSearchParams, method: string): Scenario['routes'] {
  // The scenario server matches the path with its query as the page sends it.
  const full = `${path}?${query.toString()}`;
  return [
    { method: 'OPTIONS', path: full, response: preflightPy(query, 'OPTIONS') },
    { method, path: full, response: preflightPy(query, method) },
  ];
}

const base = (over: Partial<ScenarioCall>): ScenarioCall => ({
  initiator: 'fetch',
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  path: '/preflight.py',
  ...over,
});

// ---- cors-preflight-status.any.js ---------------------------------------------------------------------
const STATUSES = [
  200, 201, 202, 203, 204, 205, 206, 300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404,
  405, 501, 502, 503, 504, 505,
];
const preflightStatus: WptCase[] = STATUSES.map((status) => {
  const q = new URLSearchParams({
    token: 't',
    max_age: '0',
    allow_headers: 'x-force-preflight',
    preflight_status: String(status),
  });
  const ok = status >= 200 && status <= 299;
  return {
    name: `wpt-preflight-status-${status}`,
    comment: `Preflight answered with status ${status}: ${ok ? 'an ok status, the fetch goes on' : 'not an ok status, TypeError'}.`,
    wpt: { file: 'cors-preflight-status.any.js', subtest: `Preflight answered with status ${status}` },
    call: base({ path: `/preflight.py?${q.toString()}`, headers: [['x-force-preflight', '']] }),
    routes: preflightRoutes('/preflight.py', q, 'GET'),
    expect: { allowed: ok, corsError: ok ? null : 'PreflightInvalidStatus', preflight: true },
  };
});

// ---- cors-preflight-star.any.js -----------------------------------------------------------------------
type StarRow = [
  succeeds: boolean,
  credentials: boolean,
  allowMethod: string,
  allowHeader: string,
  method: string,
  header: [string, string] | [],
];
const STAR: StarRow[] = [
  [true, false, 'get', 'x-test', 'GET', ['X-Test', '1']],
  [true, false, '*', 'x-test', 'SUPER', ['X-Test', '1']],
  [true, false, '*', '*', 'OK', ['X-Test', '1']],
  [false, true, '*', '*', 'OK', ['X-Test', '1']],
  [false, true, '*', '', 'PUT', []],
  [true, true, 'PUT', '*', 'PUT', []],
  [false, true, 'get', '*', 'GET', ['X-Test', '1']],
  [false, true, '*', '*', 'GET', ['X-Test', '1']],
  [true, true, '*', '*', '*', ['*', '1']],
  [false, true, 'put', '*', 'PUT', []],
];
const preflightStar: WptCase[] = STAR.map(
  ([succeeds, credentials, allowMethod, allowHeader, method, header], i) => {
    // The handler's query (origin=<the page's origin> with credentials); the URL the page calls carries the
    // same parameters but the origin, which the ported handler already applied as `{page}`.
    const handler = new URLSearchParams();
    const url = new URLSearchParams();
    if (credentials) {
      handler.set('origin', '{page}');
      handler.set('credentials', '');
      url.set('credentials', '');
    }
    for (const q of [handler, url]) {
      q.set('allow_methods', allowMethod);
      q.set('allow_headers', allowHeader);
    }
    const path = `/preflight.py?${url.toString()}`;
    const subtest = `CORS that ${succeeds ? 'succeeds' : 'fails'} with credentials: ${credentials}; method: ${method} (allowed: ${allowMethod}); header: ${header.length ? header.join(',') : ''} (allowed: ${allowHeader})`;
    return {
      name: `wpt-preflight-star-${i + 1}`,
      comment: subtest,
      wpt: { file: 'cors-preflight-star.any.js', subtest },
      call: base({
        method,
        path,
        headers: header.length ? [header] : [],
        credentials: credentials ? 'include' : 'same-origin',
      }),
      routes: [
        { method: 'OPTIONS', path, response: preflightPy(handler, 'OPTIONS') },
        { method, path, response: preflightPy(handler, method) },
      ],
      expect: { allowed: succeeds, corsError: null },
    };
  },
);

/**
 * The stored cors-filtering.js (f55e51f6) expects Content-Length filtered; the Fetch Standard has since
 * made it a CORS-safelisted response-header name (https://fetch.spec.whatwg.org/#cors-safelisted-response-header-name), and all three engines expose it.
 */
const CONTENT_LENGTH_SAFELISTED: WptCase['engineExceptions'] = Object.fromEntries(
  (['chromium', 'firefox', 'webkit'] as const).map((e) => [
    e,
    {
      allowed: true,
      readable: true,
      note: 'Content-Length is CORS-safelisted now (Fetch Standard); the stored test predates it',
    },
  ]),
);

// ---- cors-filtering.js ---------------------------------------------------------------------------------
type FilterRow = [name: string, value: string, filtered: boolean, exposed: boolean];
const FILTERING: FilterRow[] = [
  ['Cache-Control', 'no-cache', false, false],
  ['Content-Language', 'fr', false, false],
  ['Content-Type', 'text/html', false, false],
  ['Expires', '04 May 1988 22:22:22 GMT', false, false],
  ['Last-Modified', '04 May 1988 22:22:22 GMT', false, false],
  ['Pragma', 'no-cache', false, false],
  ['Age', '27', true, false],
  ['Server', 'wptServe', true, false],
  ['Warning', 'Mind the gap', true, false],
  ['Content-Length', '0', true, false],
  ['Set-Cookie', 'name=value', true, false],
  ['Set-Cookie2', 'name=value', true, false],
  ['Age', '27', false, true],
  ['Server', 'wptServe', false, true],
  ['Warning', 'Mind the gap', false, true],
  ['Content-Length', '0', false, true],
  ['Set-Cookie', 'name=value', true, true],
  ['Set-Cookie2', 'name=value', true, true],
];
const filtering: WptCase[] = FILTERING.map(([name, value, filtered, exposed], i) => {
  const pipe = `header(${name},${encodeURIComponent(value)})|header(Access-Control-Allow-Origin,*)${exposed ? `header(Access-Control-Expose-Headers,${name})` : ''}`;
  const path = `/top.txt?pipe=${encodeURIComponent(pipe)}`;
  const subtest = `CORS filter on ${name} header${exposed ? ', header is exposed' : ''}`;
  return {
    name: `wpt-filtering-${i + 1}-${name.toLowerCase()}${exposed ? '-exposed' : ''}`,
    comment: subtest,
    wpt: { file: 'cors-filtering.js', subtest },
    call: base({ path }),
    // Content-Length: 0 is scripted for its own case; otherwise the body is empty, so the server's own
    // Content-Length (0) and the scripted one agree.
    routes: [{ method: 'GET', path, response: headerPipe(pipe, '') }],
    expect: { allowed: true, corsError: null },
    readable: [{ name: name.toLowerCase(), readable: !filtered }],
    ...(name === 'Content-Length' && !exposed ? { engineExceptions: CONTENT_LENGTH_SAFELISTED } : {}),
  };
});

// ---- cors-expose-star.js (commit 12dcb6d6) ---------------------------------------------------------------
const SHARED_PIPE =
  'header(Access-Control-Expose-Headers,*)|header(Test,X)|header(Set-Cookie,X)|header(*,whoa)|';
const exposeStar: WptCase[] = [
  {
    subtest: 'Basic Access-Control-Expose-Headers: * support',
    pipe: `${SHARED_PIPE}header(Access-Control-Allow-Origin,*)`,
    credentials: 'same-origin' as const,
    readable: [
      { name: 'test', readable: true },
      { name: 'set-cookie', readable: false },
      { name: '*', readable: true },
    ],
  },
  {
    subtest: '* for credentialed fetches only matches literally',
    pipe: `${SHARED_PIPE}header(Access-Control-Allow-Origin,{page})|header(Access-Control-Allow-Credentials,true)`,
    credentials: 'include' as const,
    readable: [
      { name: 'content-type', readable: true },
      { name: 'test', readable: false },
      { name: 'set-cookie', readable: false },
      { name: '*', readable: true },
    ],
  },
  {
    subtest: '* can be one of several values',
    pipe: 'header(Access-Control-Allow-Origin,*)|header(Access-Control-Expose-Headers,*)|header(Access-Control-Expose-Headers,set-cookie)|header(Test,X)|header(Set-Cookie,X)',
    credentials: 'same-origin' as const,
    readable: [
      { name: 'test', readable: true },
      { name: 'set-cookie', readable: false },
    ],
  },
].map((c, i) => {
  // The page's URL names no origin: the handler's `{page}` is the page origin, as location.origin is.
  const path = `/top.txt?case=${i + 1}`;
  return {
    name: `wpt-expose-star-${i + 1}`,
    comment: c.subtest,
    wpt: { file: 'cors-expose-star.js', subtest: c.subtest },
    call: base({ path, credentials: c.credentials }),
    routes: [{ method: 'GET', path, response: headerPipe(c.pipe, '') }],
    expect: { allowed: true, corsError: null },
    readable: c.readable,
  };
});

// ---- cors-multiple-origins.js (commit f55e51f6) --------------------------------------------------------
/**
 * This stored version expects several Access-Control-Allow-Origin lines to pass when one matches; the
 * Fetch Standard (and every engine) treats several values as a failure (Chromium
 * MultipleAllowOriginValues, Firefox CORSMultipleAllowOriginNotAllowed), which later versions of the test
 * expect. The engines' verdicts are recorded as exceptions.
 */
const ALL_BLOCK = (why: string): WptCase['engineExceptions'] =>
  Object.fromEntries(
    (['chromium', 'firefox', 'webkit'] as const).map((e) => [e, { allowed: false, note: why }]),
  );
const MULTI: [string, string[], boolean][] = [
  ['3 origins allowed, match the 3rd ({page})', ['""', 'http://example.com', '{page}'], true],
  ['3 origins allowed, match the 3rd ("*")', ['""', 'http://example.com', '*'], true],
  ['3 origins allowed, match twice ({page})', ['""', '{page}', '{page}'], true],
  ['3 origins allowed, match twice ("*")', ['*', 'http://example.com', '*'], true],
  ['3 origins allowed, match twice ("*" and {page})', ['*', 'http://example.com', '*'], true],
  ['3 origins allowed, no match', ['', 'http://example.com', 'https://example2.com'], false],
];
const multipleOrigins: WptCase[] = MULTI.map(([subtest, list, pass], i) => {
  const handler = new URLSearchParams({ origin: list.join(', ') });
  const path = `/preflight.py?case=${i + 1}`;
  return {
    name: `wpt-multiple-origins-${i + 1}`,
    comment: subtest,
    wpt: { file: 'cors-multiple-origins.js', subtest },
    call: base({ path }),
    routes: [{ method: 'GET', path, response: preflightPy(handler, 'GET') }],
    expect: { allowed: pass, corsError: null },
    ...(pass
      ? { engineExceptions: ALL_BLOCK('several Access-Control-Allow-Origin lines fail in every engine') }
      : {}),
  };
});

export const wptCases: WptCase[] = [
  ...preflightStatus,
  ...preflightStar,
  ...filtering,
  ...exposeStar,
  ...multipleOrigins,
];
