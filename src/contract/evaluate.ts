/**
 * The contract's verdicts over `check` reports: each endpoint × origin is one check (the same prober, model
 * and rules as `check`); this turns those reports into test cases. Pure: the CLI runs the checks and
 * hands the reports here (any object shaped like check's JSON report will do).
 *
 * Rules (issue 16): every allow origin allowed by the browser model (preflight and actual), every deny
 * origin refused, every expose header readable from every allow origin, and no error/security/warning
 * finding left that `ignore` does not list. A network error fails the expectation (a refused connection
 * is no proof that the server refuses the origin).
 */
import type { CredentialsMode, PageRequest } from '../browser/types.ts';
import type { FindingId, Severity } from '../catalog/ids.ts';
import type { CheckInput, Finding } from '../diagnosis/types.ts';
import type { Contract, ContractEndpoint, ContractIgnore } from './types.ts';

/** The parts of check's report the contract reads (CheckReport in src/probe/check.ts has them all). */
export interface ObservedCheck {
  browser: {
    allowed: boolean;
    preflight: boolean;
    corsError: string | null;
    netError: string | null;
    chrome: string | null;
    readableHeaders: string[];
  };
  exchanges: {
    purpose: string;
    response: { status: number } | { error: { code: string; netError: string; message: string } };
  }[];
  findings: Finding[];
  stats: { ms: number; requests: number };
}

export type Expectation = 'allow' | 'deny';

/** One check to run: an endpoint's request from one origin. */
export interface Unit {
  endpoint: ContractEndpoint;
  origin: string;
  expect: Expectation;
}

export type UnitOutcome = { report: ObservedCheck } | { notRun: string };

export type CaseKind = 'allow' | 'deny' | 'expose' | 'findings';

export interface RemainingFinding {
  id: FindingId;
  severity: Severity;
  title: string;
  detail: string;
  fix: string;
  /** The origins whose checks reported it. */
  origins: string[];
}

export interface CaseResult {
  kind: CaseKind;
  /** e.g. `allows https://app.example.com`, `exposes X-Request-ID to https://app.example.com`. */
  title: string;
  passed: boolean;
  origin?: string;
  header?: string;
  /** What happened, in one line (also on success: `allowed (preflight 204, GET 200)`). */
  summary: string;
  /** Failed: the console line Chrome would print, when there is one. */
  consoleLine?: string;
  /** Failed: the catalog finding that explains it, or `expectation-failed` when none does. */
  ruleId?: string;
  /** Failed: what to change. */
  fix?: string;
  /** The findings case: what is left after `ignore`. */
  findings?: RemainingFinding[];
  ms: number;
}

export interface EndpointResult {
  name: string;
  method: string;
  url: string;
  line: number;
  column: number;
  cases: CaseResult[];
}

export interface ContractResult {
  endpoints: EndpointResult[];
  passed: number;
  failed: number;
  /** Each ignore entry and how many findings it accepted in this run. */
  ignored: (ContractIgnore & { matched: number })[];
}

/** The check `test` runs for one unit: the endpoint's request as the page's script makes it. */
export function unitInput(u: Unit): CheckInput {
  const request: PageRequest = {
    url: u.endpoint.url,
    origin: u.origin,
    method: u.endpoint.method,
    headers: u.endpoint.headers.map(([n, v]) => [n, v] as [string, string]),
    credentials: u.endpoint.credentials as CredentialsMode,
    mode: 'cors',
    initiator: 'fetch',
  };
  // Only an origin that must be allowed has headers to read; asking from a denied one proves nothing.
  return { request, expose: u.expect === 'allow' ? [...u.endpoint.expose] : [] };
}

/** Every endpoint × origin of the contract (allow first), optionally only the named endpoints. */
export function planUnits(contract: Contract, only?: readonly string[]): Unit[] {
  const chosen =
    only && only.length > 0 ? contract.endpoints.filter((e) => only.includes(e.name)) : contract.endpoints;
  return chosen.flatMap((endpoint) => [
    ...endpoint.allow.map((origin) => ({ endpoint, origin, expect: 'allow' as const })),
    ...endpoint.deny.map((origin) => ({ endpoint, origin, expect: 'deny' as const })),
  ]);
}

const BLOCKING = new Set<Severity>(['error', 'security', 'warning']);
/** Findings that say an origin is let in, by the kind of origin a deny list names. */
const ADMITS: FindingId[] = [
  'null-origin-allowed',
  'localhost-allowed',
  'insecure-origin-allowed',
  'origin-reflected',
  'origin-pattern-bypass',
  'subdomain-trusted',
];

