/**
 * Local Network Access in Firefox and WebKit (issue 14 §1): the LNA scenarios of test/scenarios/lna.ts
 * run in real Firefox ESR (default prefs: its LNA is off for these cases) and real WebKitGTK (no LNA),
 * on plain loopback ports. Neither gates: each must agree with the model's ungated view (the scenario
 * without its `lna` part, through the same shared runners as the main table), and the gated model's
 * `engineDifferences` must give each engine's real verdict where Chromium refuses at the gate.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { launchFirefox } from '../harness/firefox.ts';
import type { ScenarioServer } from '../harness/scenario-server.ts';
import { launchWebKit } from '../harness/webkit.ts';
import type { Scenario } from '../scenarios/index.ts';
import { lnaScenarios } from '../scenarios/lna.ts';
import { modelVerdict } from '../scenarios/model.ts';
import { runSharedScenarios as runFirefox } from './firefox-shared.ts';
import { engineSkip, scenarioEngine } from './fixture.ts';
import { runSharedScenarios as runWebKit } from './webkit-shared.ts';

const ungated = (s: Scenario): Scenario => {
  const { lna: _lna, ...rest } = s;
  return rest;
};

/** Where Chromium refuses at the gate, the gated model's note for `engine` must give the real verdict. */
function gateNotes(
  server: ScenarioServer,
  engine: 'firefox' | 'webkit',
  real: Map<string, boolean>,
): string[] {
  const wrong: string[] = [];
  for (const s of lnaScenarios) {
    const v = modelVerdict(s, server.origins, `note-${s.name}`);
    if (v.corsError !== 'LocalNetworkAccessPermissionDenied' && v.corsError !== 'InvalidLocalNetworkAccess')
      continue;
    const d = v.engineDifferences.find((e) => e.engine === engine);
    if (d?.allowed !== real.get(s.name))
      wrong.push(`${s.name}: model ${d?.allowed}, real ${real.get(s.name)}`);
  }
  return wrong;
}

const ffSkip = engineSkip('firefox');
describe('LNA scenarios in real Firefox (no gate by default)', { skip: ffSkip }, () => {
  const fx = scenarioEngine(launchFirefox);
  test('every LNA scenario agrees with the ungated model; the gate notes give Firefox’s verdict', async (t) => {
    const records: Parameters<typeof runFirefox>[2] = [];
    const summary = await runFirefox(fx.engine, fx.server, records, undefined, lnaScenarios.map(ungated));
    t.diagnostic(`Firefox LNA scenarios: ${summary.agree}/${summary.total} agree`);
    assert.deepEqual(summary.disagreements, []);
    const real = new Map(records.map((r) => [r.scenario, r.allowed]));
    assert.deepEqual(gateNotes(fx.server, 'firefox', real), []);
  });
});

const wkSkip = engineSkip('webkit');
describe('LNA scenarios in real WebKit (no LNA)', { skip: wkSkip }, () => {
  const fx = scenarioEngine(launchWebKit);
  test('every LNA scenario agrees with the ungated model; the gate notes give WebKit’s verdict', async (t) => {
    const records: Parameters<typeof runWebKit>[2] = [];
    const summary = await runWebKit(fx.engine, fx.server, records, lnaScenarios.map(ungated));
    t.diagnostic(`WebKit LNA scenarios: ${summary.agree}/${summary.total} agree`);
    assert.deepEqual(summary.disagreements, []);
    const real = new Map(records.map((r) => [r.scenario, r.allowed]));
    assert.deepEqual(gateNotes(fx.server, 'webkit', real), []);
  });
});
