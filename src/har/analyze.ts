/**
 * A whole browser session from its HAR, offline: find the page origin and every cross-origin request,
 * pair each with its preflight, replay the recorded answers through the browser model (no network), run
 * the diagnosis rules with the session's other requests standing in for the probes they answer, and
 * group the requests by cause. Pure.
 */
import {
  corsUnsafeRequestHeaderNames,
  getHeader,
  isForbiddenRequestHeader,
  normalizeMethod,
  parseUrl,
  runSimulation,
} from '../browser/index.ts';
import type {
  CredentialsMode,
  HeaderLine,
  PageRequest,
  Verdict,
  WireRequest,
  WireResponse,
} from '../browser/types.ts';
import type { FindingId } from '../catalog/ids.ts';
import { diagnose, probesFor, rules } from '../diagnosis/index.ts';
import type { Finding, ProbeSpec, Rule } from '../diagnosis/types.ts';
import { checkCommandFor } from './check-command.ts';
import type { HarEntry, ParsedHar } from './parse.ts';
import { corsWitnesses, sessionRule } from './session-rules.ts';

export interface HarRequestReport {
  /** `log.entries` index of the request (the first hop of a redirect chain). */
  entry: number;
  url: string;
  method: string;
  origin: string;
  /** The request as the page's script made it, rebuilt from the recording. */
  request: PageRequest;
  /** How the credentials mode was worked out. */
  credentialsFrom: 'cookie' | 'default' | 'recorded-outcome';
  preflight: {
    /** recorded: an entry; passed-unrecorded: the actual request went out, so it passed (or was cached); none: not needed. */
    state: 'recorded' | 'passed-unrecorded' | 'unknown' | 'none';
    entry: number | null;
  };
  /** Entries of the redirect hops after the first. */
  hops: number[];
  /**
   * What the HAR says happened. `failed` is null when the writer records no failures (Firefox, Safari
   * and most proxies keep a CORS-blocked response's status and headers and say nothing more).
   */
  recorded: { status: number; error: string | null; failed: boolean | null };
  /** The model's verdict over the recorded answers; null when the HAR lacks the answer it needs. */
  verdict: Verdict | null;
  /** Why the verdict is null, or a note about the replay. */
  note: string | null;
  /** The model and the recording agree on allowed/blocked (null: no verdict). */
  consistent: boolean | null;
  findings: Finding[];
  /** What a live check would add: the probes the rules ask for that the session did not answer. */
  live: { probes: string[]; check: string | null };
}

export interface HarGroup {
  host: string;
  /** The finding that names the cause (the first error/security/warning), or null. */
  cause: FindingId | null;
  mistake: number | null;
  severity: Finding['severity'] | 'unknown' | 'ok';
  /** Request indexes into `requests`. */
  requests: number[];
  blocked: number;
  statuses: number[];
  paths: string[];
  summary: string;
  check: string | null;
}

export interface HarAnalysis {
  pages: { id: string; url: string | null; origin: string | null; title: string }[];
  requests: HarRequestReport[];
  groups: HarGroup[];
  /** Entries not analysed and why (same-origin, not CORS, malformed…), counted per reason. */
  ignored: Record<string, number>;
  skipped: ParsedHar['skipped'];
}

/** Request headers the browser adds itself (or the network stack): not the script's. */
const BROWSER_ADDED = new Set([
  'accept-language',
  'user-agent',
  'priority',
  'pragma',
  'cache-control',
  'x-devtools-emulate-network-conditions-client-id',
]);

const originOf = (url: string): string | null => {
  const p = parseUrl(url);
  if (!p.ok) return null;
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
};

const isPreflight = (e: HarEntry) =>
  e.method.toUpperCase() === 'OPTIONS' &&
  (e.initiatorType === 'preflight' || getHeader(e.requestHeaders, 'access-control-request-method') !== null);

const timeOf = (e: HarEntry): number => (e.startedDateTime ? Date.parse(e.startedDateTime) : Number.NaN);

