/**
 * Runs the real diagnosis over the real browser model with a scripted server: every request (the
 * page's and each probe's, preflights included) is answered by a plain function, through
 * `runSimulation`. No network: these tests pin the rules' logic; test/diagnosis/frameworks.test.ts
 * runs the same rules against real servers.
 */
import { runSimulation } from '../../src/browser/simulate.ts';
import type { HeaderList, PageRequest, WireRequest, WireResponse } from '../../src/browser/types.ts';
import { diagnose, probesFor } from '../../src/diagnosis/index.ts';
import type { CheckInput, Finding } from '../../src/diagnosis/types.ts';

export interface ScriptedRequest {
  method: string;
  path: string;
  origin: string | undefined;
  headers: HeaderList;
  withCredentials: boolean;
}

export type Script = (r: ScriptedRequest) => { status: number; headers?: [string, string][] } | WireResponse;

function answer(script: Script, w: WireRequest): WireResponse {
  const origin = w.headers.find(([n]) => n.toLowerCase() === 'origin')?.[1];
  const out = script({
    method: w.method,
    path: new URL(w.url).pathname,
    origin,
    headers: w.headers,
    withCredentials: w.withCredentials,
  });
  if ('kind' in out) return out;
  return { kind: 'response', status: out.status, headers: out.headers ?? [] };
}

export function request(over: Partial<PageRequest> = {}): PageRequest {
  return {
    url: 'https://api.example.com/data',
    origin: 'https://app.example.com',
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    mode: 'cors',
    ...over,
  };
}

export function run(script: Script, req: PageRequest, extra: Partial<CheckInput> = {}): Finding[] {
  const input: CheckInput = { request: req, expose: [], ...extra };
  const main = runSimulation(req, (w) => answer(script, w));
  const probes = new Map(
    probesFor(input).map((p) => [p.name, runSimulation(p.request, (w) => answer(script, w))]),
  );
  return diagnose({ input, main, probes });
}

export const ids = (findings: Finding[]): string[] => findings.map((f) => f.id).sort();
