/**
 * Framework-specific error paths beyond the conformance table: each framework's own default error
 * handling, error objects with their own headers, handlers that strip or replace headers, encapsulated
 * Fastify contexts, Hono's HTTPException, and fetch responses with immutable headers. Real servers on
 * 127.0.0.1; the CORS headers must survive every one of them (catalog mistake 4).
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, test } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import Koa from 'koa';
import { cors as fastifyCors } from '../../src/middleware/adapters/fastify.ts';
import { cors as fetchCors } from '../../src/middleware/adapters/fetch.ts';
import { cors as koaCors } from '../../src/middleware/adapters/koa.ts';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import { loopbackServers, send, values, varyTokens, type WireResult } from './apps.ts';

const APP = 'https://app.example.com';
const OPTIONS = { origins: [APP], credentials: true, methods: ['PUT'] };
const serve = loopbackServers();

function assertCors(r: WireResult, status: number): void {
  assert.equal(r.status, status);
  assert.deepEqual(values(r, 'access-control-allow-origin'), [APP]);
  assert.deepEqual(values(r, 'access-control-allow-credentials'), ['true']);
  assert.ok(varyTokens(r).includes('origin'), `Vary: ${values(r, 'vary')}`);
}

describe('Express', () => {
  test('default finalhandler: thrown error, next(err) with status, unknown route', async () => {
    const app = express();
    app.set('env', 'test'); // finalhandler stays quiet on stderr
    app.use(nodeCors(OPTIONS));
    app.get('/throw', () => {
      throw new Error('boom');
    });
    app.get('/forbidden', (_req, _res, next) => next(Object.assign(new Error('no'), { status: 403 })));
    const url = await serve(createServer(app));
    assertCors(await send(url, 'GET', '/throw', { origin: APP }), 500);
    assertCors(await send(url, 'GET', '/forbidden', { origin: APP }), 403);
    assertCors(await send(url, 'GET', '/nope', { origin: APP }), 404);
  });

  test('an error handler that strips headers or passes its own to writeHead cannot drop ours', async () => {
    const app = express();
    app.use(nodeCors(OPTIONS));
    app.get('/strip', () => {
      throw new Error('x');
    });
    app.get('/writehead', (_req, res) => {
      res.writeHead(418, {
        Vary: 'Accept',
        'Access-Control-Allow-Origin': '*',
        'Content-Type': 'text/plain',
      });
      res.end('teapot');
    });
    app.use((_err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      res.status(500).json({ error: 'x' });
    });
    const url = await serve(createServer(app));
    assertCors(await send(url, 'GET', '/strip', { origin: APP }), 500);
    const r = await send(url, 'GET', '/writehead', { origin: APP });
    assertCors(r, 418);
    assert.deepEqual(varyTokens(r), ['accept', 'origin']);
  });
});

describe('Koa', () => {
  test('ctx.throw with status, errors carrying their own headers, default error handler', async () => {
    const app = new Koa();
    app.silent = true;
    app.use(koaCors(OPTIONS));
    app.use(async (ctx) => {
      if (ctx.path === '/401')
        ctx.throw(401, 'login', { headers: { 'WWW-Authenticate': 'Bearer', Vary: 'Accept' } });
      if (ctx.path === '/400') ctx.throw(400);
      if (ctx.path === '/500') throw new Error('boom');
    });
    const url = await serve(createServer(app.callback()));
    const r = await send(url, 'GET', '/401', { origin: APP });
    assertCors(r, 401);
    assert.deepEqual(values(r, 'www-authenticate'), ['Bearer']);
    assert.deepEqual(varyTokens(r), ['accept', 'origin']);
    assertCors(await send(url, 'GET', '/400', { origin: APP }), 400);
    assertCors(await send(url, 'GET', '/500', { origin: APP }), 500);
    assertCors(await send(url, 'GET', '/404', { origin: APP }), 404);
  });
});

describe('Fastify', () => {
  test('custom error handler, callNotFound, preHandler throwing, encapsulated child routes', async () => {
    const app = Fastify({ logger: false, forceCloseConnections: true });
    await app.register(fastifyCors(OPTIONS));
    app.setErrorHandler((_err, _req, reply) => {
      reply.code(503).send({ down: true });
    });
    app.get('/throw', async () => {
      throw new Error('boom');
    });
    app.get('/cnf', (_req, reply) => reply.callNotFound());
    await app.register(async (child) => {
      child.addHook('preHandler', async () => {
        throw Object.assign(new Error('nope'), { statusCode: 401 });
      });
      child.get('/child', async () => 'never');
    });
    await app.register(async (child) => {
      child.get('/child-ok', async () => 'ok');
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      assertCors(await send(url, 'GET', '/throw', { origin: APP }), 503);
      assertCors(await send(url, 'GET', '/cnf', { origin: APP }), 404);
      assertCors(await send(url, 'GET', '/child', { origin: APP }), 503);
      assertCors(await send(url, 'GET', '/child-ok', { origin: APP }), 200);
      const pre = await send(url, 'OPTIONS', '/child', {
        origin: APP,
        'access-control-request-method': 'PUT',
      });
      assertCors(pre, 204);
    } finally {
      await app.close();
    }
  });

  test('an invalid configuration fails app.register (and ready) with CorsConfigError', async () => {
    const app = Fastify({ logger: false });
    app.register(fastifyCors, { origins: ['https://app.example.com/'] });
    await assert.rejects(
      async () => {
        await app.ready();
      },
      (e: Error) => e.name === 'CorsConfigError',
    );
    await app.close();
  });
});

describe('Hono', () => {
  test('HTTPException, custom notFound, custom onError', async () => {
    const app = new Hono();
    app.use(fetchCors(OPTIONS));
    app.get('/401', () => {
      throw new HTTPException(401, { message: 'login' });
    });
    app.get('/500', () => {
      throw new Error('boom');
    });
    app.notFound((c) => c.json({ missing: true }, 404));
    app.onError((err, c) =>
      err instanceof HTTPException ? err.getResponse() : c.json({ error: true }, 500),
    );
    const url = await serve(createAdaptorServer({ fetch: app.fetch }) as Server);
    assertCors(await send(url, 'GET', '/401', { origin: APP }), 401);
    assertCors(await send(url, 'GET', '/500', { origin: APP }), 500);
    assertCors(await send(url, 'GET', '/nope', { origin: APP }), 404);
  });
});

describe('fetch handler', () => {
  test('immutable responses (redirects, fetch() results) are copied, thrown errors become a 500 with headers', async () => {
    const upstream = await serve(createServer((_req, res) => res.end('upstream')));
    const errors: unknown[] = [];
    const handler = fetchCors({ ...OPTIONS, onError: (e: unknown) => errors.push(e) })(
      async (req: Request) => {
        const path = new URL(req.url).pathname;
        if (path === '/redirect') return Response.redirect('http://127.0.0.1/elsewhere', 302);
        if (path === '/proxy') return fetch(upstream, { signal: AbortSignal.timeout(5000) });
        throw new Error('boom');
      },
    );
    const ask = (path: string) =>
      handler(new Request(`http://127.0.0.1${path}`, { headers: { origin: APP } }));
    const redirect = await ask('/redirect');
    assert.equal(redirect.status, 302);
    assert.equal(redirect.headers.get('access-control-allow-origin'), APP);
    assert.equal(redirect.headers.get('location'), 'http://127.0.0.1/elsewhere');
    const proxied = await ask('/proxy');
    assert.equal(await proxied.text(), 'upstream');
    assert.equal(proxied.headers.get('access-control-allow-origin'), APP);
    assert.equal(proxied.headers.get('vary'), 'Origin');
    const failed = await ask('/throw');
    assert.equal(failed.status, 500);
    assert.equal(failed.headers.get('access-control-allow-origin'), APP);
    assert.equal(errors.length, 1);
  });
});