const noResponse = (e: HarEntry) => e.status <= 0 && e.responseHeaders.length === 0;
/** Failures that are not the server's doing: an ad blocker, a navigation away, DevTools blocking. */
const NOT_CORS =
  /ERR_BLOCKED_BY_CLIENT|ERR_ABORTED|ERR_BLOCKED_BY_ADMINISTRATOR|ERR_INTERNET_DISCONNECTED_BY_DEVTOOLS|NS_BINDING_ABORTED/;
const failed = (e: HarEntry, recordsFailures: boolean): boolean | null =>
  e.error !== null || e.status <= 0 ? true : recordsFailures ? false : null;

/** The page origin for an entry: its Origin header, its page's URL, the page's document, its Referer. */
function pageOriginFor(e: HarEntry, har: ParsedHar, preflight: HarEntry | null): string | null {
  for (const h of [e.requestHeaders, preflight?.requestHeaders ?? []]) {
    const o = getHeader(h, 'origin');
    if (o !== null && o !== 'null' && originOf(o) !== null) return o;
  }
  const page =
    har.pages.find((p) => p.id === e.pageref) ?? (har.pages.length === 1 ? har.pages[0] : undefined);
  if (page?.url) return originOf(page.url);
  // Writers without `_resourceType` (Firefox, Safari, proxies): the page's first HTML response is its document.
  const samePage = (d: HarEntry) => (e.pageref === null || d.pageref === e.pageref) && d.index <= e.index;
  const doc =
    har.entries.find((d) => d.resourceType === 'document' && samePage(d)) ??
    har.entries.find(
      (d) => d.resourceType === null && d.mimeType?.startsWith('text/html') === true && samePage(d),
    );
  if (doc) return originOf(doc.url);
  const ref = getHeader(e.requestHeaders, 'referer');
  if (ref) return originOf(ref);
  return null;
}

/** The script's own headers: the recorded ones minus what the browser added, plus what the preflight names. */
function scriptHeaders(e: HarEntry, preflight: HarEntry | null): HeaderLine[] {
  const out: HeaderLine[] = e.requestHeaders.filter(([n, v]) => {
    const l = n.toLowerCase();
    if (isForbiddenRequestHeader(l, v) || BROWSER_ADDED.has(l)) return false;
    // fetch()'s default Accept is the browser's, not the script's.
    return !(l === 'accept' && v === '*/*');
  });
  // Access-Control-Request-Headers lists the script's CORS-unsafe headers even when the export dropped
  // them (DevTools' sanitized export drops Authorization; a blocked request has only provisional headers).
  const acrh = preflight ? getHeader(preflight.requestHeaders, 'access-control-request-headers') : null;
  if (acrh) {
    const have = new Set(out.map(([n]) => n.toLowerCase()));
    for (const name of acrh.split(',').map((s) => s.trim().toLowerCase())) {
      if (name === '' || have.has(name)) continue;
      out.push([
        name,
        name === 'content-type'
          ? 'application/json'
          : name === 'authorization'
            ? 'Bearer <not recorded>'
            : '<not recorded>',
      ]);
    }
  }
  return out;
}

class Unanswered extends Error {}

const toWire = (e: HarEntry): WireResponse => {
  if (noResponse(e)) {
    if (e.error && e.error !== 'net::ERR_FAILED' && /^net::ERR_/.test(e.error))
      return { kind: 'network-error', netError: e.error };
    throw new Unanswered(
      `entry ${e.index} (${e.method} ${e.url}) has no recorded response (status ${e.status}${e.error ? `, ${e.error}` : ''}): the browser blocked it before recording the answer, so the cause needs a live check`,
    );
  }
  return { kind: 'response', status: e.status, statusText: e.statusText, headers: e.responseHeaders };
};

/** What a preflight must have said for the actual request to go out: used when the HAR has no preflight. */
function passingPreflight(w: WireRequest): WireResponse {
  const headers: HeaderLine[] = [['Access-Control-Allow-Origin', getHeader(w.headers, 'origin') ?? '*']];
  if (w.withCredentials) headers.push(['Access-Control-Allow-Credentials', 'true']);
  const m = getHeader(w.headers, 'access-control-request-method');
  if (m) headers.push(['Access-Control-Allow-Methods', m]);
  const h = getHeader(w.headers, 'access-control-request-headers');
  if (h) headers.push(['Access-Control-Allow-Headers', h]);
  return { kind: 'response', status: 204, headers };
}

