/**
 * The shared scenario table (test/scenarios, served by test/harness/scenario-server.ts, the same table Chromium
 * and WebKit run) in real Firefox, compared scenario by scenario with the model:
 * - blocked or not: real Firefox vs the Firefox view `simulate` returns (engineDifferences, else the verdict);
 * - preflight sent, and its Origin / Access-Control-Request-Method / Access-Control-Request-Headers as the
 *   server received them vs the model's preflight request;
 * - readable headers when allowed;
 * - every CORS console line with key and level, in order, vs `firefoxDecision` (and `messages.firefox`).
 *
 * Where Chromium stops at a preflight Firefox lets through (`*` covering Authorization), the model's exchanges
 * end early; here the scenario's actual answer is appended so the Firefox view is judged on the whole exchange.
 */
import { existsSync } from 'node:fs';
import {
  CHROMIUM_EQUIVALENT,
  type FirefoxCorsKey,
  firefoxDecision,
} from '../../src/browser/engines/firefox.ts';
import type { Exchange, HeaderList, Verdict } from '../../src/browser/types.ts';
import type { FirefoxEngine, FirefoxResult } from '../harness/firefox.ts';
import type { ScenarioServer } from '../harness/scenario-server.ts';
import { type Scenario, scenarios } from '../scenarios/index.ts';
import { modelVerdict, pageRequestFor, scenarioResponder, scenarioUrl } from '../scenarios/model.ts';

export interface EngineLinesRecord {
  scenario: string;
  request: {
    url: string;
    origin: string;
    method: string;
    headers: [string, string][];
    credentials: string;
    initiator: string;
  };
  allowed: boolean;
  /** Chromium's CorsError for the same call (Firefox has none; its key is in `keys`). */
  corsError: string | null;
  failedParameter: string;
  lines: string[];
  /** Firefox's message keys, parallel to `lines` (extra field). */
  keys: string[];
  /** 'error' | 'warning' per line (extra field). */
  levels: string[];
}

export interface SharedSummary {
  total: number;
  agree: number;
  disagreements: string[];
  /** Scenarios where Firefox words or decides differently from Chromium. */
  engineDifferences: string[];
}

export function sharedScenariosAvailable(): boolean {
  return (
    existsSync(new URL('../scenarios/index.ts', import.meta.url)) &&
    existsSync(new URL('../harness/scenario-server.ts', import.meta.url))
  );
}

const pick = (headers: HeaderList, name: string): string | null => {
  const v = headers.filter(([n]) => n.toLowerCase() === name).map(([, x]) => x);
  return v.length === 0 ? null : v.join(', ');
};
const PREFLIGHT_HEADERS = ['origin', 'access-control-request-method', 'access-control-request-headers'];

/** The model's exchanges, completed with the actual request Chromium never sent but Firefox would. */
function completeForFirefox(
  scenario: Scenario,
  verdict: Verdict,
  respond: ReturnType<typeof scenarioResponder>,
): Exchange[] {
  const ex = [...verdict.exchanges];
  const last = ex.at(-1);
  if (last?.request.purpose !== 'preflight') return ex;
  const actualRequest = {
    purpose: 'actual' as const,
    method:
      last.request.headers.find(([n]) => n.toLowerCase() === 'access-control-request-method')?.[1] ??
      scenario.call.method,
    url: last.request.url,
    headers: [...scenario.call.headers, ['Origin', pick(last.request.headers, 'origin') ?? ''] as const],
    withCredentials: scenario.call.credentials === 'include',
  };
  ex.push({ request: actualRequest, response: respond(actualRequest) });
  return ex;
}

