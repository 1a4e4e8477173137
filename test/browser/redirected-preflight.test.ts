/**
 * Issue 14 §1b in the three real engines: test/scenarios/redirected-preflight.ts through Chromium (the
 * model's verdict, wire and lines), Firefox ESR and WebKitGTK (the model's Firefox and WebKit views), with
 * the same comparisons as the main table. One engine at a time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ChromiumEngine, chromiumAvailable, launchChromium } from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';
import { type FirefoxEngine, firefoxAvailable, launchFirefox } from '../harness/firefox.ts';
import { type ScenarioServer, startScenarioServer } from '../harness/scenario-server.ts';
import { launchWebKit, type WebKitEngine, webkitUnavailable } from '../harness/webkit.ts';
import { compareWithChromium } from '../scenarios/compare.ts';
import { redirectedPreflightScenarios as list } from '../scenarios/redirected-preflight.ts';
import { runSharedScenarios as runFirefox } from './firefox-shared.ts';
import { runSharedScenarios as runWebKit } from './webkit-shared.ts';

const crSkip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');
describe('redirected preflights: Chromium', { skip: crSkip }, () => {
  let server: ScenarioServer;
  let engine: ChromiumEngine;
  before(async () => {
    server = await startScenarioServer();
    engine = await launchChromium();
  });
  after(async () => {
    await engine?.close();
    await server?.close();
  });
  let n = 0;
  for (const scenario of list) {
    test(scenario.name, async () => {
      await compareWithChromium(
        scenario,
        server,
        engine,
        `rp${n++}-${Math.random().toString(36).slice(2, 8)}`,
      );
    });
  }
});

const ffSkip = firefoxAvailable() ? false : missingEngine('firefox', 'no /usr/bin/firefox-esr');
describe('redirected preflights: Firefox', { skip: ffSkip }, () => {
  let server: ScenarioServer;
  let ff: FirefoxEngine;
  before(async () => {
    server = await startScenarioServer();
    ff = await launchFirefox();
  });
  after(async () => {
    await ff?.close();
    await server?.close();
  });
  test('the model’s Firefox view agrees on every scenario', async (t) => {
    const summary = await runFirefox(ff, server, [], undefined, list);
    t.diagnostic(
      `Firefox: ${summary.agree}/${summary.total}; differences from Chromium: ${summary.engineDifferences.join(' | ')}`,
    );
    assert.deepEqual(summary.disagreements, []);
  });
});

const wkWhy = webkitUnavailable();
describe('redirected preflights: WebKit', {
  skip: wkWhy === null ? false : missingEngine('webkit', wkWhy),
}, () => {
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
  test('the model’s WebKit view agrees on every scenario', async (t) => {
    const summary = await runWebKit(wk, server, [], list);
    t.diagnostic(
      `WebKit: ${summary.agree}/${summary.total}; differences from Chromium: ${summary.engineDifferences.join(' | ')}`,
    );
    assert.deepEqual(summary.disagreements, []);
  });
});
