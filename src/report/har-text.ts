/**
 * `har`'s report for people: what the HAR holds, then one block per cause (server × finding), most
 * blocking first, with the console line the user saw, the evidence, the fix, and the `check` command
 * that confirms it live; then what the HAR could not decide.
 */
import type { Finding, StackName } from '../diagnosis/types.ts';
import type { HarAnalysis, HarRequestReport } from '../har/analyze.ts';
import type { ParsedHar } from '../har/parse.ts';
import { painter } from './check-text.ts';
import { harSummary, type LiveResult } from './har-json.ts';

const STYLE = {
  error: 'red',
  security: 'magenta',
  warning: 'yellow',
  info: 'cyan',
  unknown: 'yellow',
  ok: 'green',
} as const;
const MARK = { error: '✖', security: '!', warning: '▲', info: 'i', unknown: '?', ok: '✔' } as const;

const path = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  } catch {
    return url;
  }
};

function status(r: HarRequestReport): string {
  const s = r.recorded.status > 0 ? String(r.recorded.status) : '(no response)';
  return r.recorded.error ? `${s} ${r.recorded.error}` : s;
}

export function renderHarText(
  har: ParsedHar,
  a: HarAnalysis,
  live: ReadonlyMap<number, LiveResult>,
  opts: { color: boolean; stack?: StackName; browser?: 'chrome' | 'firefox' | 'safari'; liveRan: boolean },
): string {
  const paint = painter(opts.color);
  const out: string[] = [];
  const sum = harSummary(a, live);
  const origins = [...new Set(a.requests.map((r) => r.origin))];
  out.push(
    `${paint('bold', 'HAR')} ${har.creator}${har.browser ? ` (${har.browser})` : ''} · ${har.entries.length} entries · page origin ${origins.join(', ') || '?'}`,
  );
  const ignored = Object.entries(a.ignored)
    .map(([why, n]) => `${n} ${why}`)
    .join(', ');
  out.push(
    `${sum.requests} cross-origin request${sum.requests === 1 ? '' : 's'}: ${paint(sum.blocked > 0 ? 'red' : 'green', `${sum.blocked} blocked`)}, ${sum.allowed} allowed${sum.unknown > 0 ? `, ${sum.unknown} without a recorded answer` : ''}${ignored ? paint('dim', ` (not analysed: ${ignored})`) : ''}`,
  );
  if (har.skipped.length > 0)
    out.push(
      paint(
        'yellow',
        `${har.skipped.length} malformed entr${har.skipped.length === 1 ? 'y' : 'ies'} skipped: ${har.skipped
          .slice(0, 3)
          .map((s) => `#${s.index} ${s.problem}`)
          .join('; ')}${har.skipped.length > 3 ? '; …' : ''}`,
      ),
    );
  out.push(
    paint(
      'dim',
      opts.liveRan
        ? `Offline from the recorded answers, then confirmed live for ${live.size} request${live.size === 1 ? '' : 's'}.`
        : 'Offline: judged from the recorded answers only, nothing was sent (a finding that mentions probes means none ran).',
    ),
  );
  out.push('');
  out.push(paint('bold', 'Causes, most blocking first'));
  const engine = opts.browser ?? 'chrome';
  for (const g of a.groups) {
    const sev = g.severity;
    out.push(`  ${paint(STYLE[sev], MARK[sev])} ${g.summary}`);
    const first = a.requests[g.requests[0]!]!;
    const finding: Finding | undefined = first.findings.find((f) => f.id === g.cause);
    if (sev === 'ok') {
      const noted = g.requests.map((i) => a.requests[i]!).find((r) => r.note);
      if (noted) out.push(`      ${paint('yellow', 'note:')} #${noted.entry}: ${noted.note}`);
      continue;
    }
    const v = first.verdict;
    const line =
      engine === 'chrome'
        ? v?.messages.chrome
        : engine === 'firefox'
          ? v?.messages.firefox[0]
          : v?.messages.safari.at(-1);
    if (line)
      out.push(
        `      ${paint('dim', `${engine === 'chrome' ? 'Chrome' : engine === 'firefox' ? 'Firefox' : 'Safari'}:`)} ${line}`,
      );
    for (const i of g.requests.slice(0, 3)) {
      const r = a.requests[i]!;
      out.push(
        `      ${paint('dim', `#${r.entry}`)} ${r.method} ${path(r.url)} → ${status(r)}${r.preflight.entry !== null ? paint('dim', ` (preflight #${r.preflight.entry})`) : ''}`,
      );
    }
    if (g.requests.length > 3) out.push(paint('dim', `      … ${g.requests.length - 3} more`));
    if (finding) {
      out.push(`      ${finding.title}`);
      for (const l of finding.detail.split('\n')) out.push(`      ${paint('dim', l)}`);
      for (const e of finding.evidence.slice(0, 3)) out.push(`      ${paint('dim', '·')} ${e}`);
      out.push(`      ${paint('green', 'fix:')} ${finding.fix.summary}`);
      const snippet = opts.stack ? finding.fix.snippets[opts.stack] : undefined;
      if (opts.stack && snippet) {
        out.push(`      ${paint('dim', `${opts.stack}:`)}`);
        for (const l of snippet.split('\n')) out.push(`        ${l}`);
      }
    } else if (first.note) out.push(`      ${paint('dim', first.note)}`);
    const others = [
      ...new Set(
        g.requests.flatMap((i) =>
          a.requests[i]!.findings.filter((f) => f.id !== g.cause).map((f) => `${f.id} (${f.severity})`),
        ),
      ),
    ];
    if (others.length > 0) out.push(`      ${paint('dim', `also: ${others.join(', ')}`)}`);
    const l = live.get(first.entry);
    if (l) {
      out.push(
        `      ${paint('cyan', 'live:')} ${l.error ? `could not run (${l.error})` : `${l.allowed ? 'allowed' : 'blocked'}${l.corsError ? ` (${l.corsError})` : ''}; ${l.findings.map((f) => f.id).join(', ') || 'no finding'}`}`,
      );
    } else if (g.check) out.push(`      ${paint('dim', 'confirm:')} ${g.check}`);
  }
  const pending = a.requests.filter(
    (r) => !live.has(r.entry) && (r.verdict === null || r.live.probes.length > 0),
  );
  if (pending.length > 0 && !opts.liveRan) {
    out.push('');
    const undecided = pending.filter((r) => r.verdict === null).length;
    out.push(
      `${paint('bold', 'Needs a live probe')}: ${undecided > 0 ? `${undecided} request${undecided === 1 ? '' : 's'} without a recorded answer; ` : ''}${pending.length - undecided} more where the probes the HAR cannot hold (other origins, near-miss origins, error paths) could add findings. Run with --live to send them (safe probes only), or the confirm commands above.`,
    );
  }
  return `${out.join('\n')}\n`;
}
