/**
 * The page of `cors-doctor ui`. Runs in the browser: explain and the catalog run here (pure layers,
 * compiled in dist/); a check goes to the local process (POST api/check with the CSRF token).
 * Everything shown that came from a server or a paste is inserted as text, never as HTML.
 */
import { STACK_INFO, STACKS } from '../../catalog/index.ts';
import type { Finding } from '../../diagnosis/types.ts';
import { explain } from '../../explain/index.ts';
import type { ExplainedMessage } from '../../explain/types.ts';

/** The parts of check's JSON report (schemas/check-report.schema.json) the page shows. */
interface ReportExchange {
  purpose: string;
  request: { method: string; url: string; headers: [string, string][] };
  response:
    | { status: number; statusText: string; headers: [string, string][] }
    | { error: { code: string; netError: string; message: string } };
  ms: number;
}
interface CheckReport {
  request: { url: string; origin: string; method: string };
  browser: {
    allowed: boolean;
    corsError: string | null;
    failedParameter: string;
    netError: string | null;
    chrome: string | null;
    firefox: string | null;
    safari: string | null;
  };
  exchanges: ReportExchange[];
  findings: Finding[];
  held?: { method: string; reason: string };
  stats: { ms: number; requests: number };
}

type Child = Node | string | null | undefined | false;

function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c);
  return node;
}

const $ = <T extends HTMLElement>(id: string): T => document.getElementById(id) as T;
const csrf = document.querySelector<HTMLMetaElement>('meta[name="csrf-token"]')?.content ?? '';

// ── explain ──────────────────────────────────────────────────────────────────────────────────────────

function renderMessage(m: ExplainedMessage, i: number): HTMLElement {
  const causes = el(
    'ul',
    {},
    ...m.causes.map((c) =>
      el(
        'li',
        { class: c.likelihood === 'likely' ? 'likely' : '' },
        `${c.likelihood === 'likely' ? 'Likely' : c.likelihood === 'possible' ? 'Possible' : 'Unlikely'}: `,
        c.mistake !== null ? `#${c.mistake} ` : '',
        `${c.title} `,
        el('code', {}, c.id),
        el('div', { class: 'muted' }, c.cause),
        el('div', {}, `Fix: ${c.fix}`),
      ),
    ),
  );
  const run = el('button', { type: 'button', class: 'secondary' }, 'Run this check');
  run.addEventListener('click', () => fillAndCheck(m));
  return el(
    'article',
    { class: 'card', 'aria-labelledby': `msg-${i}` },
    el(
      'h3',
      { id: `msg-${i}` },
      `${i + 1}. ${m.browser[0]!.toUpperCase()}${m.browser.slice(1)} · ${m.corsError}`,
    ),
    el('p', {}, m.summary),
    m.url ? el('p', { class: 'muted' }, `url ${m.url}`, m.origin ? ` · origin ${m.origin}` : '') : null,
    m.causes.length > 0 ? causes : null,
    m.tellApart ? el('p', {}, el('strong', {}, 'How to tell: '), m.tellApart) : null,
    m.note ? el('p', {}, m.note) : null,
    m.check ? el('pre', {}, m.check) : null,
    m.url ? run : null,
  );
}

function onExplain(ev: Event): void {
  ev.preventDefault();
  const out = $('explain-out');
  out.replaceChildren();
  const outcome = explain($<HTMLTextAreaElement>('paste').value);
  if (!outcome.ok) {
    out.append(el('p', { class: 'error' }, outcome.message));
    return;
  }
  const { messages, hints } = outcome.result;
  if (messages.length === 0)
    out.append(
      el('p', {}, 'No CORS message recognised in that text.'),
      ...hints.map((h) => el('p', { class: 'muted' }, h)),
    );
  out.append(...messages.map(renderMessage));
}

