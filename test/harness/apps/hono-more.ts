/**
 * More Hono + hono/cors setups from real reports (issue 10's corpus): cors() on a sub-path and routes
 * outside it, cors() after the routes, `onError` building a fresh Response, origin callbacks.
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { HTTPException } from 'hono/http-exception';
import { ADMIN, APP, authenticated, BODY, REQUEST_ID, type RunningApp } from './common.ts';

export type HonoMoreVariant =
  /** `app.use('/api/*', cors(…))`; the app also serves `/v2/data` outside that path. */
  | 'api-path-only'
  /** `app.use('*', cors())` registered after the routes (honojs/hono#3493). */
  | 'cors-after-routes'
  /** cors() first; `app.onError` returns a fresh `new Response(…)` for thrown errors. */
  | 'onerror-fresh-response'
  /** `origin: (o) => ALLOWED.includes(o) ? o : undefined`: the documented callback, with credentials. */
  | 'origin-callback-list'
  /** `origin: (o) => o.endsWith('.myshop.test') ? o : undefined`: any scheme, any subdomain. */
  | 'origin-callback-suffix'
  /** `cors()` with its defaults on a public API. */
  | 'public-default'
  /** Allow-list with credentials but no `exposeHeaders`. */
  | 'not-exposed';

const handler = (c: Context) => {
  c.header('X-Request-Id', REQUEST_ID);
  return c.body(BODY, 200, { 'Content-Type': 'application/json' });
};

export async function startHonoMore(variant: HonoMoreVariant): Promise<RunningApp> {
  const app = new Hono();
  const good = {
    origin: [APP],
    credentials: true,
    allowHeaders: ['Content-Type', 'Authorization'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    exposeHeaders: ['X-Request-Id'],
  };
  const routes = () => {
    app.get('/api/data', handler);
    app.put('/api/data', handler);
    app.get('/api/private', (c) => {
      if (!authenticated({ authorization: c.req.header('Authorization'), cookie: c.req.header('Cookie') }))
        throw new HTTPException(401, { message: 'login required' });
      return handler(c);
    });
    app.get('/api/boom', () => {
      throw new Error('database down');
    });
    app.get('/v2/data', handler);
    app.put('/v2/data', handler);
  };
  if (variant !== 'onerror-fresh-response')
    // Hono's default onError logs every error to the console; this one answers the same way, quietly.
    app.onError((err, c) =>
      err instanceof HTTPException ? err.getResponse() : c.text('Internal Server Error', 500),
    );
  switch (variant) {
    case 'api-path-only':
      app.use('/api/*', cors(good));
      routes();
      break;
    case 'cors-after-routes':
      routes();
      app.use('*', cors(good));
      break;
    case 'onerror-fresh-response':
      app.use('*', cors(good));
      routes();
      app.onError((err) => {
        const status = err instanceof HTTPException ? err.status : 500;
        return new Response(JSON.stringify({ error: err.message }), {
          status,
          headers: { 'Content-Type': 'application/json' },
        });
      });
      break;
    case 'origin-callback-list': {
      const allowed = [APP, ADMIN];
      app.use('*', cors({ ...good, origin: (o) => (allowed.includes(o) ? o : undefined) }));
      routes();
      break;
    }
    case 'origin-callback-suffix':
      app.use('*', cors({ ...good, origin: (o) => (o.endsWith('.myshop.test') ? o : undefined) }));
      routes();
      break;
    case 'public-default':
      app.use('*', cors());
      routes();
      break;
    case 'not-exposed':
      app.use('*', cors({ ...good, exposeHeaders: [] }));
      routes();
      break;
  }
  return new Promise((resolve) => {
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      resolve({
        base: `http://127.0.0.1:${info.port}`,
        close: () =>
          new Promise<void>((done) => {
            (server as Server).closeAllConnections?.();
            server.close(() => done());
          }),
      });
    }) as Server;
  });
}
