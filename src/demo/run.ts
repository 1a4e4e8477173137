/**
 * `cors-doctor demo`: start the demo API, check every endpoint with the request that shows its mistake,
 * print each diagnosis in a few lines and a summary, stop the API. A newcomer's first minute.
 */
import type { Finding } from '../diagnosis/types.ts';
import { type CheckReport, runCheck } from '../probe/check.ts';
import { painter } from '../report/check-text.ts';
import { APP, startDemoApi } from './api.ts';
import { caseCommand, caseInput, DEMO_CASES, type DemoCase } from './cases.ts';

export interface DemoResult {
  case: DemoCase;
  report: CheckReport;
  /** The expected finding came back (or, for the correct endpoint, no error/security/warning finding). */
  asExpected: boolean;
}

const SERIOUS = new Set<Finding['severity']>(['error', 'security', 'warning']);

export function judged(c: DemoCase, report: CheckReport): boolean {
  if (c.expect === null)
    return report.browser.allowed && !report.findings.some((f) => SERIOUS.has(f.severity));
  return report.findings.some((f) => f.id === c.expect);
}

/** Run every demo case against a running demo API, a few at a time (each check already runs its probes in parallel). */
export async function runDemoCases(api: string, timeoutMs = 10_000, parallel = 4): Promise<DemoResult[]> {
  const results: DemoResult[] = new Array(DEMO_CASES.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < DEMO_CASES.length) {
      const i = next++;
      const c = DEMO_CASES[i]!;
      const { input, pageUrl } = caseInput(c, api);
      const report = await runCheck(input, { timeoutMs, ...(pageUrl ? { pageUrl } : {}) });
      results[i] = { case: c, report, asExpected: judged(c, report) };
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return results;
}

/** The part of Chrome's line after "has been blocked by CORS policy: " (the reason), or the whole line. */
function reason(line: string): string {
  const i = line.indexOf('has been blocked by CORS policy: ');
  return i >= 0 ? line.slice(i + 'has been blocked by CORS policy: '.length) : line;
}

export function renderDemoText(api: string, results: DemoResult[], ms: number, color: boolean): string {
  const paint = painter(color);
  const sev: Record<Finding['severity'], 'red' | 'magenta' | 'yellow' | 'cyan'> = {
    error: 'red',
    security: 'magenta',
    warning: 'yellow',
    info: 'cyan',
  };
  const out: string[] = [
    paint('bold', 'cors-doctor demo'),
    `A demo API is running on ${api}, with one endpoint per common CORS mistake and one correct endpoint.`,
    `Each is checked as a page on ${APP} would call it: what Chrome does, then what cors-doctor finds.`,
    '',
  ];
  results.forEach((r, i) => {
    const c = r.case;
    const b = r.report.browser;
    const label = c.mistake !== null ? `mistake ${c.mistake}` : c.expect === null ? 'no mistake' : 'security';
    const req = `${r.report.request.method} /${c.family}/data`;
    out.push(
      `${String(i + 1).padStart(2)}. ${paint('bold', c.title)}  ${paint('dim', `(${label}; ${req}${c.credentials === 'include' ? ', credentials' : ''})`)}`,
    );
    const failsAnyway = b.allowed && r.report.findings.some((f) => f.severity === 'error');
    const verdict = failsAnyway
      ? paint('red', 'CORS passes, but it still fails')
      : b.allowed
        ? paint('green', 'allowed')
        : paint('red', 'blocked');
    const chrome = b.chrome ? `  ${paint('dim', 'Chrome:')} ${reason(b.chrome)}` : '';
    out.push(`    ${verdict}${chrome}`);
    const shown = r.report.findings.filter((f) => f.severity !== 'info');
    for (const f of shown.slice(0, 3)) {
      out.push(
        `    ${paint(sev[f.severity], f.severity.padEnd(8))} ${paint('bold', f.id)}  ${paint('dim', f.title)}`,
      );
      out.push(`             ${paint('green', 'fix:')} ${f.fix.summary}`);
    }
    if (shown.length > 3) out.push(`    ${paint('dim', `… and ${shown.length - 3} more`)}`);
    if (shown.length === 0) out.push(`    ${paint('green', 'no problems found')}`);
    if (!r.asExpected)
      out.push(
        `    ${paint('yellow', `! expected ${c.expect ?? 'no problem'}, which check did not report`)}`,
      );
  });
  const ok = results.filter((r) => r.asExpected).length;
  const requests = results.reduce((n, r) => n + r.report.stats.requests, 0);
  out.push(
    '',
    `${ok === results.length ? paint('green', '✔') : paint('yellow', '!')} ${ok}/${results.length} endpoints diagnosed as expected — ${requests} requests in ${(ms / 1000).toFixed(1)} s.`,
    '',
    'Next:',
    `  cors-doctor demo --serve        keep the demo API running and try a check yourself, e.g.`,
    `  ${caseCommand(DEMO_CASES[2]!, 'http://127.0.0.1:<port>')}`,
    `  cors-doctor check <your API URL> --origin <your front-end origin>`,
    `  cors-doctor explain "<a console line you got>"`,
  );
  return `${out.join('\n')}\n`;
}

export async function runDemo(opts: { color: boolean; json: boolean; timeoutMs?: number }): Promise<{
  text: string;
  results: DemoResult[];
}> {
  const api = await startDemoApi();
  try {
    const started = performance.now();
    const results = await runDemoCases(api.url, opts.timeoutMs);
    const ms = Math.round(performance.now() - started);
    const text = opts.json
      ? `${JSON.stringify(
          {
            schemaVersion: 1,
            api: api.url,
            ms,
            results: results.map((r) => ({
              endpoint: `/${r.case.family}/data`,
              mistake: r.case.mistake,
              title: r.case.title,
              expected: r.case.expect,
              asExpected: r.asExpected,
              report: r.report,
            })),
          },
          null,
          2,
        )}\n`
      : renderDemoText(api.url, results, ms, opts.color);
    return { text, results };
  } finally {
    await api.close();
  }
}
