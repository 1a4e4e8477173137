/**
 * `check`'s report for people: the verdict and the exact console line first (what the user saw), then a
 * short timeline of the browser's own exchanges with only the header lines that matter to CORS, then the
 * findings, most blocking first, each with its evidence, cause and fix. Colour only when allowed.
 */
import type { Finding } from '../diagnosis/types.ts';
import type { StackFix, StackName } from '../fix/index.ts';
import type { CheckReport, ReportExchange } from '../probe/check.ts';

export type EngineChoice = 'chrome' | 'firefox' | 'safari';

export interface TextOptions {
  color: boolean;
  browser?: EngineChoice;
  stack?: StackName;
  /** The one fix for the whole diagnosis (src/fix chooseFix), shown after the findings. */
  fix?: StackFix | null;
  notes?: string[];
  /** List every probe with its outcome (`check --all-probes`). */
  allProbes?: boolean;
  /** One line per finding, no timeline (the demo's compact form). */
  compact?: boolean;
}

const ANSI = {
  red: '\x1b[31m',
  green: '\x1b[32m',
  yellow: '\x1b[33m',
  magenta: '\x1b[35m',
  cyan: '\x1b[36m',
  bold: '\x1b[1m',
  dim: '\x1b[2m',
  reset: '\x1b[0m',
};
type Paint = (style: keyof typeof ANSI, text: string) => string;
export const painter =
  (color: boolean): Paint =>
  (style, text) =>
    color ? `${ANSI[style]}${text}${ANSI.reset}` : text;

const SEVERITY_STYLE: Record<Finding['severity'], keyof typeof ANSI> = {
  error: 'red',
  security: 'magenta',
  warning: 'yellow',
  info: 'cyan',
};

/** Request header lines worth showing: what CORS looks at. */
const SHOWN_REQUEST = /^(origin|access-control-request-.*|authorization|content-type|cookie)$/i;
/** Response header lines worth showing. */
const SHOWN_RESPONSE = /^(access-control-.*|vary|location|content-security-policy|via|server)$/i;

function path(url: string): string {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
}

function exchangeLines(x: ReportExchange, paint: Paint, n: number): string[] {
  const out: string[] = [];
  const label = x.purpose === 'actual' ? 'request' : x.purpose;
  const r = x.response;
  const status =
    'status' in r
      ? `${r.status >= 200 && r.status < 300 ? paint('green', String(r.status)) : paint('yellow', String(r.status))} ${r.statusText}`.trimEnd()
      : paint('red', r.error.netError);
  out.push(
    `  ${n}. ${paint('bold', `${x.request.method} ${path(x.request.url)}`)}  ${paint('dim', `(${label})`)}  → ${status}  ${paint('dim', `${x.ms} ms`)}`,
  );
  for (const [name, value] of x.request.headers.filter(([name]) => SHOWN_REQUEST.test(name))) {
    const v = /^(authorization|cookie)$/i.test(name) ? `${value.slice(0, 12)}…` : value;
    out.push(`       ${paint('dim', '>')} ${name}: ${v}`);
  }
  if ('status' in r) {
    const shown = r.headers.filter(([name]) => SHOWN_RESPONSE.test(name));
    for (const [name, value] of shown) out.push(`       ${paint('dim', '<')} ${name}: ${value}`);
    if (!r.headers.some(([name]) => /^access-control-allow-origin$/i.test(name)))
      out.push(`       ${paint('dim', '<')} ${paint('yellow', '(no Access-Control-Allow-Origin)')}`);
  } else if (r.error.message) {
    out.push(`       ${paint('dim', r.error.message)}`);
  }
  return out;
}

