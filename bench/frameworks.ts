/**
 * Middleware throughput in real servers (issue 13, target 3): node:http, Express, Fastify, Koa and Hono,
 * each variant (no CORS, the same headers by hand on node:http, ours, the framework's own CORS package)
 * a server process of its own pinned to core 0 (`taskset -c 0`), the load generator (autocannon's CLI,
 * 10 connections, BENCH_DURATION s per run) a process pinned to core 1. Rounds interleave every variant
 * and scenario (the order rotates per round); figures are medians over BENCH_ROUNDS rounds.
 * Reported: ours / hand-set and ours / peer in requests per second (≥ 0.98 and ≥ 1.0 wanted) and the same
 * in server CPU per request (process.cpuUsage read over a control port around each run: less sensitive to
 * the other load on a shared machine than req/s). Needs `npm run build` (dist/) and Linux's taskset.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { BenchRow } from './index.ts';

const run = promisify(execFile);
const root = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const DURATION = Number(process.env['BENCH_DURATION'] ?? 2);
const APP = 'https://app.example.com';
const PIN = os.cpus().length >= 2;

/** BENCH_FRAMEWORKS=node,fastify narrows the run. */
const FRAMEWORKS = ['node', 'express', 'fastify', 'koa', 'hono'].filter(
  (f) => !process.env['BENCH_FRAMEWORKS'] || process.env['BENCH_FRAMEWORKS'].split(',').includes(f),
);
type Variant = 'none' | 'hand' | 'ours' | 'peer';
const PEER: Record<string, string> = {
  node: 'cors',
  express: 'cors',
  fastify: '@fastify/cors',
  koa: '@koa/cors',
  hono: 'hono/cors',
};

interface Scenario {
  name: string;
  method: string;
  headers: Record<string, string>;
  /** What a correct CORS variant answers, checked once before timing so a broken set-up is never timed. */
  expect: { status: number; allowOrigin: string | null };
}
const SCENARIOS: Scenario[] = [
  {
    name: 'allowed simple GET',
    method: 'GET',
    headers: { origin: APP },
    expect: { status: 200, allowOrigin: APP },
  },
  {
    name: 'allowed preflight',
    method: 'OPTIONS',
    headers: {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization,content-type',
    },
    expect: { status: 204, allowOrigin: APP },
  },
  {
    name: 'refused origin GET',
    method: 'GET',
    headers: { origin: 'https://evil.test' },
    expect: { status: 200, allowOrigin: null },
  },
];

interface Server {
  framework: string;
  variant: Variant;
  port: number;
  control: number;
  child: ChildProcess;
}

