/**
 * The catalog's fix snippets, run for real: each JavaScript snippet of the shared configuration (as
 * shown for `missing-allow-origin` and, with its per-environment list, `localhost-allowed`) is written to a
 * file, completed with a stand-in authentication and route, and started on 127.0.0.1 with the installed
 * framework (express+cors, fastify+@fastify/cors, koa+@koa/cors, hono+@hono/node-server, node:http,
 * cors-doctor's own middleware). The nginx snippet runs under Debian's nginx in front of a loopback app.
 * The Next.js route handlers are called with Web Requests. Each must answer the preflight, put the headers
 * on a 401, expose X-Request-ID, and send nothing to an origin that is not listed.
 * Apache httpd and Caddy are not installed here; their snippets are not run.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { getEntry } from '../../src/catalog/index.ts';
import type { StackName } from '../../src/diagnosis/types.ts';
import { nginxMissing, startNginx } from '../harness/nginx.ts';

const ORIGIN = 'https://app.example.com';
const root = fileURLToPath(new URL('../../', import.meta.url));
const work = `${root}.tmp/snippets-${process.pid}`;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
}

function request(base: string, method: string, headers: Record<string, string>): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}/api/data`, { method, headers, timeout: 5000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${base} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

const list = (v: string | string[] | undefined) =>
  (Array.isArray(v) ? v.join(',') : (v ?? ''))
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);

/** The behaviour every configuration snippet promises. */
async function assertCorsBehaviour(base: string, stack: string): Promise<void> {
  const pre = await request(base, 'OPTIONS', {
    Origin: ORIGIN,
    'Access-Control-Request-Method': 'PUT',
    'Access-Control-Request-Headers': 'authorization,content-type',
  });
  assert.ok(pre.status >= 200 && pre.status < 300, `${stack}: preflight answered ${pre.status}`);
  assert.equal(pre.headers['access-control-allow-origin'], ORIGIN, `${stack}: preflight Allow-Origin`);
  assert.equal(
    pre.headers['access-control-allow-credentials'],
    'true',
    `${stack}: preflight Allow-Credentials`,
  );
  assert.ok(list(pre.headers['access-control-allow-methods']).includes('put'), `${stack}: PUT allowed`);
  assert.ok(
    list(pre.headers['access-control-allow-headers']).includes('authorization'),
    `${stack}: Authorization allowed`,
  );
  assert.ok(list(pre.headers.vary).includes('origin'), `${stack}: preflight Vary: Origin`);

  const denied = await request(base, 'GET', { Origin: ORIGIN });
  assert.equal(denied.status, 401, `${stack}: the stand-in auth answers 401`);
  assert.equal(
    denied.headers['access-control-allow-origin'],
    ORIGIN,
    `${stack}: the 401 carries Allow-Origin (mistake 4)`,
  );

  const ok = await request(base, 'GET', { Origin: ORIGIN, Authorization: 'Bearer x' });
  assert.equal(ok.status, 200, `${stack}: authorised GET`);
  assert.equal(ok.headers['access-control-allow-origin'], ORIGIN);
  assert.ok(
    list(ok.headers['access-control-expose-headers']).includes('x-request-id'),
    `${stack}: X-Request-ID exposed`,
  );
  assert.ok(list(ok.headers.vary).includes('origin'), `${stack}: Vary: Origin`);

  const other = await request(base, 'GET', { Origin: 'https://attacker.example', Authorization: 'Bearer x' });
  assert.equal(
    other.headers['access-control-allow-origin'],
    undefined,
    `${stack}: unlisted origin gets no Allow-Origin`,
  );
}

