/**
 * `cors-doctor test`: a CORS contract checked against the live servers, for CI. Reads the contract, runs
 * one `check` per endpoint × origin (concurrently, under --concurrency, the whole run bounded by
 * --timeout), evaluates the expectations, prints text or JSON and writes JUnit/SARIF files on request.
 * Exit 0 every expectation holds, 1 one fails, 2 the contract (or a flag) is invalid.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import {
  type ContractResult,
  evaluateContract,
  planUnits,
  type Unit,
  type UnitOutcome,
  unitInput,
} from '../../contract/evaluate.ts';
import { contractFromObservations, type InitObservation } from '../../contract/init.ts';
import { checkContractOrigin } from '../../contract/origin.ts';
import { parseContract } from '../../contract/parse.ts';
import type { Contract, ContractEndpoint } from '../../contract/types.ts';
import { type CheckReport, runCheck, SAFE_METHODS } from '../../probe/check.ts';
import type { Sender } from '../../probe/drive.ts';
import { sendWire, type TimedResponse } from '../../probe/wire.ts';
import { renderContractJson, renderContractProblemsJson } from '../../report/contract-json.ts';
import { renderContractSarif } from '../../report/contract-sarif.ts';
import { renderContractProblems, renderContractText } from '../../report/contract-text.ts';
import { renderJunit } from '../../report/junit.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';
import { parseDuration } from './check.ts';

export const HELP = `cors-doctor test — check a CORS contract (allowed and refused origins, exposed headers) against the servers

Usage:
  cors-doctor test [contract-file] [options]
  cors-doctor test --init <url>... --origin <origin>... [contract-file]

The contract (default: cors.contract.yaml, .yml or .json in the current folder; format in docs/ci.md):
  every allow origin must be allowed by the browser (preflight and actual request), every deny origin
  refused, every expose header readable, and no error/security/warning finding left that ignore: lists.
  Probes stay safe: a PUT/POST/DELETE probe stops after its preflight (the page's own request is sent
  once per allowed origin, as the browser would).

Options:
  --base <url>           resolve the contract's relative URLs against this instead of its base:
                         (the same contract against staging and production)
  --json                 one JSON document on stdout (schemaVersion 1, schemas/contract-report.schema.json)
  --junit <file>         also write JUnit XML (a testsuite per endpoint, a testcase per expectation)
  --sarif <file>         also write SARIF 2.1.0 for code scanning (results at the contract's lines)
  --concurrency <N>      checks in flight at once (default 8; each check sends its probes concurrently)
  --timeout <time>       deadline of the whole run: 120s (default), 2500ms, or seconds; each check also
                         stops after 10 s. Checks not finished by then fail, the others still report
  --only <name>          run only this endpoint (repeatable, or comma-separated)
  --init <url>           write a starting contract from what the servers do now (repeatable; with
                         --origin, repeatable): to contract-file (default cors.contract.yaml; '-' prints
                         it), never over an existing file

Exit codes: 0 every expectation holds · 1 one fails · 2 the contract or a flag is invalid (every problem
listed with its line, column and the fix; nothing is sent)

Examples:
  cors-doctor test
  cors-doctor test --base https://staging.example.com --junit cors-junit.xml --sarif cors.sarif
  cors-doctor test --init https://api.example.com/api/orders --origin https://app.example.com --origin https://evil.example
`;

const VALUE_FLAGS = new Set([
  '--base',
  '--junit',
  '--sarif',
  '--concurrency',
  '--timeout',
  '--only',
  '--init',
  '--origin',
]);
const BOOL_FLAGS = new Set(['--json', '--help', '-h']);
export const DEFAULT_FILES = ['cors.contract.yaml', 'cors.contract.yml', 'cors.contract.json'];

export interface ParsedTest {
  file?: string;
  base?: string;
  json: boolean;
  junit?: string;
  sarif?: string;
  concurrency: number;
  timeoutMs: number;
  only: string[];
  init: string[];
  origins: string[];
}

export function parseTestArgs(argv: string[]): ParsedTest {
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
      if (v === undefined) throw new UsageError(`${arg} needs a value; see cors-doctor test --help`);
      values.set(arg, [...(values.get(arg) ?? []), v]);
    } else if (BOOL_FLAGS.has(arg)) flags.add(arg === '-h' ? '--help' : arg);
    else if (arg.startsWith('-') && arg !== '-')
      throw new UsageError(`unknown flag '${arg}' for test; see cors-doctor test --help`);
    else positional.push(arg);
  }
  if (positional.length > 1)
    throw new UsageError(`test takes one contract file (got ${positional.join(' ')})`);
  const last = (k: string): string | undefined => values.get(k)?.at(-1);
  const c = last('--concurrency') ?? '8';
  const concurrency = Number(c);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)
    throw new UsageError(`--concurrency '${c}' must be a whole number from 1 to 256, e.g. --concurrency 8`);
  const list = (k: string): string[] =>
    (values.get(k) ?? []).flatMap((v) =>
      v
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
    );
  const parsed: ParsedTest = {
    json: flags.has('--json'),
    concurrency,
    timeoutMs: parseDuration(last('--timeout') ?? '120s'),
    only: list('--only'),
    init: values.get('--init') ?? [],
    origins: list('--origin'),
  };
  if (positional[0] !== undefined) parsed.file = positional[0];
  const base = last('--base');
  if (base !== undefined) {
    let u: URL | undefined;
    try {
      u = new URL(base);
    } catch {}
    if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:'))
      throw new UsageError(
        `--base '${base}' is not an absolute http(s) URL (e.g. --base https://staging.example.com)`,
      );
    parsed.base = u.href;
  }
  const junit = last('--junit');
  const sarif = last('--sarif');
  if (junit !== undefined) parsed.junit = junit;
  if (sarif !== undefined) parsed.sarif = sarif;
  if (parsed.init.length === 0 && parsed.origins.length > 0)
    throw new UsageError(
      '--origin goes with --init; in a contract, origins are listed under allow: and deny:',
    );
  return parsed;
}

/** Runs `work` over `items` with at most `limit` in flight, results in the items' order. */
export async function pool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/**
 * One answer per identical request in a run. A contract's checks repeat requests byte for byte: every
 * endpoint under one base sends the same root-path and missing-path probes, a deny origin's request is
 * also the probing check's (`null`), and without a cookie the anonymous probes are the page's own
 * request. The first goes out; the others take a copy of its answer. Only safe methods without a body,
 * and only answers: a failure (a timeout under another check's deadline, a refused connection) is sent
 * again by the next check that asks.
 */
