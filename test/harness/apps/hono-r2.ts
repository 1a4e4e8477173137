/**
 * Hono 4 + hono/cors setups for round 2 of issue 10's corpus (real reports, written after the diagnosis
 * changed): credentials with the default `*`, a trailing slash, `allowHeaders: ['*']` for a bearer token,
 * and the defaults on a public bearer-token API (correct).
 */
import type { Server } from 'node:http';
import { serve } from '@hono/node-server';
import { type Context, Hono } from 'hono';
import { cors } from 'hono/cors';
import { APP, BODY, REQUEST_ID, type RunningApp } from './common.ts';

export type HonoR2Variant =
  /** `cors({ credentials: true })`: origin stays `*` (honojs/hono#4811). */
  | 'credentials-default'
  /** `origin: 'https://app…/'` (a fixed string compared exactly). */
  | 'trailing-slash'
  /** `allowHeaders: ['*']` on a public API; the page sends Authorization without cookies. */
  | 'star-headers'
  /** `cors({ exposeHeaders })` defaults: `*`, request headers echoed; a bearer-token API without cookies. */
  | 'public-bearer';

const handler = (c: Context) => {
  c.header('X-Request-Id', REQUEST_ID);
  return c.body(BODY, 200, { 'Content-Type': 'application/json' });
};

export function startHonoR2(variant: HonoR2Variant): Promise<RunningApp> {
  const app = new Hono();
  const expose = { exposeHeaders: ['X-Request-Id'] };
  const options = {
    'credentials-default': { ...expose, credentials: true },
    'trailing-slash': { ...expose, origin: `${APP}/`, credentials: true },
    'star-headers': { ...expose, allowHeaders: ['*'] },
    'public-bearer': expose,
  }[variant];
  app.use('*', cors(options));
  app.get('/api/data', handler);
  app.put('/api/data', handler);
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
    });
  });
}
