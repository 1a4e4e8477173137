/**
 * Middleware cost per request inside each real framework, without sockets: a real http.IncomingMessage
 * and http.ServerResponse (no socket: the response is serialised, not sent) handed to the framework's
 * own request listener (node:http handler, Express app, Fastify's routing, Koa's callback, Hono's
 * @hono/node-server listener). The framework's whole pipeline runs, header serialisation included;
 * the kernel and the load generator do not, so the figures resolve differences of a microsecond that
 * autocannon on this shared machine cannot (bench/frameworks.ts). CPU time (process.cpuUsage) per
 * request; rounds interleave every variant; the figure per variant is the minimum over rounds (load from
 * other processes only ever adds time). The apps are ./framework-apps.mjs, as under autocannon; ours
 * from dist/ (`npm run bench` builds first).
 *   BENCH_FRAMEWORKS=node,express   narrows the run
 *   BENCH_BASELINE=<dir>            adds `base`: ours from another build's dist/src/middleware/adapters/
 *                                   (a before/after in the same run, interleaved like the rest)
 *   BENCH_SOLO=<k>                  each variant in a process of its own instead, k processes per
 *                                   variant, interleaved; the figure is the median of their minimums.
 *                                   Variants sharing a process share V8's feedback on node:http's and
 *                                   our code: two copies of the unchanged Hono adapter differ there by
 *                                   10–15 %, in processes of their own by 0–6 % (docs/performance.md §3).
 */
import { execFile } from 'node:child_process';
import http from 'node:http';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { APP, buildApp } from './framework-apps.mjs';
import type { BenchRow } from './index.ts';

const N = Number(process.env['BENCH_N'] ?? 3000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;
type Variant = 'none' | 'hand' | 'ours' | 'peer' | 'base';

const FRAMEWORKS = ['node', 'express', 'fastify', 'koa', 'hono'].filter(
  (f) => !process.env['BENCH_FRAMEWORKS'] || process.env['BENCH_FRAMEWORKS'].split(',').includes(f),
);
const BASELINE = process.env['BENCH_BASELINE'];
const SOLO = Number(process.env['BENCH_SOLO'] ?? 0);
/** Set in a BENCH_SOLO child: the one `framework/variant` it times. */
const ONLY = process.env['BENCH_ONLY'];

export const SCENARIOS = [
  { name: 'allowed simple GET', method: 'GET', headers: { origin: APP } },
  {
    name: 'allowed preflight',
    method: 'OPTIONS',
    headers: {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization,content-type',
    },
  },
  { name: 'refused origin GET', method: 'GET', headers: { origin: 'https://evil.test' } },
];

/**
 * One request through the listener; resolves when the framework has called res.end(). The header
 * lines go in as node:http's parser hands them over (rawHeaders, req.headers built from them on first
 * read): a `req.headers` made by object spread made every read of an absent header (ours reads two
 * on each request) cost ~90 ns instead of ~2, a cost no real request has.
 */
export function once(listener: Listener, s: (typeof SCENARIOS)[number]): Promise<http.ServerResponse> {
  const req = new http.IncomingMessage(null as never);
  req.method = s.method;
  req.url = '/';
  const raw = [...Object.entries(s.headers).flat(), 'host', 'bench.test'];
  (req as unknown as { _addHeaderLines(h: string[], n: number): void })._addHeaderLines(raw, raw.length);
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  req.push(null);
  const res = new http.ServerResponse(req);
  return new Promise((resolve) => {
    const end = res.end;
    res.end = function (this: http.ServerResponse, ...a: unknown[]) {
      (end as (...x: unknown[]) => unknown).apply(this, a);
      resolve(res);
      return this;
    } as typeof res.end;
    listener(req, res);
  });
}

/**
 * `n` requests one after the other. Every 256 the event loop turns once, as it does between real
 * requests: process.nextTick callbacks (a request stream's end is signalled with one) do not run
 * inside a chain of awaits, so without the turn every request's deferred work and what it holds
 * (~0.7 KB a request on node:http, ~7 KB on Express) piled up until the run ended: each slice's
 * garbage collection grew through the run, and a long Express run ran out of heap.
 */
export async function run(listener: Listener, s: (typeof SCENARIOS)[number], n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    await once(listener, s);
    if ((i & 255) === 255) await new Promise((r) => setImmediate(r));
  }
}

/** The serialised head without its Date line: what two variants must agree on to be compared. */
export const head = (res: http.ServerResponse): string =>
  String((res as unknown as { _header: unknown })._header).replace(/^Date: .*\r\n/m, '');

interface Timed {
  fw: string;
  v: Variant;
  l: Listener;
}

/** CPU µs per request of each variant and scenario, the minimum over rounds after a warm-up round. */
async function measure(variants: Timed[]): Promise<Map<string, number>> {
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++)
    for (const s of SCENARIOS)
      for (let j = 0; j < variants.length; j++) {
        // Rotated each round, so no variant always runs right after the same neighbour.
        const x = variants[(j + round) % variants.length]!;
        const t0 = process.cpuUsage();
        await run(x.l, s, N);
        const t = process.cpuUsage(t0);
        const us = (t.user + t.system) / N;
        const k = `${x.fw}/${x.v}/${s.name}`;
        if (round > 0) best.set(k, Math.min(best.get(k) ?? Number.POSITIVE_INFINITY, us)); // round 0 warms up
      }
  return best;
}