export function sharedSender(send: Sender = sendWire): Sender & { sent(): number } {
  const answers = new Map<string, Promise<TimedResponse>>();
  let sent = 0;
  const own: Sender = (request, o) => {
    sent++;
    return send(request, o);
  };
  const shared: Sender = (request, o) => {
    if (
      !SAFE_METHODS.has(request.method.toUpperCase()) ||
      (request.purpose === 'actual' && o.body !== undefined)
    )
      return own(request, o);
    // A check past its deadline ends its requests as timeouts, shared or not (sendWire sends nothing then).
    if (o.signal?.aborted) return send(request, o);
    // What wireHeaderLines puts on the wire depends on these alone (Host and the rest follow the URL).
    const key = JSON.stringify([
      request.method,
      request.url,
      request.headers,
      request.withCredentials ? (o.cookie ?? null) : null,
    ]);
    const first = answers.get(key);
    if (first === undefined) {
      const answer = own(request, o);
      answers.set(key, answer);
      void answer.then((r) => {
        if (r.kind !== 'response') answers.delete(key);
      });
      return answer;
    }
    return first.then((r) =>
      r.kind === 'response' ? { ...r, headers: r.headers.map(([n, v]) => [n, v] as const) } : own(request, o),
    );
  };
  return Object.assign(shared, { sent: () => sent });
}

/** Each check's own deadline inside the run's (DESIGN.md: a check takes 10 s at most by default). */
const CHECK_TIMEOUT_MS = 10_000;
/** Below this much time left, a check would only end as a timeout: it is reported as not run. */
const MIN_CHECK_MS = 250;

export interface RunOutcome {
  result: ContractResult;
  ms: number;
  /** Requests put on the wire (a shared answer or a probe's unsent unsafe request is not one). */
  requests: number;
  timedOut: boolean;
}

