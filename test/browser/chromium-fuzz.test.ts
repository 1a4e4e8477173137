/**
 * Randomized differential test: scenarios generated from a grammar of server answers (Allow-Origin,
 * -Credentials, -Methods, -Headers, Expose-Headers variants, statuses, a redirect to a third origin) and
 * page calls (methods, header mixes, credentials modes, fetch and XHR), each run in the real Chromium
 * and in the model, compared on everything observable (test/scenarios/compare.ts).
 *
 * Seeded, so CI is reproducible: FUZZ_SEED (default below) and FUZZ_RUNS (default 60) change it; a
 * failing case prints its seed and index, and its scenario as JSON, to replay it.
 */
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { type ChromiumEngine, chromiumAvailable, launchChromium } from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';
import type { Route } from '../harness/scenario-server.ts';
import { type ScenarioServer, startScenarioServer } from '../harness/scenario-server.ts';
import { compareWithChromium } from '../scenarios/compare.ts';
import { acac, acah, acam, acao, aceh, type H, lines } from '../scenarios/fuzz-grammar.ts';
import type { Scenario } from '../scenarios/index.ts';

const skip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261127);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);

const answer = fc.record({ acao, acac, acam, acah, aceh });
type Answer = { acao: string[]; acac: string[]; acam: string[]; acah: string[]; aceh: string[] };
const corsLines = (a: Answer): H[] => [
  ...lines('Access-Control-Allow-Origin', a.acao),
  ...lines('Access-Control-Allow-Credentials', a.acac),
  ...lines('Access-Control-Allow-Methods', a.acam),
  ...lines('Access-Control-Allow-Headers', a.acah),
  ...lines('Access-Control-Expose-Headers', a.aceh),
];

const HEADER_POOL: H[] = [
  ['X-A', '1'],
  ['Authorization', 'Bearer t'],
  ['Content-Type', 'application/json'],
  ['Content-Type', 'text/plain;charset=UTF-8'],
  ['Accept', 'application/json'],
  ['Range', 'bytes=0-9'],
  ['Range', 'bytes=-9'],
  ['DPR', '2'],
  ['Accept-Language', 'en_US'],
  ['Cookie', 'a=b'],
  ['X-B', '2'],
  ['Accept', `text/${'x'.repeat(124)}`],
  ['Content-Type', 'multipart/form-data; boundary=x'],
  ['Content-Type', 'text/plain; a="b"'],
  ['Range', 'Bytes=0-1'],
  ['Save-Data', 'on'],
  ['X-Api-Key', 'k'],
  ['X-Trace-Id', 't'],
  ['X-Requested-With', 'XMLHttpRequest'],
];

const caseArb = fc.record({
  method: fc.constantFrom('GET', 'GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'put', 'HEAD', 'Foo'),
  headers: fc.subarray(HEADER_POOL, { maxLength: 6 }),
  credentials: fc.constantFrom('omit', 'same-origin', 'include'),
  initiator: fc.constantFrom('fetch', 'fetch', 'xhr'),
  preflightStatus: fc.constantFrom(200, 204, 204, 206, 301, 404, 500),
  preflight: answer,
  actualStatus: fc.constantFrom(200, 200, 201, 401, 500, 301, 302, 303, 307, 308),
  redirectTo: fc.constantFrom('third', 'third', 'api', 'page'),
  actual: answer,
  third: answer,
});

type Case = typeof caseArb extends fc.Arbitrary<infer T> ? T : never;

function toScenario(c: Case, i: number): Scenario {
  // One value per header name (Content-Type and Range appear twice in the pool).
  const headers = c.headers.filter((h, k) => c.headers.findIndex(([n]) => n === h[0]) === k);
  const hasBody = !['GET', 'HEAD'].includes(c.method.toUpperCase());
  const extra: H[] = [
    ['Content-Type', 'application/json'],
    ['X-B', 'b'],
    ['X-C', 'c'],
  ];
  const redirect = [301, 302, 303, 307, 308].includes(c.actualStatus);
  const target = c.redirectTo as 'third' | 'api' | 'page';
  const location = target === 'api' ? '{run}/c' : `{${target}}{run}/c`;
  const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'HEAD', 'Foo'];
  const routes: Route[] = [
    {
      method: 'OPTIONS',
      path: '/data',
      response: {
        status: c.preflightStatus,
        headers: [
          ...corsLines(c.preflight),
          ...(c.preflightStatus === 301 ? ([['Location', '{run}/data2']] as H[]) : []),
        ],
      },
    },
    ...METHODS.map(
      (m): Route => ({
        method: m,
        path: '/data',
        response: {
          status: c.actualStatus,
          headers: [...corsLines(c.actual), ...extra, ...(redirect ? ([['Location', location]] as H[]) : [])],
          body: '{}',
        },
      }),
    ),
    { origin: target, method: 'OPTIONS', path: '/c', response: { status: 204, headers: corsLines(c.third) } },
    ...METHODS.map(
      (m): Route => ({
        origin: target,
        method: m,
        path: '/c',
        response: { status: 200, headers: [...corsLines(c.third), ...extra], body: '{}' },
      }),
    ),
  ];
  return {
    name: `fuzz-${SEED}-${i}`,
    comment: 'generated',
    call: {
      initiator: c.initiator,
      method: c.method,
      headers,
      credentials: c.credentials,
      mode: 'cors',
      path: '/data',
      ...(hasBody ? { body: '{}' } : {}),
    },
    routes,
    expect: { allowed: false, corsError: null },
  };
}

describe(`randomized model vs Chromium (seed ${SEED}, ${RUNS} cases)`, { skip }, () => {
  let server: ScenarioServer;
  let engine: ChromiumEngine;
  before(async () => {
    server = await startScenarioServer();
    engine = await launchChromium();
  });
  const predictions = { hits: 0, total: 0 };
  after(async () => {
    await engine?.close();
    await server?.close();
    console.log(
      `# header-order predictions: ${predictions.hits}/${predictions.total} named headers predicted`,
    );
  });
  const cases = fc.sample(caseArb, { seed: SEED, numRuns: RUNS });
  cases.forEach((c, i) => {
    const scenario = toScenario(c, i);
    test(scenario.name, async (t) => {
      try {
        const { predictedNamedHeader } = await compareWithChromium(
          scenario,
          server,
          engine,
          `fz${i}-${Math.random().toString(36).slice(2, 7)}`,
          { checkIntent: false },
        );
        if (predictedNamedHeader !== null) {
          predictions.total++;
          if (predictedNamedHeader) predictions.hits++;
        }
      } catch (e) {
        t.diagnostic(
          `replay: FUZZ_SEED=${SEED} case ${i}: ${JSON.stringify({ call: scenario.call, routes: scenario.routes })}`,
        );
        throw e;
      }
    });
  });
});
