/**
 * `check` as the user meets it: the whole CLI process (`node <bin> check … --json`) against a loopback API
 * that delays every response by 100 ms. Figure: (wall of the check process − wall of `--version`) divided
 * by the critical path's floor (the page's sequential round trips × 100 ms). Subtracting `--version`
 * removes Node's own start-up, which no change in this project can touch.
 *
 * Also the time to first byte: from spawning the process to the API receiving the first request (the
 * server stamps arrivals with the same clock), minus the same for `--version`'s exit.
 *
 * Rounds are interleaved (version, case 1, case 2, case 3, version, …) so each sees the same machine
 * load; medians over RUNS rounds. The bin is what `package.json` "bin" names (the bundled entry when
 * built; `npm run bench` builds first).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { APP, type DelayedApi, delayedApi } from './delayed-api.ts';
import type { BenchRow } from './index.ts';

const DELAY_MS = 100;
const RUNS = Number(process.env['BENCH_RUNS'] ?? 9);
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * The entries timed, in the same interleaved rounds: package.json's bin (the bundle) and, unless `tsc` is
 * false, the tsc output it replaced; BENCH_BINS (comma-separated paths) adds others, e.g. an older build
 * for a before/after.
 */
export function binPaths({ tsc = true }: { tsc?: boolean } = {}): string[] {
  const pkg = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> };
  const extra = (process.env['BENCH_BINS'] ?? '').split(',').filter((s) => s !== '');
  return [
    ...new Set([
      `${root}${pkg.bin['cors-doctor']}`,
      ...(tsc ? [`${root}dist/src/cli/main.js`] : []),
      ...extra,
    ]),
  ];
}
export const label = (bin: string): string => (bin.startsWith(root) ? bin.slice(root.length) : bin);

interface Run {
  ms: number;
  /** ms from spawn to the first request's arrival (NaN when none arrived). */
  ttfb: number;
  stdout: string;
  code: number | null;
}

async function runProcess(bin: string, args: string[], api: DelayedApi): Promise<Run> {
  api.arrivals.length = 0;
  const t0 = performance.now();
  const child = spawn(process.execPath, [bin, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d: string) => {
    stdout += d;
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const code = await new Promise<number | null>((r) => child.on('close', (c) => r(c)));
  clearTimeout(timer);
  const ms = performance.now() - t0;
  const first = api.arrivals[0];
  return { ms, ttfb: first === undefined ? Number.NaN : first - t0, stdout, code };
}

export const median = (xs: number[]): number => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

interface Case {
  name: string;
  args: (url: string) => string[];
  /** exit code expected, so a broken run is never timed as a fast one. */
  code: number;
}

const CASES: Case[] = [
  {
    name: 'GET, no preflight (allowed)',
    args: (u) => ['check', `${u}/data`, '--origin', APP, '--json'],
    code: 0,
  },
  {
    name: 'PUT + Authorization + credentials, preflighted (allowed)',
    args: (u) => [
      'check',
      `${u}/items/1`,
      '--origin',
      APP,
      '--method',
      'PUT',
      '-H',
      'Authorization: Bearer x',
      '-H',
      'Content-Type: application/json',
      '--credentials',
      'include',
      '--json',
    ],
    code: 0,
  },
  {
    name: 'GET from an origin not allowed (blocked)',
    args: (u) => ['check', `${u}/data`, '--origin', 'https://other.example.net', '--json'],
    code: 1,
  },
];

export default async function bench(): Promise<BenchRow[]> {
  const api = await delayedApi(DELAY_MS);
  const rows: BenchRow[] = [];
  const bins = binPaths();
  try {
    const version = bins.map(() => [] as Run[]);
    const runs = bins.map(() => CASES.map(() => [] as Run[]));
    const trips: number[] = CASES.map(() => 0);
    // One warm-up round (file cache), then interleaved rounds: every bin and case once per round.
    for (let round = -1; round < RUNS; round++) {
      for (const [b, bin] of bins.entries()) {
        const v = await runProcess(bin, ['--version'], api);
        if (v.code !== 0) throw new Error(`${bin} --version exited ${v.code}`);
        if (round >= 0) version[b]!.push(v);
        for (const [i, c] of CASES.entries()) {
          const r = await runProcess(bin, c.args(api.url), api);
          if (r.code !== c.code)
            throw new Error(`${label(bin)} ${c.name}: exit ${r.code}, expected ${c.code}: ${r.stdout}`);
          const report = JSON.parse(r.stdout) as { exchanges: { purpose: string }[] };
          trips[i] = report.exchanges.filter(
            (x) => x.purpose === 'preflight' || x.purpose === 'actual',
          ).length;
          if (round >= 0) runs[b]![i]!.push(r);
        }
      }
    }
    for (const [b, bin] of bins.entries()) {
      const base = median(version[b]!.map((r) => r.ms));
      rows.push({
        name: `[${label(bin)}] --version (process), median`,
        value: base,
        unit: 'ms',
        detail: `${RUNS} interleaved rounds`,
      });
      for (const [i, c] of CASES.entries()) {
        const wall = median(runs[b]![i]!.map((r) => r.ms));
        const floor = trips[i]! * DELAY_MS;
        const ttfb = median(runs[b]![i]!.map((r) => r.ttfb));
        rows.push({
          name: `[${label(bin)}] ${c.name}: (wall − version) / floor`,
          value: (wall - base) / floor,
          unit: 'ratio',
          detail: `median wall ${Math.round(wall)} ms − ${Math.round(base)} ms; floor ${trips[i]} × ${DELAY_MS} ms; target ≤ 1.2`,
        });
        rows.push({
          name: `[${label(bin)}] ${c.name}: spawn → first byte at the server`,
          value: ttfb,
          unit: 'ms',
          detail: `${Math.round(ttfb - base)} ms more than the whole --version process`,
        });
      }
    }
  } finally {
    await api.close();
  }
  return rows;
}
