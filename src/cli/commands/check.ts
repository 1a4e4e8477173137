/**
 * `cors-doctor check`: flags per DESIGN.md's check contract, turned into a CheckInput; runs the check;
 * prints the text report (or one JSON document with --json); exit 0 allowed and clean, 1 blocked or an
 * error/security finding, 2 bad input or the tool could not run.
 */
import type { CredentialsMode, HeaderLine, PageRequest, RequestMode } from '../../browser/types.ts';
import type { CheckInput } from '../../diagnosis/types.ts';
import { chooseFix, resolveStack, STACK_NAMES, type StackName } from '../../fix/index.ts';
import { exitCodeFor, runCheck } from '../../probe/check.ts';
import { PasteError, parseCurl } from '../../probe/input/curl.ts';
import { parseFetch } from '../../probe/input/fetch.ts';
import { checkOrigin } from '../../probe/input/origin.ts';
import type { PastedRequest } from '../../probe/input/pasted.ts';
import { renderCheckJson } from '../../report/check-json.ts';
import { type EngineChoice, renderCheckText } from '../../report/check-text.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';

export const HELP = `cors-doctor check — run a request as the browser would, say what Chrome prints, and find the cause

Usage:
  cors-doctor check <url> --origin <origin> [options]
  cors-doctor check --curl "<DevTools 'Copy as cURL'>"    (bash or cmd flavour; '-' reads stdin)
  cors-doctor check --fetch "<DevTools 'Copy as fetch'>"  (parsed, never run; '-' reads stdin)

Request (what the page's script does):
  --origin <origin>          the page's origin, e.g. https://myapp.com (or null)
  --method <M>               default GET
  -H, --header "Name: v"     a header the script sets (repeatable)
  --credentials <mode>       omit | same-origin | include (default same-origin, fetch's default)
  --mode <mode>              cors | no-cors (default cors)
  --expose <Name>            a response header the script needs to read (repeatable)
  --cookie "<k=v; …>"        cookies the browser would send when credentials go with the request
  --initiator <api>          fetch | xhr (which API the console line names; default fetch)
  --page <url>               the front-end page: its Content-Security-Policy is checked too

Report:
  --json                     one JSON document on stdout (schemaVersion 1), nothing else there
  --stack <name>             the fix for your stack (default: inferred from the responses), one of
                             ${STACK_NAMES.join(', ')}
                             (aliases: django-cors-headers, rack, gin, next, nest, httpd, workers, …)
  --browser <name>           chrome | firefox | safari: whose console wording leads (default chrome)
  --timeout <time>           deadline of the whole check: 10s (default), 2500ms, or seconds
  --no-probes                only the browser's own requests; no extra probes to find the cause
  --unsafe-probes            let probes repeat a POST/PUT/PATCH/DELETE (by default they stop after the
                             preflight; the page's own request is always sent once, as the browser would)
  --all-probes               report every probe's exchanges (by default only those a finding rests on)

Exit codes: 0 allowed and no error/security finding · 1 blocked, or such a finding · 2 bad input

Examples:
  cors-doctor check https://api.example.com/data --origin https://myapp.com
  cors-doctor check https://api.example.com/items --origin https://myapp.com --method PUT \\
      -H "Content-Type: application/json" -H "Authorization: Bearer x" --credentials include --stack express
  cors-doctor check https://api.example.com/data --origin https://myapp.com --expose X-Request-ID --json
  cors-doctor check --curl "curl 'https://api.example.com/data' -H 'origin: https://myapp.com' -X PUT"
`;

export interface ParsedCheck {
  input: CheckInput;
  cookie?: string;
  body?: string;
  pageUrl?: string;
  json: boolean;
  stack?: StackName;
  browser: EngineChoice;
  timeoutMs: number;
  noProbes: boolean;
  unsafeProbes: boolean;
  allProbes: boolean;
  notes: string[];
}

const VALUE_FLAGS = new Set([
  '--origin',
  '--method',
  '-X',
  '-H',
  '--header',
  '--expose',
  '--credentials',
  '--mode',
  '--curl',
  '--fetch',
  '--page',
  '--stack',
  '--browser',
  '--timeout',
  '--cookie',
  '--initiator',
  '--data',
]);
const BOOL_FLAGS = new Set(['--json', '--no-probes', '--unsafe-probes', '--all-probes', '--help', '-h']);

