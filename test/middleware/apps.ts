/**
 * The same small API built on every framework this middleware supports, each mounted the idiomatic
 * way, listening on 127.0.0.1. Routes (identical everywhere):
 *   GET|PUT /ok      200 "ok", sets x-request-id
 *   GET /throw       the handler throws → the framework's 500
 *   GET|PUT /auth    auth middleware mounted AFTER cors answers 401 without `Authorization: Bearer t`
 *   GET /vary-set    the handler replaces Vary with `Accept-Encoding`
 *   GET /acao-set    the handler sets its own `Access-Control-Allow-Origin: *` (a second CORS layer)
 *   GET /acao-echo   the handler echoes Origin into Allow-Origin and sets Allow-Credentials: true
 *                    (the hand-rolled CORS that issue 19 found surviving a refusal)
 *   anything else    the router's 404
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, request, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { createAdaptorServer } from '@hono/node-server';
import express from 'express';
import Fastify from 'fastify';
import { Hono } from 'hono';
import Koa from 'koa';
import { cors as fastifyCors } from '../../src/middleware/adapters/fastify.ts';
import { cors as fetchCors } from '../../src/middleware/adapters/fetch.ts';
import { cors as koaCors } from '../../src/middleware/adapters/koa.ts';
import { cors as nodeCors } from '../../src/middleware/adapters/node.ts';
import type { CorsDecisionEvent, CorsOptions } from '../../src/middleware/core/index.ts';

/**
 * A `serve(server)` that listens on 127.0.0.1 (a free port) and resolves to its base URL; every server it
 * started is closed after the calling test file.
 */
export function loopbackServers(): (server: Server) => Promise<string> {
  const servers: Server[] = [];
  after(async () => {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise((r) => s.close(r));
    }
  });
  return async (server) => {
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  };
}

export const ADAPTERS = ['node', 'express', 'fastify', 'fastify-register', 'koa', 'hono', 'fetch'] as const;
export type AdapterName = (typeof ADAPTERS)[number];

export interface RunningApp {
  url: string;
  events: CorsDecisionEvent[];
  close(): Promise<void>;
}

const authorized = (value: string | null | undefined) => value === 'Bearer t';
const quiet = () => {};

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** What a hand-rolled CORS route does: echo Origin, allow credentials, expose a header. */
function echoCors(set: (name: string, value: string) => void, origin: string | null | undefined): void {
  set('Access-Control-Allow-Origin', origin ?? '*');
  set('Access-Control-Allow-Credentials', 'true');
  set('Access-Control-Expose-Headers', 'x-secret');
}

/** Node handler shared by node and the fetch bridge's counterpart. */
function nodeRoutes(req: IncomingMessage, res: ServerResponse): void {
  const path = (req.url ?? '/').split('?')[0];
  if (path === '/auth' && !authorized(req.headers.authorization)) {
    res.statusCode = 401;
    res.end('unauthorized');
    return;
  }
  if (path === '/throw') throw new Error('boom');
  if (path === '/vary-set') res.setHeader('Vary', 'Accept-Encoding');
  if (path === '/acao-set') res.setHeader('Access-Control-Allow-Origin', '*');
  if (path === '/acao-echo') echoCors((n, v) => res.setHeader(n, v), req.headers.origin);
  if (
    (path === '/ok' ||
      path === '/auth' ||
      path === '/vary-set' ||
      path === '/acao-set' ||
      path === '/acao-echo') &&
    req.method !== 'OPTIONS'
  ) {
    res.setHeader('x-request-id', 'r1');
    res.end('ok');
    return;
  }
  res.statusCode = 404;
  res.end('not found');
}

async function fetchRoutes(req: Request): Promise<Response> {
  const path = new URL(req.url).pathname;
  if (path === '/auth' && !authorized(req.headers.get('authorization')))
    return new Response('unauthorized', { status: 401 });
  if (path === '/throw') throw new Error('boom');
  const known =
    path === '/ok' ||
    path === '/auth' ||
    path === '/vary-set' ||
    path === '/acao-set' ||
    path === '/acao-echo';
  if (!known || req.method === 'OPTIONS') return new Response('not found', { status: 404 });
  const headers = new Headers({ 'x-request-id': 'r1' });
  if (path === '/vary-set') headers.set('vary', 'Accept-Encoding');
  if (path === '/acao-set') headers.set('access-control-allow-origin', '*');
  if (path === '/acao-echo') echoCors((n, v) => headers.set(n, v), req.headers.get('origin'));
  return new Response('ok', { headers });
}

