/**
 * Cases of the web-platform-tests' CORS folder (https://github.com/web-platform-tests/wpt, fetch/api/cors/)
 * as scenarios: each names its WPT file and subtest, makes the same call, and is answered by the ported
 * handler (handlers.ts). `expect` is the WPT expectation; where an engine fails it, `engineExceptions`
 * records what that engine does (the browser is the judge, the model follows it).
 */

import type { Scenario, ScenarioCall } from '../index.ts';
import type { EngineKey } from '../sequences.ts';
import { preflightPy } from './handlers.ts';

export interface WptCase extends Scenario {
  /** WPT file (under fetch/api/cors/) and the subtest's name as WPT prints it. */
  wpt: { file: string; subtest: string };
  /** Where a real engine departs from the WPT expectation: its verdict, and why. */
  engineExceptions?: Partial<Record<EngineKey, { allowed: boolean; note: string }>>;
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

export const wptCases: WptCase[] = [...preflightStatus, ...preflightStar];
