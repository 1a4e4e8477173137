/**
 * `cors-doctor check`: flags per DESIGN.md's check contract, turned into a CheckInput; runs the check;
 * prints the text report (or one JSON document with --json); exit 0 allowed and clean, 1 blocked or an
 * error/security finding, 2 bad input or the tool could not run.
 */
import { readFileSync } from 'node:fs';
import {
  ADDRESS_SPACES,
  type AddressSpace,
  addressSpaceOfHost,
  addressSpaceOfOrigin,
  LNA_PERMISSIONS,
  type LnaPermission,
  permissionNameFor,
} from '../../browser/local-network-access.ts';
import type {
  CredentialsMode,
  HeaderLine,
  PageRequest,
  RequestMode,
  WireRequest,
} from '../../browser/types.ts';
import { ConfirmFlagError, renderConfirmText, takeConfirmFlag } from '../../confirm/cli.ts';
import type { EngineName } from '../../confirm/index.ts';
import type { CheckInput } from '../../diagnosis/types.ts';
// Start-up cost is on the user's critical path (docs/performance.md): only what parsing the flags and
// sending the requests needs is imported here; the paste parsers (acorn, shell-quote), the fix generators
// and the reporters load on demand, the latter while the requests are in flight.
import { resolveStack, STACK_NAMES, type StackName } from '../../fix/stacks.ts';
import { type CheckReport, exitCodeFor, type RunCheckOptions, runCheck } from '../../probe/check.ts';
import { checkOrigin, isLoopbackHost } from '../../probe/input/origin.ts';
import type { PastedRequest } from '../../probe/input/pasted.ts';
import type { EngineChoice } from '../../report/check-text.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';