/** BENCH_SOLO: measure() in a child process per variant, SOLO times each, interleaved; medians. */
async function solo(variants: Timed[]): Promise<Map<string, number>> {
  const all = new Map<string, number[]>();
  for (let k = 0; k < SOLO; k++)
    for (const x of variants) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', fileURLToPath(import.meta.url)],
        { env: { ...process.env, BENCH_SOLO: '0', BENCH_ONLY: `${x.fw}/${x.v}` }, maxBuffer: 1 << 20 },
      );
      for (const [key, us] of Object.entries(JSON.parse(stdout) as Record<string, number>))
        all.set(key, [...(all.get(key) ?? []), us]);
    }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  return new Map([...all].map(([key, xs]) => [key, median(xs)]));
}

export default async function bench(): Promise<BenchRow[]> {
  const PEER: Record<string, string> = {
    node: 'cors',
    express: 'cors',
    fastify: '@fastify/cors',
    koa: '@koa/cors',
    hono: 'hono/cors',
  };
  const base = BASELINE === undefined ? undefined : pathToFileURL(`${BASELINE.replace(/\/$/, '')}/`);
  const kinds: Variant[] =
    base === undefined ? ['none', 'hand', 'ours', 'peer'] : ['none', 'hand', 'ours', 'base', 'peer'];
  const variants: Timed[] = [];
  for (const fw of FRAMEWORKS)
    for (const v of kinds)
      if (v !== 'hand' || fw === 'node')
        variants.push({
          fw,
          v,
          l: (await (v === 'base' ? buildApp(fw, 'ours', base) : buildApp(fw, v))).listener,
        });
  // Never time a broken set-up: the allowed GET must carry Allow-Origin, the refused one must not. Read
  // from the serialised head: Fastify's writeHead(status, headers) leaves nothing for getHeader.
  const acao = (res: http.ServerResponse): string | undefined =>
    /^access-control-allow-origin: *(.*)$/im.exec(head(res))?.[1]?.trim();
  for (const x of variants.filter((x) => x.v !== 'none')) {
    const ok = acao(await once(x.l, SCENARIOS[0]!));
    const no = acao(await once(x.l, SCENARIOS[2]!));
    if (ok !== APP || no !== undefined) throw new Error(`${x.fw}/${x.v}: Allow-Origin ${ok} / ${no}`);
  }
  // The hand-set baseline is a fair one only while it sends what ours sends, line for line.
  const find = (fw: string, v: Variant) => variants.find((x) => x.fw === fw && x.v === v);
  const [hand, mine] = [find('node', 'hand'), find('node', 'ours')];
  if (hand && mine)
    for (const s of SCENARIOS) {
      const [h, o] = [head(await once(hand.l, s)), head(await once(mine.l, s))];
      if (h !== o) throw new Error(`node ${s.name}: the hand-set head differs from ours:\n${h}\n${o}`);
    }
  const best = SOLO > 0 ? await solo(variants) : await measure(variants);
  const rows: BenchRow[] = [];
  for (const s of SCENARIOS)
    for (const fw of FRAMEWORKS) {
      const get = (v: string) => best.get(`${fw}/${v}/${s.name}`)!;
      const [n, o, p] = [get('none'), get('ours'), get('peer')];
      if (fw === 'node') {
        const h = get('hand');
        rows.push({
          name: `node:http ${s.name}: hand-set / ours, CPU per request`,
          value: h / o,
          unit: 'ratio',
          detail: `ours ${o.toFixed(2)} µs, hand ${h.toFixed(2)} µs, none ${n.toFixed(2)} µs (own cost ours ${(o - n).toFixed(2)}, hand ${(h - n).toFixed(2)}); ≥ 0.98 wanted`,
        });
      }
      rows.push({
        name: `${fw} ${s.name}: ${PEER[fw]} / ours, CPU per request`,
        value: p / o,
        unit: 'ratio',
        detail: `ours ${o.toFixed(2)} µs, peer ${p.toFixed(2)} µs, none ${n.toFixed(2)} µs (own cost ours ${(o - n).toFixed(2)}, peer ${(p - n).toFixed(2)}); ≥ 1.0 wanted`,
      });
      if (base !== undefined) {
        const b = get('base');
        rows.push({
          name: `${fw} ${s.name}: base / ours, CPU per request`,
          value: b / o,
          unit: 'ratio',
          detail: `ours ${o.toFixed(2)} µs, base ${b.toFixed(2)} µs (own cost ours ${(o - n).toFixed(2)}, base ${(b - n).toFixed(2)})`,
        });
      }
    }
  rows.push({
    name: 'method',
    value: ROUNDS - 1,
    unit: 'rounds',
    detail: `${N} requests per variant per round, minimum over rounds after one warm-up round; ${SOLO > 0 ? `each variant in ${SOLO} processes of its own, median of their minimums` : 'all variants in one process'}; Node ${process.version}`,
  });
  return rows;
}

if (ONLY !== undefined && import.meta.url === pathToFileURL(process.argv[1]!).href) {
  const [fw, v] = ONLY.split('/') as [string, Variant];
  const base = BASELINE === undefined ? undefined : pathToFileURL(`${BASELINE.replace(/\/$/, '')}/`);
  const l = (await (v === 'base' ? buildApp(fw, 'ours', base) : buildApp(fw, v))).listener;
  process.stdout.write(JSON.stringify(Object.fromEntries(await measure([{ fw, v, l }]))));
}
