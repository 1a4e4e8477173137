/**
 * The model against the real Chromium, scenario by scenario (test/scenarios/index.ts): same verdict,
 * same requests on the wire (preflight or not; its Access-Control-Request-Method/-Headers and Origin as
 * the server received them; every redirect hop), same CorsError and failed parameter (CDP
 * Network.loadingFailed.corsErrorStatus), same console lines, same readable headers. One Chromium for
 * the whole file, one page reused for every scenario.
 *
 * RECORD=1 also writes test/fixtures/engine-lines/chromium.json from the real browser's lines.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { decodeLatin1AsUtf8 } from '../../src/browser/cors-check.ts';
import { getHeader } from '../../src/browser/index.ts';
import type { Verdict } from '../../src/browser/types.ts';
import {
  type ChromiumEngine,
  type ChromiumResult,
  chromiumAvailable,
  launchChromium,
} from '../harness/chromium.ts';
import { type EngineResult, missingEngine } from '../harness/engine.ts';
import {
  type ReceivedRequest,
  type ScenarioServer,
  startScenarioServer,
} from '../harness/scenario-server.ts';
import { type Scenario, scenarios } from '../scenarios/index.ts';
import { modelVerdict, pageRequestFor } from '../scenarios/model.ts';

const skip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');
const RECORD = process.env['RECORD'] === '1';
const recorded: unknown[] = [];

/**
 * CDP carries failedParameter as a UTF-8 string: a value holding a non-UTF-8 byte (a Latin-1 é in a
 * header) arrives empty, although the console line shows it escaped (\u00E9).
 */
const cdpParameter = (p: string): string => (decodeLatin1AsUtf8(p) === null ? '' : p);

/** One line per wire request: who got it, and the CORS-relevant request headers. */
function wireLine(
  origin: string,
  method: string,
  path: string,
  headers: readonly (readonly [string, string])[],
): string {
  const h = (n: string) => getHeader(headers, n);
  return [
    `${origin} ${method} ${path}`,
    `origin=${h('Origin')}`,
    `acrm=${h('Access-Control-Request-Method')}`,
    `acrh=${h('Access-Control-Request-Headers')}`,
  ].join(' ');
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

describe('model vs real Chromium', { skip }, () => {
  let server: ScenarioServer;
  let engine: ChromiumEngine;
  before(async () => {
    server = await startScenarioServer();
    engine = await launchChromium();
  });
  after(async () => {
    await engine?.close();
    await server?.close();
    if (RECORD) {
      const file = new URL('../fixtures/engine-lines/chromium.json', import.meta.url);
      writeFileSync(file, `${JSON.stringify(recorded, null, 2)}\n`);
    }
  });

  let n = 0;
  for (const scenario of scenarios) {
    test(scenario.name, async () => {
      const runId = `${(n++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      server.script(runId, scenario.routes);
      const request = pageRequestFor(scenario, server.origins, runId);
      const model = modelVerdict(scenario, server.origins, runId);
      // Intent: the scenario tests what it says it tests.
      assert.equal(model.allowed, scenario.expect.allowed, `intent: model allowed for ${scenario.name}`);
      assert.equal(
        model.corsError,
        scenario.expect.corsError,
        `intent: model corsError for ${scenario.name}`,
      );
      if (scenario.expect.preflight !== undefined)
        assert.equal(model.preflight, scenario.expect.preflight, 'intent: preflight');

      const real: ChromiumResult = await engine.run(server.pageUrl, { ...scenario.call, url: request.url });
      const received = server.received(runId);
      server.forget(runId);
      if (RECORD) record(scenario, request, real);

      assert.equal(real.ok, model.allowed, `allowed (browser said ${real.jsError ?? 'ok'})`);
      assert.deepEqual(browserWire(received), modelWire(model, server), 'requests on the wire');
      assert.equal(
        received.some((r) => r.method === 'OPTIONS'),
        model.preflight,
        'preflight sent',
      );
      assert.ok(
        !received.some((r) => r.unscripted) || !model.allowed,
        'no unscripted request in an allowed scenario',
      );

      let expectedLines = model.chromeLines ?? [];
      let expectedParameter = model.failedParameter;
      if (model.failedParameterCandidates && real.corsErrorStatus) {
        // Recorded nondeterminism: Chromium names one of the disallowed headers in hash order.
        assert.ok(scenario.nondeterministicParameter, 'candidates only where the scenario records why');
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
      if (model.allowed) {
        assert.deepEqual(real.readableHeaders, model.readableHeaders, 'readable headers');
        if (scenario.call.initiator === 'fetch') {
          assert.equal(real.responseType, model.responseType, 'response type');
          assert.equal(real.status, model.status, 'status');
        }
      }
    });
  }
});

function record(scenario: Scenario, request: ReturnType<typeof pageRequestFor>, real: EngineResult): void {
  recorded.push({
    scenario: scenario.name,
    request: {
      url: request.url,
      origin: request.origin,
      method: request.method,
      headers: request.headers,
      credentials: request.credentials,
      initiator: request.initiator,
    },
    allowed: real.ok,
    corsError: real.corsErrorStatus?.corsError ?? null,
    failedParameter: real.corsErrorStatus?.failedParameter ?? '',
    lines: real.consoleLines,
  });
}