function fillAndCheck(m: ExplainedMessage): void {
  $<HTMLInputElement>('url').value = m.values.initialUrl ?? m.url ?? '';
  if (m.origin) $<HTMLInputElement>('origin').value = m.origin;
  if (m.values.method) $<HTMLInputElement>('method').value = m.values.method;
  if (m.values.header && !$<HTMLTextAreaElement>('headers').value.includes(m.values.header))
    $<HTMLTextAreaElement>('headers').value = `${m.values.header}: x`;
  if (!m.origin) {
    $('check-status').textContent = 'The message does not name the page origin: type it, then Run check.';
    $('origin').focus();
    return;
  }
  $('check-h').scrollIntoView();
  void runCheck();
}

// ── check ────────────────────────────────────────────────────────────────────────────────────────────

const CORS_HEADER = /^(origin|access-control-|vary$)/i;

function headerLines(headers: [string, string][], prefix: string, failed: string | null): HTMLElement[] {
  return headers
    .filter(([n]) => CORS_HEADER.test(n))
    .map(([n, v]) =>
      el(
        'div',
        { class: `hdr${failed !== null && n.toLowerCase() === failed ? ' bad' : ''}` },
        `${prefix} ${n}: ${v}`,
      ),
    );
}

/** Which response header the failed check was about (Chromium's CorsError names it). */
function failedHeader(corsError: string | null): string | null {
  if (corsError === null) return null;
  if (/AllowOrigin/.test(corsError)) return 'access-control-allow-origin';
  if (/AllowCredentials/.test(corsError)) return 'access-control-allow-credentials';
  if (/Method/.test(corsError)) return 'access-control-allow-methods';
  if (/Header/.test(corsError)) return 'access-control-allow-headers';
  return null;
}

function renderExchange(e: ReportExchange, failed: boolean, report: CheckReport): HTMLElement {
  const path = (() => {
    try {
      const u = new URL(e.request.url);
      return `${u.host}${u.pathname}${u.search}`;
    } catch {
      return e.request.url;
    }
  })();
  const res = e.response;
  const answer =
    'error' in res ? `${res.error.netError} (${res.error.message})` : `${res.status} ${res.statusText}`;
  const bad = failed ? failedHeader(report.browser.corsError) : null;
  const responseHeaders = 'error' in res ? [] : res.headers;
  const hasAllowOrigin = responseHeaders.some(([n]) => n.toLowerCase() === 'access-control-allow-origin');
  return el(
    'li',
    { class: failed ? 'failed' : '' },
    el(
      'div',
      {},
      el('strong', {}, `${e.request.method} ${path}`),
      ` (${e.purpose}) → ${answer} · ${e.ms} ms`,
    ),
    ...headerLines(e.request.headers, '>', null),
    ...headerLines(responseHeaders, '<', bad),
    !('error' in res) && !hasAllowOrigin
      ? el('div', { class: `hdr${failed ? ' bad' : ''}` }, '< (no Access-Control-Allow-Origin)')
      : null,
    failed
      ? el(
          'div',
          { class: 'error' },
          `Failed check: ${report.browser.corsError ?? report.browser.netError ?? 'blocked'}${report.browser.failedParameter ? ` (${report.browser.failedParameter})` : ''}`,
        )
      : null,
  );
}

function renderFinding(f: Finding, stack: string): HTMLElement {
  const snippets = Object.entries(f.fix.snippets) as [string, string][];
  const chosen = snippets.find(([s]) => s === stack);
  return el(
    'article',
    { class: 'card' },
    el(
      'h4',
      {},
      el('span', { class: `sev sev-${f.severity}` }, f.severity),
      ` ${f.title} `,
      el('code', {}, f.id),
      f.mistake !== null ? ` (mistake ${f.mistake})` : '',
    ),
    el('p', {}, f.detail),
    el('ul', {}, ...f.evidence.map((ev) => el('li', {}, el('code', {}, ev)))),
    el('p', {}, el('strong', {}, 'Fix: '), f.fix.summary),
    chosen ? el('pre', { 'aria-label': `fix for ${chosen[0]}` }, chosen[1]) : null,
    snippets.length > (chosen ? 1 : 0)
      ? el(
          'details',
          {},
          el('summary', {}, chosen ? 'The fix in other stacks' : 'The fix per stack'),
          ...snippets
            .filter(([s]) => s !== stack)
            .map(([s, code]) => el('div', {}, el('h5', {}, s), el('pre', {}, code))),
        )
      : null,
  );
}