interface Candidate {
  actual: HarEntry;
  chain: HarEntry[];
  preflight: HarEntry | null;
  origin: string;
}

function replay(
  c: Candidate,
  credentials: CredentialsMode,
): {
  request: PageRequest;
  verdict: Verdict | null;
  note: string | null;
  preflightState: HarRequestReport['preflight']['state'];
} {
  const e = c.actual;
  const request: PageRequest = {
    url: e.url,
    origin: c.origin,
    method: e.method,
    headers: scriptHeaders(e, c.preflight),
    credentials,
    mode: 'cors',
    initiator: e.resourceType === 'xhr' ? 'xhr' : 'fetch',
    ...(e.postData !== null ? { body: e.postData } : {}),
  };
  let hop = 0;
  let preflightState: HarRequestReport['preflight']['state'] = c.preflight ? 'recorded' : 'none';
  const actualWentOut = !noResponse(e);
  const respond = (w: WireRequest): WireResponse => {
    if (w.purpose === 'preflight') {
      if (c.preflight) return toWire(c.preflight);
      if (actualWentOut) {
        preflightState = 'passed-unrecorded';
        return passingPreflight(w);
      }
      preflightState = 'unknown';
      throw new Unanswered(
        `the request needs a preflight, but the HAR holds neither the preflight nor the response (Playwright's recordHar and Firefox leave preflights out): the cause needs a live check`,
      );
    }
    const entry = c.chain[hop];
    if (entry === undefined || entry.url !== w.url)
      throw new Unanswered(
        `the browser would next request ${w.method} ${w.url}, which the HAR does not hold`,
      );
    hop++;
    return toWire(entry);
  };
  try {
    // WebKit's own extra preflights are answered like Chromium's (same recorded answer).
    const verdict = runSimulation(request, respond);
    return { request, verdict, note: null, preflightState };
  } catch (err) {
    if (err instanceof Unanswered) return { request, verdict: null, note: err.message, preflightState };
    throw err;
  }
}

/** The redirect chain that starts at `e`: each 3xx followed to the entry its Location names. */
function chainFrom(e: HarEntry, entries: HarEntry[], used: Set<number>): HarEntry[] {
  const chain = [e];
  let cur = e;
  while (cur.status >= 300 && cur.status < 400) {
    const loc = getHeader(cur.responseHeaders, 'location');
    if (!loc) break;
    let next: string;
    try {
      next = new URL(loc, cur.url).href;
    } catch {
      break;
    }
    const hop = entries.find(
      (x) => x.index > cur.index && !used.has(x.index) && x.url === next && !isPreflight(x),
    );
    if (!hop) break;
    used.add(hop.index);
    chain.push(hop);
    cur = hop;
  }
  return chain;
}

/** What a probe asks, as a key: two requests with the same key get the same answer. */
const questionKey = (r: PageRequest) =>
  [
    r.url,
    r.origin,
    normalizeMethod(r.method),
    r.credentials === 'include',
    corsUnsafeRequestHeaderNames(r.headers).join(),
  ].join(' ');

/**
 * The session's answers to probes: the same request made by the page (its verdict is the probe's), or
 * for the error probes, a recorded error response from the same server to this origin. Indexed once.
 */
