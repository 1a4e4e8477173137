/**
 * `har --json`: one document, schemaVersion 1, described by schemas/har-report.schema.json. Secrets in
 * request headers are shortened (never printed in full).
 */
import type { Finding, StackName } from '../diagnosis/types.ts';
import type { HarAnalysis, HarRequestReport } from '../har/analyze.ts';
import type { ParsedHar } from '../har/parse.ts';
import { SECRET_HEADER, shortSecret } from '../har/redact.ts';

export interface LiveResult {
  check: string;
  allowed: boolean;
  corsError: string | null;
  chrome: string | null;
  findings: Finding[];
  /** Set when the live check could not run (timeout, refused). */
  error?: string;
}

export interface HarReportJson {
  schemaVersion: 1;
  har: {
    creator: string;
    browser: string | null;
    entries: number;
    skipped: { index: number; problem: string }[];
    ignored: Record<string, number>;
  };
  pages: HarAnalysis['pages'];
  requests: unknown[];
  groups: HarAnalysis['groups'];
  /** Fix snippets per stack, once per finding id (present without --stack). */
  snippets: Record<string, Partial<Record<StackName, string>>>;
  summary: { requests: number; blocked: number; allowed: number; unknown: number; live: number };
}

/**
 * A session repeats the same finding on many requests: without --stack each finding's snippets are
 * listed once, in the top-level `snippets` (by finding id), not on every request.
 */
const forStack = (f: Finding, stack: StackName | undefined): Finding => ({
  ...f,
  fix: {
    ...f.fix,
    snippets:
      stack !== undefined && f.fix.snippets[stack] !== undefined ? { [stack]: f.fix.snippets[stack] } : {},
  },
});

export function requestJson(
  r: HarRequestReport,
  live: LiveResult | undefined,
  stack: StackName | undefined,
): Record<string, unknown> {
  const v = r.verdict;
  return {
    entry: r.entry,
    url: r.url,
    method: r.method,
    origin: r.origin,
    credentials: r.request.credentials,
    credentialsFrom: r.credentialsFrom,
    headers: r.request.headers.map(([n, val]) => [n, SECRET_HEADER.test(n) ? shortSecret(val) : val]),
    preflight: r.preflight,
    hops: r.hops,
    recorded: r.recorded,
    browser: {
      allowed: v ? v.allowed : null,
      preflight: v ? v.preflight : null,
      corsError: v?.corsError ?? null,
      failedParameter: v?.failedParameter ?? '',
      netError: v?.netError ?? null,
      chrome: v?.messages.chrome ?? null,
      firefox: v?.messages.firefox[0] ?? null,
      safari: v?.messages.safari.at(-1) ?? null,
      firefoxLines: v?.messages.firefox ?? [],
      safariLines: v?.messages.safari ?? [],
      readableHeaders: v?.readableHeaders ?? [],
    },
    consistent: r.consistent,
    note: r.note,
    findings: r.findings.map((f) => forStack(f, stack)),
    live: {
      probes: r.live.probes,
      check: r.live.check,
      ...(live ? { result: { ...live, findings: live.findings.map((f) => forStack(f, stack)) } } : {}),
    },
  };
}

export function harSummary(a: HarAnalysis, live: ReadonlyMap<number, LiveResult>): HarReportJson['summary'] {
  let blocked = 0;
  let allowed = 0;
  let unknown = 0;
  for (const r of a.requests) {
    if (r.verdict === null) {
      if (r.recorded.failed === true) blocked++;
      else if (r.recorded.failed === false) allowed++;
      unknown++;
    } else if (r.verdict.allowed) allowed++;
    else blocked++;
  }
  return { requests: a.requests.length, blocked, allowed, unknown, live: live.size };
}

export function renderHarJson(
  har: ParsedHar,
  a: HarAnalysis,
  live: ReadonlyMap<number, LiveResult>,
  stack?: StackName,
): string {
  const doc: HarReportJson = {
    schemaVersion: 1,
    har: {
      creator: har.creator,
      browser: har.browser,
      entries: har.entries.length + har.skipped.length,
      skipped: har.skipped,
      ignored: a.ignored,
    },
    pages: a.pages,
    requests: a.requests.map((r) => requestJson(r, live.get(r.entry), stack)),
    groups: a.groups,
    snippets: stack === undefined ? allSnippets(a, live) : {},
    summary: harSummary(a, live),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

function allSnippets(
  a: HarAnalysis,
  live: ReadonlyMap<number, LiveResult>,
): Record<string, Partial<Record<StackName, string>>> {
  const out: Record<string, Partial<Record<StackName, string>>> = {};
  const add = (f: Finding) => {
    if (out[f.id] === undefined && Object.keys(f.fix.snippets).length > 0) out[f.id] = f.fix.snippets;
  };
  for (const r of a.requests) r.findings.forEach(add);
  for (const l of live.values()) l.findings.forEach(add);
  return out;
}
