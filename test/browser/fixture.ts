/**
 * The set-up every real-engine suite shares: the loud skip when an engine is missing (a failure with
 * CI=true, see missingEngine), and one scenario server plus one engine for a describe block, started
 * before its tests and closed after them.
 */
import { after, before } from 'node:test';
import { chromiumAvailable } from '../harness/chromium.ts';
import { type EngineName, missingEngine } from '../harness/engine.ts';
import { firefoxAvailable } from '../harness/firefox.ts';
import { type ScenarioServer, startScenarioServer } from '../harness/scenario-server.ts';
import { webkitUnavailable } from '../harness/webkit.ts';

/** `false` when the engine is installed, else the skip message (missingEngine throws under CI=true). */
export function engineSkip(name: EngineName): false | string {
  const why =
    name === 'chromium'
      ? chromiumAvailable()
        ? null
        : '/usr/bin/chromium not found'
      : name === 'firefox'
        ? firefoxAvailable()
          ? null
          : 'no /usr/bin/firefox-esr'
        : webkitUnavailable();
  return why === null ? false : missingEngine(name, why);
}

/** A scenario server and an engine for the enclosing describe block; read them inside tests. */
export function scenarioEngine<E extends { close(): Promise<void> }>(
  launch: () => Promise<E>,
): { readonly server: ScenarioServer; readonly engine: E } {
  const state = {} as { server: ScenarioServer; engine: E };
  before(async () => {
    state.server = await startScenarioServer();
    state.engine = await launch();
  });
  after(async () => {
    await state.engine?.close();
    await state.server?.close();
  });
  return state;
}