function renderReport(report: CheckReport, notes: string[]): HTMLElement {
  const b = report.browser;
  const main = report.exchanges.filter((e) => e.purpose === 'preflight' || e.purpose === 'actual');
  const failedIndex = b.allowed ? -1 : main.length - 1;
  const stack = $<HTMLSelectElement>('stack').value;
  return el(
    'div',
    {},
    el('h3', { id: 'report-h', tabindex: '-1' }, 'Report'),
    el(
      'p',
      { class: `verdict ${b.allowed ? 'allowed' : 'blocked'}` },
      b.allowed ? '✔ allowed' : '✖ blocked',
      ` ${report.request.method} ${report.request.url} from ${report.request.origin}`,
    ),
    b.chrome ? el('p', {}, el('strong', {}, 'Chrome console: '), el('code', {}, b.chrome)) : null,
    b.firefox ? el('p', {}, el('strong', {}, 'Firefox console: '), el('code', {}, b.firefox)) : null,
    b.safari ? el('p', {}, el('strong', {}, 'Safari console: '), el('code', {}, b.safari)) : null,
    ...notes.map((n) => el('p', { class: 'muted' }, n)),
    el('h4', {}, 'What the browser sent'),
    el('ol', { class: 'timeline' }, ...main.map((e, i) => renderExchange(e, i === failedIndex, report))),
    report.held
      ? el('p', { class: 'muted' }, `Not sent: ${report.held.method} (${report.held.reason})`)
      : null,
    el('h4', {}, `Findings (${report.findings.length})`),
    report.findings.length === 0 ? el('p', {}, 'No finding: nothing to fix.') : null,
    ...report.findings.map((f) => renderFinding(f, stack)),
    report.exchanges.some((e) => e.purpose.startsWith('probe:'))
      ? el(
          'details',
          {},
          el('summary', {}, 'Probes the findings rest on'),
          el(
            'ol',
            { class: 'timeline' },
            ...report.exchanges
              .filter((e) => e.purpose.startsWith('probe:'))
              .map((e) => renderExchange(e, false, report)),
          ),
        )
      : null,
    el('p', { class: 'muted' }, `${report.stats.requests} requests in ${report.stats.ms} ms`),
  );
}

async function runCheck(): Promise<void> {
  const status = $('check-status');
  const button = $<HTMLButtonElement>('check-button');
  const out = $('report');
  const v = (id: string) => ($(id) as HTMLInputElement).value;
  const paste = v('curl').trim();
  const form = paste
    ? { paste }
    : {
        url: v('url'),
        origin: v('origin'),
        method: v('method'),
        headers: v('headers'),
        credentials: v('credentials'),
        body: v('body'),
      };
  button.disabled = true;
  status.textContent = 'Checking…';
  out.replaceChildren();
  try {
    const res = await fetch('api/check', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify(form),
    });
    const doc = (await res.json()) as { error?: string; report?: CheckReport; notes?: string[] };
    if (!res.ok || !doc.report) {
      status.textContent = '';
      out.append(el('p', { class: 'error', role: 'alert' }, doc.error ?? `the check failed (${res.status})`));
      return;
    }
    status.textContent = 'Done.';
    out.append(renderReport(doc.report, doc.notes ?? []));
    $('report-h').focus();
  } catch (err) {
    status.textContent = '';
    out.append(
      el(
        'p',
        { class: 'error', role: 'alert' },
        `cors-doctor ui is not answering (${String(err)}): is it still running?`,
      ),
    );
  } finally {
    button.disabled = false;
  }
}

function init(): void {
  const stack = $<HTMLSelectElement>('stack');
  stack.append(
    el('option', { value: '' }, 'all stacks'),
    ...STACKS.map((s) => el('option', { value: s }, STACK_INFO[s]?.label ?? s)),
  );
  $('explain-form').addEventListener('submit', onExplain);
  $('check-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    void runCheck();
  });
  document.documentElement.dataset['ready'] = 'true';
}

init();
