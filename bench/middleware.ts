/**
 * Middleware cost, against the real code of the peers, measured in this run.
 *
 * 1. Decision cost per request (ns/op, median of 7 rounds): each peer's real middleware against our
 *    adapter for the same framework, both called with the SAME minimal stand-ins for that framework's
 *    objects (plain objects with the methods the middleware calls, headers in a Map), so neither side
 *    pays for framework machinery the other does not:
 *      node/Express: `cors` (expressjs)  vs cors-doctor/node     — req {method, headers}, res {setHeader, getHeader, end…}
 *      Fastify:      `@fastify/cors`     vs cors-doctor/fastify  — the plugins are run against a stand-in instance
 *                                                                   that records their onRequest hook; request/reply stand-ins
 *      Koa:          `@koa/cors`         vs cors-doctor/koa      — ctx stand-in with get/set/vary and req/res
 *      Hono:         `hono/cors`         vs cors-doctor/fetch    — Context stand-in {req.raw: a real Request, res.headers, header()}
 *    Our own work (the `onSend` re-assertion in Fastify, the writeHead guard in node) is included.
 *    The peers are configured as close to our policy as they allow (same origin list, credentials,
 *    methods, headers, max-age); @koa/cors takes a function for the list, as its README shows.
 * 2. Throughput of node:http on loopback (autocannon, 10 connections, 3 s per run, each variant run
 *    five times in alternation, median; server in a child process): no middleware, the same CORS
 *    headers set by hand (no logic), cors-doctor/node, `cors`. Also the server's CPU time per request
 *    (process.cpuUsage around each run), which is less sensitive to the machine's other load than req/s.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './index.ts';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Our code as users run it: the compiled dist/ (`npm run bench` builds first), like the peers' plain
 * JavaScript from node_modules. Code loaded through the tsx loader measured slower in this run's
 * set-up, which would be unfair to us. Falls back to the TypeScript source when dist/ is missing.
 */
function ourModule(path: string): string {
  const dist = `${root}dist/src/middleware/${path}.js`;
  return existsSync(dist) ? pathToFileURL(dist).href : pathToFileURL(`${root}src/middleware/${path}.ts`).href;
}

const APP = 'https://app.example.com';
const EVIL = 'https://evil.test';
const ORIGINS = [APP, 'https://admin.example.com'];
const METHODS_PEER = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE'];
const HEADERS = ['authorization', 'content-type'];

type Scenario = { name: string; method: string; headers: Record<string, string> };
const SCENARIOS: Scenario[] = [
  { name: 'actual, allowed', method: 'GET', headers: { origin: APP } },
  { name: 'actual, rejected', method: 'GET', headers: { origin: EVIL } },
  {
    name: 'preflight, allowed',
    method: 'OPTIONS',
    headers: {
      origin: APP,
      'access-control-request-method': 'PUT',
      'access-control-request-headers': 'authorization,content-type',
    },
  },
  {
    name: 'preflight, rejected',
    method: 'OPTIONS',
    headers: { origin: EVIL, 'access-control-request-method': 'PUT' },
  },
];

// ---------- stand-ins ----------
class StubRes {
  h: Record<string, unknown> = {};
  statusCode = 200;
  headersSent = false;
  writeHead(): this {
    return this;
  }
  setHeader(name: string, value: unknown): this {
    this.h[name.toLowerCase()] = value;
    return this;
  }
  getHeader(name: string): unknown {
    return this.h[name.toLowerCase()];
  }
  hasHeader(name: string): boolean {
    return name.toLowerCase() in this.h;
  }
  removeHeader(name: string): void {
    delete this.h[name.toLowerCase()];
  }
  getHeaderNames(): string[] {
    return Object.keys(this.h);
  }
  end(): void {}
}

class StubHeaders {
  m = new Map<string, string>();
  get(k: string): string | null {
    return this.m.get(k.toLowerCase()) ?? null;
  }
  set(k: string, v: string): void {
    this.m.set(k.toLowerCase(), v);
  }
  append(k: string, v: string): void {
    const c = this.get(k);
    this.set(k, c === null ? v : `${c}, ${v}`);
  }
  has(k: string): boolean {
    return this.m.has(k.toLowerCase());
  }
  delete(k: string): void {
    this.m.delete(k.toLowerCase());
  }
  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.m.entries();
  }
  forEach(fn: (value: string, name: string) => void): void {
    for (const [k, v] of this.m) fn(v, k);
  }
}