/** `10s`, `2500ms`, `1.5` (seconds). */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s)?$/.exec(text.trim());
  if (!m) throw new UsageError(`--timeout '${text}' is not a duration: write e.g. 10s or 2500ms`);
  const ms = m[2] === 'ms' ? Number(m[1]) : Number(m[1]) * 1000;
  if (ms < 100 || ms > 600_000) throw new UsageError('--timeout must be between 100ms and 600s');
  return Math.round(ms);
}

/** A header line as typed: `Name: value`. */
export function parseHeaderLine(text: string): HeaderLine {
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!name || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
    throw new UsageError(
      `a header is written "Name: value" (got "${text}"), e.g. -H "Authorization: Bearer x"`,
    );
  const value = text.slice(colon + 1).trim();
  if (/[\r\n\0]/.test(value))
    throw new UsageError(`the value of header ${name} contains a line break or NUL byte`);
  return [name, value];
}

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`${flag} must be one of ${allowed.join(', ')} (got '${value}')`);
}

function checkUrl(text: string, what: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    const hint = /^[\w.-]+\.[a-z]{2,}(:\d+)?(\/|$)/i.test(text) ? `: did you mean https://${text}?` : '';
    throw new UsageError(
      `${what} '${text}' is not an absolute URL${hint || ' (e.g. https://api.example.com/data)'}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UsageError(
      `${what} must be http:// or https:// (got ${url.protocol}); CORS applies to HTTP(S) only`,
    );
  return url.href;
}

async function readAll(stream: NodeJS.ReadableStream, limit = 1024 * 1024): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += b.length;
    if (size > limit) throw new UsageError('stdin is larger than 1 MiB; paste only the request');
    chunks.push(b);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** argv → the check to run. Throws UsageError with a message that names the fix. */
