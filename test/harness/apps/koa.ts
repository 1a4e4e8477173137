/** Koa 3 with @koa/cors, configured right and with the catalog's mistakes. */
import http from 'node:http';
import koaCors from '@koa/cors';
import Koa from 'koa';
import { APP, authenticated, BODY, listen, REQUEST_ID, type RunningApp } from './common.ts';

export type KoaVariant =
  | 'correct'
  | 'credentials-default-origin'
  | 'auth-before-cors'
  | 'expose-missing'
  | 'headers-dropped-on-error';

export async function startKoa(variant: KoaVariant): Promise<RunningApp> {
  const app = new Koa();
  const allowList = (ctx: Koa.Context) => (ctx.get('Origin') === APP ? APP : '');
  const auth: Koa.Middleware = async (ctx, next) => {
    if (!authenticated({ authorization: ctx.get('Authorization'), cookie: ctx.get('Cookie') })) {
      ctx.status = 401;
      ctx.body = { error: 'login required' };
      return;
    }
    await next();
  };
  switch (variant) {
    case 'correct':
      app.use(koaCors({ origin: allowList, credentials: true, exposeHeaders: ['X-Request-Id'] }));
      break;
    case 'credentials-default-origin':
      // No origin option: @koa/cors then echoes whatever Origin arrives, because credentials are on.
      app.use(koaCors({ credentials: true, exposeHeaders: ['X-Request-Id'] }));
      break;
    case 'auth-before-cors':
      app.use(auth);
      app.use(koaCors({ origin: allowList, credentials: true, exposeHeaders: ['X-Request-Id'] }));
      break;
    case 'headers-dropped-on-error':
      // Thrown errors (ctx.throw) replace the response headers unless @koa/cors keeps them.
      app.use(koaCors({ origin: allowList, keepHeadersOnError: false, exposeHeaders: ['X-Request-Id'] }));
      break;
    case 'expose-missing':
      app.use(koaCors({ origin: allowList }));
      break;
  }
  app.use(async (ctx) => {
    if (ctx.path !== '/api/data') ctx.throw(404, 'no such resource');
    ctx.set('X-Request-Id', REQUEST_ID);
    ctx.type = 'application/json';
    ctx.body = BODY;
  });
  return listen(http.createServer(app.callback()));
}
