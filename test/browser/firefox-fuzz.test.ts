/**
 * Randomized differential test for Firefox: scenarios generated from a grammar of server answers
 * (Allow-Origin, -Credentials, -Methods, -Headers, Expose-Headers variants, statuses, a redirect to another
 * origin) and page calls (methods, header mixes, credentials modes, fetch and XHR): the Chromium and WebKit
 * fuzz suites' grammar plus Firefox's own edges (Allow-Origin spelling, User-Agent), modes, redirect modes,
 * page-origin calls and data:/userinfo redirects. Each case runs in real
 * Firefox and is compared with the model's Firefox view on everything observable (firefox-shared.ts: verdict, preflight and its headers, readable headers, every
 * console line with key and level).
 *
 * Seeded, so CI is reproducible: FUZZ_SEED and FUZZ_RUNS (default 60) change it; a failing case prints its
 * seed, index and scenario as JSON.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { missingEngine } from '../harness/engine.ts';
import { type FirefoxEngine, firefoxAvailable, launchFirefox } from '../harness/firefox.ts';
import { type Route, type ScenarioServer, startScenarioServer } from '../harness/scenario-server.ts';
import { acac, acah, acam, acao, aceh, type H, lines } from '../scenarios/fuzz-grammar.ts';
import type { Scenario } from '../scenarios/index.ts';
import { runSharedScenarios } from './firefox-shared.ts';

const skip = firefoxAvailable() ? false : missingEngine('firefox', 'no /usr/bin/firefox-esr');
const SEED = Number(process.env['FUZZ_SEED'] ?? 20261127);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 60);

// Firefox counts Allow-Origin lines by their exact spelling: vary it.
const acaoName = fc.constantFrom(
  'Access-Control-Allow-Origin',
  'Access-Control-Allow-Origin',
  'access-control-allow-origin',
);
const answer = fc.record({ acaoName, acao, acac, acam, acah, aceh });
type Answer = {
  acaoName: string;
  acao: string[];
  acac: string[];
  acam: string[];
  acah: string[];
  aceh: string[];
};
const corsLines = (a: Answer): H[] => [
  ...lines(a.acaoName, a.acao),
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
  ['User-Agent', 'cors-doctor'],
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
  redirectTo: fc.constantFrom('third', 'third', 'api', 'page', 'userinfo', 'data'),
  redirectMode: fc.constantFrom('follow', 'follow', 'follow', 'manual', 'error'),
  mode: fc.constantFrom('cors', 'cors', 'cors', 'cors', 'no-cors', 'same-origin'),
  from: fc.constantFrom('api', 'api', 'api', 'page'),
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
  const from = c.from as 'api' | 'page';
  const target = (['third', 'api', 'page'].includes(c.redirectTo) ? c.redirectTo : 'third') as
    | 'third'
    | 'api'
    | 'page';
  // userinfo points at a loopback port nobody listens on; Firefox refuses it before connecting anyway.
  const location =
    c.redirectTo === 'data'
      ? 'data:,hi'
      : c.redirectTo === 'userinfo'
        ? 'http://u:p@127.0.0.1:9/c'
        : target === from
          ? '{run}/c'
          : `{${target}}{run}/c`;
  const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'patch', 'HEAD', 'Foo'];
  const routes: Route[] = [
    {
      origin: from,
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
        origin: from,
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
    name: `ff-fuzz-${SEED}-${i}`,
    comment: 'generated',
    call: {
      initiator: c.initiator,
      method: c.method,
      headers,
      credentials: c.credentials,
      mode: c.initiator === 'xhr' ? 'cors' : (c.mode as 'cors' | 'no-cors' | 'same-origin'),
      path: '/data',
      ...(from === 'page' ? { to: 'page' as const } : {}),
      ...(c.redirectMode !== 'follow' && c.initiator === 'fetch'
        ? { redirect: c.redirectMode as 'manual' | 'error' }
        : {}),
      ...(hasBody ? { body: '{}' } : {}),
    },
    routes,
    expect: { allowed: false, corsError: null },
  };
}

describe(`randomized model vs Firefox (seed ${SEED}, ${RUNS} cases)`, { skip }, () => {
  let server: ScenarioServer;
  let ff: FirefoxEngine;
  const tally = { agree: 0, total: 0 };
  before(async () => {
    server = await startScenarioServer();
    ff = await launchFirefox();
  });
  after(async () => {
    await ff?.close();
    await server?.close();
    console.log(`# firefox fuzz agreement: ${tally.agree}/${tally.total}`);
  });
  const cases = fc.sample(caseArb, { seed: SEED, numRuns: RUNS });
  cases.forEach((c, i) => {
    const scenario = toScenario(c, i);
    test(scenario.name, async (t) => {
      const summary = await runSharedScenarios(ff, server, [], undefined, [scenario]);
      tally.total += summary.total;
      tally.agree += summary.agree;
      if (summary.disagreements.length > 0) {
        t.diagnostic(
          `replay: FUZZ_SEED=${SEED} case ${i}: ${JSON.stringify({ call: scenario.call, routes: scenario.routes })}`,
        );
      }
      assert.deepEqual(summary.disagreements, []);
    });
  });
});