export const HELP = `cors-doctor check — run a request as the browser would, say what Chrome prints, and find the cause

Usage:
  cors-doctor check <url> --origin <origin> [options]
  cors-doctor check --curl "<DevTools 'Copy as cURL'>"    (bash or cmd flavour; '-' reads stdin)
  cors-doctor check --fetch "<DevTools 'Copy as fetch'>"  (parsed, never run; '-' reads stdin)
  cors-doctor check --powershell "<DevTools 'Copy as PowerShell'>"  (parsed, never run; '-' reads stdin)

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
  -d, --data <body>          the request body, as curl means it: makes the request a POST unless
                             --method says otherwise; @file reads a file (--data-raw: no @ reading;
                             --data-binary @file: the file as is). fetch's rules apply: GET/HEAD cannot
                             have a body, and a body without -H "Content-Type: …" goes out as
                             text/plain;charset=UTF-8 (a safelisted type: no preflight for that)

Local Network Access (Chrome 141+: a public page calling a local or loopback address needs a permission):
  --page-address-space <s>   public | local | loopback: the page's space (default: from --origin)
  --target-address-space <s> public | local | loopback: the API's space (default: from the address
                             its host resolves to)
  --lna <state>              granted | denied | prompt: the permission (default: not granted, as in a
                             fresh profile). Any of these three flags makes the verdict include the gate,
                             as does a private (local) API; a public page calling loopback is otherwise
                             noted beside the CORS verdict (a local copy of a production API)

TLS (like curl):
  --cacert <file>            also trust this CA (PEM), e.g. mkcert's "$(mkcert -CAROOT)/rootCA.pem";
                             NODE_EXTRA_CA_CERTS=<file> does the same for every Node.js program
  -k, --insecure             do not verify certificates (the browser would; the report says so)

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
  --confirm [engine]         run the page's request again in a real installed browser, from your origin,
                             and show its console lines next to the model's: chromium (default),
                             firefox, webkit, a comma list, or all (needs npm i playwright-core / ws)

Global: --no-color, --quiet (no progress line on stderr), --verbose (each exchange on stderr as it ends)

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
  /** PEM text to trust: the system's roots plus --cacert's file. */
  ca?: string;
  insecure: boolean;
  /** Send the preflight but not an unsafe actual request (a pasted preflight without --unsafe-probes). */
  holdUnsafeActual?: boolean;
  /** The LNA flags as given (each may be absent: inferred at run time). */
  lna: { page?: AddressSpace; target?: AddressSpace; permission?: LnaPermission };
  notes: string[];
}

const DATA_FLAGS = new Set(['--data', '-d', '--data-raw', '--data-binary']);

/** curl's reading of a data flag: `@file` reads the file (not for --data-raw); -d strips newlines like curl. */
function readData({ flag, value }: { flag: string; value: string }): string {
  if (flag === '--data-raw' || !value.startsWith('@')) return value;
  const file = value.slice(1);
  try {
    const text = readFileSync(file === '-' ? 0 : file, 'utf8');
    return flag === '--data-binary' ? text : text.replace(/\r?\n/g, '');
  } catch (err) {
    throw new UsageError(
      `${flag} ${value}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)}); give an existing file, or --data-raw for a literal '@'`,
    );
  }
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
  '--powershell',
  '--page',
  '--stack',
  '--browser',
  '--timeout',
  '--cookie',
  '--initiator',
  '--data',
  '-d',
  '--data-raw',
  '--data-binary',
  '--cacert',
  '--page-address-space',
  '--target-address-space',
  '--lna',
]);
const BOOL_FLAGS = new Set([
  '-k',
  '--insecure',
  '--json',
  '--no-probes',
  '--unsafe-probes',
  '--all-probes',
  '--help',
  '-h',
]);

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
    // `localhost:3000/api` parses as the scheme `localhost:`: it is a host and port without a scheme.
    if (/^[\w.-]+:\d+(\/|$)/.test(text)) throw new TypeError('no scheme');
  } catch {
    const host = /^([\w.-]+|\[[\d:a-f]+\])(:\d+)?(\/|$)/i.exec(text)?.[1];
    // Loopback is where dev servers run, plain http; anything else with a dot is likely https.
    const hint =
      host !== undefined && isLoopbackHost(host)
        ? `: did you mean http://${text}?`
        : /^[\w.-]+\.[a-z]{2,}(:\d+)?(\/|$)/i.test(text)
          ? `: did you mean https://${text}?`
          : '';
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
  const dataParts: { flag: string; value: string }[] = [];
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
      if (DATA_FLAGS.has(arg)) dataParts.push({ flag: arg, value: v });
    } else if (BOOL_FLAGS.has(arg)) {
      flags.add(arg === '-h' ? '--help' : arg === '-k' ? '--insecure' : arg);
    } else if (arg.startsWith('-') && arg !== '-') {
      throw new UsageError(`unknown flag '${arg}' for check; see cors-doctor check --help`);
    } else positional.push(arg);
  }
  const last = (k: string): string | undefined => values.get(k)?.at(-1);
  const notes: string[] = [];

  let pasted: PastedRequest | undefined;
  // The paste parsers are loaded only for a paste: acorn alone costs more start-up than the rest of check.
  const PASTES = {
    '--curl': async () => (await import('../../probe/input/curl.ts')).parseCurl,
    '--fetch': async () => (await import('../../probe/input/fetch.ts')).parseFetch,
    '--powershell': async () => (await import('../../probe/input/powershell.ts')).parsePowerShell,
  } as const;
  const given = (Object.keys(PASTES) as (keyof typeof PASTES)[]).filter((f) => last(f) !== undefined);
  if (given.length > 1) throw new UsageError(`give one of ${given.join(', ')}, not several`);
  const pasteFlag = given[0];
  const PasteError = pasteFlag ? (await import('../../probe/input/curl.ts')).PasteError : undefined;
  try {
    if (pasteFlag) {
      const parsePaste = await PASTES[pasteFlag]();
      const text = last(pasteFlag)!;
      pasted = parsePaste(text === '-' && ctx ? await readAll(ctx.stdin) : text);
    }
  } catch (err) {
    if (PasteError && err instanceof PasteError)
      throw new UsageError(
        err.message.startsWith('unreadable') ? err.message : `unreadable ${pasteFlag}: ${err.message}`,
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

  const typedBody = dataParts.length > 0 ? dataParts.map(readData).join('&') : undefined;
  // curl's meaning: a body makes it a POST unless a method is named.
  const method = (
    last('--method') ??
    (typedBody !== undefined ? 'POST' : undefined) ??
    pasted?.method ??
    'GET'
  ).replace(/^(get|head|post|put|delete|options|patch)$/i, (m) => m.toUpperCase());
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(method))
    throw new UsageError(`--method '${method}' is not an HTTP method name (e.g. GET, PUT, DELETE)`);

  const cookieHeaders: string[] = [];
  let headerOrigin: string | undefined;
  let hostHeader: string | undefined;
  const headers: HeaderLine[] = [...(pasted?.headers ?? [])];
  for (const h of values.get('--header') ?? []) {
    const line = parseHeaderLine(h);
    // Scripts cannot set Cookie; a typed Cookie line means "the browser has these cookies".
    const lower = line[0].toLowerCase();
    if (lower === 'cookie') cookieHeaders.push(line[1]);
    else if (lower === 'origin') headerOrigin = line[1];
    else if (lower === 'host') hostHeader = line[1];
    else headers.push(line);
  }
  const cookie =
    [pasted?.cookie, ...cookieHeaders, last('--cookie')].filter((c) => c).join('; ') || undefined;
  const rawOrigin = last('--origin') ?? headerOrigin ?? pasted?.origin;
  if (rawOrigin === undefined)
    throw new UsageError(
      pasted
        ? 'the pasted request carries no Origin or referrer: add --origin https://<your front-end>'
        : 'check needs the page origin: add --origin https://<your front-end>, e.g. --origin https://myapp.com',
    );
  const origin = checkOrigin(rawOrigin);
  if (!origin.ok) throw new UsageError(origin.message);

  if (headerOrigin !== undefined)
    notes.push(
      `-H Origin is not sent as typed: the browser sets Origin itself (Fetch forbids scripts to); checking with origin ${origin.origin}${last('--origin') !== undefined ? ' from --origin' : ''}. Use --origin.`,
    );
  if (hostHeader !== undefined)
    notes.push(
      `-H Host is ignored: the browser sends the URL's host (${new URL(url).host}); a script cannot set Host.`,
    );
  if (origin.origin !== 'null' && origin.origin === new URL(url).origin)
    notes.push(
      `CORS does not apply: same origin (${origin.origin} is the URL's origin); the browser reads the response without any CORS header.`,
    );

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

  const body = typedBody ?? pasted?.body;
  if (body !== undefined && (method === 'GET' || method === 'HEAD'))
    throw new UsageError(
      `fetch throws "TypeError: Failed to execute 'fetch' on 'Window': Request with GET/HEAD method cannot have body." — drop --data or add --method POST (or PUT, PATCH)`,
    );
  // fetch sends a string body as text/plain;charset=UTF-8 when the script names no type (Fetch §5
  // "extract a body"); that type is safelisted, so such a POST needs no preflight.
  if (typedBody !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-type'))
    headers.push(['Content-Type', 'text/plain;charset=UTF-8']);

  if (cookie !== undefined && credentials !== 'include')
    notes.push(
      `the cookie is not sent: with credentials '${credentials}' a cross-origin request carries no cookies; add --credentials include`,
    );
  const request: PageRequest = { url, origin: origin.origin, method, headers, credentials, mode, initiator };
  const parsed: ParsedCheck = {
    input: { request, expose },
    json: flags.has('--json'),
    browser: oneOf<EngineChoice>('--browser', last('--browser') ?? 'chrome', ['chrome', 'firefox', 'safari']),
    timeoutMs: parseDuration(last('--timeout') ?? '10s'),
    noProbes: flags.has('--no-probes'),
    unsafeProbes: flags.has('--unsafe-probes'),
    allProbes: flags.has('--all-probes'),
    insecure: flags.has('--insecure') || pasted?.insecure === true,
    lna: {},
    notes,
  };
  const pageSpace = last('--page-address-space');
  const targetSpace = last('--target-address-space');
  const lnaState = last('--lna');
  if (pageSpace !== undefined)
    parsed.lna.page = oneOf<AddressSpace>('--page-address-space', pageSpace, ADDRESS_SPACES);
  if (targetSpace !== undefined)
    parsed.lna.target = oneOf<AddressSpace>('--target-address-space', targetSpace, ADDRESS_SPACES);
  if (lnaState !== undefined)
    parsed.lna.permission = oneOf<LnaPermission>('--lna', lnaState, LNA_PERMISSIONS);
  const cacert = last('--cacert') ?? pasted?.cacert;
  if (cacert !== undefined) {
    let pem: string;
    try {
      pem = readFileSync(cacert, 'utf8');
    } catch (err) {
      throw new UsageError(
        `--cacert ${cacert}: cannot read it (${(err as NodeJS.ErrnoException).code ?? String(err)}); give the CA's PEM file, e.g. "$(mkcert -CAROOT)/rootCA.pem"`,
      );
    }
    if (!pem.includes('-----BEGIN CERTIFICATE-----'))
      throw new UsageError(`--cacert ${cacert} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    // Like NODE_EXTRA_CA_CERTS: in addition to the system's roots, not instead of them. node:tls only
    // here: a plain-http check never loads it (docs/performance.md).
    const { rootCertificates } = await import('node:tls');
    parsed.ca = [...rootCertificates, pem].join('\n');
  }
  if (parsed.insecure)
    notes.push(
      'TLS certificates are not verified (--insecure): a browser would refuse an untrusted one (net::ERR_CERT_AUTHORITY_INVALID) unless its CA is installed',
    );
  if (cookie !== undefined) parsed.cookie = cookie;
  if (body !== undefined) parsed.body = body;
  // A pasted preflight asks about the preflight: the request it announces goes out only when asked for.
  if (pasted?.preflight && !parsed.unsafeProbes) parsed.holdUnsafeActual = true;
  if (page !== undefined) parsed.pageUrl = checkUrl(page, '--page');
  if (stack !== undefined) parsed.stack = stack;
  return parsed;
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout(HELP);
    return exitCodes.ok;
  }
  let confirmEngines: EngineName[] | null;
  try {
    ({ argv, engines: confirmEngines } = takeConfirmFlag(argv));
  } catch (err) {
    throw err instanceof ConfirmFlagError ? new UsageError(err.message) : err;
  }
  const parsed = await parseCheckArgs(argv, ctx);
  const u = new URL(parsed.input.request.url);
  if (u.username !== '' || u.password !== '') {
    // fetch() throws before any request exists; nothing would reach the network, so nothing is sent.
    const line = `TypeError: Failed to execute 'fetch' on 'Window': Request cannot be constructed from a URL that includes credentials: ${parsed.input.request.url}`;
    const fixUrl = `${u.protocol}//${u.host}${u.pathname}${u.search}`;
    const fix = `remove the user and password from the URL (${fixUrl}); send them as an Authorization header, e.g. -H "Authorization: Basic …"`;
    if (parsed.json)
      ctx.stdout(
        `${JSON.stringify({ schemaVersion: 1, refused: { chrome: line, fix }, request: parsed.input.request }, null, 2)}\n`,
      );
    else
      ctx.stdout(
        `✖ refused before sending  ${parsed.input.request.url}\n  Chrome console: ${line}\n  fix: ${fix}\n`,
      );
    return exitCodes.blocked;
  }
  const localNetwork = await inferLocalNetwork(parsed);
  const lnaNote = localNetworkNote(parsed, localNetwork);
  const watch = progress(ctx);
  // What the report needs loads once the requests are out (runCheck says when), while the server answers.
  const loadReport = () =>
    Promise.all([
      import('../../fix/index.ts'),
      parsed.json ? import('../../report/check-json.ts') : undefined,
      parsed.json ? undefined : import('../../report/check-text.ts'),
    ]);
  let later: ReturnType<typeof loadReport> | undefined;
  const running = runCheck(parsed.input, {
    whileWaiting: () => {
      later = loadReport();
      later.catch(() => {}); // awaited below; a failed load must not be an unhandled rejection meanwhile
    },
    localNetwork,
    ...(watch ? { observe: watch.observe } : {}),
    timeoutMs: parsed.timeoutMs,
    noProbes: parsed.noProbes,
    unsafeProbes: parsed.unsafeProbes,
    allProbes: parsed.allProbes,
    ...(parsed.cookie !== undefined ? { cookie: parsed.cookie } : {}),
    ...(parsed.body !== undefined ? { body: parsed.body } : {}),
    ...(parsed.pageUrl !== undefined ? { pageUrl: parsed.pageUrl } : {}),
    ...(parsed.holdUnsafeActual ? { holdUnsafeActual: true } : {}),
    ...(parsed.ca !== undefined ? { ca: parsed.ca } : {}),
    ...(parsed.insecure ? { insecure: true } : {}),
  });
  const report = await running;
  const [{ chooseFix }, jsonReport, textReport] = await (later ?? loadReport());
  watch?.done();
  // One fix for the whole diagnosis, for --stack or the stack the responses suggest (src/fix).
  const responses = report.exchanges.flatMap((x) => ('status' in x.response ? [x.response.headers] : []));
  const fix = chooseFix(parsed.input, report.findings, responses, parsed.stack);
  if (fix) for (const f of report.findings) f.fix.snippets = { [fix.stack]: fix.code };
  // Loaded only here: the engine drivers and their optional packages stay out of a plain check.
  const confirmations =
    confirmEngines === null
      ? undefined
      : await (await import('../../confirm/index.ts')).confirmReport(parsed.input.request, report, {
          engines: confirmEngines,
          ...(parsed.body !== undefined ? { body: parsed.body } : {}),
        });
  if (jsonReport)
    ctx.stdout(
      jsonReport.renderCheckJson(
        confirmations ? ({ ...report, confirm: confirmations } as CheckReport) : report,
        fix,
      ),
    );
  else if (textReport) {
    ctx.stdout(
      textReport.renderCheckText(report, {
        color: ctx.color,
        browser: parsed.browser,
        notes: [...parsed.notes, ...(lnaNote ? [lnaNote] : []), ...(report.browser.nextRequest ?? [])],
        allProbes: parsed.allProbes,
        fix,
        ...(parsed.stack !== undefined ? { stack: parsed.stack } : {}),
      }),
    );
    if (confirmations) ctx.stdout(renderConfirmText(confirmations, parsed.input.request, ctx.color));
  }
  const code = exitCodeFor(report);
  // A disagreement is the model's bug: the verdict printed above cannot be trusted, so not a clean 0.
  return confirmations?.some((c) => c.agree === false) && code === exitCodes.ok ? exitCodes.blocked : code;
}

/**
 * The LNA state of the check: the page's space from --origin, the API's from the address its host
 * resolves to (what Chrome connects to; an IP literal as is), the permission from --lna (default prompt,
 * a fresh profile). `applied`: a flag asked for it, or the API is a private device.
 */
export async function inferLocalNetwork(parsed: ParsedCheck): Promise<{
  page: AddressSpace;
  target: AddressSpace;
  permission: LnaPermission;
  applied: boolean;
}> {
  const page = parsed.lna.page ?? addressSpaceOfOrigin(parsed.input.request.origin);
  let target = parsed.lna.target;
  if (target === undefined) {
    const host = new URL(parsed.input.request.url).hostname.replace(/^\[|\]$/g, '');
    target = addressSpaceOfHost(host);
    if (target === 'public' && !/^[\d.]+$/.test(host) && !host.includes(':')) {
      // A name: the space is the resolved address's. Bounded: a slow resolver must not stall the check.
      // The resolver loads only here: an IP literal or localhost needs none.
      const { lookup } = await import('node:dns/promises');
      const resolved = await Promise.race([
        lookup(host).then(
          (a) => a.address,
          () => null,
        ),
        new Promise<null>((r) => setTimeout(() => r(null), 2000).unref()),
      ]);
      if (resolved !== null) target = addressSpaceOfHost(resolved);
    }
  }
  const explicit =
    parsed.lna.page !== undefined || parsed.lna.target !== undefined || parsed.lna.permission !== undefined;
  return {
    page,
    target,
    permission: parsed.lna.permission ?? 'prompt',
    applied: explicit || target === 'local',
  };
}

/** The plain note for a public page calling loopback when the verdict does not include the gate. */
function localNetworkNote(
  parsed: ParsedCheck,
  lna: Awaited<ReturnType<typeof inferLocalNetwork>>,
): string | undefined {
  if (lna.page !== 'public' || lna.target === 'public') return undefined;
  const name = permissionNameFor(lna.target);
  if (lna.applied)
    return lna.permission === 'granted'
      ? undefined
      : `Local Network Access: the requests listed were sent by cors-doctor to find what Chrome does once the '${name}' permission is granted; Chrome itself sends nothing until then.`;
  return `Local Network Access: ${parsed.input.request.origin} is a public origin and the API is on a ${lna.target} address, so Chrome 141+ in a fresh profile refuses this before sending it ("Permission was denied for this request to access the \`${lna.target}\` address space."), whatever the CORS headers. The verdict above is Chrome's once the '${name}' permission is granted. Fix: grant it (declare the call with fetch(url, { targetAddressSpace: '${lna.target}' })), or test from a local page origin (--origin http://localhost:<port>); --lna prompt reports the refusal itself.`;
}

/**
 * What is in flight, on stderr: one self-rewriting line on a TTY (so a hanging server is not ten seconds of
 * silence), or with --verbose one line per finished exchange. Nothing when stderr is piped or --quiet.
 */
function progress(
  ctx: CommandContext,
): { observe: NonNullable<RunCheckOptions['observe']>; done(): void } | undefined {
  if (!ctx.progress && !ctx.verbose) return undefined;
  const started = Date.now();
  const inFlight = new Map<WireRequest, number>();
  let answered = 0;
  const where = (r: WireRequest): string => {
    try {
      const u = new URL(r.url);
      return `${r.method} ${u.host}${u.pathname}`;
    } catch {
      return `${r.method} ${r.url}`;
    }
  };
  const live = ctx.progress === true && !ctx.verbose;
  const draw = (): void => {
    if (!live) return;
    const oldest = [...inFlight.entries()].sort((a, b) => a[1] - b[1])[0];
    const waiting = oldest
      ? `; waiting on ${where(oldest[0])} for ${((Date.now() - oldest[1]) / 1000).toFixed(1)} s`
      : '';
    ctx.stderr(`\r\x1b[2K… ${answered} answered, ${inFlight.size} in flight${waiting}`);
  };
  const timer = live ? setInterval(draw, 200) : undefined;
  timer?.unref();
  return {
    observe: {
      sent(request) {
        inFlight.set(request, Date.now());
      },
      answered(request, response) {
        inFlight.delete(request);
        answered++;
        if (ctx.verbose) {
          const what =
            response.kind === 'response'
              ? String(response.status)
              : `${response.netError} ${response.message ?? ''}`;
          ctx.stderr(
            `${String(Date.now() - started).padStart(5)} ms  ${request.purpose.padEnd(9)} ${where(request)} → ${what}\n`,
          );
        }
      },
    },
    done() {
      if (timer) clearInterval(timer);
      if (live) ctx.stderr('\r\x1b[2K');
    },
  };
}
