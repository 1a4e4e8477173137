/**
 * Cache sequences (issue 14 §2): several requests in a row from one or two page origins (the page
 * origin and the third origin, both serving the scenario page), sharing the browser's preflight cache
 * and HTTP cache. Each step says what the page calls; `routes` may change from a step on (a server
 * whose configuration changed). Expectations are per engine: whether each step is allowed and how many
 * requests reach the server (a preflight or an actual request the cache answered never does).
 * Run by test/browser/cache-sequences.test.ts in the three engines and through the model (cache.ts).
 *
 * The user reports they reproduce: "fails only for the second front end" (Chrome serving one tab's cached
 * `Access-Control-Allow-Origin: http://origin1` to another: https://github.com/aspnet/CORS/pull/84,
 * https://github.com/scireum/sirius-web/pull/513; mistake 6); "it works the first time and fails the
 * second" (https://github.com/ror-community/ror-roadmap/issues/427, a shared cache); a changed server
 * configuration hidden by Access-Control-Max-Age and the engines' different caps
 * (https://stackoverflow.com/questions/23543719); Fetch Standard §4.8 CORS-preflight cache and
 * "CORS protocol and HTTP caches" (https://fetch.spec.whatwg.org/#cors-protocol-and-http-caches).
 */
import type { OriginName, Route } from '../harness/scenario-server.ts';
import type { ScenarioCall } from './index.ts';

export type EngineKey = 'chromium' | 'firefox' | 'webkit';

export interface SequenceStep {
  /** Which origin's page makes the call (default 'page'). */
  from?: 'page' | 'third';
  call: ScenarioCall;
  /** Seconds after the first step (default: right after the previous one). */
  at?: number;
  /** The server's routes from this step on (default: the sequence's, or the last step's). */
  routes?: Route[];
}

export interface StepExpect {
  allowed: boolean;
  /** OPTIONS preflights the server received during the step. */
  preflights: number;
  /** Other requests the server received during the step. */
  actuals: number;
}

export interface Sequence {
  name: string;
  comment: string;
  mistake?: number;
  routes: Route[];
  steps: SequenceStep[];
  /** Chromium's (and the other engines', unless `engines` says otherwise) outcome per step. */
  expect: StepExpect[];
  /** Where an engine departs from Chromium, recorded in that engine. */
  engines?: Partial<Record<Exclude<EngineKey, 'chromium'>, { expect: StepExpect[]; note: string }>>;
}

type H = [string, string];
const JSON_BODY = '{"ok":true}';
const r = (
  method: string,
  path: string,
  status: number,
  headers: H[],
  origin: OriginName = 'api',
): Route => ({
  origin,
  method,
  path,
  response: { status, headers, body: status === 204 || method === 'OPTIONS' ? '' : JSON_BODY },
});
const call = (over: Partial<ScenarioCall> = {}): ScenarioCall => ({
  initiator: 'fetch',
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  path: '/data',
  ...over,
});
const put = (extra: H[] = [], over: Partial<ScenarioCall> = {}): ScenarioCall =>
  call({
    method: 'PUT',
    headers: [['Content-Type', 'application/json'], ...extra],
    body: JSON_BODY,
    ...over,
  });
const REFLECT: H = ['Access-Control-Allow-Origin', '{origin}'];
const step = (allowed: boolean, preflights: number, actuals: number): StepExpect => ({
  allowed,
  preflights,
  actuals,
});

const preflightRoutes = (allowHeaders: string, extra: H[] = [], methods = 'PUT'): Route[] => [
  r('OPTIONS', '/data', 204, [
    REFLECT,
    ['Access-Control-Allow-Methods', methods],
    ['Access-Control-Allow-Headers', allowHeaders],
    ['Vary', 'Origin'],
    ...extra,
  ]),
  r('PUT', '/data', 200, [['Content-Type', 'application/json'], REFLECT, ['Vary', 'Origin']]),
  r('DELETE', '/data', 200, [['Content-Type', 'application/json'], REFLECT, ['Vary', 'Origin']]),
];

