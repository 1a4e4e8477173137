/**
 * Local Network Access, model vs the real Chromium (issue 14 §1): the scenarios of test/scenarios/lna.ts,
 * grouped by the address spaces Chromium is told the scenario server's loopback ports are in
 * (`--ip-address-space-overrides`; one browser per group), the permissions set per scenario through
 * the DevTools protocol (Browser.setPermission, `local-network` / `loopback-network`). Same checks as the
 * main table: verdict, wire (nothing at all is sent when LNA refuses), CorsError, console lines.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type ChromiumEngine, chromiumAvailable, launchChromium } from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';
import { type OriginName, type ScenarioServer, startScenarioServer } from '../harness/scenario-server.ts';
import { compareWithChromium } from '../scenarios/compare.ts';
import type { Scenario } from '../scenarios/index.ts';
import { lnaScenarios } from '../scenarios/lna.ts';

const skip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');
const PERMISSIONS = ['local-network', 'loopback-network'] as const;

const groupKey = (s: Scenario): string => JSON.stringify(s.lna?.spaces ?? {});
const groups = new Map<string, Scenario[]>();
for (const s of lnaScenarios) groups.set(groupKey(s), [...(groups.get(groupKey(s)) ?? []), s]);

describe('Local Network Access: model vs real Chromium', { skip }, () => {
  let server: ScenarioServer;
  before(async () => {
    server = await startScenarioServer();
  });
  after(async () => {
    await server?.close();
  });

  let n = 0;
  for (const [key, members] of groups) {
    describe(`spaces ${key}`, () => {
      let engine: ChromiumEngine;
      before(async () => {
        const spaces = JSON.parse(key) as Partial<Record<OriginName, string>>;
        const overrides = Object.entries(spaces).map(
          ([name, space]) => `127.0.0.1:${new URL(server.origins[name as OriginName]).port}=${space}`,
        );
        engine = await launchChromium({ addressSpaceOverrides: overrides });
      });
      after(async () => {
        await engine?.close();
      });
      for (const scenario of members) {
        test(scenario.name, async () => {
          for (const name of PERMISSIONS) {
            await engine.setPermission(
              server.origins.page,
              name,
              scenario.lna?.permissions[name] ?? 'prompt',
            );
          }
          const runId = `lna${(n++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
          const { model, real } = await compareWithChromium(scenario, server, engine, runId);
          if (scenario.lna) assert.ok(model.localNetworkAccess, 'the model applied LNA');
          // DevTools files an LNA issue even for a granted CORS request that succeeds (not for no-cors).
          if (model.allowed && model.localNetworkAccess?.gated && scenario.call.mode === 'cors') {
            assert.ok(
              real.issues.some((i) => i.corsError === 'LocalNetworkAccessPermissionDenied'),
              'Chromium files an LNA issue on a granted request',
            );
          }
        });
      }
    });
  }
});
