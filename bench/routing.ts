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
 */
import http from 'node:http';
import { APP, buildApp } from './framework-apps.mjs';
import type { BenchRow } from './index.ts';

const N = Number(process.env['BENCH_N'] ?? 3000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);

type Listener = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const SCENARIOS = [
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

/** One request through the listener; resolves when the framework has called res.end(). */
function once(listener: Listener, s: (typeof SCENARIOS)[number]): Promise<http.ServerResponse> {
  const req = new http.IncomingMessage(null as never);
  req.method = s.method;
  req.url = '/';
  req.headers = { ...s.headers, host: 'bench.test' };
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

export default async function bench(): Promise<BenchRow[]> {
  const frameworks = ['node', 'express', 'fastify', 'koa', 'hono'];
  const PEER: Record<string, string> = {
    node: 'cors',
    express: 'cors',
    fastify: '@fastify/cors',
    koa: '@koa/cors',
    hono: 'hono/cors',
  };
  const variants: { fw: string; v: 'none' | 'hand' | 'ours' | 'peer'; l: Listener }[] = [];
  for (const fw of frameworks)
    for (const v of ['none', 'hand', 'ours', 'peer'] as const)
      if (v !== 'hand' || fw === 'node') variants.push({ fw, v, l: (await buildApp(fw, v)).listener });
  // Never time a broken set-up: the allowed GET must carry Allow-Origin, the refused one must not. Read
  // from the serialised head: Fastify's writeHead(status, headers) leaves nothing for getHeader.
  const acao = (res: http.ServerResponse): string | undefined =>
    /^access-control-allow-origin: *(.*)$/im
      .exec(String((res as unknown as { _header: unknown })._header))?.[1]
      ?.trim();
  for (const x of variants.filter((x) => x.v !== 'none')) {
    const ok = acao(await once(x.l, SCENARIOS[0]!));
    const no = acao(await once(x.l, SCENARIOS[2]!));
    if (ok !== APP || no !== undefined) throw new Error(`${x.fw}/${x.v}: Allow-Origin ${ok} / ${no}`);
  }
  const best = new Map<string, number>();
  for (let round = 0; round < ROUNDS; round++)
    for (const s of SCENARIOS)
      for (const x of variants) {
        const t0 = process.cpuUsage();
        for (let i = 0; i < N; i++) await once(x.l, s);
        const t = process.cpuUsage(t0);
        const us = (t.user + t.system) / N;
        const k = `${x.fw}/${x.v}/${s.name}`;
        if (round > 0) best.set(k, Math.min(best.get(k) ?? Number.POSITIVE_INFINITY, us)); // round 0 warms up
      }
  const rows: BenchRow[] = [];
  for (const s of SCENARIOS)
    for (const fw of frameworks) {
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
    }
  rows.push({
    name: 'method',
    value: ROUNDS - 1,
    unit: 'rounds',
    detail: `${N} requests per variant per round, minimum over rounds after one warm-up round; Node ${process.version}`,
  });
  return rows;
}