export async function runSharedScenarios(
  ff: FirefoxEngine,
  server: ScenarioServer,
  records: EngineLinesRecord[],
  only?: (s: Scenario) => boolean,
): Promise<SharedSummary> {
  const summary: SharedSummary = { total: 0, agree: 0, disagreements: [], engineDifferences: [] };
  let n = 0;
  for (const scenario of scenarios) {
    if (only && !only(scenario)) continue;
    const runId = `ff${++n}-${Date.now().toString(36)}`;
    server.script(runId, scenario.routes);
    const url = scenarioUrl(scenario, server.origins, runId);
    const { path: _path, to: _to, ...call } = scenario.call;
    let real: FirefoxResult;
    try {
      real = await ff.run(server.pageUrl, { ...call, url });
    } catch (e) {
      summary.total++;
      summary.disagreements.push(`${scenario.name}: Firefox run failed: ${(e as Error).message}`);
      continue;
    }
    const received = server.received(runId);
    server.forget(runId);
    const verdict = modelVerdict(scenario, server.origins, runId);
    const request = pageRequestFor(scenario, server.origins, runId);
    const full = firefoxDecision(
      request,
      completeForFirefox(scenario, verdict, scenarioResponder(scenario, server.origins)),
    );
    const ffDiff = verdict.engineDifferences.find((d) => d.engine === 'firefox');
    const modelAllowed = ffDiff ? ffDiff.allowed : verdict.allowed;

    const problems: string[] = [];
    if (real.ok !== modelAllowed) problems.push(`allowed: real ${real.ok}, model ${modelAllowed}`);
    if (real.ok !== full.allowed) problems.push(`allowed: real ${real.ok}, firefoxDecision ${full.allowed}`);
    const realLines = real.messages.map((m) => `${m.level} ${m.key} ${m.text}`);
    const modelLines = full.lines.map((l) => `${l.level} ${l.key} ${l.text}`);
    if (JSON.stringify(realLines) !== JSON.stringify(modelLines)) {
      problems.push(
        `lines:\n      real  ${realLines.join('\n            ') || '(none)'}\n      model ${modelLines.join('\n            ') || '(none)'}`,
      );
    }
    // The product's view (simulate → messages.firefox) is the same function on Chromium's exchanges: it must
    // say the same, or a prefix of it when Chromium stopped before Firefox would.
    const product = verdict.messages.firefox;
    const fullText = full.lines.map((l) => l.text);
    if (
      JSON.stringify(product) !== JSON.stringify(fullText.slice(0, product.length)) ||
      (product.length < fullText.length && !ffDiff)
    ) {
      problems.push(`messages.firefox differs: ${JSON.stringify(product)}`);
    }
    const preflights = received.filter((r) => r.method === 'OPTIONS');
    const realPreflight = preflights.length > 0;
    if (realPreflight !== verdict.preflight)
      problems.push(`preflight: real ${realPreflight}, model ${verdict.preflight}`);
    const modelPreflights = verdict.exchanges.filter((e) => e.request.purpose === 'preflight');
    for (const [i, p] of preflights.entries()) {
      const m = modelPreflights[i];
      if (!m) break;
      for (const h of PREFLIGHT_HEADERS) {
        const a = pick(p.headers, h);
        const b = pick(m.request.headers, h);
        if (a !== b) problems.push(`preflight ${h}: real ${JSON.stringify(a)}, model ${JSON.stringify(b)}`);
      }
    }
    if (real.ok && modelAllowed && real.responseType !== 'opaque') {
      const a = JSON.stringify(real.readableHeaders);
      const b = JSON.stringify(verdict.readableHeaders);
      if (a !== b) problems.push(`readable headers: real ${a}, model ${b}`);
    }
    if (received.some((r) => r.unscripted))
      problems.push('Firefox made a request the scenario did not script');

    summary.total++;
    if (problems.length === 0) summary.agree++;
    else summary.disagreements.push(`${scenario.name}: ${problems.join('; ')}`);

    // Firefox ≠ Chromium: a different decision, or a block for a reason Chromium names differently.
    const firstKey = real.messages.find((m) => m.level === 'error')?.key as FirefoxCorsKey | undefined;
    if (real.ok !== verdict.allowed) {
      summary.engineDifferences.push(
        `${scenario.name}: Firefox ${real.ok ? 'allows' : 'blocks'} (${real.messages.map((m) => m.key).join(', ') || 'no line'}), Chromium ${verdict.allowed ? 'allows' : `blocks (${verdict.corsError ?? verdict.netError})`}`,
      );
    } else if (!real.ok && firstKey && !CHROMIUM_EQUIVALENT[firstKey]?.includes(verdict.corsError ?? '')) {
      summary.engineDifferences.push(
        `${scenario.name}: Firefox says ${firstKey}, Chromium ${verdict.corsError ?? verdict.netError ?? 'no CorsError'}`,
      );
    } else if (!real.ok && !firstKey && verdict.messages.chrome) {
      summary.engineDifferences.push(
        `${scenario.name}: Firefox prints no CORS line, Chromium ${verdict.corsError}`,
      );
    } else if (real.ok && real.messages.length > 0) {
      summary.engineDifferences.push(
        `${scenario.name}: allowed by both; Firefox warns (${real.messages.map((m) => m.key).join(', ')})`,
      );
    }

    records.push({
      scenario: scenario.name,
      request: {
        url,
        origin: server.origins.page,
        method: call.method,
        headers: call.headers,
        credentials: call.credentials,
        initiator: call.initiator,
      },
      allowed: real.ok,
      corsError: verdict.corsError,
      failedParameter: verdict.failedParameter,
      lines: real.messages.map((m) => m.text),
      keys: real.messages.map((m) => m.key),
      levels: real.messages.map((m) => m.level),
    });
  }
  return summary;
}