/** Stand-ins for the names the snippets leave to the reader, and the code that starts the server. */
const HARNESS: Partial<Record<StackName, { before: string; after: string }>> = {
  express: {
    before: `const authenticate = (req, res, next) => (req.headers.authorization ? next() : res.status(401).json({ error: 'login' }));
const apiRouter = express.Router();
apiRouter.get('/data', (req, res) => res.set('X-Request-ID', 'r1').json({ ok: true }));`,
    after: `const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`,
  },
  fastify: {
    before: '',
    after: `app.addHook('onRequest', async (request, reply) => {
  if (!request.headers.authorization) return reply.code(401).send({ error: 'login' });
});
app.get('/api/data', async (request, reply) => {
  reply.header('X-Request-ID', 'r1');
  return { ok: true };
});
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('PORT ' + app.server.address().port);`,
  },
  koa: {
    before: `const authenticate = async (ctx, next) => {
  if (!ctx.get('Authorization')) ctx.throw(401, 'login');
  ctx.set('X-Request-ID', 'r1');
  ctx.body = { ok: true };
};`,
    after: `const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`,
  },
  hono: {
    before: `import { serve } from '@hono/node-server';
const authenticate = async (c, next) => {
  if (!c.req.header('authorization')) return c.json({ error: 'login' }, 401);
  await next();
};`,
    after: `app.get('/api/data', (c) => {
  c.header('X-Request-ID', 'r1');
  return c.json({ ok: true });
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log('PORT ' + info.port));`,
  },
  node: {
    before: `function handle(req, res) {
  if (!req.headers.authorization) {
    res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"login"}');
    return;
  }
  res.setHeader('X-Request-ID', 'r1');
  res.end('{"ok":true}');
}`,
    after: '',
  },
  'cors-doctor': {
    before: `const authenticate = (req, res, next) => (req.headers.authorization ? next() : res.status(401).json({ error: 'login' }));`,
    after: `app.get('/api/data', (req, res) => res.set('X-Request-ID', 'r1').json({ ok: true }));
const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`,
  },
};

const children: ChildProcess[] = [];

