/**
 * explain's cold start: `node <bin> explain "<line>"` against `node -e 0` (the floor any
 * Node CLI pays), median of N runs each, interleaved so both see the same machine load. Also the
 * recogniser's in-process speed on a large paste. Needs `npm run build` (npm run bench does it).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { explain } from '../src/explain/index.ts';
import type { BenchRow } from './index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
/** What users run (package.json "bin": the bundle), and the tsc output it replaced, timed alike. */
const MAIN = `${root}${(JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as { bin: Record<string, string> }).bin['cors-doctor']}`;
const TSC_MAIN = `${root}dist/src/cli/main.js`;
const LINE =
  "Access to fetch at 'https://api.example.com/data' from origin 'https://myapp.com' has been blocked by CORS policy: Response to preflight request doesn't pass access control check: No 'Access-Control-Allow-Origin' header is present on the requested resource.";
const RUNS = 15;

function timeRun(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 30_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

export default async function bench(): Promise<BenchRow[]> {
  const floor: number[] = [];
  const entry: number[] = [];
  const cold: number[] = [];
  const coldTsc: number[] = [];
  timeRun(['-e', '0']); // warm the file cache once
  timeRun([MAIN, 'explain', LINE]);
  timeRun([TSC_MAIN, 'explain', LINE]);
  for (let i = 0; i < RUNS; i++) {
    floor.push(timeRun(['-e', '0']));
    entry.push(timeRun([MAIN, '--version']));
    cold.push(timeRun([MAIN, 'explain', LINE]));
    coldTsc.push(timeRun([TSC_MAIN, 'explain', LINE]));
  }
  const base = median(floor);
  const ours = median(cold);

  // In-process: a 200-line console dump with 50 CORS messages among the noise.
  const paste = Array.from({ length: 50 }, (_, i) =>
    [
      `VM${i}:1 ${LINE.replace('/data', `/data${i}`)}`,
      `PUT https://api.example.com/data${i} net::ERR_FAILED`,
      'Uncaught (in promise) TypeError: Failed to fetch',
      '    at app.js:12:5',
    ].join('\n'),
  ).join('\n');
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < 1000) {
    const o = explain(paste);
    if (!o.ok || o.result.messages.length !== 50) throw new Error('explain lost messages');
    n++;
  }
  const perPaste = (performance.now() - t0) / n;

  return [
    { name: 'node -e 0 (floor), median', value: base, unit: 'ms', detail: `${RUNS} runs` },
    {
      name: 'cors-doctor --version (the CLI entry alone), median',
      value: median(entry),
      unit: 'ms',
      detail: `${(median(entry) / base).toFixed(2)}× node -e 0`,
    },
    {
      name: 'cors-doctor explain "<line>" cold start, median',
      value: ours,
      unit: 'ms',
      detail: `${(ours / base).toFixed(2)}× node -e 0 (+${(ours - base).toFixed(0)} ms)`,
    },
    {
      name: 'the same from the unbundled tsc output (dist/src), median',
      value: median(coldTsc),
      unit: 'ms',
      detail: `${(median(coldTsc) / base).toFixed(2)}× node -e 0 (+${(median(coldTsc) - base).toFixed(0)} ms)`,
    },
    {
      name: 'explain() on a 200-line paste with 50 messages',
      value: perPaste,
      unit: 'ms',
      detail: `${(paste.length / 1024 / (perPaste / 1000)).toFixed(0)} KiB/s`,
    },
  ];
}
