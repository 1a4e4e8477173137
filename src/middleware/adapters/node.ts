/**
 * `cors-doctor/node`: node:http, Express and Connect middleware, `(req, res, next?)`.
 *
 * Preflights are answered right here (204/403, empty body) and never reach routing or authentication.
 * Other requests get their headers at once (so a 401 from auth middleware, a router 404 or an error
 * handler's 500 carry them, catalog mistake 4), and again at the last moment: `res.writeHead` is
 * wrapped for this response so that a handler which removed them, replaced Vary, or passed its own
 * values to writeHead cannot ship a response without them or with two values (mistakes 4–6).
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import {
  type CheckedCorsOptions,
  type Compiled,
  type CorsDecision,
  type CorsOptions,
  decide,
} from '../core/index.ts';
import { appendVary } from '../core/vary.ts';
import { attachPolicy, compileForServer, type PolicyHolder, type Reconfigurable } from './env.ts';

/** decide() over node:http's method and headers; the node, Koa and Fastify adapters all read requests this way. */
export function decideIncoming(
  policy: Compiled,
  method: string | undefined,
  h: IncomingHttpHeaders,
): CorsDecision {
  return decide(policy, {
    method: method ?? 'GET',
    origin: h.origin,
    requestMethod: h['access-control-request-method'] as string | undefined,
    requestHeaders: h['access-control-request-headers'] as string | undefined,
  });
}

export type NodeNext = (err?: unknown) => void;

export interface NodeCorsMiddleware extends Reconfigurable {
  /**
   * Returns true when the request was answered (a preflight); call your handler only when it returns
   * false, or pass `next` (Express, Connect) and it is called for you.
   */
  (req: IncomingMessage, res: ServerResponse, next?: NodeNext): boolean;
  /**
   * Wrap a plain node:http handler: preflights are answered, and a handler that throws or rejects
   * gets a 500 that still carries the CORS headers (the error is passed to `onError`, default console.error).
   */
  wrap(
    handler: (req: IncomingMessage, res: ServerResponse) => unknown,
    onError?: (err: unknown, req: IncomingMessage) => void,
  ): (req: IncomingMessage, res: ServerResponse) => void;
}

type WriteHead = ServerResponse['writeHead'];

/** Set the decision's headers (first pass: nothing of ours is there yet). */
export function setAll(res: ServerResponse, d: CorsDecision): void {
  for (let i = 0; i < d.headers.length; i++) res.setHeader(d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null) res.setHeader('vary', appendVary(res.getHeader('vary') as string | undefined, d.vary));
}

/**
 * Last pass, when the head is written: restore what a handler removed or replaced. The headers are
 * set together, so an intact Allow-Origin means the set is intact (one read in the common case).
 */
export function reassert(res: ServerResponse, d: CorsDecision): void {
  const first = d.headers[0];
  if (first !== undefined && res.getHeader(first[0]) !== first[1])
    for (let i = 0; i < d.headers.length; i++) res.setHeader(d.headers[i]![0], d.headers[i]![1]);
  else
    for (let i = 1; i < d.headers.length; i++)
      if (!res.hasHeader(d.headers[i]![0])) res.setHeader(d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null) {
    const current = res.getHeader('vary');
    const next = appendVary(current as string | undefined, d.vary);
    if (next !== current) res.setHeader('vary', next);
  }
}

/** writeHead(status, [reason], headers): headers passed here would override ours; merge them. */
function mergeWriteHeadHeaders(given: Record<string, unknown>, d: CorsDecision): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const k of Object.keys(given)) {
    const lower = k.toLowerCase();
    if (lower === 'vary' && d.vary !== null) merged[k] = appendVary(given[k] as string, d.vary);
    else if (!d.headers.some(([n]) => n === lower)) merged[k] = given[k];
  }
  return merged;
}

/** Re-assert the headers when the head is written, whatever the handler did in between. */
export function guard(res: ServerResponse, d: CorsDecision): void {
  const original = res.writeHead as (...a: unknown[]) => ServerResponse;
  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
    reassert(this, d);
    const last = args.length > 1 ? args[args.length - 1] : undefined;
    if (last !== null && typeof last === 'object' && !Array.isArray(last))
      args[args.length - 1] = mergeWriteHeadHeaders(last as Record<string, unknown>, d);
    return original.apply(this, args);
  } as WriteHead;
}

export function cors<const T extends CorsOptions>(options: CheckedCorsOptions<T>): NodeCorsMiddleware {
  const holder: PolicyHolder = { policy: compileForServer(options) };

  const middleware = function corsDoctor(
    req: IncomingMessage,
    res: ServerResponse,
    next?: NodeNext,
  ): boolean {
    const h = req.headers;
    const d = decideIncoming(holder.policy, req.method, h);
    if (d.kind === 'preflight') {
      if (!res.headersSent) {
        res.statusCode = d.status;
        for (let i = 0; i < d.headers.length; i++) res.setHeader(d.headers[i]![0], d.headers[i]![1]);
        res.setHeader('vary', appendVary(res.getHeader('vary'), d.vary));
        res.setHeader('content-length', '0');
      }
      res.end();
      return true;
    }
    if (!res.headersSent) {
      setAll(res, d);
      guard(res, d);
    }
    if (next) next();
    return false;
  } as NodeCorsMiddleware;

  attachPolicy(middleware, holder);
  middleware.wrap =
    (handler, onError = (err) => console.error(err)) =>
    (req, res) => {
      if (middleware(req, res)) return;
      const fail = (err: unknown) => {
        onError(err, req);
        if (res.headersSent) {
          res.destroy();
          return;
        }
        res.statusCode = 500;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end('Internal Server Error');
      };
      try {
        const result = handler(req, res);
        if (
          result !== null &&
          typeof result === 'object' &&
          typeof (result as Promise<unknown>).then === 'function'
        )
          (result as Promise<unknown>).then(undefined, fail);
      } catch (err) {
        fail(err);
      }
    };
  return middleware;
}

export type { CorsDecisionEvent } from '../core/event.ts';
export type { CorsOptions } from '../core/options.ts';
export { CorsConfigError } from '../core/problems.ts';
