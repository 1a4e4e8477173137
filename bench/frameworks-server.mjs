// One benchmark server: `node bench/frameworks-server.mjs <framework> <variant>` prints its port, then
// serves GET / ("hello") with the CORS variant in front. Plain JavaScript over the compiled dist/, like
// the peers from node_modules, so no loader runs in the timed process. Used by bench/frameworks.ts.
//   framework: node | express | fastify | koa | hono
//   variant:   none | hand (the same headers as ours, written by hand) | ours | peer
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const [framework, variant] = process.argv.slice(2);
const require = createRequire(import.meta.url);
const dist = new URL('../dist/src/middleware/adapters/', import.meta.url);
const APP = 'https://app.example.com';
const ORIGINS = [APP, 'https://admin.example.com'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT'];
const HEADERS = ['authorization', 'content-type'];
const ours = { origins: ORIGINS, credentials: true, methods: ['PUT'], allowedHeaders: HEADERS, maxAge: 600 };
const ourAdapter = async (name) => (await import(new URL(`${name}.js`, dist).href)).cors;

/** What ours sends, with no decision beyond one string compare: the cost of the headers themselves. */
function hand(req, res) {
  const origin = req.headers.origin;
  res.setHeader('vary', 'Origin');
  if (origin !== APP) return false;
  res.setHeader('access-control-allow-origin', origin);
  res.setHeader('access-control-allow-credentials', 'true');
  if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
    res.setHeader('access-control-allow-methods', 'PUT');
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '');
    res.setHeader('access-control-max-age', '600');
    res.statusCode = 204;
    res.end();
    return true;
  }
  return false;
}

const hello = (_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('hello');
};

async function listen() {
  if (framework === 'node') {
    let listener = hello;
    if (variant === 'hand') listener = (req, res) => hand(req, res) || hello(req, res);
    if (variant === 'ours') {
      const mw = (await ourAdapter('node'))(ours);
      listener = (req, res) => mw(req, res) || hello(req, res);
    }
    if (variant === 'peer') {
      const mw = require('cors')({
        origin: ORIGINS,
        credentials: true,
        methods: METHODS,
        allowedHeaders: HEADERS,
        maxAge: 600,
      });
      listener = (req, res) => mw(req, res, () => hello(req, res));
    }
    return serveNode(createServer(listener));
  }
  if (framework === 'express') {
    const app = require('express')();
    app.disable('x-powered-by');
    if (variant === 'ours') app.use((await ourAdapter('node'))(ours));
    if (variant === 'peer')
      app.use(
        require('cors')({
          origin: ORIGINS,
          credentials: true,
          methods: METHODS,
          allowedHeaders: HEADERS,
          maxAge: 600,
        }),
      );
    app.get('/', (_req, res) => res.type('text/plain').send('hello'));
    return serveNode(createServer(app));
  }
  if (framework === 'fastify') {
    const app = require('fastify')({ logger: false });
    if (variant === 'ours') await app.register((await ourAdapter('fastify'))(ours));
    if (variant === 'peer')
      await app.register(require('@fastify/cors'), {
        origin: ORIGINS,
        credentials: true,
        methods: METHODS,
        allowedHeaders: HEADERS,
        maxAge: 600,
      });
    app.get('/', async (_req, reply) => reply.type('text/plain').send('hello'));
    await app.listen({ port: 0, host: '127.0.0.1' });
    return app.server.address().port;
  }
  if (framework === 'koa') {
    const Koa = require('koa');
    const app = new Koa();
    if (variant === 'ours') app.use((await ourAdapter('koa'))(ours));
    if (variant === 'peer')
      app.use(
        require('@koa/cors')({
          // @koa/cors takes one origin or a function; its README's way to allow a list.
          origin: (ctx) => (ORIGINS.includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
          credentials: true,
          allowMethods: METHODS,
          allowHeaders: HEADERS,
          maxAge: 600,
        }),
      );
    app.use((ctx) => {
      ctx.type = 'text/plain';
      ctx.body = 'hello';
    });
    return serveNode(createServer(app.callback()));
  }
  if (framework === 'hono') {
    const { Hono } = await import('hono');
    const { serve } = await import('@hono/node-server');
    const app = new Hono();
    if (variant === 'ours') app.use((await ourAdapter('fetch'))(ours));
    if (variant === 'peer') {
      const { cors } = await import('hono/cors');
      app.use(
        cors({
          origin: ORIGINS,
          credentials: true,
          allowMethods: METHODS,
          allowHeaders: HEADERS,
          maxAge: 600,
        }),
      );
    }
    app.get('/', (c) => c.text('hello'));
    return new Promise((resolve) => {
      const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve(info.port),
      );
      void server;
    });
  }
  throw new Error(`unknown framework '${framework}': use node, express, fastify, koa or hono`);
}

function serveNode(server) {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
}

// CPU time of this process on request, so the driver can compute CPU per request (less sensitive to the
// shared machine's load than requests per second). Kept off the measured path: a separate port.
const control = createServer((req, res) => {
  if (req.url === '/exit') return res.end('bye', () => process.exit(0));
  res.end(JSON.stringify(process.cpuUsage()));
});
const port = await listen();
control.listen(0, '127.0.0.1', () => console.log(`${port} ${control.address().port}`));