class StubReply {
  h: Record<string, unknown> = {};
  statusCode = 200;
  raw = new StubRes();
  getHeaders(): Record<string, unknown> {
    return this.h;
  }
  header(k: string, v: unknown): this {
    this.h[k.toLowerCase()] = v;
    return this;
  }
  getHeader(k: string): unknown {
    return this.h[k.toLowerCase()];
  }
  hasHeader(k: string): boolean {
    return k.toLowerCase() in this.h;
  }
  removeHeader(k: string): this {
    delete this.h[k.toLowerCase()];
    return this;
  }
  code(s: number): this {
    this.statusCode = s;
    return this;
  }
  status(s: number): this {
    return this.code(s);
  }
  type(): this {
    return this;
  }
  send(): this {
    return this;
  }
}

type Hook = (...args: unknown[]) => unknown;
/** Run a Fastify plugin against a stand-in instance; return its onRequest (and onSend) hooks. */
function fastifyHooks(
  plugin: (...a: unknown[]) => unknown,
  opts: unknown,
): { onRequest: Hook; onSend?: Hook } {
  const hooks: Record<string, Hook> = {};
  const decorators = new Set<string>();
  const instance = {
    addHook: (name: string, fn: Hook) => {
      hooks[name] = fn;
    },
    decorateRequest: (name: string) => decorators.add(name),
    hasRequestDecorator: (name: string) => decorators.has(name),
    options: () => {},
    hasRoute: () => false,
    route: () => {},
  };
  plugin(instance, opts, (err?: Error) => {
    if (err) throw err;
  });
  return { onRequest: hooks['onRequest']!, ...(hooks['onSend'] ? { onSend: hooks['onSend'] } : {}) };
}

// ---------- timing ----------
const noop = () => {};
const nextAsync = async () => {};

/** ns per call of each function, rounds interleaved so all see the same machine load; median of 15. */
async function nsPerOp(fns: (() => unknown)[], isAsync: boolean): Promise<number[]> {
  const n = 20_000;
  const round = async (fn: () => unknown) => {
    const t0 = process.hrtime.bigint();
    if (isAsync) for (let i = 0; i < n; i++) await fn();
    else for (let i = 0; i < n; i++) fn();
    return Number(process.hrtime.bigint() - t0) / n;
  };
  for (let i = 0; i < 3; i++) for (const fn of fns) await round(fn); // warm-up
  const rounds: number[][] = fns.map(() => []);
  for (let i = 0; i < 15; i++) for (let j = 0; j < fns.length; j++) rounds[j]!.push(await round(fns[j]!));
  return rounds.map((r) => r.sort((a, b) => a - b)[7]!);
}