function consoleLine(report: CheckReport, browser: EngineChoice): { who: string; line: string } | undefined {
  const b = report.browser;
  const order: EngineChoice[] = [
    browser,
    ...(['chrome', 'firefox', 'safari'] as const).filter((e) => e !== browser),
  ];
  for (const engine of order) {
    // Firefox and Safari may print several lines for one block (a failed preflight; WebKit's partner line).
    const lines = engine === 'chrome' ? [b.chrome] : engine === 'firefox' ? b.firefoxLines : b.safariLines;
    const line = lines.filter((l): l is string => typeof l === 'string' && l.length > 0).join('\n    ');
    if (line)
      return { who: engine === 'chrome' ? 'Chrome' : engine === 'firefox' ? 'Firefox' : 'Safari', line };
    // No CORS line when no response came: Chrome's console shows only the network line.
    if (engine === 'chrome' && b.netError)
      return { who: 'Chrome', line: `${report.request.method} ${report.request.url} ${b.netError}` };
  }
  return undefined;
}

function findingLines(f: Finding, paint: Paint): string[] {
  const out: string[] = [];
  const mistake = f.mistake !== null ? paint('dim', ` (mistake ${f.mistake})`) : '';
  out.push(
    `  ${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(8))} ${paint('bold', f.title)}  ${paint('dim', f.id)}${mistake}`,
  );
  for (const line of f.detail.split('\n')) out.push(`           ${line}`);
  for (const e of f.evidence) out.push(`           ${paint('dim', '·')} ${e}`);
  out.push(`           ${paint('green', 'fix:')} ${f.fix.summary}`);
  return out;
}

/** One block for all findings: the code first, then where it goes, then what else must change. */
function fixLines(fix: StackFix, paint: Paint): string[] {
  const how = fix.inferred
    ? paint('dim', ` (inferred from ${fix.inferredFrom}; --stack <name> overrides)`)
    : '';
  const out = ['', `${paint('bold', `Fix: ${fix.label}`)}${how}`];
  for (const line of fix.code.split('\n')) out.push(line ? `    ${line}` : '');
  out.push(`  ${paint('green', 'where:')} ${fix.where}`);
  for (const n of fix.notes) out.push(`  ${paint('dim', '·')} ${n}`);
  if (!fix.runnable)
    out.push(
      `  ${paint('dim', '(not run here: syntax-checked only; cors-doctor proves the runnable stacks against real servers)')}`,
    );
  return out;
}