export const sequences: Sequence[] = [
  {
    name: 'seq-max-age-600-second-put-skips-preflight',
    comment: 'Access-Control-Max-Age: 600: the second identical PUT is sent without a preflight.',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']]),
    steps: [{ call: put() }, { call: put() }],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-max-age-600-put-without-headers',
    comment: 'A PUT without a body or headers, Max-Age 600: is the cached preflight used?',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']]),
    steps: [{ call: call({ method: 'PUT' }) }, { call: call({ method: 'PUT' }) }],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-max-age-600-get-with-header',
    comment: 'A GET with X-Trace (allowed), Max-Age 600: is the cached preflight used for the header?',
    routes: [
      r('OPTIONS', '/data', 204, [
        REFLECT,
        ['Access-Control-Allow-Headers', 'x-trace'],
        ['Access-Control-Max-Age', '600'],
      ]),
      r('GET', '/data', 200, [['Content-Type', 'application/json'], REFLECT, ['Cache-Control', 'no-store']]),
    ],
    steps: [{ call: call({ headers: [['X-Trace', '1']] }) }, { call: call({ headers: [['X-Trace', '1']] }) }],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-max-age-600-put-text-body',
    comment: 'A PUT with a text/plain body (no unsafe header), Max-Age 600.',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']]),
    steps: [
      { call: call({ method: 'PUT', headers: [['Content-Type', 'text/plain']], body: 'x' }) },
      { call: call({ method: 'PUT', headers: [['Content-Type', 'text/plain']], body: 'x' }) },
    ],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-max-age-600-get-json-content-type',
    comment: 'A GET with Content-Type: application/json (no body), Max-Age 600.',
    routes: [
      r('OPTIONS', '/data', 204, [
        REFLECT,
        ['Access-Control-Allow-Headers', 'content-type'],
        ['Access-Control-Max-Age', '600'],
      ]),
      r('GET', '/data', 200, [['Content-Type', 'application/json'], REFLECT, ['Cache-Control', 'no-store']]),
    ],
    steps: [
      { call: call({ headers: [['Content-Type', 'application/json']] }) },
      { call: call({ headers: [['Content-Type', 'application/json']] }) },
    ],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-no-max-age-second-put',
    comment:
      'No Access-Control-Max-Age: Chromium and WebKit keep the preflight 5 s; Firefox does not keep it.',
    routes: preflightRoutes('content-type'),
    steps: [{ call: put() }, { call: put() }],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-max-age-1-expires',
    comment:
      'Access-Control-Max-Age: 1, the second PUT two seconds later: the entry has expired, a new preflight.',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '1']]),
    steps: [{ call: put() }, { call: put(), at: 2.5 }],
    expect: [step(true, 1, 1), step(true, 1, 1)],
  },
  {
    name: 'seq-new-header-preflights-again',
    comment:
      'The page adds X-Trace after a cached preflight that allowed only Content-Type: not covered, a new preflight (refused by the old configuration).',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']]),
    steps: [{ call: put() }, { call: put([['X-Trace', '1']]) }],
    expect: [step(true, 1, 1), step(false, 1, 0)],
  },
  {
    name: 'seq-server-drops-delete-cache-still-allows',
    comment:
      'The server stops allowing DELETE after a preflight allowed PUT, DELETE for 600 s: the next DELETE is covered by the cached entry and goes out without asking.',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']], 'PUT, DELETE'),
    steps: [
      { call: call({ method: 'DELETE' }) },
      {
        call: call({ method: 'DELETE' }),
        routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']], 'PUT'),
      },
    ],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-preflight-cache-per-origin',
    comment: 'A cached preflight for the page origin does not cover the second front end: it preflights.',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']]),
    steps: [{ call: put() }, { from: 'third', call: put() }],
    expect: [step(true, 1, 1), step(true, 1, 1)],
  },
  {
    name: 'seq-credentials-after-uncredentialed-preflight',
    comment:
      'A preflight cached for a request without credentials, then the same PUT with credentials: include.',
    routes: preflightRoutes('content-type', [
      ['Access-Control-Max-Age', '600'],
      ['Access-Control-Allow-Credentials', 'true'],
    ]).map((route) =>
      route.method === 'OPTIONS'
        ? route
        : {
            ...route,
            response: {
              ...route.response,
              headers: [...route.response.headers, ['Access-Control-Allow-Credentials', 'true'] as H],
            },
          },
    ),
    steps: [{ call: put() }, { call: put([], { credentials: 'include' }) }],
    expect: [step(true, 1, 1), step(true, 1, 1)],
  },
  {
    name: 'seq-second-origin-served-cached-allow-origin',
    mistake: 6,
    comment:
      'The API reflects the origin on a GET cacheable for 600 s without Vary: Origin: the second front end gets the first one’s cached Access-Control-Allow-Origin.',
    routes: [
      r('GET', '/data', 200, [
        ['Content-Type', 'application/json'],
        REFLECT,
        ['Cache-Control', 'max-age=600'],
      ]),
    ],
    steps: [{ call: call() }, { from: 'third', call: call() }],
    expect: [step(true, 0, 1), step(false, 0, 0)],
  },
  {
    name: 'seq-second-origin-vary-origin',
    comment: 'The same with Vary: Origin: the second front end’s request goes to the server and passes.',
    routes: [
      r('GET', '/data', 200, [
        ['Content-Type', 'application/json'],
        REFLECT,
        ['Cache-Control', 'max-age=600'],
        ['Vary', 'Origin'],
      ]),
    ],
    steps: [{ call: call() }, { from: 'third', call: call() }],
    expect: [step(true, 0, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-same-origin-repeat-cached',
    comment:
      'The same front end twice, cacheable without Vary: the second GET never reaches the server and passes.',
    routes: [
      r('GET', '/data', 200, [
        ['Content-Type', 'application/json'],
        REFLECT,
        ['Cache-Control', 'max-age=600'],
      ]),
    ],
    steps: [{ call: call() }, { call: call() }],
    expect: [step(true, 0, 1), step(true, 0, 0)],
  },
  {
    name: 'seq-no-store-not-cached',
    comment: 'Cache-Control: no-store: the second front end’s GET goes to the server (reflected, allowed).',
    routes: [
      r('GET', '/data', 200, [['Content-Type', 'application/json'], REFLECT, ['Cache-Control', 'no-store']]),
    ],
    steps: [{ call: call() }, { from: 'third', call: call() }],
    expect: [step(true, 0, 1), step(true, 0, 1)],
  },
  {
    name: 'seq-max-age-600-second-put-later-in-the-run',
    comment: 'The first sequence again, late in the browser session.',
    routes: preflightRoutes('content-type', [['Access-Control-Max-Age', '600']]),
    steps: [{ call: put() }, { call: put() }],
    expect: [step(true, 1, 1), step(true, 0, 1)],
  },
];