function sessionIndex(all: HarRequestReport[]) {
  const byQuestion = new Map<string, HarRequestReport[]>();
  const byError = new Map<string, HarRequestReport[]>();
  for (const r of all) {
    if (r.verdict === null) continue;
    const q = questionKey(r.request);
    byQuestion.set(q, [...(byQuestion.get(q) ?? []), r]);
    if (['GET', 'HEAD'].includes(r.method.toUpperCase()) && r.recorded.status >= 400) {
      const k = `${r.origin} ${originOf(r.url)} ${r.recorded.status}`;
      byError.set(k, [...(byError.get(k) ?? []), r]);
    }
  }
  return (spec: ProbeSpec, self: HarRequestReport): HarRequestReport | undefined => {
    const other = (list: HarRequestReport[] | undefined) => list?.find((r) => r !== self);
    const exact = other(byQuestion.get(questionKey(spec.request)));
    if (exact) return exact;
    const host = originOf(spec.request.url);
    const errorOf = (statuses: number[]) =>
      statuses.map((st) => other(byError.get(`${spec.request.origin} ${host} ${st}`))).find((r) => r);
    if (spec.name === 'error-missing-path') return errorOf([404]);
    if (spec.name === 'error-no-credentials') return errorOf([401, 403]);
    return undefined;
  };
}

const SEVERITY_RANK = { error: 0, security: 1, warning: 2, info: 3 } as const;

export interface AnalyzeOptions {
  /** The rules to run (default: every registered rule). */
  ruleSet?: readonly Rule[];
}