async function start(framework: string, variant: Variant): Promise<Server> {
  const args = [`${root}bench/frameworks-server.mjs`, framework, variant];
  const child = PIN
    ? spawn('taskset', ['-c', '0', process.execPath, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    : spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  clearTimeout(timer);
  const [port, control] = chunk.toString().trim().split(' ').map(Number) as [number, number];
  return { framework, variant, port, control, child };
}

async function cpu(s: Server): Promise<number> {
  const r = await fetch(`http://127.0.0.1:${s.control}/`, { signal: AbortSignal.timeout(5000) });
  const { user, system } = (await r.json()) as { user: number; system: number };
  return user + system;
}

async function verify(s: Server, sc: Scenario): Promise<void> {
  const r = await fetch(`http://127.0.0.1:${s.port}/`, {
    method: sc.method,
    headers: sc.headers,
    signal: AbortSignal.timeout(5000),
  });
  const acao = r.headers.get('access-control-allow-origin');
  if (s.variant !== 'none' && (r.status !== sc.expect.status || acao !== sc.expect.allowOrigin))
    throw new Error(
      `${s.framework}/${s.variant} ${sc.name}: got ${r.status} with Allow-Origin ${acao}, expected ${sc.expect.status} with ${sc.expect.allowOrigin}`,
    );
}

interface Sample {
  rps: number;
  cpuUsPerReq: number;
}

async function load(s: Server, sc: Scenario): Promise<Sample> {
  const ac = [
    `${root}node_modules/autocannon/autocannon.js`,
    '-c',
    '10',
    '-d',
    String(DURATION),
    '-j',
    '-m',
    sc.method,
    ...Object.entries(sc.headers).flatMap(([k, v]) => ['-H', `${k}=${v}`]),
    `http://127.0.0.1:${s.port}/`,
  ];
  const before = await cpu(s);
  const { stdout } = PIN
    ? await run('taskset', ['-c', '1', process.execPath, ...ac], { timeout: (DURATION + 20) * 1000 })
    : await run(process.execPath, ac, { timeout: (DURATION + 20) * 1000 });
  const after = await cpu(s);
  const out = JSON.parse(stdout) as { requests: { total: number }; duration: number; errors: number };
  if (out.errors > 0) throw new Error(`${s.framework}/${s.variant} ${sc.name}: ${out.errors} errors`);
  return { rps: out.requests.total / out.duration, cpuUsPerReq: (after - before) / out.requests.total };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<BenchRow[]> {
  const servers: Server[] = [];
  try {
    for (const fw of FRAMEWORKS)
      for (const v of ['none', 'hand', 'ours', 'peer'] as Variant[])
        if (v !== 'hand' || fw === 'node') servers.push(await start(fw, v));
    for (const s of servers) for (const sc of SCENARIOS) await verify(s, sc);
    const samples = new Map<string, Sample[]>();
    const key = (s: Server, sc: Scenario) => `${s.framework}/${s.variant}/${sc.name}`;
    for (let round = 0; round < ROUNDS; round++)
      for (const sc of SCENARIOS)
        for (let i = 0; i < servers.length; i++) {
          // Rotate the order each round, so no variant always runs right after the same neighbour.
          const s = servers[(i + round * 5) % servers.length]!;
          const x = await load(s, sc);
          samples.set(key(s, sc), [...(samples.get(key(s, sc)) ?? []), x]);
        }
    const rows: BenchRow[] = [];
    const med = (s: Server | undefined, sc: Scenario) => {
      const xs = samples.get(key(s!, sc))!;
      return { rps: median(xs.map((x) => x.rps)), cpu: median(xs.map((x) => x.cpuUsPerReq)) };
    };
    const find = (fw: string, v: Variant) => servers.find((s) => s.framework === fw && s.variant === v);
    for (const sc of SCENARIOS)
      for (const fw of FRAMEWORKS) {
        const o = med(find(fw, 'ours'), sc);
        const p = med(find(fw, 'peer'), sc);
        const n = med(find(fw, 'none'), sc);
        if (fw === 'node') {
          const h = med(find(fw, 'hand'), sc);
          rows.push({
            name: `node:http ${sc.name}: ours / hand-set headers, req/s`,
            value: o.rps / h.rps,
            unit: 'ratio',
            detail: `ours ${Math.round(o.rps)}, hand ${Math.round(h.rps)}, none ${Math.round(n.rps)} req/s; CPU/req ours ${o.cpu.toFixed(1)} µs, hand ${h.cpu.toFixed(1)} µs (hand/ours ${(h.cpu / o.cpu).toFixed(2)}); target ≥ 0.98`,
          });
        }
        rows.push({
          name: `${fw} ${sc.name}: ours / ${PEER[fw]}, req/s`,
          value: o.rps / p.rps,
          unit: 'ratio',
          detail: `ours ${Math.round(o.rps)}, peer ${Math.round(p.rps)}, none ${Math.round(n.rps)} req/s; CPU/req ours ${o.cpu.toFixed(1)} µs, peer ${p.cpu.toFixed(1)} µs, none ${n.cpu.toFixed(1)} µs (peer/ours ${(p.cpu / o.cpu).toFixed(2)}); target ≥ 1.0`,
        });
      }
    rows.push({
      name: 'method',
      value: ROUNDS,
      unit: 'rounds',
      detail: `${os.cpus().length} cores, Node ${process.version}; servers ${PIN ? 'taskset -c 0' : 'unpinned'}, autocannon ${PIN ? 'taskset -c 1' : 'unpinned'}, 10 connections, ${DURATION} s per run, medians`,
    });
    return rows;
  } finally {
    for (const s of servers) s.child.kill();
  }
}
