/**
 * Koa 3 + @koa/cors 5 setups for round 2 of issue 10's corpus (real reports, written after the diagnosis
 * changed): @koa/cors's credentials default, a fixed origin string for a two-front-end API, and correct
 * setups (an allow-list callback, a public API).
 */
import http from 'node:http';
import koaCors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import { ADMIN, APP, BODY, listen, REQUEST_ID, type RunningApp } from './common.ts';

export type KoaR2Variant =
  /** `cors({ credentials: true })`: @koa/cors 5 then sets Allow-Origin to the request's Origin. */
  | 'credentials-default'
  /** `cors({ origin: APP, credentials: true })`: one fixed string, the admin front end is left out. */
  | 'fixed-origin'
  /** The README's origin function over an allow-list ('' refuses), credentials, keepHeadersOnError. */
  | 'origin-fn-list'
  /** `cors({ exposeHeaders })` on a public API: `*`. */
  | 'public-default';

export async function startKoaR2(variant: KoaR2Variant): Promise<RunningApp> {
  const app = new Koa();
  const common = { exposeHeaders: ['X-Request-Id'], allowMethods: ['GET', 'PUT', 'DELETE'] };
  const options: Record<KoaR2Variant, koaCors.Options> = {
    'credentials-default': { ...common, credentials: true },
    'fixed-origin': { ...common, origin: APP, credentials: true },
    'origin-fn-list': {
      ...common,
      origin: (ctx) => ([APP, ADMIN].includes(ctx.get('Origin')) ? ctx.get('Origin') : ''),
      credentials: true,
      keepHeadersOnError: true,
    },
    'public-default': common,
  };
  app.use(koaCors(options[variant]));
  const r = new Router();
  const body = (ctx: Koa.Context) => {
    ctx.set('X-Request-Id', REQUEST_ID);
    ctx.type = 'application/json';
    ctx.body = BODY;
  };
  r.get('/api/data', body);
  r.put('/api/data', body);
  r.delete('/api/data', body);
  app.use(r.routes());
  app.use(r.allowedMethods());
  return listen(http.createServer(app.callback()));
}
