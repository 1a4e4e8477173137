/**
 * `cors-doctor/node`: node:http, Express and Connect middleware, `(req, res, next?)`.
 *
 * Preflights are answered right here (204/403, empty body) and never reach routing or authentication.
 * Other requests get their headers at once (so a 401 from auth middleware, a router 404 or an error
 * handler's 500 carry them, catalog mistake 4), and again at the last moment: `res.writeHead` is
 * wrapped for this response so that a handler which removed them, replaced Vary, or passed its own
 * values to writeHead cannot ship a response without them or with two values (mistakes 4–6).
 */
import type { IncomingHttpHeaders, IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import {
  type CheckedCorsOptions,
  type Compiled,
  type CorsDecision,
  type CorsOptions,
  decide,
  OWNED_RESPONSE_HEADERS,
  prepareDynamicOrigin,
} from '../core/index.ts';
import { appendVary } from '../core/vary.ts';
import { attachPolicy, compileForServer, type PolicyHolder, type Reconfigurable } from './env.ts';

/** The part of IncomingMessage read here. */
export interface IncomingLike {
  method?: string | undefined;
  headers: IncomingHttpHeaders;
  rawHeaders: string[];
}

/**
 * The first Origin line. Node joins repeated lines into `A, evil`; a shared cache keys Vary on the first
 * line only (Varnish, nginx), so refusing the joined value would cache a refusal under `A` and deny the
 * real origin for the TTL (issue 19, defect 5). A serialised origin never contains a comma, so a comma
 * means several lines (or garbage): read the first line from rawHeaders.
 */
export function firstOrigin(req: IncomingLike): string | undefined {
  const joined = req.headers.origin;
  if (joined === undefined || !joined.includes(',')) return joined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'origin') return raw[i + 1];
  return joined;
}

/** decide() over node:http's request; the node, Koa and Fastify adapters all read requests this way. */
export function decideIncoming(policy: Compiled, req: IncomingLike): CorsDecision {
  const h = req.headers;
  return decide(policy, {
    method: req.method ?? 'GET',
    origin: firstOrigin(req),
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

/** Is `name` (lower case) one of the decision's own headers? */
function owns(d: CorsDecision, name: string): boolean {
  for (let i = 0; i < d.headers.length; i++) if (d.headers[i]![0] === name) return true;
  return false;
}

/**
 * The policy owns every Access-Control-* response header (issue 19, defect 2): a route that echoes
 * Origin into Allow-Origin, or sets Allow-Credentials, must not grant what the policy refused.
 */
export function dropForeign(res: ServerResponse, d: CorsDecision): void {
  for (let i = 0; i < OWNED_RESPONSE_HEADERS.length; i++) {
    const n = OWNED_RESPONSE_HEADERS[i]!;
    if (res.hasHeader(n) && !owns(d, n)) res.removeHeader(n);
  }
}

/**
 * Last pass, when the head is written: restore what a handler removed or replaced, and drop the
 * Access-Control-* headers the policy did not set. The headers are set together, so an intact
 * Allow-Origin means the set is intact (one read in the common case).
 */
export function reassert(res: ServerResponse, d: CorsDecision): void {
  dropForeign(res, d);
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

/**
 * Apply writeHead's own headers argument to the response the way node:http itself does (an object:
 * setHeader each; a flat [name, value, …] array: remove each name, then append; an array of pairs:
 * append), so that the last pass sees them. Passing them through instead let a flat array replace
 * Vary and Allow-Origin after our pass (issue 19, defect 3).
 */
function applyWriteHeadHeaders(res: ServerResponse, given: object): void {
  if (Array.isArray(given)) {
    if (given.length > 0 && Array.isArray(given[0])) {
      for (const pair of given as [string, string][]) res.appendHeader(pair[0], pair[1]);
      return;
    }
    const flat = given as string[];
    for (let i = 0; i + 1 < flat.length; i += 2) res.removeHeader(flat[i]!);
    for (let i = 0; i + 1 < flat.length; i += 2) res.appendHeader(flat[i]!, flat[i + 1]!);
    return;
  }
  const headers = given as OutgoingHttpHeaders;
  for (const k of Object.keys(headers)) {
    const v = headers[k];
    if (v !== undefined) res.setHeader(k, v);
  }
}

/** Re-assert the headers when the head is written, whatever the handler did in between. */
export function guard(res: ServerResponse, d: CorsDecision): void {
  const original = res.writeHead as (...a: unknown[]) => ServerResponse;
  res.writeHead = function writeHead(this: ServerResponse, ...args: unknown[]) {
    const last = args.length > 1 ? args[args.length - 1] : undefined;
    if (last !== null && typeof last === 'object' && !this.headersSent) {
      applyWriteHeadHeaders(this, last);
      args.length -= 1;
    }
    reassert(this, d);
    return original.apply(this, args);
  } as WriteHead;
}

export function cors<const T extends CorsOptions>(options: CheckedCorsOptions<T>): NodeCorsMiddleware {
  const holder: PolicyHolder = { policy: compileForServer(options) };

  /** Decide and apply; true when the request was answered (a preflight). */
  const now = (req: IncomingMessage, res: ServerResponse): boolean => {
    const d = decideIncoming(holder.policy, req);
    if (d.kind === 'preflight') {
      if (!res.headersSent) {
        res.statusCode = d.status;
        dropForeign(res, d);
        for (let i = 0; i < d.headers.length; i++) res.setHeader(d.headers[i]![0], d.headers[i]![1]);
        res.setHeader('vary', appendVary(res.getHeader('vary'), d.vary));
        // No Content-Length on a 204 (RFC 9110 §8.6); node writes none for an empty 204 by itself, and
        // Content-Length: 0 on a 403 (end() with no body does that too).
      }
      res.end();
      return true;
    }
    if (!res.headersSent) {
      setAll(res, d);
      guard(res, d);
    }
    return false;
  };

  const middleware = function corsDoctor(
    req: IncomingMessage,
    res: ServerResponse,
    next?: NodeNext,
  ): boolean {
    const wait = prepareDynamicOrigin(holder.policy, firstOrigin(req));
    if (wait !== null) {
      // An async dynamicOrigins lookup: the answer comes later, so only `next` (or wrap()) can continue.
      if (!next)
        throw new TypeError(
          'cors-doctor: an async dynamicOrigins.resolve needs a next callback (Express, Connect) or cors(options).wrap(handler) for plain node:http.',
        );
      wait.then(() => {
        if (!now(req, res)) next();
      });
      return true;
    }
    if (now(req, res)) return true;
    if (next) next();
    return false;
  } as NodeCorsMiddleware;

  attachPolicy(middleware, holder);
  middleware.wrap =
    (handler, onError = (err) => console.error(err)) =>
    (req, res) => {
      const go = () => {
        if (!now(req, res)) invoke(handler, onError, req, res);
      };
      const wait = prepareDynamicOrigin(holder.policy, firstOrigin(req));
      if (wait !== null) wait.then(go);
      else go();
    };
  return middleware;
}

/** Run a handler; a throw or rejection becomes a 500 that still carries the CORS headers. */
function invoke(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  onError: (err: unknown, req: IncomingMessage) => void,
  req: IncomingMessage,
  res: ServerResponse,
): void {
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
}

export type { CorsDecisionEvent } from '../core/event.ts';
export type { CorsOptions } from '../core/options.ts';
export { CorsConfigError } from '../core/problems.ts';
