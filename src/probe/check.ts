/**
 * `check`'s pipeline: the page's own request (the critical path) and every rule's probes run at the same
 * time, each through the browser model against the real server; then the diagnosis turns the verdicts into
 * findings. The result is the report object the JSON reporter prints as is (DESIGN.md, schemaVersion 1).
 *
 * Nothing here decides anything about CORS: the model (src/browser) judges every exchange and the rules
 * (src/diagnosis) find the causes. This file owns concurrency, deadlines and the record of what was sent.
 */
import { setMaxListeners } from 'node:events';
import { webkitReasonLine } from '../browser/engines/webkit.ts';
import {
  type AddressSpace,
  decideLocalNetworkAccess,
  type LnaPermission,
  type LnaPermissionName,
  permissionNameFor,
} from '../browser/local-network-access.ts';
import { nextRequestNotes } from '../browser/next-request.ts';
import { type SimulateOptions, simulate } from '../browser/simulate.ts';
import type { HeaderList, PageRequest, Verdict, WireRequest } from '../browser/types.ts';
import type { Severity } from '../catalog/ids.ts';
import { probesFor, rules } from '../diagnosis/registry.ts';
import type { CheckInput, DiagnosisContext, Finding, ProbeSpec, Rule } from '../diagnosis/types.ts';
import { type Driven, drive, type Sender, type Simulation, type WireExchange } from './drive.ts';
import { fetchPagePolicy } from './page.ts';
import { sendWire, type TimedResponse, wireHeaderLines } from './wire.ts';

/**
 * The model and the diagnosis, injectable so tests can pin them; by default the project's own, with
 * `diagnose` (and the catalog and fix generator it completes findings from) loaded while the requests
 * are in flight: none of it is needed to send them, and the whole check's time is the user's.
 */
export interface CheckDeps {
  simulate(request: PageRequest, options?: SimulateOptions): Simulation;
  rules: readonly Rule[];
  diagnose(ctx: DiagnosisContext): Finding[];
}

export interface RunCheckOptions {
  /** The whole check's deadline (DESIGN.md: default 10 s). */
  timeoutMs?: number;
  /** Each request's own limit (default: the whole deadline). */
  requestTimeoutMs?: number;
  /** `Cookie` value sent on requests that carry credentials (never on a preflight). */
  cookie?: string;
  /** Body of the actual request (`--data`); probes send none. */
  body?: string;
  /** `--page`: fetch this front-end page and evaluate its CSP (mistake 10); fills `input.page`. */
  pageUrl?: string;
  /** Trust exactly these CA certificates, PEM (`--cacert` passes the system's roots plus the file). */
  ca?: string | Buffer;
  /** Accept any TLS certificate (`--insecure`); the browser would refuse an untrusted one. */
  insecure?: boolean;
  /** Skip the probes: only the browser's own exchanges (faster; no cause finding beyond the main verdict). */
  noProbes?: boolean;
  /**
   * Let probes send actual requests with a method that may change data (anything but GET, HEAD, OPTIONS).
   * Off by default: the page's own request goes out once, as the browser would send it, but a probe
   * stops after its preflight instead of repeating a DELETE twenty times from other origins.
   */
  unsafeProbes?: boolean;
  /** Report every probe's exchanges, not only those a finding rests on (`check --all-probes`). */
  allProbes?: boolean;
  /**
   * Hold the page's own actual request when its method may change data (a pasted preflight: the user
   * asked about the preflight, not for a DELETE). The preflight goes out; the report says what was held.
   */
  holdUnsafeActual?: boolean;
  /**
   * Called once every request of the check is on its way: the moment to load what the report needs, so
   * loading neither delays the requests nor waits for the answers.
   */
  whileWaiting?: () => void;
  /** Told of each round trip as it starts and ends (the CLI's progress line and --verbose). */
  observe?: {
    sent(request: WireRequest): void;
    answered(request: WireRequest, response: TimedResponse): void;
  };
  /**
   * Chrome's Local Network Access for this check (the CLI infers it from --origin and the address the
   * URL's host resolves to). Absent: not considered. `applied`: the reported verdict includes the gate;
   * otherwise it is reported beside the CORS verdict (a loopback copy of a production API).
   */
  localNetwork?: { page: AddressSpace; target: AddressSpace; permission: LnaPermission; applied: boolean };
  deps?: CheckDeps;
  /** Replace the network (tests of the pipeline itself). */
  send?: Sender;
}

