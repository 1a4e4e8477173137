/**
 * The shared scenario table (test/scenarios, served by test/harness/scenario-server.ts) run in real WebKit and
 * compared with the model (`simulate`): WebKit's verdict (Chromium's, unless the model lists a WebKit
 * difference), `messages.safari`, the preflight as received and the readable headers.
 */
import { existsSync } from 'node:fs';
import { type EngineView, webkitView, withWebKitAnswers } from '../../src/browser/engines/webkit.ts';
import type { Verdict } from '../../src/browser/types.ts';
import type { EngineLinesRecord as BaseRecord } from '../harness/engine.ts';
import { locate, type ScenarioServer } from '../harness/scenario-server.ts';
import type { WebKitEngine, WebKitResult } from '../harness/webkit.ts';
import { type Scenario, scenarios } from '../scenarios/index.ts';
import { modelVerdict, pageRequestFor, scenarioResponder, scenarioUrl } from '../scenarios/model.ts';

/** One entry of test/fixtures/engine-lines/webkit.json (format in the team notes). */
export interface EngineLinesRecord extends BaseRecord {}

export interface ScenarioOutcome {
  name: string;
  real: WebKitResult;
  verdict: Verdict;
  /** The model's WebKit view with the scenario server's answers for requests only WebKit makes. */
  view: EngineView;
  /** False when simulate() alone (Chromium's exchanges, no responder) cannot give WebKit's verdict. */
  simulateComplete: boolean;
  /** What disagrees between the model and real WebKit (empty when they agree). */
  problems: string[];
}

export interface SharedSummary {
  total: number;
  agree: number;
  disagreements: string[];
  /** Scenarios simulate() alone cannot judge for WebKit (WebKit makes a request Chromium does not). */
  incomplete: string[];
  /** Scenarios where real WebKit's verdict differs from the model's Chromium verdict. */
  engineDifferences: string[];
  outcomes: ScenarioOutcome[];
}

export function sharedScenariosAvailable(): boolean {
  return existsSync(new URL('../scenarios/index.ts', import.meta.url));
}

const PREFLIGHT_FIELDS = ['origin', 'access-control-request-method', 'access-control-request-headers'];

export function preflightFields(headers: readonly (readonly [string, string])[]): string[] {
  return PREFLIGHT_FIELDS.map((f) => {
    const values = headers.filter(([n]) => n.toLowerCase() === f).map(([, v]) => v);
    return `${f}: ${values.length ? values.join(', ') : '(absent)'}`;
  });
}

/** Run one scenario in real WebKit and compare with the model. */
export async function runScenario(
  wk: WebKitEngine,
  server: ScenarioServer,
  scenario: Scenario,
): Promise<ScenarioOutcome> {
  const runId = `wk-${scenario.name}`;
  server.script(runId, scenario.routes);
  const { path: _path, to: _to, ...call } = scenario.call;
  const url = scenarioUrl(scenario, server.origins, runId);
  const real = await wk.run(server.pageUrl, { ...call, url });
  const received = server.received(runId);
  server.forget(runId);
  const verdict = modelVerdict(scenario, server.origins, runId);
  // simulate() hands webkitView Chromium's exchanges only; where WebKit makes a request Chromium does not (its
  // own preflight, or the actual request after a preflight Chromium rejects), the scenario server answers it.
  const view = webkitView(
    pageRequestFor(scenario, server.origins, runId),
    verdict.exchanges,
    verdict.allowed,
    scenarioResponder(scenario, server.origins),
  );
  const completed = withWebKitAnswers(
    verdict,
    pageRequestFor(scenario, server.origins, runId),
    scenarioResponder(scenario, server.origins),
  );
  const webkitAllowed =
    completed.engineDifferences.find((d) => d.engine === 'webkit')?.allowed ?? completed.allowed;
  const problems: string[] = [];
  const show = (v: unknown) => JSON.stringify(v);

  if (real.ok !== webkitAllowed) problems.push(`allowed: real ${real.ok}, model ${webkitAllowed}`);
  if (show(real.consoleLines) !== show(completed.messages.safari)) {
    problems.push(`lines: real ${show(real.consoleLines)}, model ${show(completed.messages.safari)}`);
  }
  // simulate() itself (no responder) must say the same wherever Chromium's exchanges answer every WebKit request.
  const bare = webkitView(
    pageRequestFor(scenario, server.origins, runId),
    verdict.exchanges,
    verdict.allowed,
  );
  if (bare.complete && show(verdict.messages.safari) !== show(view.lines)) {
    problems.push(`simulate's messages.safari ${show(verdict.messages.safari)}, view ${show(view.lines)}`);
  }
  const realPreflights = received.filter(
    (r) =>
      r.method === 'OPTIONS' && r.headers.some(([n]) => n.toLowerCase() === 'access-control-request-method'),
  );
  // Only preflights that reach the scenario server can be seen there (not those to a closed or foreign port).
  const modelPreflights = view.requests.filter(
    (r) => r.purpose === 'preflight' && locate(r.url, server.origins) !== null,
  );
  if (realPreflights.length !== modelPreflights.length) {
    problems.push(`preflights sent: real ${realPreflights.length}, model ${modelPreflights.length}`);
  }
  const n = Math.min(realPreflights.length, modelPreflights.length);
  for (let i = 0; i < n; i++) {
    const got = preflightFields(realPreflights[i]?.headers ?? []);
    const want = preflightFields(modelPreflights[i]?.headers ?? []);
    if (show(got) !== show(want))
      problems.push(`preflight ${i + 1} headers: real ${show(got)}, model ${show(want)}`);
  }
  if (
    real.ok &&
    view.allowed &&
    verdict.allowed &&
    show(real.readableHeaders) !== show(verdict.readableHeaders)
  ) {
    problems.push(
      `readable headers: real ${show(real.readableHeaders)}, model ${show(verdict.readableHeaders)}`,
    );
  }
  return { name: scenario.name, real, verdict, view, simulateComplete: bare.complete, problems };
}

export async function runSharedScenarios(
  wk: WebKitEngine,
  server: ScenarioServer,
  records: EngineLinesRecord[],
  only: readonly Scenario[] = scenarios,
): Promise<SharedSummary> {
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of only) {
    const outcome = await runScenario(wk, server, scenario);
    outcomes.push(outcome);
    const c = scenario.call;
    records.push({
      scenario: scenario.name,
      request: {
        url: scenarioUrl(scenario, server.origins, `wk-${scenario.name}`),
        origin: server.origins.page,
        method: c.method,
        headers: c.headers,
        credentials: c.credentials,
        initiator: c.initiator,
      },
      allowed: outcome.real.ok,
      corsError: outcome.verdict.corsError,
      failedParameter: outcome.verdict.failedParameter,
      lines: outcome.real.consoleLines,
    });
  }
  return {
    total: outcomes.length,
    agree: outcomes.filter((o) => o.problems.length === 0).length,
    disagreements: outcomes.flatMap((o) => o.problems.map((p) => `${o.name}: ${p}`)),
    incomplete: outcomes.filter((o) => !o.simulateComplete).map((o) => o.name),
    engineDifferences: outcomes
      .filter((o) => o.real.ok !== o.verdict.allowed)
      .map(
        (o) =>
          `${o.name}: WebKit ${o.real.ok ? 'allows' : 'blocks'}, Chromium ${o.verdict.allowed ? 'allows' : 'blocks'}`,
      ),
    outcomes,
  };
}
