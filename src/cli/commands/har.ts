/**
 * `cors-doctor har <file.har|-> [--json] [--stack s] [--live] [--redact out.har]`: every cross-origin
 * request of a recorded browser session diagnosed offline (src/har, pure); `--live` confirms what the
 * HAR cannot decide with `check` (safe probes, a concurrency limit, each check's deadline).
 * Exit 0: nothing blocked and no error/security finding; 1: something blocked or such a finding;
 * 2: bad input (the message names the fix).
 */
import { createReadStream } from 'node:fs';
import { stat, writeFile } from 'node:fs/promises';
import { STACKS } from '../../catalog/types.ts';
import type { StackName } from '../../diagnosis/types.ts';
import { analyzeHar, groupRequests, type HarAnalysis, type HarRequestReport } from '../../har/analyze.ts';
import { parseHar } from '../../har/parse.ts';
import { redactHar } from '../../har/redact.ts';
import { type LiveResult, renderHarJson } from '../../report/har-json.ts';
import { renderHarText } from '../../report/har-text.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';
import { parseDuration } from './check.ts';

export const HELP = `cors-doctor har — diagnose every cross-origin request of a browser session from its HAR, offline

Usage:
  cors-doctor har <file.har> [options]
  <command> | cors-doctor har - [options]          (the HAR on stdin)

Export the HAR from DevTools → Network → "Export HAR" / right-click "Save all as HAR" (Chrome, Edge),
Network → ⚙ → "Save All As HAR" (Firefox), or Web Inspector → Network → Export (Safari); Playwright's
recordHar, Charles, mitmproxy and HTTP Toolkit HARs work too. Nothing is sent anywhere unless --live.

Options:
  --json               one JSON document on stdout (schemaVersion 1; schemas/har-report.schema.json)
  --stack <name>       show fix snippets for: ${STACKS.join(', ')}
  --browser <name>     chrome | firefox | safari: whose console wording the report shows (default: the
                       browser that wrote the HAR, else chrome)
  --live               confirm with cors-doctor check against the live servers what the HAR cannot decide
                       (requests without a recorded answer, and the probes a HAR cannot hold); safe probes
                       only: a POST/PUT/PATCH/DELETE is never repeated, only its preflight is sent
  --concurrency <n>    live checks at once (default 4, at most 16)
  --timeout <time>     deadline of each live check: 10s (default), 2500ms
  --redact <out.har>   write a copy of the HAR with cookies, tokens, API keys and bodies replaced, for
                       a bug report (the copy diagnoses the same)
  --max-size <MB>      refuse bigger files (default 100; the whole HAR is held in memory)
  --no-color           no colours (also NO_COLOR=1)
  --help               this text

Exit codes: 0 nothing blocked and no error/security finding · 1 blocked or such a finding · 2 bad input

Examples:
  cors-doctor har session.har
  cors-doctor har session.har --json --stack express
  cors-doctor har session.har --live --timeout 5s
  cors-doctor har session.har --redact session.redacted.har
`;

/**
 * Measured: a 89 MB DevTools HAR (50,000 entries) peaks at about 1 GB in text mode; the limit keeps a
 * default Node.js heap clear of it, and --max-size raises it.
 */
const DEFAULT_MAX_MB = 100;

async function readLimited(stream: NodeJS.ReadableStream, maxBytes: number, what: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > maxBytes) {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      throw new UsageError(tooBig(what, size, maxBytes, true));
    }
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

const mb = (bytes: number) => String(Number((bytes / 1048576).toPrecision(3)));
const tooBig = (what: string, size: number, max: number, atLeast = false) =>
  `${what} is ${atLeast ? 'over ' : ''}${mb(size)} MB, above the ${mb(max)} MB limit (a HAR is read whole): export only the failing requests (DevTools Network filter "Fetch/XHR", then "Save all as HAR"), or raise the limit with --max-size <MB> if the machine has the memory`;