/** A tiny node:http → fetch-handler bridge (what Workers/Deno/Bun do natively). */
function bridge(handler: (req: Request) => Promise<Response>): Server {
  return createServer(async (req, res) => {
    const headers = new Headers();
    for (let i = 0; i < req.rawHeaders.length; i += 2)
      headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
    const method = req.method ?? 'GET';
    const body =
      method === 'GET' || method === 'HEAD'
        ? null
        : await new Response(req as unknown as ReadableStream).arrayBuffer().catch(() => null);
    const response = await handler(new Request(`http://127.0.0.1${req.url}`, { method, headers, body }));
    res.statusCode = response.status;
    response.headers.forEach((value, name) => {
      res.setHeader(name, value);
    });
    res.end(Buffer.from(await response.arrayBuffer()));
  });
}

export async function startApp(adapter: AdapterName, options: CorsOptions): Promise<RunningApp> {
  const events: CorsDecisionEvent[] = [];
  const opts = { ...options, onDecision: (e: CorsDecisionEvent) => events.push(e) } as CorsOptions;
  switch (adapter) {
    case 'node': {
      const mw = nodeCors(opts);
      const server = createServer(mw.wrap(nodeRoutes, quiet));
      return { url: await listen(server), events, close: () => closeServer(server) };
    }
    case 'express': {
      const app = express();
      app.use(nodeCors(opts));
      app.use('/auth', (req, res, next) =>
        authorized(req.headers.authorization) ? next() : res.status(401).send('unauthorized'),
      );
      const ok = (_req: express.Request, res: express.Response) => res.set('x-request-id', 'r1').send('ok');
      app.get('/ok', ok);
      app.put('/ok', ok);
      app.get('/auth', ok);
      app.put('/auth', ok);
      app.get('/throw', () => {
        throw new Error('boom');
      });
      app.get('/vary-set', (_req, res) =>
        res.setHeader('Vary', 'Accept-Encoding').set('x-request-id', 'r1').send('ok'),
      );
      app.get('/acao-set', (_req, res) =>
        res.set('Access-Control-Allow-Origin', '*').set('x-request-id', 'r1').send('ok'),
      );
      app.get('/acao-echo', (req, res) => {
        echoCors((n, v) => res.set(n, v), req.headers.origin);
        res.send('ok');
      });
      // Express prints thrown errors to stderr outside production; keep the test output clean.
      app.use((err: Error, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
        res.status(500).send(`error: ${err.message}`);
      });
      const server = createServer(app);
      return { url: await listen(server), events, close: () => closeServer(server) };
    }
    case 'fastify':
    case 'fastify-register': {
      const app = Fastify({ logger: false, forceCloseConnections: true });
      // Accept any body (also an empty JSON one), as the other frameworks here do.
      app.removeAllContentTypeParsers();
      app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));
      if (adapter === 'fastify') await app.register(fastifyCors(opts));
      else await app.register(fastifyCors, opts);
      app.addHook('onRequest', async (req, reply) => {
        if (req.url.startsWith('/auth') && !authorized(req.headers.authorization))
          return reply.code(401).send('unauthorized');
      });
      const ok = async (_req: unknown, reply: import('fastify').FastifyReply) => {
        reply.header('x-request-id', 'r1');
        return 'ok';
      };
      app.get('/ok', ok);
      app.put('/ok', ok);
      app.get('/auth', ok);
      app.put('/auth', ok);
      app.get('/throw', async () => {
        throw new Error('boom');
      });
      app.get('/vary-set', async (_req, reply) => {
        reply.header('Vary', 'Accept-Encoding');
        return ok(_req, reply);
      });
      app.get('/acao-set', async (_req, reply) => {
        reply.header('Access-Control-Allow-Origin', '*');
        return ok(_req, reply);
      });
      app.get('/acao-echo', async (req, reply) => {
        echoCors((n, v) => reply.header(n, v), req.headers.origin);
        return 'ok';
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      const port = (app.server.address() as AddressInfo).port;
      return { url: `http://127.0.0.1:${port}`, events, close: () => app.close() };
    }
    case 'koa': {
      const app = new Koa();
      app.silent = true;
      app.use(koaCors(opts));
      app.use(async (ctx, next) => {
        if (ctx.path === '/auth' && !authorized(ctx.get('authorization'))) {
          ctx.status = 401;
          ctx.body = 'unauthorized';
          return;
        }
        await next();
      });
      app.use(async (ctx) => {
        const get = ctx.method === 'GET' || ctx.method === 'HEAD';
        if (ctx.path === '/throw' && get) throw new Error('boom');
        if (
          ((ctx.path === '/ok' || ctx.path === '/auth') && (get || ctx.method === 'PUT')) ||
          (get && (ctx.path === '/vary-set' || ctx.path === '/acao-set' || ctx.path === '/acao-echo'))
        ) {
          if (ctx.path === '/acao-echo') echoCors((n, v) => ctx.set(n, v), ctx.get('origin'));
          if (ctx.path === '/vary-set') ctx.set('Vary', 'Accept-Encoding');
          if (ctx.path === '/acao-set') ctx.set('Access-Control-Allow-Origin', '*');
          ctx.set('x-request-id', 'r1');
          ctx.body = 'ok';
        }
        // otherwise Koa answers 404
      });
      const server = createServer(app.callback());
      return { url: await listen(server), events, close: () => closeServer(server) };
    }
    case 'hono': {
      const app = new Hono();
      app.use(fetchCors(opts));
      app.use('/auth', async (c, next) => {
        if (!authorized(c.req.header('authorization'))) return c.text('unauthorized', 401);
        await next();
      });
      const ok = (c: import('hono').Context) => {
        c.header('x-request-id', 'r1');
        return c.text('ok');
      };
      app.get('/ok', ok);
      app.put('/ok', ok);
      app.get('/auth', ok);
      app.put('/auth', ok);
      app.get('/throw', () => {
        throw new Error('boom');
      });
      app.get('/vary-set', (c) => {
        c.header('Vary', 'Accept-Encoding');
        return ok(c);
      });
      app.get('/acao-set', (c) => {
        c.header('Access-Control-Allow-Origin', '*');
        return ok(c);
      });
      app.get('/acao-echo', (c) => {
        echoCors((n, v) => c.header(n, v), c.req.header('origin'));
        return c.text('ok');
      });
      app.onError((_err, c) => c.text('Internal Server Error', 500));
      const server = createAdaptorServer({ fetch: app.fetch }) as Server;
      return { url: await listen(server), events, close: () => closeServer(server) };
    }
    case 'fetch': {
      const handler = fetchCors({ ...opts, onError: quiet } as unknown as CorsOptions)(fetchRoutes);
      const server = bridge(handler);
      return { url: await listen(server), events, close: () => closeServer(server) };
    }
  }
}

export interface WireResult {
  status: number;
  /** Raw header lines as received, names lower-cased, duplicates kept. */
  headers: [string, string][];
  body: string;
}

/** One HTTP/1.1 request over a fresh loopback connection, with a 5 s deadline. */
export function send(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<WireResult> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers, agent: false, timeout: 5000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const lines: [string, string][] = [];
        for (let i = 0; i < res.rawHeaders.length; i += 2)
          lines.push([res.rawHeaders[i]!.toLowerCase(), res.rawHeaders[i + 1]!]);
        resolve({
          status: res.statusCode ?? 0,
          headers: lines,
          body: Buffer.concat(chunks).toString('utf8'),
        });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path}`)));
    req.on('error', reject);
    req.end();
  });
}

/** All values of a header (lower-case name), one per line. */
export function values(r: WireResult, name: string): string[] {
  return r.headers.filter(([n]) => n === name).map(([, v]) => v);
}

/** The Vary tokens, lower-cased, across all Vary lines. */
export function varyTokens(r: WireResult): string[] {
  return values(r, 'vary').flatMap((v) =>
    v
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}