function admitsFor(origin: string): FindingId[] {
  if (origin === 'null') return ['null-origin-allowed', 'origin-reflected'];
  const host = origin.replace(/^[a-z]+:\/\//, '').replace(/:\d+$/, '');
  if (host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '[::1]')
    return ['localhost-allowed', 'origin-reflected'];
  if (origin.startsWith('http:'))
    return ['insecure-origin-allowed', 'origin-reflected', 'origin-pattern-bypass'];
  return ['origin-reflected', 'origin-pattern-bypass', 'subdomain-trusted'];
}

/** The main request's network failure (not a CORS refusal), if any. */
export function networkFailure(r: ObservedCheck): string | undefined {
  if (r.browser.corsError !== null) return undefined;
  for (const x of r.exchanges) {
    if (x.purpose !== 'preflight' && x.purpose !== 'actual') continue;
    if ('error' in x.response && x.response.error.code !== 'PROBE_NOT_SENT')
      return `${x.response.error.netError}${x.response.error.message ? ` (${x.response.error.message})` : ''}`;
  }
  return undefined;
}

/** `preflight 204, PUT 200` from the main exchanges. */
function statuses(r: ObservedCheck, method: string): string {
  const parts: string[] = [];
  for (const x of r.exchanges) {
    if (x.purpose !== 'preflight' && x.purpose !== 'actual') continue;
    const what = x.purpose === 'preflight' ? 'preflight' : method;
    parts.push(
      'status' in x.response ? `${what} ${x.response.status}` : `${what} ${x.response.error.netError}`,
    );
  }
  return parts.join(', ');
}

const firstBad = (r: ObservedCheck): Finding | undefined =>
  r.findings.find((f) => f.severity === 'error' && f.id !== 'network-error') ??
  r.findings.find((f) => f.severity === 'security');

export function evaluateContract(
  contract: Contract,
  units: readonly Unit[],
  outcomes: readonly UnitOutcome[],
): ContractResult {
  const ignored = contract.ignore.map((i) => ({ ...i, matched: 0 }));
  const endpoints: EndpointResult[] = [];
  const byEndpoint = new Map<ContractEndpoint, { unit: Unit; outcome: UnitOutcome }[]>();
  units.forEach((unit, i) => {
    const list = byEndpoint.get(unit.endpoint) ?? [];
    list.push({ unit, outcome: outcomes[i] ?? { notRun: 'not run' } });
    byEndpoint.set(unit.endpoint, list);
  });

  for (const [ep, runs] of byEndpoint) {
    const cases: CaseResult[] = [];
    /** Finding ids already named as the cause of a failed case (reported once, there). */
    const consumed = new Set<FindingId>();
    const all = runs.flatMap(({ outcome }) => ('report' in outcome ? outcome.report.findings : []));
    for (const { unit, outcome } of runs) {
      const o = unit.origin;
      const title = unit.expect === 'allow' ? `allows ${o}` : `refuses ${o}`;
      if ('notRun' in outcome) {
        cases.push({
          kind: unit.expect,
          title,
          origin: o,
          passed: false,
          summary: outcome.notRun,
          ruleId: 'expectation-failed',
          fix: 'raise --timeout, or lower the number of endpoints per run (--only)',
          ms: 0,
        });
        for (const h of unit.expect === 'allow' ? ep.expose : [])
          cases.push({
            kind: 'expose',
            title: `exposes ${h} to ${o}`,
            origin: o,
            header: h,
            passed: false,
            summary: outcome.notRun,
            ruleId: 'expectation-failed',
            ms: 0,
          });
        continue;
      }
      const r = outcome.report;
      const net = networkFailure(r);
      const ms = r.stats.ms;
      if (net !== undefined) {
        const base = {
          origin: o,
          passed: false,
          summary: `no answer: ${net}`,
          ruleId: 'network-error',
          fix: 'make the server reachable from where the test runs (URL, DNS, port, TLS), then run again',
          ms,
        };
        consumed.add('network-error');
        cases.push({ kind: unit.expect, title, ...base });
        for (const h of unit.expect === 'allow' ? ep.expose : [])
          cases.push({ kind: 'expose', title: `exposes ${h} to ${o}`, header: h, ...base });
        continue;
      }
      const how = statuses(r, ep.method);
      if (unit.expect === 'allow') {
        if (r.browser.allowed)
          cases.push({ kind: 'allow', title, origin: o, passed: true, summary: `allowed (${how})`, ms });
        else {
          const cause = firstBad(r);
          if (cause) consumed.add(cause.id);
          const c: CaseResult = {
            kind: 'allow',
            title,
            origin: o,
            passed: false,
            summary: `blocked (${how})`,
            ruleId: cause?.id ?? 'expectation-failed',
            fix: cause?.fix.summary ?? `make the server answer ${o} with Access-Control-Allow-Origin: ${o}`,
            ms,
          };
          if (r.browser.chrome) c.consoleLine = r.browser.chrome;
          cases.push(c);
        }
        for (const h of ep.expose) {
          const t = `exposes ${h} to ${o}`;
          if (!r.browser.allowed) {
            cases.push({
              kind: 'expose',
              title: t,
              origin: o,
              header: h,
              passed: false,
              summary: 'unreadable: the request is blocked (its fix is on the allow line)',
              ruleId: 'expectation-failed',
              ms,
            });
            continue;
          }
          if (r.browser.readableHeaders.includes(h.toLowerCase())) {
            cases.push({
              kind: 'expose',
              title: t,
              origin: o,
              header: h,
              passed: true,
              summary: `${h} readable`,
              ms,
            });
            continue;
          }
          const cause = r.findings.find((f) => f.id === 'header-not-exposed');
          if (cause) consumed.add(cause.id);
          cases.push({
            kind: 'expose',
            title: t,
            origin: o,
            header: h,
            passed: false,
            summary: `response.headers.get('${h}') returns null: not in Access-Control-Expose-Headers`,
            ruleId: 'header-not-exposed',
            fix: cause?.fix.summary ?? `add ${h} to Access-Control-Expose-Headers`,
            ms,
          });
        }
      } else if (!r.browser.allowed) {
        cases.push({ kind: 'deny', title, origin: o, passed: true, summary: `refused (${how})`, ms });
      } else {
        const own = r.findings.find((f) => ADMITS.includes(f.id) && f.severity !== 'info');
        const kinds = admitsFor(o);
        const cause = own ?? all.find((f) => kinds.includes(f.id));
        if (cause) consumed.add(cause.id);
        cases.push({
          kind: 'deny',
          title,
          origin: o,
          passed: false,
          summary: `allowed, but must be refused (${how}): a page on ${o} can read the response`,
          ruleId: cause?.id ?? 'expectation-failed',
          fix:
            cause?.fix.summary ??
            `take ${o} off the server's allowed origins (or out of deny, if it belongs there)`,
          ms,
        });
      }
    }

    // Findings: warnings and security findings from every check; errors from the checks that passed
    // their expectation (a failed allow's error is its cause; a deny's errors say why it was refused).
    const remaining = new Map<FindingId, RemainingFinding>();
    for (const { unit, outcome } of runs) {
      if (!('report' in outcome) || networkFailure(outcome.report) !== undefined) continue;
      const r = outcome.report;
      for (const f of r.findings) {
        if (!BLOCKING.has(f.severity) || consumed.has(f.id) || f.id === 'network-error') continue;
        if (f.severity === 'error' && (unit.expect === 'deny' || !r.browser.allowed)) continue;
        const ig = ignored.find(
          (i) => i.finding === f.id && (i.endpoint === undefined || i.endpoint === ep.name),
        );
        if (ig) {
          if (!remaining.has(f.id)) ig.matched++;
          continue;
        }
        const seen = remaining.get(f.id);
        if (seen) {
          if (!seen.origins.includes(unit.origin)) seen.origins.push(unit.origin);
        } else
          remaining.set(f.id, {
            id: f.id,
            severity: f.severity,
            title: f.title,
            detail: f.detail,
            fix: f.fix.summary,
            origins: [unit.origin],
          });
      }
    }
    const left = [...remaining.values()];
    const first = left[0];
    // No check answered: there is nothing to judge findings on (the network failures already fail).
    const answered = runs.some(
      ({ outcome }) => 'report' in outcome && networkFailure(outcome.report) === undefined,
    );
    if (answered)
      cases.push({
        kind: 'findings',
        title: 'no finding left unaccepted',
        passed: left.length === 0,
        summary:
          left.length === 0
            ? 'no error, security or warning finding (beyond ignore)'
            : `${left.length} finding${left.length === 1 ? '' : 's'}: ${left.map((f) => `${f.id} (${f.severity})`).join(', ')}`,
        findings: left,
        ...(first ? { ruleId: first.id, fix: first.fix } : {}),
        ms: 0,
      });
    endpoints.push({
      name: ep.name,
      method: ep.method,
      url: ep.url,
      line: ep.line,
      column: ep.column,
      cases,
    });
  }
  const flat = endpoints.flatMap((e) => e.cases);
  return {
    endpoints,
    passed: flat.filter((c) => c.passed).length,
    failed: flat.filter((c) => !c.passed).length,
    ignored,
  };
}
