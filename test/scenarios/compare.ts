/**
 * One scenario, model vs the real Chromium: run it in the browser and through the model, and assert
 * they agree on everything observable (verdict, requests on the wire, CorsError and failed parameter,
 * console lines, readable headers, response type, status, network error). Shared by the fixed table
 * (chromium-differential) and the randomized suite (chromium-fuzz).
 */
import assert from 'node:assert/strict';
import { decodeLatin1AsUtf8 } from '../../src/browser/cors-check.ts';
import { getHeader } from '../../src/browser/index.ts';
import type { PageRequest, Verdict } from '../../src/browser/types.ts';
import type { ChromiumEngine, ChromiumResult } from '../harness/chromium.ts';
import type { ReceivedRequest, ScenarioServer } from '../harness/scenario-server.ts';
import type { Scenario } from './index.ts';
import { modelVerdict, pageRequestFor } from './model.ts';

/**
 * CDP carries failedParameter as a UTF-8 string: a value holding a non-UTF-8 byte (a Latin-1 é in a
 * header) arrives empty, although the console line shows it escaped (\u00E9).
 */
export const cdpParameter = (p: string): string => (decodeLatin1AsUtf8(p) === null ? '' : p);

/** Headers the browser itself adds (or that vary with the environment): left out of the page-header comparison. */
const BROWSER_ADDED =
  /^(host|connection|content-length|user-agent|accept|accept-encoding|accept-language|referer|origin|pragma|cache-control|sec-ch-.*|sec-fetch-.*|access-control-request-(method|headers))$/;

/**
 * One line per wire request: who got it, the CORS-relevant request headers, and the names of the other
 * headers it carried (the page's own, after the browser dropped forbidden ones or request-body headers).
 */
function wireLine(
  origin: string,
  method: string,
  path: string,
  headers: readonly (readonly [string, string])[],
): string {
  const h = (n: string) => getHeader(headers, n);
  const page = [
    ...new Set(headers.map(([n]) => n.toLowerCase()).filter((n) => !BROWSER_ADDED.test(n))),
  ].sort();
  return `${origin} ${method} ${path} origin=${h('Origin')} acrm=${h('Access-Control-Request-Method')} acrh=${h('Access-Control-Request-Headers')} headers=[${page.join(',')}]`;
}

function modelWire(v: Verdict, server: ScenarioServer): string[] {
  return v.exchanges.map((e) => {
    const u = new URL(e.request.url);
    const name = (Object.keys(server.origins) as (keyof typeof server.origins)[]).find(
      (k) => server.origins[k] === u.origin,
    );
    const path = u.pathname.replace(/^\/r\/[^/]+/, '') + u.search;
    return wireLine(name ?? u.origin, e.request.method, path, e.request.headers);
  });
}

const browserWire = (got: ReceivedRequest[]): string[] =>
  got.map((g) => wireLine(g.origin, g.method, g.path, g.headers));

export interface Compared {
  request: PageRequest;
  model: Verdict;
  real: ChromiumResult;
  /** Several refused headers: did the model predict the one Chromium named? (null otherwise) */
  predictedNamedHeader: boolean | null;
}

/** Run `scenario` in Chromium and in the model under `runId`; assert agreement; return both sides. */
export async function compareWithChromium(
  scenario: Scenario,
  server: ScenarioServer,
  engine: ChromiumEngine,
  runId: string,
  opts: { checkIntent: boolean } = { checkIntent: true },
): Promise<Compared> {
  server.script(runId, scenario.routes);
  const request = pageRequestFor(scenario, server.origins, runId);
  const model = modelVerdict(scenario, server.origins, runId);
  if (opts.checkIntent) {
    // Intent: the scenario tests what it says it tests.
    assert.equal(model.allowed, scenario.expect.allowed, `intent: model allowed for ${scenario.name}`);
    assert.equal(model.corsError, scenario.expect.corsError, `intent: model corsError for ${scenario.name}`);
    if (scenario.expect.preflight !== undefined) {
      assert.equal(model.preflight, scenario.expect.preflight, 'intent: preflight');
    }
  }
  const real = await engine.run(server.pageUrl, { ...scenario.call, url: request.url });
  const received = server.received(runId);
  server.forget(runId);

  assert.equal(real.ok, model.allowed, `allowed (browser said ${real.jsError ?? 'ok'})`);
  assert.deepEqual(browserWire(received), modelWire(model, server), 'requests on the wire');
  // A preflight is the OPTIONS that carries Access-Control-Request-Method (the page may send OPTIONS itself).
  assert.equal(
    received.some(
      (r) => r.method === 'OPTIONS' && getHeader(r.headers, 'Access-Control-Request-Method') !== null,
    ),
    model.preflight,
    'preflight sent',
  );

  let expectedLines = model.chromeLines ?? [];
  let expectedParameter = model.failedParameter;
  let predictedNamedHeader: boolean | null = null;
  if (model.failedParameterCandidates && real.corsErrorStatus) {
    predictedNamedHeader = real.corsErrorStatus.failedParameter === model.failedParameter;
    // Recorded nondeterminism: Chromium names one of the disallowed headers in hash order.
    const named = real.corsErrorStatus.failedParameter;
    assert.ok(
      model.failedParameterCandidates.includes(named),
      `${named} is one of ${model.failedParameterCandidates}`,
    );
    expectedParameter = named;
    expectedLines = expectedLines.map((l) =>
      l.replace(`field ${model.failedParameter} is`, `field ${named} is`),
    );
  }
  assert.deepEqual(
    real.corsErrorStatus ?? null,
    model.corsError === null
      ? null
      : { corsError: model.corsError, failedParameter: cdpParameter(expectedParameter) },
    'CorsError and failed parameter (CDP)',
  );
  assert.deepEqual(real.consoleLines, expectedLines, 'console lines');
  if (model.netError !== null) assert.equal(real.netError, model.netError, 'network error');
  // What the script sees when it fails (fetch: the TypeError text; XHR has only an error event).
  if (!model.allowed && scenario.call.initiator === 'fetch')
    assert.equal(real.jsError, model.jsError, 'script error');
  if (model.allowed) {
    assert.deepEqual(real.readableHeaders, model.readableHeaders, 'readable headers');
    if (scenario.call.initiator === 'fetch') {
      assert.equal(real.responseType, model.responseType, 'response type');
      assert.equal(real.status, model.status, 'status');
    }
  }
  return { request, model, real, predictedNamedHeader };
}
