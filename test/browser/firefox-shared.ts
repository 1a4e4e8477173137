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
  firefoxPreflight,
  firefoxView,
} from '../../src/browser/engines/firefox.ts';
import type { Exchange, HeaderList, PageRequest, WireRequest } from '../../src/browser/types.ts';
import type { EngineLinesRecord as BaseRecord } from '../harness/engine.ts';
import type { FirefoxEngine, FirefoxResult } from '../harness/firefox.ts';
import type { ReceivedRequest, ScenarioServer } from '../harness/scenario-server.ts';
import { type Scenario, scenarios } from '../scenarios/index.ts';
import { modelVerdict, pageRequestFor, scenarioResponder, scenarioUrl } from '../scenarios/model.ts';

export interface EngineLinesRecord extends BaseRecord {
  /** Firefox's message keys, parallel to `lines` (extra field). */
  keys: string[];
  /** 'error' | 'warning' per line (extra field). */
  levels: string[];
  /**
   * Extra fields for the browser-free replay test (firefox-view.test.ts): the page request, Firefox's real round
   * trips as Exchanges, and the preflight it sent (Origin, ACRM, ACRH as received) or null.
   */
  pageRequest?: PageRequest;
  wire?: Exchange[];
  preflight?: Record<string, string | null> | null;
}

export interface SharedSummary {
  total: number;
  agree: number;
  disagreements: string[];
  /** Scenarios where Firefox words or decides differently from Chromium. */
  engineDifferences: string[];
  /** How often simulate's Firefox view (from Chromium's round trips) matched real Firefox exactly. */
  productAgree: number;
  productNotes: string[];
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

/** Real Firefox's round trips as the model's Exchanges: what the server received, and what it answered. */
function firefoxWire(
  received: ReceivedRequest[],
  server: ScenarioServer,
  runId: string,
  respond: ReturnType<typeof scenarioResponder>,
): Exchange[] {
  return received.map((r) => {
    const request: WireRequest = {
      purpose:
        r.method === 'OPTIONS' && pick(r.headers, 'access-control-request-method') !== null
          ? 'preflight'
          : 'actual',
      method: r.method,
      url: `${server.origins[r.origin]}/r/${runId}${r.path}`,
      headers: r.headers,
      withCredentials: pick(r.headers, 'cookie') !== null,
    };
    return { request, response: respond(request) };
  });
}

/** Method and URL of each round trip: equal shapes mean Chromium's exchanges are Firefox's too. */
const shape = (ex: readonly Exchange[]): string =>
  ex.map((e) => `${e.request.method} ${e.request.url}`).join(' | ');

export async function runSharedScenarios(
  ff: FirefoxEngine,
  server: ScenarioServer,
  records: EngineLinesRecord[],
  only?: (s: Scenario) => boolean,
  /** The scenarios to run: the shared table by default (the fuzz suite passes generated ones). */
  list: readonly Scenario[] = scenarios,
): Promise<SharedSummary> {
  const summary: SharedSummary = {
    total: 0,
    agree: 0,
    disagreements: [],
    engineDifferences: [],
    productAgree: 0,
    productNotes: [],
  };
  let n = 0;
  for (const scenario of list) {
    if (only && !only(scenario)) continue;
    const runId = `ff${++n}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
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
    const respond = scenarioResponder(scenario, server.origins);
    const wire = firefoxWire(received, server, runId, respond);
    // The Firefox model on Firefox's own round trips (decision order and lines)…
    const full = firefoxDecision(request, wire);
    // …and Firefox's request classification (preflight or not, and what it asks for).
    const pre = firefoxPreflight(request);

    const problems: string[] = [];
    if (real.ok !== full.allowed) problems.push(`allowed: real ${real.ok}, model ${full.allowed}`);
    const realLines = real.messages.map((m) => `${m.level} ${m.key} ${m.text}`);
    const modelLines = full.lines.map((l) => `${l.level} ${l.key} ${l.text}`);
    if (JSON.stringify(realLines) !== JSON.stringify(modelLines)) {
      problems.push(
        `lines:\n      real  ${realLines.join('\n            ') || '(none)'}\n      model ${modelLines.join('\n            ') || '(none)'}`,
      );
    }
    // Preflights of the URL the page asked for (a same-origin call preflights later, at a cross-origin hop).
    const preflights = received.filter(
      (r) =>
        r.method === 'OPTIONS' && r.origin === (scenario.call.to ?? 'api') && r.path === scenario.call.path,
    );
    if (preflights.length > 0 !== (pre !== null))
      problems.push(`preflight: real ${preflights.length > 0}, model ${pre !== null}`);
    const first = preflights[0];
    if (first && pre) {
      const want: Record<string, string | null> = {
        origin: server.origins.page,
        'access-control-request-method': pre.method,
        'access-control-request-headers': pre.headerNames.length > 0 ? pre.headerNames.join(',') : null,
      };
      for (const h of PREFLIGHT_HEADERS) {
        const a = pick(first.headers, h);
        if (a !== want[h])
          problems.push(`preflight ${h}: real ${JSON.stringify(a)}, model ${JSON.stringify(want[h])}`);
      }
    }
    if (real.ok && real.responseType !== 'opaque' && verdict.allowed) {
      const a = JSON.stringify(real.readableHeaders);
      const b = JSON.stringify(verdict.readableHeaders);
      if (a !== b) problems.push(`readable headers: real ${a}, model ${b}`);
    }
    // The product's view (simulate → messages.firefox, from Chromium's round trips): where Chromium's round
    // trips are Firefox's, it must be exactly right; elsewhere it is counted, not failed.
    const product = firefoxView(request, verdict.exchanges, verdict.allowed);
    const productRight =
      product.allowed === real.ok &&
      JSON.stringify(product.lines) === JSON.stringify(real.messages.map((m) => m.text)) &&
      JSON.stringify(verdict.messages.firefox) === JSON.stringify(product.lines);
    if (productRight) summary.productAgree++;
    else if (shape(verdict.exchanges) === shape(wire)) {
      problems.push(
        `simulate's Firefox view: ${product.allowed} ${JSON.stringify(verdict.messages.firefox)}`,
      );
    } else
      summary.productNotes.push(
        `${scenario.name}: Chromium's round trips differ (${product.difference ?? 'no note'})`,
      );
    // An unscripted request is no disagreement here: Firefox may send what Chromium does not (a preflight for
    // User-Agent); the comparisons above already judged the answer it got.

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
    } else if (preflights.length > 0 !== verdict.preflight) {
      summary.engineDifferences.push(
        `${scenario.name}: Firefox ${preflights.length > 0 ? 'sends' : 'skips'} a preflight, Chromium ${verdict.preflight ? 'sends' : 'skips'} it`,
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
      pageRequest: request,
      // Request headers trimmed to what the Firefox model reads (the rest is Firefox's boilerplate).
      wire: wire.map((e) => ({
        ...e,
        request: {
          ...e.request,
          headers: e.request.headers.filter(([h]) => /^(origin|access-control-request-)/i.test(h)),
        },
      })),
      preflight: first ? Object.fromEntries(PREFLIGHT_HEADERS.map((h) => [h, pick(first.headers, h)])) : null,
    });
  }
  return summary;
}
