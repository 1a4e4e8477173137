/**
 * The CPU-profile share of our code per request (issue 13: "The CPU profile share of our code per
 * request goes in the note too"): each framework's app with ours, in bench/routing.ts's socketless
 * harness, under V8's sampling profiler (node:inspector, one sample per 100 µs). Ours: the samples in
 * our functions, and in the node:http calls they make themselves (setHeader, writeHead and end for a
 * preflight, …); not what they call back into (next(), Fastify's done(), Koa's ctx setters: the rest
 * of the request) nor a handler's own header write passing through one of our guards. The share is
 * that over every sample taken while the requests ran: the harness, the framework, Node's HTTP code
 * and the garbage collector (never counted as ours). No socket: with the kernel's part of a real
 * request, the share is smaller still. Three profiles per framework and scenario, interleaved with
 * the baseline's when there is one; the median is reported.
 *   BENCH_FRAMEWORKS=node,express   narrows the run
 *   BENCH_BASELINE=<dir>            also profiles that build's adapters (a before/after)
 */
import { Session } from 'node:inspector/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { buildApp } from './framework-apps.mjs';
import type { BenchRow } from './index.ts';
import { run, SCENARIOS } from './routing.ts';

const N = Number(process.env['BENCH_N'] ?? 30000);
const FRAMEWORKS = ['node', 'express', 'fastify', 'koa', 'hono'].filter(
  (f) => !process.env['BENCH_FRAMEWORKS'] || process.env['BENCH_FRAMEWORKS'].split(',').includes(f),
);
const BASELINE = process.env['BENCH_BASELINE'];
const OURS = fileURLToPath(new URL('../dist/src/middleware/', import.meta.url));

interface Profile {
  nodes: { id: number; callFrame: { url: string; functionName: string }; children?: number[] }[];
  samples: number[];
  timeDeltas: number[];
}

/** Our functions that pass a handler's own call through to Node (guards, writeHead wrappers). */
const PASS_THROUGH = new Set([
  'setHeaderGuard',
  'appendHeaderGuard',
  'removeHeaderGuard',
  'writeHeadGuard',
  'writeHead',
  'header',
  'removeHeader',
  'hijackWithCors',
]);

/** Our time and all time, in µs, of a profile; (idle) left out. Ours: see the file's comment. */
function share(p: Profile, dir: string): { ours: number; all: number; gc: number } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const url = (id: number) => byId.get(id)!.callFrame.url;
  const inDir = (id: number) => url(id).startsWith('file:') && fileURLToPath(url(id)).startsWith(dir);
  const memo = new Map<number, boolean>();
  const isOurs = (leaf: number): boolean => {
    let r = memo.get(leaf);
    if (r !== undefined) return r;
    r = false;
    if (inDir(leaf)) r = true;
    else
      for (let child = leaf, up = parent.get(leaf); up !== undefined; child = up, up = parent.get(up))
        if (inDir(up)) {
          r = !PASS_THROUGH.has(byId.get(up)!.callFrame.functionName) && url(child).startsWith('node:');
          break;
        }
    memo.set(leaf, r);
    return r;
  };
  let ours = 0;
  let all = 0;
  let gc = 0;
  for (let i = 0; i < p.samples.length; i++) {
    const id = p.samples[i]!;
    const name = byId.get(id)!.callFrame.functionName;
    if (name === '(idle)') continue;
    const dt = p.timeDeltas[i] ?? 0;
    all += dt;
    if (name === '(garbage collector)') gc += dt;
    else if (isOurs(id)) ours += dt;
  }
  return { ours, all, gc };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<BenchRow[]> {
  const builds: { label: string; base: URL | undefined; dir: string }[] = [
    { label: 'ours', base: undefined, dir: OURS },
  ];
  if (BASELINE !== undefined) {
    const adapters = pathToFileURL(`${BASELINE.replace(/\/$/, '')}/`);
    builds.push({ label: 'base', base: adapters, dir: fileURLToPath(new URL('../', adapters)) });
  }
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  const rows: BenchRow[] = [];
  try {
    for (const fw of FRAMEWORKS) {
      const apps = [];
      for (const b of builds) apps.push({ ...b, listener: (await buildApp(fw, 'ours', b.base)).listener });
      for (const s of SCENARIOS) {
        const runs = new Map<string, { ours: number; all: number; gc: number }[]>();
        for (let rep = 0; rep < 3; rep++)
          for (const a of apps) {
            await run(a.listener, s, N / 3); // warm-up, not profiled
            await session.post('Profiler.start');
            await run(a.listener, s, N);
            const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
            runs.set(a.label, [...(runs.get(a.label) ?? []), share(profile, a.dir)]);
          }
        for (const a of apps) {
          const xs = runs.get(a.label)!;
          const pct = median(xs.map((x) => x.ours / x.all));
          rows.push({
            name: `${fw} ${s.name}: share of ${a.label === 'ours' ? 'our code' : 'base'} per request`,
            value: 100 * pct,
            unit: '%',
            detail: `median of 3: ${median(xs.map((x) => x.ours / N)).toFixed(2)} of ${median(xs.map((x) => x.all / N)).toFixed(2)} µs sampled per request (GC ${(100 * median(xs.map((x) => x.gc / x.all))).toFixed(0)} %)`,
          });
        }
      }
    }
  } finally {
    await session.post('Profiler.disable');
    session.disconnect();
  }
  rows.push({
    name: 'method',
    value: N,
    unit: 'requests',
    detail: `per profile, after ${Math.round(N / 3)} unprofiled; 100 µs sampling; Node ${process.version}`,
  });
  return rows;
}