function startScript(file: string, env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [file], {
      cwd: root,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${file} did not start: ${err}`)), 20_000);
    child.stdout?.on('data', (d) => {
      out += String(d);
      const m = /PORT (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${m[1]}`);
      }
    });
    child.stderr?.on('data', (d) => (err += String(d)));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited ${code}: ${err}`));
    });
  });
}

function runnable(stack: StackName, snippet: string): string {
  const h = HARNESS[stack]!;
  let code = snippet;
  if (stack === 'node') {
    code = code.replace(
      '}).listen(3000);',
      "}).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port); });",
    );
  }
  return `${h.before}\n${code}\n${h.after}\n`;
}

describe('fix snippets, run against the real frameworks', () => {
  before(async () => {
    await mkdir(work, { recursive: true });
  });
  after(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    await rm(work, { recursive: true, force: true });
  });

  for (const [id, env] of [
    ['missing-allow-origin', {}],
    ['localhost-allowed', { NODE_ENV: 'production' }],
  ] as const) {
    for (const stack of Object.keys(HARNESS) as StackName[]) {
      it(`${id} / ${stack}`, async (t) => {
        if (stack === 'cors-doctor' && !existsSync(`${root}dist/src/middleware/adapters/node.js`)) {
          t.skip('cors-doctor is not built (npm test builds first)');
          return;
        }
        const file = `${work}/${id}-${stack}.mjs`;
        await writeFile(file, runnable(stack, getEntry(id).snippets[stack]!));
        await assertCorsBehaviour(await startScript(file, env), `${id}/${stack}`);
      });
    }
  }

  it('localhost-allowed / express: production leaves localhost out, development lets it in', async () => {
    const file = `${work}/env-express.mjs`;
    await writeFile(file, runnable('express', getEntry('localhost-allowed').snippets.express!));
    const prod = await startScript(file, { NODE_ENV: 'production' });
    const local = { Origin: 'http://localhost:3000', Authorization: 'x' };
    assert.equal((await request(prod, 'GET', local)).headers['access-control-allow-origin'], undefined);
    const dev = await startScript(file, { NODE_ENV: 'development' });
    assert.equal(
      (await request(dev, 'GET', local)).headers['access-control-allow-origin'],
      'http://localhost:3000',
    );
  });

  it('missing-allow-origin / nextjs: the route handlers answer the preflight and errors with CORS headers', async () => {
    const file = `${work}/route.ts`;
    const snippet = getEntry('missing-allow-origin').snippets.nextjs!;
    await writeFile(
      file,
      `async function saveItem(x: unknown) { if (typeof x !== 'object' || x === null) throw new Error('bad'); return x; }\n${snippet}\n`,
    );
    const route = (await import(pathToFileURL(file).href)) as {
      OPTIONS(r: Request): Response;
      PUT(r: Request): Promise<Response>;
    };
    const url = 'http://127.0.0.1/api/items';
    const pre = route.OPTIONS(
      new Request(url, {
        method: 'OPTIONS',
        headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'PUT' },
      }),
    );
    assert.equal(pre.status, 204);
    assert.equal(pre.headers.get('access-control-allow-origin'), ORIGIN);
    assert.match(pre.headers.get('access-control-allow-methods') ?? '', /PUT/);
    const bad = await route.PUT(
      new Request(url, { method: 'PUT', headers: { Origin: ORIGIN }, body: 'not json' }),
    );
    assert.equal(bad.status, 400);
    assert.equal(
      bad.headers.get('access-control-allow-origin'),
      ORIGIN,
      'the error answer carries Allow-Origin',
    );
    const good = await route.PUT(
      new Request(url, { method: 'PUT', headers: { Origin: ORIGIN }, body: '{"a":1}' }),
    );
    assert.equal(good.status, 200);
    assert.equal(good.headers.get('vary'), 'Origin');
    const other = await route.PUT(
      new Request(url, { method: 'PUT', headers: { Origin: 'https://attacker.example' }, body: '{}' }),
    );
    assert.equal(other.headers.get('access-control-allow-origin'), null);
  });

  for (const id of ['missing-allow-origin', 'localhost-allowed'] as const)
    it(`${id} / nginx: in front of an app, on the preflight, a 401 and a 200`, async (t) => {
      const missing = nginxMissing();
      if (missing) {
        t.skip(missing);
        return;
      }
      const app = http.createServer((req, res) => {
        if (!req.headers.authorization) res.writeHead(401, { 'Content-Type': 'application/json' }).end('{}');
        else res.writeHead(200, { 'X-Request-ID': 'r1', 'Access-Control-Allow-Origin': '*' }).end('{}'); // a stray app header nginx must hide
      });
      await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
      const port = (app.address() as AddressInfo).port;
      const snippet = getEntry(id).snippets.nginx!.replace('127.0.0.1:3000', `127.0.0.1:${port}`);
      const start = snippet.indexOf('server {');
      const maps = snippet.slice(0, start);
      const serverBody = snippet.slice(snippet.indexOf('{', start) + 1, snippet.lastIndexOf('}'));
      const nginx = await startNginx(serverBody, maps);
      try {
        await assertCorsBehaviour(nginx.base, 'nginx');
        const ok = await request(nginx.base, 'GET', { Origin: ORIGIN, Authorization: 'x' });
        assert.equal(
          ok.headers['access-control-allow-origin'],
          ORIGIN,
          'one Allow-Origin: the app copy is hidden',
        );
      } finally {
        await nginx.stop();
        await new Promise((r) => app.close(r));
      }
    });

  // Mistakes 10 and 11: the snippets are fragments to add to an existing app; the app around them here is
  // the smallest one each framework allows.
  const APP: Partial<Record<StackName, { open: string; close: string }>> = {
    express: {
      open: "import express from 'express';\nconst app = express();",
      close: `app.get('/', (req, res) => res.send('page'));
const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`,
    },
    fastify: {
      open: "import Fastify from 'fastify';\nconst app = Fastify();",
      close: `app.get('/', async () => 'page');
await app.listen({ port: 0, host: '127.0.0.1' });
console.log('PORT ' + app.server.address().port);`,
    },
    koa: {
      open: "import Koa from 'koa';\nconst app = new Koa();",
      close: `app.use((ctx) => { ctx.body = 'page'; });