function liveKey(r: HarRequestReport): string {
  let u = r.url;
  try {
    const x = new URL(r.url);
    u = `${x.origin}${x.pathname}`;
  } catch {}
  const names = r.request.headers.map(([n]) => n.toLowerCase()).sort();
  return `${r.origin} ${r.method.toUpperCase()} ${u} ${r.request.credentials} ${names.join(',')}`;
}

async function runLive(
  a: HarAnalysis,
  opts: { concurrency: number; timeoutMs: number; ctx: CommandContext },
): Promise<Map<number, LiveResult>> {
  const { runCheck } = await import('../../probe/check.ts');
  const wanted = a.requests.filter(
    (r) => r.live.check !== null && (r.verdict === null || r.live.probes.length > 0),
  );
  const byKey = new Map<string, HarRequestReport[]>();
  for (const r of wanted) {
    const k = liveKey(r);
    byKey.set(k, [...(byKey.get(k) ?? []), r]);
  }
  const jobs = [...byKey.values()];
  const results = new Map<number, LiveResult>();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const group = jobs[next++]!;
      const r = group[0]!;
      let result: LiveResult;
      try {
        const report = await runCheck(
          { request: r.request, expose: [] },
          { timeoutMs: opts.timeoutMs, holdUnsafeActual: true },
        );
        result = {
          check: r.live.check!,
          allowed: report.browser.allowed,
          corsError: report.browser.corsError,
          chrome: report.browser.chrome,
          findings: report.findings,
        };
      } catch (err) {
        result = {
          check: r.live.check!,
          allowed: false,
          corsError: null,
          chrome: null,
          findings: [],
          error: err instanceof Error ? err.message : String(err),
        };
      }
      for (const x of group) results.set(x.entry, result);
      done++;
      if (opts.ctx.progress) opts.ctx.stderr(`\r\x1b[2K… live checks: ${done}/${jobs.length}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(opts.concurrency, jobs.length) }, worker));
  if (opts.ctx.progress && jobs.length > 0) opts.ctx.stderr('\r\x1b[2K');
  // The live findings rest on probes the HAR could not hold: they replace the offline reading when the
  // server still behaves as recorded (same allowed/blocked).
  for (const r of a.requests) {
    const l = results.get(r.entry);
    if (!l || l.error) continue;
    const recordedAllowed = r.verdict ? r.verdict.allowed : r.recorded.failed !== true;
    if (l.allowed === recordedAllowed) r.findings = l.findings;
    else
      r.note = `${r.note ? `${r.note}; ` : ''}the live server now ${l.allowed ? 'allows' : 'blocks'} what the HAR recorded as ${recordedAllowed ? 'allowed' : 'blocked'}: the offline findings are kept`;
  }
  a.groups = groupRequests(a.requests);
  return results;
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let json = false;
  let live = false;
  let stack: StackName | undefined;
  let browser: 'chrome' | 'firefox' | 'safari' | undefined;
  let redactTo: string | undefined;
  let concurrency = 4;
  let timeoutMs = 10_000;
  let maxMb = DEFAULT_MAX_MB;
  const files: string[] = [];
  const value = (i: number, flag: string): string => {
    const v = argv[i + 1];
    if (v === undefined) throw new UsageError(`${flag} needs a value (see cors-doctor har --help)`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      ctx.stdout(HELP);
      return exitCodes.ok;
    } else if (arg === '--json') json = true;
    else if (arg === '--live') live = true;
    else if (arg === '--stack') {
      const s = value(i++, arg);
      if (!(STACKS as readonly string[]).includes(s))
        throw new UsageError(`--stack '${s}' is not one of ${STACKS.join(', ')}`);
      stack = s as StackName;
    } else if (arg === '--browser') {
      const b = value(i++, arg);
      if (b !== 'chrome' && b !== 'firefox' && b !== 'safari')
        throw new UsageError(`--browser '${b}' is not one of chrome, firefox, safari`);
      browser = b;
    } else if (arg === '--redact') redactTo = value(i++, arg);
    else if (arg === '--concurrency') {
      const n = Number(value(i++, arg));
      if (!Number.isInteger(n) || n < 1 || n > 16)
        throw new UsageError('--concurrency must be a whole number from 1 to 16');
      concurrency = n;
    } else if (arg === '--timeout') timeoutMs = parseDuration(value(i++, arg));
    else if (arg === '--max-size') {
      const n = Number(value(i++, arg));
      if (!Number.isFinite(n) || n <= 0)
        throw new UsageError('--max-size must be a number of megabytes, e.g. 512');
      maxMb = n;
    } else if (arg.startsWith('-') && arg !== '-')
      throw new UsageError(`unknown option '${arg}' for har (see cors-doctor har --help)`);
    else files.push(arg);
  }
  if (files.length !== 1)
    throw new UsageError(
      files.length === 0
        ? 'har needs the HAR file: cors-doctor har session.har (or - to read it from stdin)'
        : `har takes one HAR file, got ${files.length}: ${files.join(' ')}`,
    );
  const file = files[0]!;
  const maxBytes = maxMb * 1048576;
  let text: string;
  if (file === '-') {
    if (ctx.stdin.isTTY)
      throw new UsageError('har - reads the HAR from stdin, but stdin is a terminal: pipe the file in');
    text = await readLimited(ctx.stdin, maxBytes, 'the HAR on stdin');
  } else {
    let size: number;
    try {
      const s = await stat(file);
      if (!s.isFile()) throw new UsageError(`${file} is not a file: pass the .har file DevTools exported`);
      size = s.size;
    } catch (err) {
      if (err instanceof UsageError) throw err;
      throw new UsageError(
        `cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}): check the path`,
      );
    }
    if (size > maxBytes) throw new UsageError(tooBig(file, size, maxBytes));
    text = await readLimited(createReadStream(file), maxBytes, file);
  }
  const parsed = parseHar(text);
  if (!parsed.ok) throw new UsageError(`${file === '-' ? 'stdin' : file}: ${parsed.problem}`);
  if (redactTo !== undefined) {
    const { har, counts } = redactHar(JSON.parse(text) as unknown);
    await writeFile(redactTo, `${JSON.stringify(har, null, 2)}\n`);
    ctx.stderr(
      `wrote ${redactTo}: ${counts.headers} header values, ${counts.cookies} cookies, ${counts.params} URL/query parameters and ${counts.bodies} bodies replaced\n`,
    );
  }
  // The console the user looked at is the recording browser's.
  const who = `${parsed.har.creator} ${parsed.har.browser ?? ''}`;
  browser ??= /firefox/i.test(who)
    ? 'firefox'
    : /safari|webkit web inspector/i.test(who)
      ? 'safari'
      : 'chrome';
  const analysis = analyzeHar(parsed.har);
  if (analysis.requests.length === 0) {
    const ignored = Object.entries(analysis.ignored)
      .map(([why, n]) => `${n} ${why}`)
      .join(', ');
    throw new UsageError(
      `no cross-origin request in this HAR (${parsed.har.entries.length} entries${ignored ? `: ${ignored}` : ''}), so nothing to diagnose: record the session again with the failing request in it (DevTools → Network, tick "Preserve log", reproduce, then "Save all as HAR")`,
    );
  }
  const liveResults = live
    ? await runLive(analysis, { concurrency, timeoutMs, ctx })
    : new Map<number, LiveResult>();
  ctx.stdout(
    json
      ? renderHarJson(parsed.har, analysis, liveResults, stack)
      : renderHarText(parsed.har, analysis, liveResults, {
          color: ctx.color,
          ...(stack ? { stack } : {}),
          browser,
          liveRan: live,
        }),
  );
  const bad = analysis.requests.some(
    (r) =>
      (r.verdict ? !r.verdict.allowed : r.recorded.failed === true) ||
      r.findings.some((f) => f.severity === 'error' || f.severity === 'security'),
  );
  return bad ? exitCodes.blocked : exitCodes.ok;
}
