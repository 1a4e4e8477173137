/**
 * Issue 19: the security review's defects, one test each, over raw sockets where bytes matter.
 * Each of these failed before its fix (noted in the commit that fixed it).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import express from 'express';
import Fastify from 'fastify';
import { cors as fastifyCors } from '../../src/middleware/adapters/fastify.ts';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import { CorsConfigError, type CorsOptions, compile, decide } from '../../src/middleware/core/index.ts';
import { ADAPTERS, type RunningApp, startApp } from './apps.ts';
import { raw, rawRequest } from './wire.ts';

const APP = 'https://app.example.com';
const EVIL = 'https://evil.com';

const acLines = (lines: string[]) => lines.filter((l) => l.startsWith('access-control-'));

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((r) => server.close(() => r()));
}

function problemCodes(options: unknown): string[] {
  try {
    compile(options as CorsOptions);
    return [];
  } catch (err) {
    assert.ok(err instanceof CorsConfigError, String(err));
    return err.problems.map((p) => p.code);
  }
}

describe('defect 1: an async onDecision that rejects', () => {
  test('is caught: no unhandled rejection, the request is answered', async () => {
    const seen: unknown[] = [];
    const onUnhandled = (reason: unknown) => seen.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const mw = nodeCors({
      origins: [APP],
      onDecision: async () => {
        throw new Error('logger down');
      },
    });
    const server = createServer(mw.wrap((_req, res) => res.end('ok')));
    const url = await listen(server);
    try {
      const r = await raw(url, rawRequest('GET', '/', [`Origin: ${EVIL}`]));
      assert.equal(r.status, 200);
      // Rejections are reported after the microtask queue drains; give it a turn of the event loop.
      await new Promise((r) => setTimeout(r, 50));
      assert.deepEqual(seen, []);
    } finally {
      process.off('unhandledRejection', onUnhandled);
      await close(server);
    }
  });
});

for (const adapter of ADAPTERS) {
  describe(`defect 2: the policy owns every Access-Control-* header (${adapter})`, () => {
    let app: RunningApp;
    let noCreds: RunningApp;
    before(async () => {
      app = await startApp(adapter, { origins: [APP], credentials: true });
      noCreds = await startApp(adapter, { origins: [APP] });
    });
    after(async () => {
      await app.close();
      await noCreds.close();
    });
    test('a refused origin gets none of the route’s own CORS headers', async () => {
      const r = await raw(app.url, rawRequest('GET', '/acao-echo', [`Origin: ${EVIL}`]));
      assert.equal(r.status, 200, r.head);
      assert.deepEqual(acLines(r.lines), [], r.head);
    });
    test('an allowed origin with credentials: false gets no Allow-Credentials from the route', async () => {
      const r = await raw(noCreds.url, rawRequest('GET', '/acao-echo', [`Origin: ${APP}`]));
      assert.equal(r.status, 200, r.head);
      assert.deepEqual(acLines(r.lines), [`access-control-allow-origin: ${APP}`], r.head);
    });
    test('defect 5: two Origin lines are read as the first one', async () => {
      const r = await raw(app.url, rawRequest('GET', '/ok', [`Origin: ${APP}`, `Origin: ${EVIL}`]));
      assert.equal(r.status, 200, r.head);
      assert.ok(r.lines.includes(`access-control-allow-origin: ${APP}`), r.head);
      const r2 = await raw(app.url, rawRequest('GET', '/ok', [`Origin: ${EVIL}`, `Origin: ${APP}`]));
      assert.deepEqual(acLines(r2.lines), [], r2.head);
    });
    test('defect 11: a 204 preflight carries no Content-Length', async () => {
      const r = await raw(
        app.url,
        rawRequest('OPTIONS', '/ok', [`Origin: ${APP}`, 'Access-Control-Request-Method: GET']),
      );
      assert.equal(r.status, 204, r.head);
      assert.deepEqual(
        r.lines.filter((l) => l.startsWith('content-length') || l.startsWith('transfer-encoding')),
        [],
        r.head,
      );
    });
  });
}

describe('defect 3: writeHead(status, [flat array])', () => {
  const handler = (_req: unknown, res: import('node:http').ServerResponse) => {
    res.writeHead(200, ['Vary', 'Accept-Encoding', 'Access-Control-Allow-Origin', '*', 'X-A', '1']);
    res.end('ok');
  };
  for (const kind of ['node', 'express'] as const) {
    test(`${kind}: Vary keeps Origin and the array cannot replace Allow-Origin`, async () => {
      const mw = nodeCors({ origins: [APP] });
      let server: Server;
      if (kind === 'node') server = createServer(mw.wrap(handler));
      else {
        const app = express();
        app.use(mw);
        app.get('/', handler);
        server = createServer(app);
      }
      const url = await listen(server);
      try {
        const ok = await raw(url, rawRequest('GET', '/', [`Origin: ${APP}`]));
        assert.deepEqual(acLines(ok.lines), [`access-control-allow-origin: ${APP}`], ok.head);
        assert.ok(ok.lines.includes('vary: accept-encoding, origin'), ok.head);
        assert.ok(ok.lines.includes('x-a: 1'), ok.head);
        const evil = await raw(url, rawRequest('GET', '/', [`Origin: ${EVIL}`]));
        assert.deepEqual(acLines(evil.lines), [], evil.head);
        assert.ok(evil.lines.includes('vary: accept-encoding, origin'), evil.head);
      } finally {
        await close(server);
      }
    });
  }
});

describe('defect 4: Fastify inside a prefixed plugin', () => {
  test('preflights under the prefix are answered', async () => {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    await app.register(
      async (s) => {
        await s.register(fastifyCors({ origins: [APP], methods: ['PUT'] }));
        s.put('/items', async () => 'ok');
      },
      { prefix: '/api' },
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const r = await raw(
        url,
        rawRequest('OPTIONS', '/api/items', [`Origin: ${APP}`, 'Access-Control-Request-Method: PUT']),
      );
      assert.equal(r.status, 204, r.head);
      assert.ok(r.lines.includes(`access-control-allow-origin: ${APP}`), r.head);
      // A plain OPTIONS (not a preflight) still gets the router's 404.
      const plain = await raw(url, rawRequest('OPTIONS', '/api/items', [`Origin: ${APP}`]));
      assert.equal(plain.status, 404, plain.head);
    } finally {
      await app.close();
    }
  });
});

describe('defect 9: authentication mounted before the middleware', () => {
  test('both requests get 401 without CORS headers, and `check` names the cause', async () => {
    const app = express();
    app.use((req, res, next) =>
      req.headers.authorization === 'Bearer t' ? next() : res.status(401).send('unauthorized'),
    );
    app.use(nodeCors({ origins: [APP], methods: ['PUT'], allowedHeaders: ['authorization'] }));
    app.put('/x', (_req, res) => res.send('ok'));
    const server = createServer(app);
    const url = await listen(server);
    try {
      const pre = await raw(
        url,
        rawRequest('OPTIONS', '/x', [`Origin: ${APP}`, 'Access-Control-Request-Method: PUT']),
      );
      assert.equal(pre.status, 401);
      assert.deepEqual(acLines(pre.lines), []);
      const cli = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
      const out = await new Promise<string>((resolve) =>
        execFile(
          process.execPath,
          [
            '--import',
            'tsx',
            cli,
            'check',
            `${url}/x`,
            '--origin',
            APP,
            '--method',
            'PUT',
            '-H',
            'Authorization: Bearer t',
            '--no-probes',
            '--json',
          ],
          { timeout: 30_000 },
          (_err, stdout) => resolve(stdout),
        ),
      );
      const report = JSON.parse(out) as { findings: { id: string; detail: string }[] };
      const finding = report.findings.find((f) => f.id === 'preflight-failed-status');
      assert.ok(finding, out);
      assert.match(finding.detail, /authentication runs before CORS/);
    } finally {
      await close(server);
    }
  });
});

describe('Private Network Access: accepted, never acted on', () => {
  test('an old PNA preflight is answered like any other, without Allow-Private-Network', async () => {
    const mw = nodeCors({ origins: [APP], methods: ['PUT'] });
    const server = createServer(
      mw.wrap((_req, res) => {
        res.setHeader('Access-Control-Allow-Private-Network', 'true');
        res.end('ok');
      }),
    );
    const url = await listen(server);
    try {
      const pre = await raw(
        url,
        rawRequest('OPTIONS', '/', [
          `Origin: ${APP}`,
          'Access-Control-Request-Method: PUT',
          'Access-Control-Request-Private-Network: true',
        ]),
      );
      assert.equal(pre.status, 204, pre.head);
      assert.ok(pre.lines.includes(`access-control-allow-origin: ${APP}`), pre.head);
      assert.ok(!pre.head.toLowerCase().includes('private-network'), pre.head);
      const actual = await raw(url, rawRequest('GET', '/', [`Origin: ${APP}`]));
      assert.ok(!actual.head.toLowerCase().includes('private-network'), actual.head);
    } finally {
      await close(server);
    }
  });
});

describe('defect 10: Fastify reply.hijack() (server-sent events)', () => {
  test('the hijacked response carries the CORS headers', async () => {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    await app.register(fastifyCors({ origins: [APP], credentials: true }));
    app.get('/events', (_req, reply) => {
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
      reply.raw.end('data: hi\n\n');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    try {
      const r = await raw(url, rawRequest('GET', '/events', [`Origin: ${APP}`]));
      assert.equal(r.status, 200, r.head);
      assert.ok(r.lines.includes(`access-control-allow-origin: ${APP}`), r.head);
      assert.ok(r.lines.includes('access-control-allow-credentials: true'), r.head);
      assert.ok(
        r.lines.some((l) => l.startsWith('vary:') && l.includes('origin')),
        r.head,
      );
    } finally {
      await app.close();
    }
  });
});

describe('defect 6: wildcards over domains with public-suffix entries below them', () => {
  for (const spec of ['https://*.amazonaws.com', 'https://*.s3.amazonaws.com', 'https://*.github.io'])
    test(`${spec} is refused`, () => {
      assert.ok(
        problemCodes({ origins: [spec], credentials: true }).includes('origin-pattern-public-suffix'),
      );
    });
  test('a plain registrable domain is still fine', () => {
    assert.deepEqual(problemCodes({ origins: ['https://*.example.com'], credentials: true }), []);
  });
});

describe('defect 7: production safeguards', () => {
  test("'prod' and 'Production' mean production", () => {
    for (const env of ['prod', 'Production'])
      assert.ok(
        problemCodes({ origins: ['http://localhost:3000'], env }).includes('localhost-in-production'),
        env,
      );
  });
  test('debug: true is refused in production', () => {
    assert.ok(
      problemCodes({ origins: [APP], debug: true, env: 'production' }).includes('debug-in-production'),
    );
  });
  test('[::] is loopback; IPv4-mapped IPv6 and 0x7f.0.0.1 are refused outright', () => {
    assert.ok(
      problemCodes({ origins: ['http://[::]:3000'], env: 'production' }).includes('localhost-in-production'),
    );
    assert.ok(problemCodes({ origins: ['http://[::ffff:7f00:1]:3000'] }).includes('origin-invalid-host'));
    assert.ok(problemCodes({ origins: ['http://0x7f.0.0.1:3000'] }).includes('origin-invalid-host'));
  });
  test('http://0.0.0.0 is not exempt from the http-with-credentials rule', () => {
    assert.ok(
      problemCodes({ origins: ['http://0.0.0.0:3000'], credentials: true }).includes(
        'insecure-origin-with-credentials',
      ),
    );
  });
  test('NODE_ENV=test falls back to the development list (the README example under a test runner)', () => {
    const p = compile({
      origins: { production: [APP], development: ['http://localhost:5173'] },
      env: 'test',
    });
    assert.deepEqual([...p.origins], ['http://localhost:5173']);
  });
  test('an unset environment picks the production list and warns about a flat list with localhost', () => {
    const p = compile({ origins: { production: [APP], development: ['http://localhost:5173'] } });
    assert.deepEqual([...p.origins], [APP]);
    const flat = compile({ origins: ['http://localhost:5173'], credentials: true });
    assert.equal(flat.warnings.length, 1);
    assert.match(flat.warnings[0]!, /NODE_ENV/);
  });
});

describe('defect 8: only canonical origins are echoed', () => {
  const p = compile({ origins: ['https://*.example.org', 'http://localhost:*'] });
  for (const origin of ['https://a.example.org:', 'http://localhost:', 'https://a.example.org:0443'])
    test(`${origin} is refused`, () => {
      const d = decide(p, { method: 'GET', origin });
      assert.equal(d.kind === 'actual' && d.allowed, false);
    });
  test('https://a.example.org is allowed', () => {
    const d = decide(p, { method: 'GET', origin: 'https://a.example.org' });
    assert.equal(d.kind === 'actual' && d.allowed, true);
  });
});

describe('defect 11: policy and messages', () => {
  test('mw.policy cannot be changed from outside', () => {
    const mw = nodeCors({ origins: [APP] });
    const set = mw.policy.exactOrigins as Set<string>;
    assert.throws(() => set.add(EVIL), TypeError);
    const d = decide(mw.policy, { method: 'GET', origin: EVIL });
    assert.equal(d.kind === 'actual' && d.allowed, false);
  });
  test('reconfigure(mw.policy) round-trips', () => {
    const mw = nodeCors({ origins: [APP], credentials: true, methods: ['PUT'] });
    const before = mw.policy;
    mw.reconfigure(before as unknown as CorsOptions);
    assert.deepEqual([...mw.policy.exactOrigins], [APP]);
    assert.equal(mw.policy.credentials, true);
    assert.deepEqual([...mw.policy.methods], ['PUT']);
  });
  test('http://0xFF000000 is reported as an invalid host, not as upper case', () => {
    assert.deepEqual(problemCodes({ origins: ['http://0xFF000000'] }), ['origin-invalid-host']);
  });
  test('the max-age message names the limit it enforces', () => {
    try {
      compile({ origins: [APP], maxAge: 90000 });
      assert.fail('accepted');
    } catch (err) {
      assert.match((err as Error).message, /at most 86400/);
    }
  });
});

describe('defect 12: wildcard lookup', () => {
  const patterns = Array.from({ length: 1000 }, (_, i) => `https://*.tenant${i}.com`);
  const p = compile({ origins: patterns });
  test('every pattern still matches, nothing else does', () => {
    for (const i of [0, 1, 500, 999]) {
      const d = decide(p, { method: 'GET', origin: `https://a.b.tenant${i}.com` });
      assert.equal(d.kind === 'actual' && d.allowed, true, String(i));
    }
    for (const origin of [
      'https://tenant1.com',
      'https://a.tenant1000.com',
      'https://a.xtenant1.com',
      'http://a.tenant1.com',
    ]) {
      const d = decide(p, { method: 'GET', origin });
      assert.equal(d.kind === 'actual' && d.allowed, false, origin);
    }
  });
});

test('defect 12: patterns of different depths and ports', () => {
  const p = compile({
    origins: ['https://*.example.com', 'https://*.a.b.example.org', 'http://*.dev.example.net:8080'],
  });
  const ok = (origin: string) => {
    const d = decide(p, { method: 'GET', origin });
    return d.kind === 'actual' && d.allowed;
  };
  assert.equal(ok('https://deep.x.y.example.com'), true);
  assert.equal(ok('https://x.a.b.example.org'), true);
  assert.equal(ok('https://a.b.example.org'), false);
  assert.equal(ok('https://x.b.example.org'), false);
  assert.equal(ok('https://example.com'), false);
  assert.equal(ok('http://x.dev.example.net:8080'), true);
  assert.equal(ok('http://x.dev.example.net'), false);
  assert.equal(ok('http://x.dev.example.net:8081'), false);
});

describe('validation against jub0bs/cors rules', () => {
  const refused: [string, unknown][] = [
    [
      'CORS response header in allowedHeaders',
      { origins: [APP], allowedHeaders: ['access-control-allow-origin'] },
    ],
    ['origin in exposedHeaders', { origins: [APP], exposedHeaders: ['origin'] }],
    ['ACR* in exposedHeaders', { origins: [APP], exposedHeaders: ['access-control-request-method'] }],
    ['IPv4-mapped IPv6', { origins: ['http://[::ffff:7f00:1]'] }],
    ['example.123', { origins: ['https://example.123'] }],
    ['foo.0x7f', { origins: ['https://foo.0x7f'] }],
  ];
  for (const [name, options] of refused)
    test(`refused: ${name}`, () => assert.notDeepEqual(problemCodes(options), []));
  const accepted: [string, unknown][] = [
    ['underscore host', { origins: ['https://my_app.example.com'] }],
    ['capacitor://localhost', { origins: ['capacitor://localhost'], credentials: true }],
    ['ionic://localhost', { origins: ['ionic://localhost'] }],
    ['chrome-extension', { origins: ['chrome-extension://abcdefghijklmnopabcdefghijklmnop'] }],
    ['moz-extension', { origins: ['moz-extension://0b5c7a48-4a3c-4d9e-8f0e-7c1a2b3c4d5e'] }],
    ['tauri://localhost', { origins: ['tauri://localhost'], credentials: true }],
    ["methods ['*'] with credentials", { origins: [APP], credentials: true, methods: ['*'] }],
    ["allowedHeaders ['*'] with credentials", { origins: [APP], credentials: true, allowedHeaders: ['*'] }],
  ];
  for (const [name, options] of accepted)
    test(`accepted: ${name}`, () => assert.deepEqual(problemCodes(options), []));
  test('capacitor://localhost is echoed', () => {
    const p = compile({ origins: ['capacitor://localhost'], credentials: true });
    const d = decide(p, { method: 'GET', origin: 'capacitor://localhost' });
    assert.ok(
      d.headers.some(([n, v]) => n === 'access-control-allow-origin' && v === 'capacitor://localhost'),
    );
  });
  test('methods * with credentials echoes the method, never *', () => {
    const p = compile({ origins: [APP], credentials: true, methods: ['*'] });
    const d = decide(p, { method: 'OPTIONS', origin: APP, requestMethod: 'PATCH' });
    assert.ok(d.headers.some(([n, v]) => n === 'access-control-allow-methods' && v === 'PATCH'));
  });
  test('a file: origin is refused with a message saying browsers send null', () => {
    try {
      compile({ origins: ['file:///x'] });
      assert.fail('accepted');
    } catch (err) {
      assert.match((err as Error).message, /null/);
    }
  });
});
