/**
 * Running a scenario through the model: the PageRequest a scenario makes, and a pure responder that
 * answers exactly what the scenario server would write (same function, same bytes).
 */
import { runSimulation, type SimulateOptions } from '../../src/browser/index.ts';
import type { AddressSpace } from '../../src/browser/local-network-access.ts';
import type { PageRequest, Verdict, WireRequest, WireResponse } from '../../src/browser/types.ts';
import { expand, locate, type Origins, scriptedResponse } from '../harness/scenario-server.ts';
import type { Scenario } from './index.ts';

/** The absolute URL a scenario's call goes to, for one run. */
export function scenarioUrl(scenario: Scenario, origins: Origins, runId: string): string {
  if (scenario.call.absoluteUrl !== undefined) return expand(scenario.call.absoluteUrl, origins, runId);
  return `${origins[scenario.call.to ?? 'api']}/r/${runId}${scenario.call.path}`;
}

export function pageRequestFor(scenario: Scenario, origins: Origins, runId: string): PageRequest {
  const c = scenario.call;
  return {
    url: scenarioUrl(scenario, origins, runId),
    origin: origins.page,
    method: c.method,
    headers: c.headers,
    credentials: c.credentials,
    mode: c.mode,
    initiator: c.initiator,
    ...(c.redirect ? { redirect: c.redirect } : {}),
    ...(c.body !== undefined ? { body: c.body } : {}),
    ...(c.targetAddressSpace ? { targetAddressSpace: c.targetAddressSpace } : {}),
  };
}

/** The model's LNA context for a scenario: the same spaces Chromium was given, loopback otherwise. */
export function lnaOptions(scenario: Scenario, origins: Origins): SimulateOptions {
  const lna = scenario.lna;
  if (!lna) return {};
  const space = (name: keyof Origins): AddressSpace => {
    const s = lna.spaces[name];
    return s === 'public' ? 'public' : s === 'private' ? 'local' : 'loopback';
  };
  return {
    localNetwork: {
      page: space('page'),
      spaceOf: (url) => {
        const where = locate(url, origins);
        return where ? space(where.origin) : 'public';
      },
      permission: lna.permissions,
    },
  };
}

/** The scenario server's answer to a wire request, as data; unreachable URLs are connection errors. */
export function scenarioResponder(scenario: Scenario, origins: Origins): (r: WireRequest) => WireResponse {
  return (r) => {
    const where = locate(r.url, origins);
    if (!where) return { kind: 'network-error', netError: 'net::ERR_CONNECTION_REFUSED' };
    const { response } = scriptedResponse(
      scenario.routes,
      origins,
      where.runId,
      where.origin,
      r.method,
      where.path,
      r.headers,
    );
    if (response.hangUp) return { kind: 'network-error', netError: 'net::ERR_EMPTY_RESPONSE' };
    return {
      kind: 'response',
      status: response.status,
      statusText: response.statusText ?? '',
      headers: response.headers,
    };
  };
}

export function modelVerdict(scenario: Scenario, origins: Origins, runId: string): Verdict {
  return runSimulation(
    pageRequestFor(scenario, origins, runId),
    scenarioResponder(scenario, origins),
    lnaOptions(scenario, origins),
  );
}
