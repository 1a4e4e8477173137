/**
 * `cors-doctor test` as the user meets it (issue 13, target 4): the CLI process (`node <bin> test
 * <contract> --json --concurrency N`) on a contract of 100 endpoints × 3 origins (1 allowed, 2 refused;
 * every fourth endpoint a preflighted, credentialed PUT), against bench/delayed-api.ts (every answer
 * 50 ms late) in a process of its own. With 2+ cores the API runs on core 0 and the CLI on core 1
 * (taskset), as in bench/frameworks.ts.
 *
 * Per concurrency 1, 8 and 32: the process's wall time (spawn to exit, Node's start-up included), its
 * floor = Σ sequential round trips of the 300 checks × 50 ms ÷ N (a GET is one round trip, an allowed PUT
 * two — preflight, then the PUT —, a refused PUT one: its preflight fails; the allowed origin's probes run
 * beside its request and none is longer than it): 325 round trips. Since the run shares identical
 * requests, the `null` origin's check takes the answer of the probing check's origin-null probe, which
 * leaves 225 round trips on the critical path (2 per GET endpoint, 3 per PUT): both ratios are printed,
 * the second is the one for a build that shares. Then the requests the API received, the most
 * connections it had open at once, and the CLI's peak memory and CPU: max RSS and user + system time
 * from GNU time (`/usr/bin/time -f`, the kernel's rusage of the child at exit, so no sampling can miss
 * the peak). Rounds interleave the concurrencies (the order rotates per round); medians over BENCH_RUNS
 * rounds. BENCH_BINS adds other builds (e.g. a before/after) to the same rounds.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { binPaths, label, median } from './check-process.ts';
import { APP } from './delayed-api.ts';
import type { ApiStats } from './delayed-api-process.ts';
import type { BenchRow } from './index.ts';

const DELAY_MS = 50;
const ENDPOINTS = 100;
const CONCURRENCY = [1, 8, 32];
const RUNS = Number(process.env['BENCH_RUNS'] ?? 3);
const PIN = os.cpus().length >= 2;
const GNU_TIME = '/usr/bin/time';
const root = fileURLToPath(new URL('..', import.meta.url));

function contractText(base: string): string {
  const endpoints = Array.from({ length: ENDPOINTS }, (_, i) =>
    i % 4 === 3
      ? `  - name: put-${i}\n    url: /items/${i}\n    method: PUT\n    headers: { Content-Type: application/json, Authorization: Bearer x }\n    data: '{}'\n    credentials: include\n    allow: [${APP}]\n    deny: [https://evil.example, "null"]\n`
      : `  - name: get-${i}\n    url: /items/${i}\n    credentials: include\n    allow: [${APP}]\n    deny: [https://evil.example, "null"]\n`,
  ).join('');
  return `version: 1\nbase: ${base}\nendpoints:\n${endpoints}`;
}

const pinned = (core: number, argv: string[]): [string, string[]] =>
  PIN ? ['taskset', ['-c', String(core), ...argv]] : [argv[0]!, argv.slice(1)];

async function ask<T>(api: ChildProcess, message: string): Promise<T> {
  api.send(message);
  const [reply] = (await once(api, 'message')) as [T];
  return reply;
}

interface Sample {
  wallMs: number;
  /** The run as the CLI timed it (summary.ms: contract parsed → report). */
  runMs: number;
  cpuS: number;
  rssKiB: number;
  requests: number;
  reportedRequests: number;
  peakOpen: number;
  apiCpuMs: number;
}

async function runCli(bin: string, file: string, concurrency: number, api: ChildProcess): Promise<Sample> {
  await ask(api, 'reset');
  const timeFile = `${file}.time`;
  const cli = [process.execPath, bin, 'test', file, '--json', '--concurrency', String(concurrency)];
  const hasTime = existsSync(GNU_TIME);
  const [cmd, args] = pinned(1, hasTime ? [GNU_TIME, '-f', '%M %U %S', '-o', timeFile, ...cli] : cli);
  const t0 = performance.now();
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
  const [code] = (await once(child, 'close')) as [number | null];
  const wallMs = performance.now() - t0;
  clearTimeout(timer);
  const stats = await ask<ApiStats>(api, 'stats');
  const report = JSON.parse(stdout) as {
    summary: { passed: number; failed: number; ms: number; requests: number };
  };
  if (code !== 0 || report.summary.failed > 0)
    throw new Error(
      `${label(bin)} concurrency ${concurrency}: exit ${code}, ${report.summary.failed} failed`,
    );
  const [rss, user, sys] = hasTime
    ? readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number)
    : [Number.NaN, Number.NaN, Number.NaN];
  return {
    wallMs,
    runMs: report.summary.ms,
    cpuS: user! + sys!,
    rssKiB: rss!,
    requests: stats.requests,
    reportedRequests: report.summary.requests,
    peakOpen: stats.peakOpen,
    apiCpuMs: stats.cpuMs,
  };
}