export async function parseCheckArgs(
  argv: string[],
  ctx?: Pick<CommandContext, 'stdin'>,
): Promise<ParsedCheck> {
  const values = new Map<string, string[]>();
  const flags = new Set<string>();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let inline: string | undefined;
    if (arg.startsWith('--') && arg.includes('=')) {
      inline = arg.slice(arg.indexOf('=') + 1);
      arg = arg.slice(0, arg.indexOf('='));
    }
    if (VALUE_FLAGS.has(arg)) {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value; see cors-doctor check --help`);
      const key = arg === '-H' ? '--header' : arg === '-X' ? '--method' : arg;
      values.set(key, [...(values.get(key) ?? []), v]);
    } else if (BOOL_FLAGS.has(arg)) {
      flags.add(arg === '-h' ? '--help' : arg);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown flag '${arg}' for check; see cors-doctor check --help`);
    } else positional.push(arg);
  }
  const last = (k: string): string | undefined => values.get(k)?.at(-1);
  const notes: string[] = [];

  let pasted: PastedRequest | undefined;
  const curl = last('--curl');
  const fetchText = last('--fetch');
  if (curl !== undefined && fetchText !== undefined) throw new UsageError('give --curl or --fetch, not both');
  try {
    if (curl !== undefined) pasted = parseCurl(curl === '-' && ctx ? await readAll(ctx.stdin) : curl);
    if (fetchText !== undefined)
      pasted = parseFetch(fetchText === '-' && ctx ? await readAll(ctx.stdin) : fetchText);
  } catch (err) {
    if (err instanceof PasteError)
      throw new UsageError(
        err.message.startsWith('unreadable')
          ? err.message
          : `unreadable ${curl !== undefined ? '--curl' : '--fetch'}: ${err.message}`,
      );
    throw err;
  }
  if (pasted) notes.push(...pasted.notes);

  if (positional.length > 1)
    throw new UsageError(
      `check takes one URL (got ${positional.join(' ')}); quote header values with spaces`,
    );
  const rawUrl = positional[0] ?? pasted?.url;
  if (rawUrl === undefined)
    throw new UsageError(
      'check needs a URL: cors-doctor check https://api.example.com/data --origin https://myapp.com',
    );
  const url = checkUrl(rawUrl, 'the URL');

  const rawOrigin = last('--origin') ?? pasted?.origin;
  if (rawOrigin === undefined)
    throw new UsageError(
      pasted
        ? 'the pasted request carries no Origin or referrer: add --origin https://<your front-end>'
        : 'check needs the page origin: add --origin https://<your front-end>, e.g. --origin https://myapp.com',
    );
  const origin = checkOrigin(rawOrigin);
  if (!origin.ok) throw new UsageError(origin.message);

  const method = last('--method') ?? pasted?.method ?? 'GET';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method))
    throw new UsageError(`--method '${method}' is not an HTTP method name (e.g. GET, PUT, DELETE)`);

  const cookieHeaders: string[] = [];
  const headers: HeaderLine[] = [...(pasted?.headers ?? [])];
  for (const h of values.get('--header') ?? []) {
    const line = parseHeaderLine(h);
    // Scripts cannot set Cookie; a typed Cookie line means "the browser has these cookies".
    if (line[0].toLowerCase() === 'cookie') cookieHeaders.push(line[1]);
    else headers.push(line);
  }
  const cookie =
    [pasted?.cookie, ...cookieHeaders, last('--cookie')].filter((c) => c).join('; ') || undefined;

  const credentials = oneOf<CredentialsMode>(
    '--credentials',
    last('--credentials') ?? pasted?.credentials ?? 'same-origin',
    ['omit', 'same-origin', 'include'],
  );
  const mode = oneOf<RequestMode>('--mode', last('--mode') ?? pasted?.mode ?? 'cors', [
    'cors',
    'no-cors',
    'same-origin',
  ]);
  const initiator = oneOf('--initiator', last('--initiator') ?? 'fetch', ['fetch', 'xhr'] as const);
  const expose = (values.get('--expose') ?? []).flatMap((e) =>
    e
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
  );
  for (const name of expose)
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name))
      throw new UsageError(`--expose '${name}' is not a header name (e.g. --expose X-Request-ID)`);
  const stackText = last('--stack');
  const stack = stackText === undefined ? undefined : resolveStack(stackText);
  if (stackText !== undefined && stack === undefined)
    throw new UsageError(
      `--stack '${stackText}' is not a stack cors-doctor knows; use one of ${STACK_NAMES.join(', ')} (or an alias such as django-cors-headers, rack, gin, httpd)`,
    );
  const page = last('--page');

  const request: PageRequest = { url, origin: origin.origin, method, headers, credentials, mode, initiator };
  const parsed: ParsedCheck = {
    input: { request, expose },
    json: flags.has('--json'),
    browser: oneOf<EngineChoice>('--browser', last('--browser') ?? 'chrome', ['chrome', 'firefox', 'safari']),
    timeoutMs: parseDuration(last('--timeout') ?? '10s'),
    noProbes: flags.has('--no-probes'),
    unsafeProbes: flags.has('--unsafe-probes'),
    allProbes: flags.has('--all-probes'),
    notes,
  };
  if (cookie !== undefined) parsed.cookie = cookie;
  const body = last('--data') ?? pasted?.body;
  if (body !== undefined) parsed.body = body;
  if (page !== undefined) parsed.pageUrl = checkUrl(page, '--page');
  if (stack !== undefined) parsed.stack = stack;
  return parsed;
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout(HELP);
    return exitCodes.ok;
  }
  const parsed = await parseCheckArgs(argv, ctx);
  const report = await runCheck(parsed.input, {
    timeoutMs: parsed.timeoutMs,
    noProbes: parsed.noProbes,
    unsafeProbes: parsed.unsafeProbes,
    allProbes: parsed.allProbes,
    ...(parsed.cookie !== undefined ? { cookie: parsed.cookie } : {}),
    ...(parsed.body !== undefined ? { body: parsed.body } : {}),
    ...(parsed.pageUrl !== undefined ? { pageUrl: parsed.pageUrl } : {}),
  });
  // One fix for the whole diagnosis, for --stack or the stack the responses suggest (src/fix).
  const responses = report.exchanges.flatMap((x) => ('status' in x.response ? [x.response.headers] : []));
  const fix = chooseFix(parsed.input, report.findings, responses, parsed.stack);
  if (fix) for (const f of report.findings) f.fix.snippets = { [fix.stack]: fix.code };
  if (parsed.json) ctx.stdout(renderCheckJson(report, fix));
  else
    ctx.stdout(
      renderCheckText(report, {
        color: ctx.color,
        browser: parsed.browser,
        notes: parsed.notes,
        fix,
        ...(parsed.stack !== undefined ? { stack: parsed.stack } : {}),
      }),
    );
  return exitCodeFor(report);
}