async function decisionRows(): Promise<BenchRow[]> {
  const { compile, decide } = (await import(
    ourModule('core/index')
  )) as typeof import('../src/middleware/core/index.ts');
  const ours = {
    node: ((await import(ourModule('adapters/node'))) as typeof import('../src/middleware/adapters/node.ts'))
      .cors,
    fastify: (
      (await import(ourModule('adapters/fastify'))) as typeof import('../src/middleware/adapters/fastify.ts')
    ).cors,
    koa: ((await import(ourModule('adapters/koa'))) as typeof import('../src/middleware/adapters/koa.ts'))
      .cors,
    fetch: (
      (await import(ourModule('adapters/fetch'))) as typeof import('../src/middleware/adapters/fetch.ts')
    ).cors,
  };
  const policy = {
    origins: ORIGINS,
    credentials: true,
    methods: ['PUT', 'DELETE'],
    allowedHeaders: HEADERS,
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
    env: 'production',
  };
  const expressCors = require('cors') as (
    o: unknown,
  ) => (req: unknown, res: unknown, next: () => void) => void;
  const fastifyCorsPeer = require('@fastify/cors') as (...a: unknown[]) => unknown;
  const koaCorsPeer = require('@koa/cors') as (
    o: unknown,
  ) => (ctx: unknown, next: () => Promise<void>) => Promise<void>;
  const { cors: honoCors } = await import('hono/cors');

  const peerExpress = expressCors({
    origin: ORIGINS,
    credentials: true,
    methods: METHODS_PEER,
    allowedHeaders: HEADERS,
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
  const ourNode = ours.node(policy);
  const peerFastify = fastifyHooks(fastifyCorsPeer, {
    origin: ORIGINS,
    credentials: true,
    methods: METHODS_PEER,
    allowedHeaders: HEADERS,
    exposedHeaders: ['x-request-id'],
    maxAge: 600,
  });
  const ourFastify = fastifyHooks(ours.fastify(policy) as unknown as (...a: unknown[]) => unknown, {});
  const peerKoa = koaCorsPeer({
    origin: (ctx: { get(n: string): string }) =>
      ORIGINS.includes(ctx.get('Origin')) ? ctx.get('Origin') : '',
    credentials: true,
    allowMethods: METHODS_PEER,
    allowHeaders: HEADERS,
    exposeHeaders: ['x-request-id'],
    maxAge: 600,
  });
  const ourKoa = ours.koa(policy);
  const peerHono = honoCors({
    origin: ORIGINS,
    credentials: true,
    allowMethods: METHODS_PEER,
    allowHeaders: HEADERS,
    exposeHeaders: ['x-request-id'],
    maxAge: 600,
  });
  const ourHono = ours.fetch(policy);
  const compiled = compile(policy);

  const rows: BenchRow[] = [];
  const ratios: Record<string, number[]> = {};
  const ownRatios: Record<string, number[]> = {};
  for (const s of SCENARIOS) {
    const req = { method: s.method, headers: s.headers, url: '/' };
    const nodeRun = (mw: (req: never, res: never, next: () => void) => unknown) => () =>
      mw(req as never, new StubRes() as never, noop);
    const fastifyRun = (h: { onRequest: Hook; onSend?: Hook }) => () => {
      const request = {
        method: s.method,
        headers: s.headers,
        raw: req,
        routeOptions: { config: {} },
      } as Record<string, unknown>;
      const reply = new StubReply();
      let passed = false;
      h.onRequest(request, reply, () => {
        passed = true;
      });
      if (passed && h.onSend) h.onSend(request, reply, 'ok', noop);
    };
    const koaRun = (mw: (ctx: never, next: () => Promise<void>) => Promise<unknown>) => () => {
      const res = new StubRes();
      const ctx = {
        method: s.method,
        req,
        res,
        status: 404,
        body: undefined as unknown,
        headerSent: false,
        get: (n: string) => (s.headers[n.toLowerCase()] ?? '') as string,
        set: (k: string, v: string) => res.setHeader(k, v),
        vary: (f: string) => {
          const c = res.getHeader('vary') as string | undefined;
          res.setHeader('vary', c ? `${c}, ${f}` : f);
        },
      };
      return mw(ctx as never, nextAsync);
    };
    const request = new Request('http://127.0.0.1/', { method: s.method, headers: s.headers });
    const honoRun = (mw: (c: never, next: () => Promise<void>) => Promise<unknown>) => () => {
      const headers = new StubHeaders();
      const c = {
        req: { raw: request, method: s.method, header: (n: string) => request.headers.get(n) ?? undefined },
        res: { headers },
        header: (k: string, v: string, o?: { append?: boolean }) =>
          o?.append ? headers.append(k, v) : headers.set(k, v),
      };
      return mw(c as never, nextAsync);
    };
    const [core] = await nsPerOp(
      [
        () =>
          decide(compiled, {
            method: s.method,
            origin: s.headers['origin'],
            requestMethod: s.headers['access-control-request-method'],
            requestHeaders: s.headers['access-control-request-headers'],
          }),
      ],
      false,
    );
    rows.push({ name: `core decide(): ${s.name}`, value: core!, unit: 'ns/op' });
    // Each pair also runs an empty middleware of the same shape on the same stand-ins: the baseline
    // (stand-in allocation, await, next()) is subtracted to give each middleware's own cost.
    const pairs: [string, () => unknown, () => unknown, () => unknown, boolean][] = [
      [
        'node vs cors',
        nodeRun(ourNode as never),
        nodeRun(peerExpress as never),
        nodeRun(((_q: unknown, _r: unknown, n: () => void) => n()) as never),
        false,
      ],
      [
        'fastify vs @fastify/cors',
        fastifyRun(ourFastify),
        fastifyRun(peerFastify),
        fastifyRun({ onRequest: (_q: unknown, _r: unknown, done: unknown) => (done as () => void)() }),
        false,
      ],
      [
        'koa vs @koa/cors',
        koaRun(ourKoa as never),
        koaRun(peerKoa as never),
        koaRun((async (_c: unknown, n: () => Promise<void>) => n()) as never),
        true,
      ],
      [
        'fetch(Hono) vs hono/cors',
        honoRun(ourHono as never),
        honoRun(peerHono as never),
        honoRun((async (_c: unknown, n: () => Promise<void>) => n()) as never),
        true,
      ],
    ];
    for (const [label, ourFn, peerFn, baseFn, isAsync] of pairs) {
      const [o, p, b] = (await nsPerOp([ourFn, peerFn, baseFn], isAsync)) as [number, number, number];
      // Own cost = minus the empty middleware; floored at 10 ns, where the machine's noise starts.
      const ownO = Math.max(o - b, 10);
      const ownP = Math.max(p - b, 10);
      (ratios[label] ??= []).push(o / p);
      (ownRatios[label] ??= []).push(ownO / ownP);
      rows.push({
        name: `${label}: ${s.name}`,
        value: o,
        unit: 'ns/op',
        detail: `peer ${Math.round(p)}, empty ${Math.round(b)}; own cost ours ${Math.round(ownO)} vs peer ${Math.round(ownP)} = ${(ownO / ownP).toFixed(2)}`,
      });
    }
  }
  const geomean = (r: number[]) => Math.exp(r.reduce((a, b) => a + Math.log(b), 0) / r.length);
  for (const [label, r] of Object.entries(ratios)) {
    rows.push({
      name: `${label}: geomean ours/peer, whole call`,
      value: geomean(r),
      unit: 'ratio',
      detail: `own cost only (empty middleware subtracted): ${geomean(ownRatios[label]!).toFixed(2)}; < 1: cheaper than the peer`,
    });
  }
  return rows;
}

// ---------- throughput ----------
const SERVER = `
import { createServer } from 'node:http';
const kind = process.env.BENCH_KIND;
const handler = (req, res) => { res.setHeader('content-type', 'text/plain'); res.end('hello'); };
let listener = handler;
if (kind === 'ours') {
  const { cors } = await import(${JSON.stringify(ourModule('adapters/node'))});
  const mw = cors({ origins: ${JSON.stringify(ORIGINS)}, credentials: true, methods: ['PUT'], allowedHeaders: ['authorization'], env: 'production' });
  listener = (req, res) => { if (!mw(req, res)) handler(req, res); };
} else if (kind === 'hand') {
  // The same headers written by hand, no logic: separates the cost of sending CORS headers at all
  // (node's header serialisation, bytes on the wire) from the cost of our decision.
  listener = (req, res) => {
    res.setHeader('access-control-allow-origin', req.headers.origin);
    res.setHeader('access-control-allow-credentials', 'true');
    res.setHeader('vary', 'Origin');
    handler(req, res);
  };
} else if (kind === 'cors') {
  const { createRequire } = await import('node:module');
  const cors = createRequire(${JSON.stringify(`${root}package.json`)})('cors');
  const mw = cors({ origin: ${JSON.stringify(ORIGINS)}, credentials: true, methods: ['GET','HEAD','POST','PUT'], allowedHeaders: ['authorization'] });
  listener = (req, res) => mw(req, res, () => handler(req, res));
}
// CPU time of this server process, read before and after a run: CPU per request does not depend on
// how much of the shared machine the server got, unlike req/s.
const measured = listener;
listener = (req, res) => {
  if (req.url === '/__cpu') return res.end(JSON.stringify(process.cpuUsage()));
  // A clean exit, so that --cpu-prof writes its profile.
  if (req.url === '/__exit') return res.end('bye', () => process.exit(0));
  measured(req, res);
};
const server = createServer(listener).listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

interface RunResult {
  rps: number;
  /** Server CPU (user + system) per request, in µs. */
  cpuUs: number;
}

async function cpuOf(port: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${port}/__cpu`, { signal: AbortSignal.timeout(5000) });
  const { user, system } = (await res.json()) as { user: number; system: number };
  return user + system;
}