export default async function bench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(os.tmpdir(), 'cors-doctor-bench-'));
  const [cmd, args] = pinned(0, [
    process.execPath,
    '--import',
    'tsx',
    `${root}bench/delayed-api-process.ts`,
    String(DELAY_MS),
    JSON.stringify({ allowMethods: 'GET, PUT' }),
  ]);
  const api = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const rows: BenchRow[] = [];
  try {
    const [{ url }] = (await once(api, 'message')) as [{ url: string }];
    const file = join(dir, 'cors.contract.yaml');
    writeFileSync(file, contractText(url));
    const puts = Math.floor(ENDPOINTS / 4);
    const trips = (ENDPOINTS - puts) * 3 + puts * (2 + 1 + 1);
    const sharedTrips = trips - ENDPOINTS;
    const bins = binPaths({ tsc: false });
    const samples = bins.map(() => CONCURRENCY.map(() => [] as Sample[]));
    // One warm-up round (file cache, the API's JIT), then interleaved rounds, the order rotating.
    for (let round = -1; round < RUNS; round++) {
      for (let k = 0; k < CONCURRENCY.length; k++) {
        const c = (k + Math.max(round, 0)) % CONCURRENCY.length;
        for (const [b, bin] of bins.entries()) {
          const s = await runCli(bin, file, CONCURRENCY[c]!, api);
          if (round >= 0) samples[b]![c]!.push(s);
        }
      }
    }
    const load = os.loadavg().map((l) => l.toFixed(1));
    for (const [b, bin] of bins.entries()) {
      for (const [c, concurrency] of CONCURRENCY.entries()) {
        const ss = samples[b]![c]!;
        const m = (f: (s: Sample) => number): number => median(ss.map(f));
        const floor = (trips * DELAY_MS) / concurrency;
        const wall = m((s) => s.wallMs);
        const name = `[${label(bin)}] ${ENDPOINTS} endpoints × 3 origins, concurrency ${concurrency}`;
        rows.push({
          name: `${name}: wall`,
          value: wall / 1000,
          unit: 's',
          detail: `min ${(Math.min(...ss.map((s) => s.wallMs)) / 1000).toFixed(2)} s, run ${(m((s) => s.runMs) / 1000).toFixed(2)} s (the CLI's own summary.ms); floor ${trips} round trips × ${DELAY_MS} ms ÷ ${concurrency} = ${(floor / 1000).toFixed(2)} s`,
        });
        const sharedFloor = (sharedTrips * DELAY_MS) / concurrency;
        rows.push({
          name: `${name}: wall / floor`,
          value: wall / floor,
          unit: 'ratio',
          detail: `${(wall / sharedFloor).toFixed(2)} against the ${sharedTrips} round trips left when the null origin's checks take the probes' answers (${(sharedFloor / 1000).toFixed(2)} s)`,
        });
        rows.push({
          name: `${name}: CLI peak RSS`,
          value: m((s) => s.rssKiB) / 1024,
          unit: 'MiB',
          detail: `CLI CPU ${m((s) => s.cpuS).toFixed(2)} s (user + sys); API CPU ${(m((s) => s.apiCpuMs) / 1000).toFixed(2)} s`,
        });
        rows.push({
          name: `${name}: requests`,
          value: m((s) => s.requests),
          unit: 'req',
          detail: `received by the API (the report says ${m((s) => s.reportedRequests)}); at most ${m((s) => s.peakOpen)} connections open at once`,
        });
      }
    }
    rows.push({
      name: 'method',
      value: RUNS,
      unit: 'rounds',
      detail: `medians; ${os.cpus().length} cores, Node ${process.version}; API ${PIN ? 'taskset -c 0' : 'unpinned'}, CLI ${PIN ? 'taskset -c 1' : 'unpinned'}; load average ${load.join(' ')} at the end`,
    });
  } finally {
    if (api.exitCode === null) {
      api.send('close');
      await once(api, 'exit');
    }
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