export function analyzeHar(har: ParsedHar, options: AnalyzeOptions = {}): HarAnalysis {
  const ignored: Record<string, number> = {};
  const ignore = (why: string) => {
    ignored[why] = (ignored[why] ?? 0) + 1;
  };
  const preflights = har.entries.filter(isPreflight);
  const pairedPreflights = new Set<number>();
  // Each preflight to its request: all (preflight, request) pairs with the same URL and announced method,
  // nearest first — in time (a preflight starts within milliseconds of its request), then in position —
  // each side used once. Greedy per request would hand a request made a moment earlier to the same URL
  // the next request's preflight.
  const pairs: { p: HarEntry; e: HarEntry; d: number }[] = [];
  const byUrl = new Map<string, HarEntry[]>();
  for (const e of har.entries) if (!isPreflight(e)) byUrl.set(e.url, [...(byUrl.get(e.url) ?? []), e]);
  for (const p of preflights) {
    const acrm = getHeader(p.requestHeaders, 'access-control-request-method');
    for (const u of new Set([p.url, p.initiatorUrl ?? p.url])) {
      for (const e of byUrl.get(u) ?? []) {
        if (acrm !== null && acrm.toUpperCase() !== e.method.toUpperCase()) continue;
        const dt = Math.abs(timeOf(p) - timeOf(e));
        const di = Math.abs(p.index - e.index);
        if (di > 50 || (Number.isFinite(dt) && dt > 60_000)) continue;
        pairs.push({ p, e, d: (Number.isFinite(dt) ? dt * 1000 : 0) + di });
      }
    }
  }
  pairs.sort((a, b) => a.d - b.d);
  const preflightOf = new Map<number, HarEntry>();
  const takenPreflight = new Set<number>();
  for (const { p, e } of pairs) {
    if (takenPreflight.has(p.index) || preflightOf.has(e.index)) continue;
    takenPreflight.add(p.index);
    preflightOf.set(e.index, p);
  }
  const used = new Set<number>();
  const candidates: Candidate[] = [];
  for (const e of har.entries) {
    if (isPreflight(e)) continue;
    if (used.has(e.index)) continue;
    if (e.error && NOT_CORS.test(e.error)) {
      ignore(`not a CORS failure (${e.error.replace(/^.*(ERR_\w+|NS_\w+).*$/, '$1')})`);
      continue;
    }
    if (originOf(e.url) === null) {
      ignore('not an http(s) URL');
      continue;
    }
    const preflight = preflightOf.get(e.index) ?? null;
    const origin = pageOriginFor(e, har, preflight);
    if (origin === null) {
      ignore('page origin unknown (no Origin, page URL, document or Referer)');
      continue;
    }
    if (originOf(e.url) === origin) {
      ignore('same-origin');
      continue;
    }
    const corsType =
      e.resourceType === null || ['fetch', 'xhr', 'eventsource', 'other'].includes(e.resourceType);
    const hasOrigin = getHeader(e.requestHeaders, 'origin') !== null;
    if (
      !hasOrigin &&
      preflight === null &&
      !(corsType && e.resourceType !== null && e.resourceType !== 'other')
    ) {
      ignore('cross-origin, no-cors (image, script, style, navigation: no CORS check)');
      continue;
    }
    if (preflight) pairedPreflights.add(preflight.index);
    used.add(e.index);
    candidates.push({ actual: e, chain: chainFrom(e, har.entries, used), preflight, origin });
  }
  for (const p of preflights) if (!pairedPreflights.has(p.index)) ignore('preflight without its request');

  // Pass 1: the verdict of each request over its recorded answers.
  const requests: HarRequestReport[] = candidates.map((c) => {
    const e = c.actual;
    const last = c.chain.at(-1)!;
    const outcomes = c.chain.map((h) => failed(h, har.recordsFailures));
    const rec = {
      status: last.status,
      error: last.error,
      failed: outcomes.includes(true) ? true : outcomes.includes(null) ? null : false,
    };
    const hasCookie = getHeader(e.requestHeaders, 'cookie') !== null;
    let credentialsFrom: HarRequestReport['credentialsFrom'] = hasCookie ? 'cookie' : 'default';
    let r = replay(c, hasCookie ? 'include' : 'same-origin');
    // The HAR does not say whether the script asked for credentials; the recorded outcome often does
    // (`*` with credentials is blocked, without allowed).
    // Also when the model, without credentials, needs an answer the HAR lacks though the recording says
    // it failed (a preflight that passes without credentials and fails with them: the actual never went out).
    if (
      !hasCookie &&
      rec.failed !== null &&
      (r.verdict === null ? rec.failed : r.verdict.allowed === rec.failed)
    ) {
      const alt = replay(c, 'include');
      if (alt.verdict !== null && alt.verdict.allowed !== rec.failed) {
        r = alt;
        credentialsFrom = 'recorded-outcome';
      }
    }
    const consistent = r.verdict === null || rec.failed === null ? null : r.verdict.allowed !== rec.failed;
    // A writer that records no failures cannot tell whether the script sent credentials either: say what
    // would change if it did.
    let ambiguity: string | null = null;
    if (rec.failed === null && !hasCookie && r.verdict?.allowed) {
      const alt = replay(c, 'include');
      if (alt.verdict && !alt.verdict.allowed)
        ambiguity = `the HAR does not say whether the script sent credentials: with credentials: 'include' the browser blocks it (${alt.verdict.corsError}). Check the console, or run the confirm command with --credentials include`;
    }
    return {
      entry: e.index,
      url: e.url,
      method: e.method,
      origin: c.origin,
      request: r.request,
      credentialsFrom,
      preflight: { state: r.preflightState, entry: c.preflight?.index ?? null },
      hops: c.chain.slice(1).map((h) => h.index),
      recorded: rec,
      verdict: r.verdict,
      note:
        r.note ??
        ambiguity ??
        (consistent === false
          ? `the recording says ${rec.failed ? 'failed' : 'succeeded'} but the model over the recorded answers says ${r.verdict!.allowed ? 'allowed' : 'blocked'} (a cached preflight, an extension, a service worker or a header the export left out)`
          : null),
      consistent,
      findings: [],
      live: { probes: [], check: checkCommandFor(r.request) },
    };
  });

  // Pass 2: the diagnosis, with the session standing in for the probes it answers.
  const ruleSet = options.ruleSet ?? rules;
  const sessionAnswer = sessionIndex(requests);
  const witness = corsWitnesses(requests);
  for (const r of requests) {
    const input = { request: r.request, expose: [] };
    if (r.verdict === null) {
      r.live.probes = [];
      continue;
    }
    const specs = probesFor(input, ruleSet);
    const probes = new Map<string, Verdict>();
    for (const spec of specs) {
      const answer = sessionAnswer(spec, r);
      if (answer?.verdict) probes.set(spec.name, answer.verdict);
    }
    const findings = diagnose({ input, main: r.verdict, probes }, [...ruleSet, sessionRule(r, witness)]);
    // The session rule names the cause the generic "no Allow-Origin" reading stands for.
    const names = new Set(findings.map((f) => f.id));
    r.findings =
      names.has('headers-missing-on-errors') && !r.verdict.allowed
        ? findings.filter((f) => f.id !== 'missing-allow-origin' && f.id !== 'origin-not-allowed')
        : findings;
    r.live.probes = specs.filter((s) => !probes.has(s.name)).map((s) => s.name);
  }
  // The model's step-by-step trace served the rules; a session of thousands of requests need not keep it.
  for (const r of requests) {
    if (r.verdict) r.verdict.trace = [];
  }

  return {
    pages: har.pages.map((p) => ({
      id: p.id,
      url: p.url,
      origin: p.url ? originOf(p.url) : null,
      title: p.title,
    })),
    requests,
    groups: groupRequests(requests),
    ignored,
    skipped: har.skipped,
  };
}