export interface ReportExchange {
  /** `preflight`, `actual`, `probe:<name>` (each hop of a probe), or `page` (the `--page` document). */
  purpose: string;
  request: { method: string; url: string; headers: [string, string][] };
  response:
    | { status: number; statusText: string; headers: [string, string][] }
    | { error: { code: string; netError: string; message: string } };
  ms: number;
}

export interface CheckReport {
  schemaVersion: 1;
  request: {
    url: string;
    origin: string;
    method: string;
    headers: [string, string][];
    credentials: PageRequest['credentials'];
    mode: PageRequest['mode'];
  };
  browser: {
    allowed: boolean;
    preflight: boolean;
    corsError: string | null;
    failedParameter: string;
    netError: string | null;
    chrome: string | null;
    /** Firefox's first CORS console line (`firefoxLines` has them all, in print order). */
    firefox: string | null;
    /** WebKit's reason line (`safariLines` has them all, with the `Fetch API cannot load …` partner). */
    safari: string | null;
    firefoxLines: string[];
    safariLines: string[];
    readableHeaders: string[];
    engineDifferences: { engine: string; allowed: boolean; note: string }[];
    /** What the next request will see from the browser's preflight cache and the HTTP caches (cache.ts). */
    nextRequest?: string[];
    localNetworkAccess?: {
      page: AddressSpace;
      target: AddressSpace;
      permission: LnaPermission;
      gated: boolean;
      applied: boolean;
      blocked: boolean;
      permissionName: LnaPermissionName;
      /** When Chrome refuses before sending: what it does once the permission is granted (plain CORS). */
      onceGranted?: { allowed: boolean; corsError: string | null; chrome: string | null };
    };
  };
  exchanges: ReportExchange[];
  findings: Finding[];
  /** Probes sent (each may take several round trips) and how many answered before the deadline. */
  probes: {
    name: string;
    purpose: string;
    /** Answered before the deadline (a probe cut short is left out of the diagnosis). */
    completed: boolean;
    /** The model's verdict for the probe; null when it did not complete. */
    allowed: boolean | null;
    /** Stopped after its preflight: its actual request would have repeated a data-changing method. */
    stoppedAfterPreflight: boolean;
  }[];
  /** requests: every round trip made; probes: how many probes ran (the report lists only those that found something). */
  stats: { ms: number; requests: number; probes: number; timedOut: boolean };
  /** The page's own actual request was not sent (a pasted preflight; `holdUnsafeActual`). */
  held?: { method: string; reason: string };
  /** Set when `--page` was given but the page could not be fetched. */
  pageError?: string;
}

