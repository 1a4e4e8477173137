/**
 * Issue 14 §1b in the three real engines: test/scenarios/redirected-preflight.ts through Chromium (the
 * model's verdict, wire and lines), Firefox ESR and WebKitGTK (the model's Firefox and WebKit views), with
 * the same comparisons as the main table. One engine at a time.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { launchChromium } from '../harness/chromium.ts';
import { launchFirefox } from '../harness/firefox.ts';
import { launchWebKit } from '../harness/webkit.ts';
import { compareWithChromium } from '../scenarios/compare.ts';
import { redirectedPreflightScenarios as list } from '../scenarios/redirected-preflight.ts';
import { runSharedScenarios as runFirefox } from './firefox-shared.ts';
import { engineSkip, scenarioEngine } from './fixture.ts';
import { runSharedScenarios as runWebKit } from './webkit-shared.ts';

const crSkip = engineSkip('chromium');
describe('redirected preflights: Chromium', { skip: crSkip }, () => {
  const fx = scenarioEngine(launchChromium);
  let n = 0;
  for (const scenario of list) {
    test(scenario.name, async () => {
      await compareWithChromium(
        scenario,
        fx.server,
        fx.engine,
        `rp${n++}-${Math.random().toString(36).slice(2, 8)}`,
      );
    });
  }
});

const ffSkip = engineSkip('firefox');
describe('redirected preflights: Firefox', { skip: ffSkip }, () => {
  const fx = scenarioEngine(launchFirefox);
  test('the model’s Firefox view agrees on every scenario', async (t) => {
    const summary = await runFirefox(fx.engine, fx.server, [], undefined, list);
    t.diagnostic(
      `Firefox: ${summary.agree}/${summary.total}; differences from Chromium: ${summary.engineDifferences.join(' | ')}`,
    );
    assert.deepEqual(summary.disagreements, []);
  });
});

describe('redirected preflights: WebKit', {
  skip: engineSkip('webkit'),
}, () => {
  const fx = scenarioEngine(launchWebKit);
  test('the model’s WebKit view agrees on every scenario', async (t) => {
    const summary = await runWebKit(fx.engine, fx.server, [], list);
    t.diagnostic(
      `WebKit: ${summary.agree}/${summary.total}; differences from Chromium: ${summary.engineDifferences.join(' | ')}`,
    );
    assert.deepEqual(summary.disagreements, []);
  });
});
