/**
 * More Koa 3 setups from real reports (issue 10's corpus): hand-written CORS that Koa's error handling
 * throws away, @koa/router answering OPTIONS itself, @koa/cors after the router.
 */
import http from 'node:http';
import koaCors from '@koa/cors';
import Router from '@koa/router';
import Koa from 'koa';
import { APP, authenticated, BODY, listen, REQUEST_ID, type RunningApp } from './common.ts';

export type KoaMoreVariant =
  /** Hand-written `ctx.set(…)` then `await next()`; `ctx.throw(401/404)` downstream resets the headers. */
  | 'handwritten-throw'
  /** Hand-written CORS that sets its headers after `await next()`: a throw skips them. */
  | 'handwritten-after-next'
  /** `router.use(cors())`: runs only for matched routes, so OPTIONS falls to `allowedMethods()`. */
  | 'cors-on-router'
  /** `app.use(router.routes()); app.use(router.allowedMethods()); app.use(cors())`. */
  | 'cors-after-router'
  /** @koa/cors first, then the router with `allowedMethods({ throw: true })`: 404/405 keep the headers. */
  | 'correct-router';

const body = (ctx: Koa.Context) => {
  ctx.set('X-Request-Id', REQUEST_ID);
  ctx.type = 'application/json';
  ctx.body = BODY;
};

function router(first?: Koa.Middleware): Router {
  const r = new Router();
  if (first) r.use(first);
  r.get('/api/data', body);
  r.put('/api/data', body);
  r.get('/api/private', (ctx) => {
    if (!authenticated({ authorization: ctx.get('Authorization'), cookie: ctx.get('Cookie') }))
      ctx.throw(401, 'login required');
    body(ctx);
  });
  return r;
}

export async function startKoaMore(variant: KoaMoreVariant): Promise<RunningApp> {
  const app = new Koa();
  const allowList = (ctx: Koa.Context) => (ctx.get('Origin') === APP ? APP : '');
  const good = { origin: allowList, credentials: true, exposeHeaders: ['X-Request-Id'] };
  const handwritten = (ctx: Koa.Context) => {
    if (ctx.get('Origin') === APP) {
      ctx.set('Access-Control-Allow-Origin', APP);
      ctx.set('Access-Control-Allow-Credentials', 'true');
      ctx.set('Access-Control-Expose-Headers', 'X-Request-Id');
    }
    ctx.vary('Origin');
  };
  const preflight = (ctx: Koa.Context) => {
    ctx.set('Access-Control-Allow-Methods', 'GET, PUT, DELETE');
    ctx.set('Access-Control-Allow-Headers', 'Content-Type, Authorization');
    ctx.status = 204;
  };
  const r = router(variant === 'cors-on-router' ? koaCors(good) : undefined);
  switch (variant) {
    case 'handwritten-throw':
      app.use(async (ctx, next) => {
        handwritten(ctx);
        if (ctx.method === 'OPTIONS') return preflight(ctx);
        await next();
      });
      app.use(r.routes());
      app.use(async (ctx) => ctx.throw(404, 'no such resource'));
      break;
    case 'handwritten-after-next':
      app.use(async (ctx, next) => {
        if (ctx.method === 'OPTIONS') {
          handwritten(ctx);
          return preflight(ctx);
        }
        await next();
        handwritten(ctx);
      });
      app.use(r.routes());
      app.use(async (ctx) => ctx.throw(404, 'no such resource'));
      break;
    case 'cors-on-router':
      app.use(r.routes());
      app.use(r.allowedMethods());
      break;
    case 'cors-after-router':
      app.use(r.routes());
      app.use(r.allowedMethods());
      app.use(koaCors(good));
      break;
    case 'correct-router':
      app.use(koaCors(good));
      app.use(r.routes());
      app.use(r.allowedMethods({ throw: true }));
      break;
  }
  return listen(http.createServer(app.callback()));
}