const server = app.listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`,
    },
    hono: {
      open: "import { Hono } from 'hono';\nimport { serve } from '@hono/node-server';\nconst app = new Hono();",
      close: `app.get('/', (c) => c.text('page'));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => console.log('PORT ' + info.port));`,
    },
  };

  function get(
    base: string,
    path: string,
    headers: Record<string, string> = {},
  ): Promise<Reply & { body: string }> {
    return new Promise((resolve, reject) => {
      const req = http.request(`${base}${path}`, { headers, timeout: 5000 }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('timeout', () => req.destroy(new Error(`GET ${base}${path} timed out`)));
      req.on('error', reject);
      req.end();
    });
  }

  for (const stack of ['express', 'fastify', 'koa', 'hono', 'node'] as const) {
    it(`csp-blocks-request / ${stack}: the page's server sends connect-src with the API`, async () => {
      const snippet = getEntry('csp-blocks-request').snippets[stack]!;
      const code =
        stack === 'node'
          ? `import { createServer } from 'node:http';
const server = createServer((req, res) => {
${snippet}
  res.end('page');
}).listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`
          : `${APP[stack]!.open}\n${snippet}\n${APP[stack]!.close}`;
      const file = `${work}/csp-${stack}.mjs`;
      await writeFile(file, code);
      const page = await get(await startScript(file, {}), '/');
      assert.equal(page.status, 200);
      const csp = String(page.headers['content-security-policy'] ?? '');
      assert.match(csp, /connect-src 'self' https:\/\/api\.example\.com/, `${stack}: ${csp}`);
    });
  }

  describe('cors-proxy-in-use: the back end calls the third party itself', () => {
    let upstream: http.Server;
    let upstreamUrl = '';
    before(async () => {
      upstream = http.createServer((req, res) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ url: req.url, authorization: req.headers.authorization ?? null }));
      });
      await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
      upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}/v1/weather`;
    });
    after(() => new Promise<void>((r) => upstream.close(() => r())));

    const check = (body: string) => {
      const seen = JSON.parse(body) as { url: string; authorization: string | null };
      assert.equal(seen.url, '/v1/weather?city=Oslo');
      assert.equal(seen.authorization, 'Bearer k', 'the key is added on the server');
    };

    for (const stack of ['express', 'fastify', 'koa', 'hono', 'node'] as const) {
      it(stack, async () => {
        const snippet = getEntry('cors-proxy-in-use').snippets[stack]!.replaceAll(
          'https://thirdparty.example/v1/weather',
          upstreamUrl,
        );
        const code =
          stack === 'node'
            ? `import { createServer } from 'node:http';
const server = createServer(async (req, res) => {
${snippet}
  res.writeHead(404).end();
}).listen(0, '127.0.0.1', () => console.log('PORT ' + server.address().port));`
            : `${APP[stack]!.open}\n${snippet}\n${APP[stack]!.close}`;
        const file = `${work}/proxy-${stack}.mjs`;
        await writeFile(file, code);
        const r = await get(await startScript(file, { THIRDPARTY_KEY: 'k' }), '/api/weather?city=Oslo');
        assert.equal(r.status, 200, `${stack}: ${r.body}`);
        assert.match(String(r.headers['content-type']), /application\/json/);
        check(r.body);
      });
    }

    it('nextjs', async () => {
      const file = `${work}/weather-route.ts`;
      process.env['THIRDPARTY_KEY'] = 'k';
      await writeFile(
        file,
        getEntry('cors-proxy-in-use').snippets.nextjs!.replaceAll(
          'https://thirdparty.example/v1/weather',
          upstreamUrl,
        ),
      );
      const route = (await import(pathToFileURL(file).href)) as { GET(r: Request): Promise<Response> };
      const r = await route.GET(new Request('http://127.0.0.1/api/weather?city=Oslo'));
      assert.equal(r.status, 200);
      check(await r.text());
    });
  });
});