async function throughput(kind: string, profileDir?: string): Promise<RunResult> {
  // tsx only for the source fallback; with dist/ every variant runs as plain JavaScript alike.
  const loader = ourModule('adapters/node').endsWith('.ts') ? ['--import', 'tsx'] : [];
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const child = spawn(process.execPath, [...loader, ...profile, '--input-type=module', '-e', SERVER], {
    cwd: root,
    env: { ...process.env, BENCH_KIND: kind, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [chunk] = (await Promise.race([
      once(child.stdout, 'data'),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('bench server did not start in 10 s')), 10_000),
      ),
    ])) as [Buffer];
    const port = Number(chunk.toString().trim());
    const autocannon = require('autocannon') as (
      o: unknown,
    ) => Promise<{ requests: { average: number; total: number }; errors: number }>;
    const run = (duration: number) =>
      autocannon({
        url: `http://127.0.0.1:${port}/`,
        connections: 10,
        duration,
        headers: { origin: APP },
        timeout: 5,
      });
    await run(1); // warm-up
    const before = await cpuOf(port);
    const result = await run(3);
    const after = await cpuOf(port);
    if (profileDir) {
      const exited = once(child, 'exit');
      await fetch(`http://127.0.0.1:${port}/__exit`, { signal: AbortSignal.timeout(5000) }).catch(() => {});
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    }
    return { rps: result.requests.average, cpuUs: (after - before) / Math.max(result.requests.total, 1) };
  } finally {
    if (child.exitCode === null) {
      child.kill();
      await once(child, 'exit');
    }
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/**
 * Share of the server's busy CPU time (V8 CPU profile: self time, idle excluded) spent in functions
 * whose script URL matches. A ratio inside one process, so the machine's other load cancels out.
 */
async function cpuShare(kind: string, matches: (url: string) => boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'cors-doctor-prof-'));
  try {
    await throughput(kind, dir);
    const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) return Number.NaN;
    const prof = JSON.parse(readFileSync(join(dir, file), 'utf8')) as {
      nodes: ProfileNode[];
      samples: number[];
      timeDeltas: number[];
    };
    const byId = new Map(prof.nodes.map((n) => [n.id, n]));
    let busy = 0;
    let mine = 0;
    for (let i = 0; i < prof.samples.length; i++) {
      const node = byId.get(prof.samples[i]!);
      const dt = prof.timeDeltas[i] ?? 0;
      if (!node || node.callFrame.functionName === '(idle)') continue;
      busy += dt;
      if (matches(node.callFrame.url)) mine += dt;
    }
    return (100 * mine) / Math.max(busy, 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (values: number[]): number => {
  const v = [...values].sort((a, b) => a - b);
  return (v[(v.length - 1) >> 1]! + v[v.length >> 1]!) / 2;
};

async function throughputRows(nodeOwnCostNs: number): Promise<BenchRow[]> {
  const kinds = ['none', 'hand', 'ours', 'cors'] as const;
  const runs: Record<string, RunResult[]> = { none: [], hand: [], ours: [], cors: [] };
  // Alternated runs, medians: the machine is shared, a single run says little.
  for (let round = 0; round < 5; round++) for (const k of kinds) runs[k]!.push(await throughput(k));
  const rps = (k: string) => median(runs[k]!.map((r) => r.rps));
  const cpu = (k: string) => median(runs[k]!.map((r) => r.cpuUs));
  const list = (k: string) => runs[k]!.map((r) => Math.round(r.rps)).join(', ');
  const none = rps('none');
  return [
    {
      name: 'node:http, no middleware (allowed Origin)',
      value: none,
      unit: 'req/s',
      detail: `runs ${list('none')}`,
    },
    {
      name: 'node:http + the same headers set by hand',
      value: rps('hand'),
      unit: 'req/s',
      detail: `throughput cost vs none ${((1 - rps('hand') / none) * 100).toFixed(1)}%; runs ${list('hand')}`,
    },
    {
      name: 'node:http + cors-doctor/node',
      value: rps('ours'),
      unit: 'req/s',
      detail: `throughput cost vs none ${((1 - rps('ours') / none) * 100).toFixed(1)}%, vs hand-set headers ${((1 - rps('ours') / rps('hand')) * 100).toFixed(1)}%; runs ${list('ours')}`,
    },
    {
      name: 'node:http + cors (expressjs)',
      value: rps('cors'),
      unit: 'req/s',
      detail: `throughput cost vs none ${((1 - rps('cors') / none) * 100).toFixed(1)}%; runs ${list('cors')}`,
    },
    { name: 'server CPU per request, no middleware', value: cpu('none'), unit: 'µs/req' },
    {
      name: 'server CPU per request, headers set by hand',
      value: cpu('hand'),
      unit: 'µs/req',
      detail: `+${((cpu('hand') / cpu('none') - 1) * 100).toFixed(1)}% vs none`,
    },
    {
      name: 'server CPU per request, cors-doctor/node',
      value: cpu('ours'),
      unit: 'µs/req',
      detail: `+${((cpu('ours') / cpu('none') - 1) * 100).toFixed(1)}% vs none, ${((cpu('ours') / cpu('hand') - 1) * 100).toFixed(1)}% vs hand-set headers`,
    },
    {
      name: 'server CPU per request, cors (expressjs)',
      value: cpu('cors'),
      unit: 'µs/req',
      detail: `+${((cpu('cors') / cpu('none') - 1) * 100).toFixed(1)}% vs none`,
    },
    {
      name: 'server CPU profile: share in cors-doctor code',
      value: await cpuShare('ours', (url) => url.includes('/src/middleware/')),
      unit: '% busy',
      detail: 'self time of cors-doctor functions / busy CPU of the node:http server under autocannon',
    },
    {
      name: 'server CPU profile: share in cors (+vary, object-assign)',
      value: await cpuShare('cors', (url) => /node_modules\/(cors|vary|object-assign)\//.test(url)),
      unit: '% busy',
    },
    {
      name: 'node adapter own cost at no-middleware req/s',
      value: (nodeOwnCostNs * none) / 1e7,
      unit: '% of core',
      detail: `${Math.round(nodeOwnCostNs)} ns per allowed request (decision bench) × ${Math.round(none)} req/s`,
    },
  ];
}

/**
 * Wildcard patterns (issue 19, defect 12): decide() for an actual request with 1 … 10,000
 * `https://*.tenantN.com` patterns, against an attacker-chosen origin that matches none (the worst
 * case for a scan) and one that matches the last pattern. The same origins through a linear scan of
 * the patterns (what decide() did before) are measured alongside, as the reference.
 */
async function wildcardRows(): Promise<BenchRow[]> {
  const { compile, decide } = (await import(
    ourModule('core/index')
  )) as typeof import('../src/middleware/core/index.ts');
  const rows: BenchRow[] = [];
  const attacker = 'https://a.b.c.d.e.f.g.h.evil-tenant.com';
  let base: number | null = null;
  for (const n of [1, 100, 1_000, 10_000]) {
    const specs = Array.from({ length: n }, (_, i) => `https://*.tenant${i}.com`);
    const p = compile({ origins: specs });
    const hit = `https://app.tenant${n - 1}.com`;
    const suffixes = specs.map((s) => s.slice('https://*'.length));
    const scan = (origin: string) => {
      const host = origin.slice(8);
      for (const sfx of suffixes) if (host.length > sfx.length && host.endsWith(sfx)) return true;
      return false;
    };
    const [miss, match, scanMiss] = await nsPerOp(
      [
        () => decide(p, { method: 'GET', origin: attacker }),
        () => decide(p, { method: 'GET', origin: hit }),
        () => scan(attacker),
      ],
      false,
    );
    base ??= miss!;
    rows.push({
      name: `core decide(): ${n.toLocaleString('en')} wildcard patterns, no match`,
      value: miss!,
      unit: 'ns/op',
      detail: `×${(miss! / base).toFixed(2)} of 1 pattern; match ${Math.round(match!)} ns; linear scan alone ${Math.round(scanMiss!)} ns`,
    });
  }
  return rows;
}

export default async function middlewareBench(): Promise<BenchRow[]> {
  if (process.env['BENCH_ONLY_WILDCARDS']) return wildcardRows();
  const decisions = [...(await decisionRows()), ...(await wildcardRows())];
  if (process.env['BENCH_SKIP_THROUGHPUT']) return decisions;
  const own = decisions.find((r) => r.name === 'node vs cors: actual, allowed');
  const ownNs = Number(/own cost ours (\d+)/.exec(own?.detail ?? '')?.[1] ?? Number.NaN);
  return [...decisions, ...(await throughputRows(ownNs))];
}