function causeOf(r: HarRequestReport): Finding | null {
  return r.findings.find((f) => f.severity !== 'info') ?? null;
}

const pathOf = (url: string) => {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
};

/** Groups by server and cause, most blocking first: "14 requests to api.example.com: mistake 4 on the 401s of /session". */
export function groupRequests(requests: HarRequestReport[]): HarGroup[] {
  const groups = new Map<string, HarGroup>();
  requests.forEach((r, i) => {
    let host = r.url;
    try {
      host = new URL(r.url).host;
    } catch {}
    const cause = causeOf(r);
    const blocked = r.verdict ? !r.verdict.allowed : r.recorded.failed === true;
    const severity: HarGroup['severity'] = cause
      ? cause.severity
      : r.verdict === null
        ? r.recorded.failed !== false
          ? 'unknown'
          : 'ok'
        : r.verdict.allowed
          ? 'ok'
          : 'error';
    const key = `${host} ${cause?.id ?? severity} ${r.verdict?.corsError ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        host,
        cause: cause?.id ?? null,
        mistake: cause?.mistake ?? null,
        severity,
        requests: [],
        blocked: 0,
        statuses: [],
        paths: [],
        summary: '',
        check: r.live.check,
      };
      groups.set(key, g);
    }
    g.requests.push(i);
    if (blocked) g.blocked++;
    if (!g.statuses.includes(r.recorded.status)) g.statuses.push(r.recorded.status);
    const p = pathOf(r.url);
    if (!g.paths.includes(p)) g.paths.push(p);
  });
  const rank = (g: HarGroup) =>
    g.severity === 'ok'
      ? 9
      : g.severity === 'unknown'
        ? 0.5
        : SEVERITY_RANK[g.severity as keyof typeof SEVERITY_RANK];
  const out = [...groups.values()].sort(
    (a, b) => b.blocked - a.blocked || rank(a) - rank(b) || b.requests.length - a.requests.length,
  );
  for (const g of out) g.summary = groupSummary(g, requests);
  return out;
}

function groupSummary(g: HarGroup, requests: HarRequestReport[]): string {
  const n = g.requests.length;
  const statuses = g.statuses.filter((s) => s > 0).sort((a, b) => a - b);
  const paths =
    g.paths.length <= 3
      ? g.paths.join(', ')
      : `${g.paths.slice(0, 3).join(', ')} and ${g.paths.length - 3} more`;
  const head = `${n} request${n === 1 ? '' : 's'} to ${g.host}`;
  const on = `${statuses.length > 0 ? `the ${statuses.join('/')}s of ` : ''}${paths}`;
  if (g.cause) {
    const f = requests[g.requests[0]!]!.findings.find((x) => x.id === g.cause)!;
    return `${head}: ${g.mistake !== null ? `mistake ${g.mistake}` : f.severity} (${g.cause}) on ${on}${g.blocked > 0 ? `, ${g.blocked} blocked` : ''}`;
  }
  if (g.severity === 'unknown')
    return `${head}: blocked, cause not in the HAR (no recorded response) on ${on}: needs a live check`;
  if (g.severity === 'ok') return `${head}: allowed, no finding (${paths})`;
  return `${head}: blocked on ${on}`;
}