/** Methods a probe may repeat: they do not change data (RFC 9110 §9.2.1 safe methods). */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * What a probe gets instead of sending an unsafe actual request: no response, as when a client-side
 * blocker stops a request (Chromium's ERR_BLOCKED_BY_CLIENT). Its preflight did go out and stays in the
 * verdict's exchanges, which is what the origin rules read.
 */
function notSent(method: string): TimedResponse {
  return {
    kind: 'network-error',
    netError: 'net::ERR_BLOCKED_BY_CLIENT',
    message: `not sent: a probe never repeats a ${method} (it may change data); its preflight was sent. --unsafe-probes sends it.`,
    code: 'PROBE_NOT_SENT',
    ms: 0,
  };
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, security: 1, warning: 2, info: 3 };

/** DESIGN.md exit codes: 0 allowed and no error/security finding; 1 otherwise. */
export function exitCodeFor(report: CheckReport): 0 | 1 {
  const bad = report.findings.some((f) => f.severity === 'error' || f.severity === 'security');
  return report.browser.allowed && !bad ? 0 : 1;
}

function observed(send: Sender, observe: RunCheckOptions['observe']): Sender {
  if (!observe) return send;
  return async (request, o) => {
    observe.sent(request);
    const response = await send(request, o);
    observe.answered(request, response);
    return response;
  };
}

const toPairs = (h: HeaderList | readonly (readonly [string, string])[]): [string, string][] =>
  h.map(([n, v]) => [n, v]);

function reportExchange(purpose: string, x: WireExchange): ReportExchange {
  const r = x.response;
  return {
    purpose,
    request: { method: x.request.method, url: x.request.url, headers: toPairs(x.sentHeaders) },
    response:
      r.kind === 'response'
        ? { status: r.status, statusText: r.statusText ?? '', headers: toPairs(r.headers) }
        : { error: { code: r.code ?? 'UNKNOWN', netError: r.netError, message: r.message ?? '' } },
    ms: r.ms,
  };
}

/** Each rule's probes; a name asked for by several rules is one probe, sent once (the diagnosis's probesFor). */
export function collectProbes(rules: readonly Rule[], input: CheckInput): ProbeSpec[] {
  return probesFor(input, rules);
}

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

/** The project's own diagnosis, loaded once on first use. */
let ownDiagnose: Promise<CheckDeps['diagnose']> | undefined;
const loadDiagnose = (): Promise<CheckDeps['diagnose']> =>
  (ownDiagnose ??= import('../diagnosis/index.ts').then((m) => m.diagnose));

export async function runCheck(input: CheckInput, opts: RunCheckOptions = {}): Promise<CheckReport> {
  const started = performance.now();
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const deps: Omit<CheckDeps, 'diagnose'> & Partial<CheckDeps> = opts.deps ?? { simulate, rules };
  const deadline = new AbortController();
  // Every in-flight request listens on the one deadline signal; dozens at once is expected, not a leak.
  setMaxListeners(0, deadline.signal);
  const timer = setTimeout(() => deadline.abort(), timeoutMs);
  timer.unref?.();
  const sendOpts = {
    timeoutMs: Math.min(opts.requestTimeoutMs ?? timeoutMs, timeoutMs),
    signal: deadline.signal,
    ...(opts.cookie !== undefined ? { cookie: opts.cookie } : {}),
    ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
    ...(opts.insecure ? { insecure: true } : {}),
    send: observed(opts.send ?? sendWire, opts.observe),
    headersSent: (r: WireRequest) =>
      wireHeaderLines(r, opts.cookie !== undefined ? { cookie: opts.cookie } : {}),
  };

  const run = (request: PageRequest, body?: string): Promise<Driven> =>
    drive(deps.simulate(request), body !== undefined ? { ...sendOpts, body } : sendOpts);
  const send = sendOpts.send;
  const probeSend: Sender = (request, o) =>
    opts.unsafeProbes || request.purpose !== 'actual' || SAFE_METHODS.has(request.method.toUpperCase())
      ? send(request, o)
      : Promise.resolve(notSent(request.method));
  // The diagnosis reads a probe's Chromium verdict only: Firefox's and WebKit's lines are not built for it.
  const runProbe = (request: PageRequest): Promise<Driven> =>
    drive(deps.simulate(request, { otherEngines: false }), { ...sendOpts, send: probeSend });
  const mainSend: Sender | undefined = opts.holdUnsafeActual
    ? (request, o) =>
        request.purpose !== 'actual' || SAFE_METHODS.has(request.method.toUpperCase())
          ? send(request, o)
          : Promise.resolve(notSent(request.method))
    : undefined;

  try {
    const pageFetch = opts.pageUrl
      ? fetchPagePolicy(opts.pageUrl, {
          timeoutMs: sendOpts.timeoutMs,
          signal: deadline.signal,
          ...(opts.ca !== undefined ? { ca: opts.ca } : {}),
          ...(opts.insecure ? { insecure: true } : {}),
        })
      : undefined;
    const mainRun = mainSend
      ? drive(deps.simulate(input.request), { ...sendOpts, send: mainSend })
      : run(input.request, opts.body);
    // Listed once the page's own request is out: its first byte does not wait for the rules.
    const probes = opts.noProbes ? [] : collectProbes(deps.rules, input);
    // One request per turn of the event loop: each connects and is written before the next is built, so
    // the answers come back spread out as they went, and each is read while later ones are still on
    // their way, instead of all arriving at once behind a queue (docs/performance.md).
    const probeRuns: Promise<Driven | undefined>[] = [];
    for (const p of probes) {
      await nextTurn();
      // A probe that breaks (a model exception on odd input) is dropped, never the whole check.
      probeRuns.push(runProbe(p.request).catch(() => undefined));
    }
    // Every request is out: load what only the diagnosis and the report need while the server answers.
    const diagnosing: Promise<CheckDeps['diagnose']> = deps.diagnose
      ? Promise.resolve(deps.diagnose)
      : loadDiagnose();
    diagnosing.catch(() => {}); // awaited below; a failed load must not be an unhandled rejection meanwhile
    opts.whileWaiting?.();
    const [driven, page, ...probeResults] = await Promise.all([mainRun, pageFetch, ...probeRuns]);
    const heldX = driven.exchanges.find((x) => x.response.code === 'PROBE_NOT_SENT');
    // The model only asks for the actual request once the preflight (if any) passed: up to there the
    // browser lets it through. Judge what was sent; the held request itself has no response to judge.
    const main: Driven = heldX
      ? {
          exchanges: driven.exchanges.filter((x) => x !== heldX),
          verdict: {
            ...driven.verdict,
            allowed: true,
            corsError: null,
            failedParameter: '',
            netError: null,
            responseType: 'cors',
            readableHeaders: [],
            messages: { chrome: null, firefox: [], safari: [] },
            chromeLines: [],
            jsError: null,
            engineDifferences: [],
            exchanges: driven.verdict.exchanges.filter((x) => x.request.purpose !== 'actual'),
          },
        }
      : driven;

    const pageExchanges: ReportExchange[] = [];
    let diagInput = input;
    let pageError: string | undefined;
    if (page && opts.pageUrl) {
      const req = { method: 'GET', url: opts.pageUrl, headers: [] as [string, string][] };
      if (page.ok) {
        diagInput = { ...input, page: page.policy };
        pageExchanges.push({
          purpose: 'page',
          request: req,
          response: { status: page.status, statusText: '', headers: page.headers },
          ms: page.ms,
        });
      } else {
        pageError = `${page.netError}: ${page.message}`;
        pageExchanges.push({
          purpose: 'page',
          request: req,
          response: { error: { code: page.code, netError: page.netError, message: page.message } },
          ms: page.ms,
        });
      }
    }

    // Local Network Access: decided by the model on the spaces the CLI inferred; the CORS exchanges above
    // are what Chrome does once the permission lets the request through.
    const lnaIn = opts.localNetwork;
    const lnaDecision = lnaIn
      ? decideLocalNetworkAccess(
          { page: lnaIn.page, spaceOf: () => lnaIn.target, permission: lnaIn.permission },
          input.request.url,
          input.request.targetAddressSpace,
        )
      : undefined;
    if (lnaIn && lnaDecision) {
      diagInput = {
        ...diagInput,
        localNetwork: {
          page: lnaIn.page,
          target: lnaIn.target,
          permission: lnaIn.permission,
          gated: lnaDecision.gated,
          blocked: !lnaDecision.ok,
          applied: lnaIn.applied,
        },
      };
    }

    // Probes cut short by the deadline prove nothing: leave them out of the diagnosis.
    const cutShort = (d: Driven): boolean => d.exchanges.some((x) => x.response.code === 'TIMEOUT');
    const verdicts = new Map<string, Verdict>();
    const runs = probes.map((p, i) => {
      const d = probeResults[i] as Driven | undefined;
      const completed = d !== undefined && !(cutShort(d) && deadline.signal.aborted);
      if (d && completed) verdicts.set(p.name, d.verdict);
      return { p, d, completed };
    });

    const diagnose = await diagnosing;
    const findings = [...diagnose({ input: diagInput, main: main.verdict, probes: verdicts })].sort(
      (a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity],
    );
    // A probe shows up in the report only when a finding rests on it (allProbes shows all, for debugging).
    const used = new Set(findings.flatMap((f) => f.probes ?? []));
    const shown = runs.filter(({ p }) => opts.allProbes === true || used.has(p.name));
    const probeSummary: CheckReport['probes'] = shown.map(({ p, d, completed }) => ({
      name: p.name,
      purpose: p.purpose,
      completed,
      allowed: completed ? d!.verdict.allowed : null,
      stoppedAfterPreflight: d?.exchanges.some((x) => x.response.code === 'PROBE_NOT_SENT') ?? false,
    }));
    const probeExchanges: ReportExchange[] = shown.flatMap(({ p, d }) =>
      (d?.exchanges ?? []).map((x) => reportExchange(`probe:${p.name}`, x)),
    );
    const v = main.verdict;
    const report: CheckReport = {
      schemaVersion: 1,
      request: {
        url: input.request.url,
        origin: input.request.origin,
        method: input.request.method,
        headers: toPairs(input.request.headers),
        credentials: input.request.credentials,
        mode: input.request.mode,
      },
      browser: {
        allowed: v.allowed,
        preflight: v.preflight,
        corsError: v.corsError,
        failedParameter: v.failedParameter,
        netError: v.netError,
        chrome: v.messages.chrome,
        firefox: v.messages.firefox[0] ?? null,
        safari: webkitReasonLine(v.messages.safari),
        firefoxLines: v.messages.firefox,
        safariLines: v.messages.safari,
        readableHeaders: v.readableHeaders,
        engineDifferences: v.engineDifferences.map((d) => ({ ...d })),
      },
      exchanges: [
        ...main.exchanges.map((x) => reportExchange(x.request.purpose, x)),
        ...pageExchanges,
        ...probeExchanges,
      ],
      findings,
      probes: probeSummary,
      stats: {
        ms: Math.round(performance.now() - started),
        // What reached the wire: a probe's held-back PUT is an exchange in the report, not a request.
        requests:
          main.exchanges.length +
          pageExchanges.length +
          probeResults.reduce(
            (n, d) => n + (d?.exchanges.filter((x) => x.response.code !== 'PROBE_NOT_SENT').length ?? 0),
            0,
          ),
        probes: probes.length,
        timedOut: deadline.signal.aborted,
      },
    };
    const next = nextRequestNotes(input.request, v);
    if (next.length > 0) report.browser.nextRequest = next;
    if (lnaIn && lnaDecision) {
      const lna: NonNullable<CheckReport['browser']['localNetworkAccess']> = {
        page: lnaIn.page,
        target: lnaIn.target,
        permission: lnaIn.permission,
        gated: lnaDecision.gated,
        applied: lnaIn.applied,
        blocked: !lnaDecision.ok,
        permissionName: permissionNameFor(lnaIn.target),
      };
      if (!lnaDecision.ok && lnaIn.applied) {
        // Chrome's verdict: refused before anything is sent. Firefox and WebKit do not gate this.
        const refused = deps.simulate(input.request, {
          localNetwork: { page: lnaIn.page, spaceOf: () => lnaIn.target, permission: lnaIn.permission },
        });
        const first = refused.next();
        const lv = first.done ? first.value : undefined;
        lna.onceGranted = { allowed: v.allowed, corsError: v.corsError, chrome: v.messages.chrome };
        if (lv) {
          report.browser = {
            ...report.browser,
            allowed: false,
            preflight: false,
            corsError: lv.corsError,
            failedParameter: '',
            netError: null,
            chrome: lv.messages.chrome,
            readableHeaders: [],
            engineDifferences: [
              {
                engine: 'firefox',
                allowed: v.allowed,
                note: 'Firefox does not gate this by default: CORS decides',
              },
              {
                engine: 'webkit',
                allowed: v.allowed,
                note: 'WebKit has no Local Network Access: CORS decides',
              },
            ],
          };
        }
      }
      report.browser.localNetworkAccess = lna;
    }
    if (pageError !== undefined) report.pageError = pageError;
    if (heldX)
      report.held = {
        method: heldX.request.method,
        reason: 'a pasted preflight: the request it announces may change data; --unsafe-probes sends it',
      };
    return report;
  } finally {
    clearTimeout(timer);
  }
}