export function renderCheckText(report: CheckReport, opts: TextOptions): string {
  const paint = painter(opts.color);
  const b = report.browser;
  const out: string[] = [];
  const target = `${report.request.method} ${report.request.url} from ${report.request.origin}`;
  const firstError = report.findings.find((f) => f.severity === 'error');
  // Refused before it is sent (mixed content, the page's CSP): that line is what the console shows first,
  // not a CORS line or a network error from a request the browser never makes.
  const refused = report.findings.find((f) => f.id === 'mixed-content' || f.id === 'csp-blocks-request');
  if (refused)
    out.push(
      `${paint('red', '✖ refused before sending:')} ${refused.title}  ${paint('dim', target)}`,
      `  ${paint('dim', 'Chrome console:')} ${refused.evidence.at(-1) ?? ''}`,
    );
  else if (report.held && !firstError)
    out.push(
      `${paint('green', '✔ preflight passes')}  ${target}  ${paint('dim', `(the ${report.held.method} was not sent)`)}`,
    );
  else if (b.allowed && firstError)
    out.push(
      `${paint('red', '✖ CORS passes, but it still fails:')} ${firstError.title}  ${paint('dim', target)}`,
    );
  else if (b.allowed) out.push(`${paint('green', '✔ allowed')}  ${target}`);
  else if (b.netError) out.push(`${paint('red', '✖ failed before CORS')} (${b.netError})  ${target}`);
  else out.push(`${paint('red', '✖ blocked')}  ${target}`);
  const line = refused ? undefined : consoleLine(report, opts.browser ?? 'chrome');
  if (line) out.push(`  ${paint('dim', `${line.who} console:`)} ${line.line}`);
  else if (b.allowed && !refused) {
    const readable = b.readableHeaders.length > 0 ? b.readableHeaders.join(', ') : 'none';
    out.push(`  ${paint('dim', 'script can read headers:')} ${readable}`);
  }
  if (opts.compact) {
    for (const f of report.findings)
      out.push(
        `  ${paint(SEVERITY_STYLE[f.severity], f.severity.padEnd(8))} ${f.id}  ${paint('dim', f.title)}`,
      );
    return `${out.join('\n')}\n`;
  }
  for (const d of b.engineDifferences) out.push(`  ${paint('dim', `${d.engine} differs:`)} ${d.note}`);

  const main = report.exchanges.filter((x) => x.purpose === 'preflight' || x.purpose === 'actual');
  out.push('', paint('bold', 'What the browser sent'));
  // A redirect loop has twenty hops: the first few and the last tell the story.
  const MAX_SHOWN = 6;
  for (const [i, x] of main.entries()) {
    if (main.length > MAX_SHOWN + 1 && i >= MAX_SHOWN - 1 && i < main.length - 1) {
      if (i === MAX_SHOWN - 1)
        out.push(`  ${paint('dim', `… ${main.length - MAX_SHOWN} more like these …`)}`);
      continue;
    }
    out.push(...exchangeLines(x, paint, i + 1));
  }
  if (main.length === 0) out.push('  (nothing: the browser would refuse before sending)');
  if (report.held)
    out.push(`  ${paint('dim', `(the ${report.held.method} was not sent: ${report.held.reason})`)}`);
  else if (b.preflight && !main.some((x) => x.purpose === 'actual'))
    out.push(`  ${paint('dim', '(the actual request was never sent: the preflight failed)')}`);

  out.push('');
  if (report.findings.length === 0) {
    out.push(paint('green', b.allowed ? 'No problems found.' : 'No cause found among the known mistakes.'));
  } else {
    out.push(paint('bold', `Findings (${report.findings.length})`));
    report.findings.forEach((f, i) => {
      if (i > 0) out.push('');
      out.push(...findingLines(f, paint));
    });
    if (opts.fix) out.push(...fixLines(opts.fix, paint));
    else if (!opts.stack && report.findings.some((f) => Object.keys(f.fix.snippets).length > 0))
      out.push(
        '',
        paint(
          'dim',
          'Add --stack <name> for the fix in your stack (express, django, rails, spring, nginx, … see check --help).',
        ),
      );
  }
  if (report.pageError)
    out.push('', `${paint('yellow', 'note:')} --page could not be fetched: ${report.pageError}`);
  for (const note of opts.notes ?? []) out.push(`${paint('dim', 'note:')} ${note}`);
  const held = report.exchanges.filter(
    (x) => 'error' in x.response && x.response.error.code === 'PROBE_NOT_SENT',
  );
  if (held.length > 0)
    out.push(
      `${paint('dim', 'note:')} ${held.length} probe ${held[0]!.request.method} request${held.length === 1 ? ' was' : 's were'} not sent (probes stop after the preflight rather than repeat a request that may change data); --unsafe-probes sends them.`,
    );
  if (opts.allProbes && report.probes.length > 0) {
    out.push('', paint('bold', `Probes (${report.probes.length})`));
    for (const p of report.probes) {
      const state = !p.completed
        ? paint('yellow', 'no answer')
        : p.allowed
          ? paint('green', 'allowed')
          : paint('red', 'blocked');
      const held = p.stoppedAfterPreflight ? paint('dim', ' (stopped after its preflight)') : '';
      out.push(`  ${state.padEnd(opts.color ? 18 : 9)} ${p.name}${held}  ${paint('dim', p.purpose)}`);
    }
  }
  const done = report.probes.filter((p) => p.completed).length;
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  // "(0/0 probes answered)" says nothing: only mention probes when some ran.
  const probeNote =
    report.stats.probes > 0
      ? `${done}/${report.probes.length} reported probes answered, of ${report.stats.probes} run`
      : 'no probes';
  out.push(
    '',
    paint(
      'dim',
      `${plural(report.stats.requests, 'request')} in ${report.stats.ms} ms (${probeNote}${report.stats.timedOut ? '; deadline reached' : ''})`,
    ),
  );
  return `${out.join('\n')}\n`;
}
