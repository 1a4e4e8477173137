/** Hono on @hono/node-server with hono/cors, configured right and with the catalog's mistakes. */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { cors } from 'hono/cors';
import { APP, BODY, REQUEST_ID, type RunningApp } from './common.ts';

export type HonoVariant =
  | 'correct'
  | 'reflect-credentials'
  | 'headers-short'
  | 'wildcard-credentials'
  | 'one-route-only';

export async function startHono(variant: HonoVariant): Promise<RunningApp> {
  const app = new Hono();
  const good = {
    origin: [APP],
    credentials: true,
    allowHeaders: ['Content-Type', 'Authorization'],
    allowMethods: ['GET', 'POST', 'PUT', 'DELETE'],
    exposeHeaders: ['X-Request-Id'],
  };
  switch (variant) {
    case 'correct':
      app.use('*', cors(good));
      break;
    case 'reflect-credentials':
      app.use('*', cors({ ...good, origin: (origin) => origin }));
      break;
    case 'headers-short':
      app.use('*', cors({ ...good, allowHeaders: ['Content-Type'] }));
      break;
    case 'one-route-only':
      app.use('/api/data', cors(good));
      break;
    case 'wildcard-credentials':
      app.use('*', cors({ origin: '*', credentials: true }));
      break;
  }
  const handler = (c: import('hono').Context) => {
    c.header('X-Request-Id', REQUEST_ID);
    return c.body(BODY, 200, { 'Content-Type': 'application/json' });
  };
  app.get('/api/data', handler);
  app.put('/api/data', handler);
  app.post('/api/data', handler);
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