/**
 * The allowed origin whose check runs the probes: the first that is not a development origin (loopback
 * or null), since the localhost rule reports only for a production-like origin (DESIGN.md), else the first.
 */
export function probingOrigin(e: ContractEndpoint): string | undefined {
  const dev = (o: string) =>
    o === 'null' || /^https?:\/\/(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/.test(o);
  return e.allow.find((o) => !dev(o)) ?? e.allow[0];
}

/** Runs every unit's check and evaluates the contract (the CLI and the bench use this). */
export async function runContract(
  contract: Contract,
  opts: {
    concurrency: number;
    timeoutMs: number;
    only?: string[];
    onDone?: (u: Unit, o: UnitOutcome) => void;
  },
): Promise<RunOutcome> {
  const started = performance.now();
  const deadline = started + opts.timeoutMs;
  const units = planUnits(contract, opts.only);
  let timedOut = false;
  const send = sharedSender();
  const outcomes = await pool(units, opts.concurrency, async (u): Promise<UnitOutcome> => {
    const left = deadline - performance.now();
    let outcome: UnitOutcome;
    if (left < MIN_CHECK_MS) {
      timedOut = true;
      outcome = {
        notRun: `not run: the run's --timeout (${opts.timeoutMs} ms) passed before this check started`,
      };
    } else {
      try {
        const e = u.endpoint;
        const check = (noProbes: boolean) =>
          runCheck(unitInput(u), {
            timeoutMs: Math.max(MIN_CHECK_MS, Math.min(CHECK_TIMEOUT_MS, deadline - performance.now())),
            noProbes,
            send,
            ...(e.data !== undefined ? { body: e.data } : {}),
            ...(e.cookie !== undefined && e.credentials === 'include' ? { cookie: e.cookie } : {}),
          });
        // Probes look at the endpoint, not at one origin (other origins, error statuses, attacker
        // origins): one allowed origin per endpoint runs them. A refused origin needs no diagnosis (the
        // browser's own requests prove the refusal). A check whose verdict goes against the contract
        // (a deny origin gets in, another allow origin is blocked) runs again with probes, to name the
        // cause (origin-reflected, origin-mismatch, …).
        const probing = u.expect === 'allow' && u.origin === probingOrigin(e);
        let report = await check(!probing);
        const against = u.expect === 'deny' ? report.browser.allowed : !report.browser.allowed;
        if (!probing && against && deadline - performance.now() > MIN_CHECK_MS) {
          report = await check(false);
        }
        if (report.stats.timedOut && left < CHECK_TIMEOUT_MS) timedOut = true;
        outcome = { report };
      } catch (err) {
        // One broken check fails its own cases, never the run.
        outcome = { notRun: `the check could not run: ${err instanceof Error ? err.message : String(err)}` };
      }
    }
    opts.onDone?.(u, outcome);
    return outcome;
  });
  return {
    result: evaluateContract(contract, units, outcomes),
    ms: performance.now() - started,
    requests: send.sent(),
    timedOut,
  };
}

function findContract(file: string | undefined): string {
  if (file !== undefined) {
    if (!existsSync(file))
      throw new UsageError(
        `contract file ${file} not found; write one (docs/ci.md) or start with cors-doctor test --init <url> --origin <origin>`,
      );
    return file;
  }
  const found = DEFAULT_FILES.find((f) => existsSync(f));
  if (found === undefined)
    throw new UsageError(
      `no contract here (${DEFAULT_FILES.join(', ')}): give its path, or write one with cors-doctor test --init <url> --origin <origin>`,
    );
  return found;
}

/** The contract's path as SARIF wants it: relative to the repository (the working folder), forward slashes. */
function sarifUri(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel.startsWith('..') ? `file://${resolve(file)}` : rel.split(sep).join('/');
}

function writeOut(file: string, text: string, flag: string): void {
  try {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(file, text);
  } catch (err) {
    throw new UsageError(
      `${flag} ${file}: cannot write it (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
}

function version(): string {
  try {
    return (
      JSON.parse(readFileSync(new URL('../../../../package.json', import.meta.url), 'utf8')) as {
        version: string;
      }
    ).version;
  } catch {
    try {
      return (
        JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
          version: string;
        }
      ).version;
    } catch {
      return '0.0.0';
    }
  }
}

async function runInit(p: ParsedTest, ctx: CommandContext): Promise<number> {
  if (p.origins.length === 0)
    throw new UsageError(
      '--init needs the origins to try: add --origin https://app.example.com (repeatable)',
    );
  const origins = p.origins.map((o) => {
    const c = checkContractOrigin(o);
    if (!c.ok) throw new UsageError(`--origin ${o}: ${c.message}; ${c.fix}`);
    return c.origin;
  });
  const urls = p.init.map((u) => {
    let url: URL;
    try {
      url = new URL(u);
    } catch {
      throw new UsageError(`--init '${u}' is not an absolute URL (e.g. https://api.example.com/api/orders)`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new UsageError(`--init ${u}: CORS applies to http:// and https:// URLs only`);
    return url.href;
  });
  const target = p.file ?? DEFAULT_FILES[0]!;
  if (target !== '-' && existsSync(target))
    throw new UsageError(
      `${target} exists; --init never overwrites: give another file name, or '-' to print it`,
    );
  const pairs = urls.flatMap((url) => origins.map((origin) => ({ url, origin })));
  const observations = await pool(pairs, p.concurrency, async ({ url, origin }): Promise<InitObservation> => {
    const report: CheckReport = await runCheck(
      {
        request: {
          url,
          origin,
          method: 'GET',
          headers: [],
          credentials: 'same-origin',
          mode: 'cors',
          initiator: 'fetch',
        },
        expose: [],
      },
      { timeoutMs: Math.min(CHECK_TIMEOUT_MS, p.timeoutMs) },
    );
    return { url, origin, report };
  });
  const text = contractFromObservations(observations);
  if (target === '-') ctx.stdout(text);
  else {
    writeOut(target, text, '--init');
    ctx.stderr(
      `wrote ${target} (${urls.length} endpoint${urls.length === 1 ? '' : 's'} × ${origins.length} origin${origins.length === 1 ? '' : 's'}): review it, then run cors-doctor test ${target === DEFAULT_FILES[0] ? '' : target}\n`,
    );
  }
  return exitCodes.ok;
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    ctx.stdout(HELP);
    return exitCodes.ok;
  }
  const p = parseTestArgs(argv);
  if (p.init.length > 0) return runInit(p, ctx);
  const file = findContract(p.file);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  const parsed = parseContract(text, p.base !== undefined ? { base: p.base } : {});
  if (!parsed.ok) {
    if (p.json) ctx.stdout(renderContractProblemsJson(file, parsed.problems));
    else ctx.stderr(renderContractProblems(file, parsed.problems));
    return exitCodes.usage;
  }
  const contract = parsed.contract;
  const unknown = p.only.filter((n) => !contract.endpoints.some((e) => e.name === n));
  if (unknown.length > 0)
    throw new UsageError(
      `--only ${unknown.join(', ')}: no such endpoint in ${file}; its endpoints are ${contract.endpoints.map((e) => e.name).join(', ')}`,
    );
  let done = 0;
  const total = planUnits(contract, p.only).length;
  const run = await runContract(contract, {
    concurrency: p.concurrency,
    timeoutMs: p.timeoutMs,
    only: p.only,
    ...(ctx.progress ? { onDone: () => ctx.stderr(`\r\x1b[2K… ${++done}/${total} checks`) } : {}),
  });
  if (ctx.progress) ctx.stderr('\r\x1b[2K');
  const meta = { contract: file, ms: run.ms, requests: run.requests, timedOut: run.timedOut };
  if (p.junit !== undefined)
    writeOut(
      p.junit,
      renderJunit(run.result, {
        contract: file,
        ms: run.ms,
        timestamp: new Date().toISOString().replace(/\.\d+Z$/, ''),
      }),
      '--junit',
    );
  if (p.sarif !== undefined)
    writeOut(
      p.sarif,
      renderContractSarif(run.result, { uri: sarifUri(file), version: version() }),
      '--sarif',
    );
  if (p.json) ctx.stdout(renderContractJson(run.result, meta));
  else ctx.stdout(renderContractText(run.result, { color: ctx.color, ms: run.ms, requests: run.requests }));
  return run.result.failed === 0 ? exitCodes.ok : exitCodes.blocked;
}
