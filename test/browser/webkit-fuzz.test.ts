/**
 * Randomized model vs real WebKit: calls and server answers drawn from a small grammar (Allow-* variants,
 * statuses, redirects to the api, page or third origin, redirect modes, header mixes that WebKit and Chromium
 * classify differently), each run in real WebKitGTK and judged by the model's WebKit view exactly as the
 * shared table is (./webkit-shared.ts: verdict, console lines, preflights as received, readable headers).
 *
 * Seeded for reproducibility: WEBKIT_FUZZ_SEED (default below), WEBKIT_FUZZ_RUNS (default 60). A failing case
 * prints its scenario as JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { missingEngine } from '../harness/engine.ts';
import type { Route, ScenarioServer } from '../harness/scenario-server.ts';
import { startScenarioServer } from '../harness/scenario-server.ts';
import { launchWebKit, type WebKitEngine, webkitUnavailable } from '../harness/webkit.ts';
import type { Scenario } from '../scenarios/index.ts';
import { runScenario } from './webkit-shared.ts';

const why = webkitUnavailable();
const skip = why === null ? false : missingEngine('webkit', why);
const SEED = Number(process.env['WEBKIT_FUZZ_SEED'] ?? 4242);
const RUNS = Number(process.env['WEBKIT_FUZZ_RUNS'] ?? 60);

type H = [string, string];
const many = (name: string, values: readonly string[]): H[] => values.map((v) => [name, v]);
const pick = <T>(...values: T[]) => fc.constantFrom(...values);

const answer = fc.record({
  acao: pick<string[]>(
    ['{page}'],
    ['{page}'],
    ['*'],
    [],
    ['null'],
    ['{page}/'],
    ['{page}', '{page}'],
    ['{page} {api}'],
    [''],
  ),
  acac: pick<string[]>([], ['true'], ['true'], ['TRUE'], ['true', 'true']),
  acam: pick<string[]>([], ['*'], ['PUT'], ['put'], ['PUT, DELETE, PATCH'], ['PUT;DELETE'], [',PUT,']),
  acah: pick<string[]>(
    [],
    ['*'],
    ['x-a'],
    ['X-A, authorization'],
    ['user-agent, x-a'],
    ['x a'],
    ['*, authorization'],
  ),
  aceh: pick<string[]>([], ['*'], ['X-B'], ['x-b, X-C']),
});
type Answer = typeof answer extends fc.Arbitrary<infer T> ? T : never;
const cors = (a: Answer): H[] => [
  ...many('Access-Control-Allow-Origin', a.acao),
  ...many('Access-Control-Allow-Credentials', a.acac),
  ...many('Access-Control-Allow-Methods', a.acam),
  ...many('Access-Control-Allow-Headers', a.acah),
  ...many('Access-Control-Expose-Headers', a.aceh),
];

const HEADERS: H[] = [
  ['X-A', '1'],
  ['x-requested-with', 'XMLHttpRequest'],
  ['authorization', 'Bearer t'],
  ['Content-Type', 'application/json'],
  ['content-type', 'text/plain'],
  ['Accept', 'application/json'],
  ['Range', 'Bytes=0-1'],
  ['DPR', '2'],
  ['User-Agent', 'fuzz'],
  ['Cookie', 'a=b'],
  ['Cache-Control', 'no-cache'],
  ['X-B', '2'],
];

const caseArb = fc.record({
  method: pick('GET', 'GET', 'POST', 'PUT', 'DELETE', 'patch', 'HEAD'),
  headers: fc.subarray(HEADERS, { maxLength: 4 }),
  credentials: pick<'omit' | 'same-origin' | 'include'>('omit', 'same-origin', 'include'),
  initiator: pick<'fetch' | 'xhr'>('fetch', 'fetch', 'xhr'),
  redirectMode: pick<'follow' | 'manual' | 'error'>('follow', 'follow', 'follow', 'manual', 'error'),
  preflightStatus: pick(200, 204, 204, 301, 404),
  preflight: answer,
  actualStatus: pick(200, 200, 404, 302, 303, 307),
  redirectTo: pick('third', 'api', 'page', 'third', 'userinfo', 'data'),
  mode: pick<'cors' | 'no-cors' | 'same-origin'>('cors', 'cors', 'cors', 'cors', 'no-cors', 'same-origin'),
  target: pick<'api' | 'page'>('api', 'api', 'api', 'page'),
  actual: answer,
  hop: answer,
});
type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'patch', 'HEAD'];

function toScenario(c: Case, i: number): Scenario {
  const headers = c.headers.filter(
    (h, k) => c.headers.findIndex(([n]) => n.toLowerCase() === h[0].toLowerCase()) === k,
  );
  const redirect = [302, 303, 307].includes(c.actualStatus);
  const to = (['third', 'api', 'page'].includes(c.redirectTo) ? c.redirectTo : 'third') as
    | 'third'
    | 'api'
    | 'page';
  const from = c.target;
  const answers = (
    origin: 'api' | 'third' | 'page',
    path: string,
    a: Answer,
    status: number,
    extra: H[],
  ): Route[] => [
    { origin, method: 'OPTIONS', path, response: { status: c.preflightStatus, headers: cors(c.preflight) } },
    ...METHODS.map(
      (m): Route => ({
        origin,
        method: m,
        path,
        response: { status, headers: [...cors(a), ...extra], body: '{}' },
      }),
    ),
  ];
  const body: H[] = [
    ['X-B', 'b'],
    ['X-C', 'c'],
    ['Content-Type', 'application/json'],
  ];
  const where =
    c.redirectTo === 'data'
      ? 'data:,hi'
      : c.redirectTo === 'userinfo'
        ? 'http://u:p@127.0.0.1:9/next'
        : to === from
          ? '{run}/next'
          : `{${to}}{run}/next`;
  const location: H[] = redirect ? [['Location', where]] : [];
  const routes: Route[] = [
    ...answers(from, '/data', c.actual, c.actualStatus, [...body, ...location]),
    // The hop answers with its own Allow-* lines (its preflight reuses the preflight answer).
    ...answers(to, '/next', c.hop, 200, body).map((r) =>
      r.method === 'OPTIONS' ? { ...r, response: { ...r.response, headers: cors(c.hop) } } : r,
    ),
  ];
  const hasBody = !['GET', 'HEAD'].includes(c.method.toUpperCase());
  return {
    name: `wkfuzz-${SEED}-${i}`,
    comment: 'generated',
    call: {
      initiator: c.initiator,
      method: c.method,
      headers,
      credentials: c.credentials,
      mode: c.initiator === 'xhr' ? 'cors' : c.mode,
      path: '/data',
      ...(from === 'page' ? { to: 'page' as const } : {}),
      ...(c.redirectMode !== 'follow' && c.initiator === 'fetch' ? { redirect: c.redirectMode } : {}),
      ...(hasBody ? { body: '{}' } : {}),
    },
    routes,
    expect: { allowed: false, corsError: null },
  };
}

describe(`randomized model vs WebKit (seed ${SEED}, ${RUNS} cases)`, { skip }, () => {
  let server: ScenarioServer;
  let wk: WebKitEngine;
  before(async () => {
    server = await startScenarioServer();
    wk = await launchWebKit();
  });
  after(async () => {
    await wk?.close();
    await server?.close();
  });
  fc.sample(caseArb, { seed: SEED, numRuns: RUNS }).forEach((c, i) => {
    const scenario = toScenario(c, i);
    test(scenario.name, async () => {
      const outcome = await runScenario(wk, server, scenario);
      assert.deepEqual(outcome.problems, [], `replay: ${JSON.stringify(scenario)}`);
    });
  });
});
