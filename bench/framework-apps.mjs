// The benchmark's apps, one per framework × CORS variant, each answering GET / with "hello": built
// once here for both harnesses, the socket one (frameworks-server.mjs, under autocannon) and the
// socketless one (routing.ts, the framework's own request listener). Plain JavaScript over the
// compiled dist/, like the peers from node_modules, so no loader runs in the timed process.
//   framework: node | express | fastify | koa | hono
//   variant:   none | hand (the same headers as ours, written by hand) | ours | peer
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const dist = new URL('../dist/src/middleware/adapters/', import.meta.url);
export const APP = 'https://app.example.com';
const ORIGINS = [APP, 'https://admin.example.com'];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT'];
const HEADERS = ['authorization', 'content-type'];
const OURS = { origins: ORIGINS, credentials: true, methods: ['PUT'], allowedHeaders: HEADERS, maxAge: 600 };
/** Our adapter `name` from dist/, or from `base`: another build's adapters folder (a before/after run). */
const ours = async (name, base = dist) => (await import(new URL(`${name}.js`, base).href)).cors;

const PREFLIGHT_VARY = 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers';

/**
 * What ours sends for the bench's three requests, the same lines in the same order (bench/routing.ts
 * compares the serialised heads), with no decision beyond one string compare and setHeader per line,
 * the way such code is written: the cost of the headers themselves. No refused preflight (403) here.
 */
function hand(req, res) {
  const origin = req.headers.origin;
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (origin === APP) {
    res.setHeader('access-control-allow-origin', origin);
    res.setHeader('access-control-allow-credentials', 'true');
    if (preflight) {
      res.setHeader('access-control-allow-methods', 'PUT');
      res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers'] ?? '');
      res.setHeader('access-control-max-age', '600');
    }
  }
  res.setHeader('vary', preflight ? PREFLIGHT_VARY : 'Origin');
  if (!preflight || origin !== APP) return false;
  res.statusCode = 204;
  res.end();
  return true;
}

const hello = (_req, res) => {
  res.setHeader('content-type', 'text/plain');
  res.end('hello');
};

const peerCors = () =>
  require('cors')({
    origin: ORIGINS,
    credentials: true,
    methods: METHODS,
    allowedHeaders: HEADERS,
    maxAge: 600,
  });

/**
 * `{ listener }`: the framework's own node:http request listener for the app; for Fastify also
 * `{ fastify }`, the ready app (its listener is `app.routing`; a server listens with `app.listen`).
 * `base` (a URL of another build's dist/src/middleware/adapters/ folder) makes `ours` that build's.
 */
export async function buildApp(framework, variant, base = dist) {
  if (framework === 'node') {
    if (variant === 'hand') return { listener: (req, res) => hand(req, res) || hello(req, res) };
    if (variant === 'ours') {
      const mw = (await ours('node', base))(OURS);
      return { listener: (req, res) => mw(req, res) || hello(req, res) };
    }
    if (variant === 'peer') {
      const mw = peerCors();
      return { listener: (req, res) => mw(req, res, () => hello(req, res)) };
    }
    return { listener: hello };
  }
  if (framework === 'express') {
    const app = require('express')();
    app.disable('x-powered-by');
    if (variant === 'ours') app.use((await ours('node', base))(OURS));
    if (variant === 'peer') app.use(peerCors());
    app.get('/', (_req, res) => res.type('text/plain').send('hello'));
    return { listener: app };
  }
  if (framework === 'fastify') {
    const app = require('fastify')({ logger: false });
    if (variant === 'ours') await app.register((await ours('fastify', base))(OURS));
    if (variant === 'peer')
      await app.register(require('@fastify/cors'), {
        origin: ORIGINS,
        credentials: true,
        methods: METHODS,
        allowedHeaders: HEADERS,
        maxAge: 600,
      });
    app.get('/', async (_req, reply) => reply.type('text/plain').send('hello'));
    await app.ready();
    return { listener: app.routing, fastify: app };
  }
  if (framework === 'koa') {
    const Koa = require('koa');
    const app = new Koa();
    if (variant === 'ours') app.use((await ours('koa', base))(OURS));
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
    return { listener: app.callback() };
  }
  if (framework === 'hono') {
    const { Hono } = await import('hono');
    const { getRequestListener } = await import('@hono/node-server');
    const app = new Hono();
    if (variant === 'ours') app.use((await ours('fetch', base))(OURS));
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
    // The listener @hono/node-server's serve() puts on its http.Server.
    return { listener: getRequestListener(app.fetch) };
  }
  throw new Error(`unknown framework '${framework}': use node, express, fastify, koa or hono`);
}
