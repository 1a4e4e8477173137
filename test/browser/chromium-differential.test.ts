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
import {
  type ChromiumEngine,
  type ChromiumResult,
  chromiumAvailable,
  launchChromium,
} from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';
import { type ScenarioServer, startScenarioServer } from '../harness/scenario-server.ts';
import { compareWithChromium } from '../scenarios/compare.ts';
import { type Scenario, scenarios } from '../scenarios/index.ts';
import type { pageRequestFor } from '../scenarios/model.ts';

const skip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');
const RECORD = process.env['RECORD'] === '1';
const recorded: unknown[] = [];

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
    test(scenario.name, async (t) => {
      const runId = `${(n++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
      const { request, model, real, predictedNamedHeader } = await compareWithChromium(
        scenario,
        server,
        engine,
        runId,
      );
      if (model.failedParameterCandidates) {
        assert.ok(scenario.nondeterministicParameter, 'candidates only where the scenario records why');
        t.diagnostic(`named header predicted by header-order.ts: ${predictedNamedHeader ? 'yes' : 'no'}`);
      }
      if (RECORD) record(scenario, request, real);
    });
  }
});

function record(scenario: Scenario, request: ReturnType<typeof pageRequestFor>, real: ChromiumResult): void {
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
