/**
 * `cors-doctor/koa`: Koa middleware. Mount it first (`app.use(cors(options))`).
 *
 * Preflights are answered here (204/403, empty body) and never reach routers or authentication. Other
 * requests get their headers before `next()`, and every later header write is held to them (the node
 * adapter's guards), so a downstream `ctx.set('Vary', …)` cannot drop Origin. A thrown error also gets
 * them through `err.headers`: Koa's default error handler clears every response header and then sets
 * `err.headers`, which is why @koa/cors needed `keepHeadersOnError`; here it is always on (mistake 4).
 */
import type { Context, Middleware, Next } from 'koa';
import {
  type CheckedCorsOptions,
  type CorsDecision,
  type CorsOptions,
  prepareDynamicOrigin,
} from '../core/index.ts';
import { appendVary } from '../core/vary.ts';
import { attachPolicy, compileForServer, type PolicyHolder, type Reconfigurable } from './env.ts';
import { applyActual, decideIncoming, firstOrigin, putPreflightHeaders } from './node.ts';

function addToError(err: unknown, d: CorsDecision): void {
  if (err === null || typeof err !== 'object') return;
  try {
    const e = err as { headers?: Record<string, unknown> };
    const headers: Record<string, unknown> = { ...(e.headers ?? {}) };
    // The policy owns every Access-Control-* header, on error responses too.
    for (const k of Object.keys(headers))
      if (k.toLowerCase().startsWith('access-control-')) delete headers[k];
    for (const [name, value] of d.headers) {
      for (const k of Object.keys(headers)) if (k.toLowerCase() === name) delete headers[k];
      headers[name] = value;
    }
    if (d.vary !== null) {
      let existing: unknown;
      for (const k of Object.keys(headers))
        if (k.toLowerCase() === 'vary') {
          existing = headers[k];
          delete headers[k];
        }
      headers['vary'] = appendVary(existing as string | undefined, d.vary);
    }
    e.headers = headers;
  } catch {
    // A frozen error object: Koa will answer without our headers; nothing else can be done here.
  }
}

export type KoaCorsMiddleware = Middleware & Reconfigurable;

export function cors<const T extends CorsOptions>(options: CheckedCorsOptions<T>): KoaCorsMiddleware {
  const holder: PolicyHolder = { policy: compileForServer(options) };
  const middleware = async function corsDoctor(ctx: Context, next: Next): Promise<void> {
    const headers = ctx.req.headers;
    const origin = firstOrigin(ctx.req, headers);
    const wait = prepareDynamicOrigin(holder.policy, origin);
    if (wait !== null) await wait;
    const d = decideIncoming(holder.policy, ctx.req, headers, origin);
    if (d.kind === 'preflight') {
      putPreflightHeaders(ctx.res, d);
      ctx.status = d.status;
      // Koa answers an empty 204 by itself; a 403 without a body would get Koa's "Forbidden".
      if (d.status !== 204) ctx.body = '';
      return;
    }
    // Held to the decision from here on (every downstream change, Koa's error handler included).
    applyActual(ctx.res, d);
    try {
      await next();
    } catch (err) {
      addToError(err, d);
      throw err;
    }
  } as KoaCorsMiddleware;
  attachPolicy(middleware, holder);
  return middleware;
}

export default cors;
export type { CorsDecisionEvent } from '../core/event.ts';
export type { CorsOptions } from '../core/options.ts';
export { CorsConfigError } from '../core/problems.ts';
