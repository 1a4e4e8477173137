/**
 * `cors-doctor/node`: node:http, Express and Connect middleware, `(req, res, next?)`.
 *
 * Preflights are answered right here (204/403, empty body) and never reach routing or authentication.
 * Other requests get their headers at once (so a 401 from auth middleware, a router 404 or an error
 * handler's 500 carry them, catalog mistake 4), and every later header write on the response is held
 * to the decision, so that a handler which removes them, replaces Vary, sets its own Access-Control-*
 * values or passes them to writeHead cannot ship a response without them or with two values (mistakes
 * 4–6). setHeader, appendHeader, removeHeader and writeHead are guarded for that: on a plain
 * ServerResponse as properties of the response itself; under Express once on Express's response
 * prototype, shared by every Express app in the process (a response without a decision passes straight
 * through, after one WeakMap lookup). A response whose methods are neither (a subclass or an instance
 * overriding them) gets a writeHead wrapper of its own that re-checks everything instead.
 */
import {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type OutgoingHttpHeaders,
  ServerResponse,
} from 'node:http';
import {
  type CheckedCorsOptions,
  type Compiled,
  type CorsDecision,
  type CorsOptions,
  decide,
  OWNED_RESPONSE_HEADERS,
  type PreflightDecision,
  prepareDynamicOrigin,
  REASON_HEADER,
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
export function firstOrigin(req: IncomingLike, headers = req.headers): string | undefined {
  const joined = headers.origin;
  if (joined === undefined || !joined.includes(',')) return joined;
  const raw = req.rawHeaders;
  for (let i = 0; i < raw.length; i += 2) if (raw[i]!.toLowerCase() === 'origin') return raw[i + 1];
  return joined;
}

/**
 * decide() over node:http's request; the node, Koa and Fastify adapters all read requests this way.
 * `headers` and `origin`: req.headers and firstOrigin(req), when the caller has them already (on
 * Express every read of a request property is a slow, megamorphic one).
 */
export function decideIncoming(
  policy: Compiled,
  req: IncomingLike,
  headers = req.headers,
  origin: string | undefined = firstOrigin(req, headers),
): CorsDecision {
  return decide(policy, {
    method: req.method ?? 'GET',
    origin,
    requestMethod: headers['access-control-request-method'] as string | undefined,
    requestHeaders: headers['access-control-request-headers'] as string | undefined,
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
type HeaderValue = number | string | readonly string[];

/** Set the decision's headers (first pass: nothing of ours is there yet). */
export function setAll(res: ServerResponse, d: CorsDecision): void {
  for (let i = 0; i < d.headers.length; i++) res.setHeader(d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null) res.setHeader('vary', appendVary(res.getHeader('vary') as string | undefined, d.vary));
}

/** The decision's value for `name` (lower case), if the decision sends it. */
function decisionValue(d: CorsDecision, name: string): string | undefined {
  for (let i = 0; i < d.headers.length; i++) if (d.headers[i]![0] === name) return d.headers[i]![1];
  return undefined;
}

/** Is `name` (lower case) one of the decision's own headers? */
function owns(d: CorsDecision, name: string): boolean {
  return decisionValue(d, name) !== undefined;
}

const OWNED = new Set(OWNED_RESPONSE_HEADERS);

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

/** Re-assert the headers when this response's head is written, whatever the handler did in between. */
function wrapWriteHead(res: ServerResponse, d: CorsDecision): void {
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

/** The methods a guard stands in for. */
interface Methods {
  setHeader(this: ServerResponse, name: string, value: HeaderValue): ServerResponse;
  appendHeader(this: ServerResponse, name: string, value: HeaderValue): ServerResponse;
  removeHeader(this: ServerResponse, name: string): void;
  writeHead(this: ServerResponse, status: number, reason?: unknown, headers?: unknown): ServerResponse;
}
/** node:http's own methods, read when called: an instrumentation library may wrap them after we start. */
const NODE = ServerResponse.prototype as unknown as Methods;

/**
 * Could `name` be Vary, an Access-Control-* header or Cors-Doctor-Reason? One character (and a length)
 * keeps every other header name (content-type, etag, set-cookie, …) off the lower-casing path.
 */
function mayBeCors(name: unknown): name is string {
  if (typeof name !== 'string') return false;
  const c = name.charCodeAt(0) | 0x20;
  return c === 0x61 || c === 0x76 || (c === 0x63 && name.length === REASON_HEADER.length);
}

type Decided = CorsDecision | null | undefined;

/**
 * The four guards over one place to keep a response's decision (null while writeHead applies its own
 * headers: the guards step aside). setHeader: a CORS header the policy sends keeps the policy's value,
 * one it does not send is dropped, Vary keeps our token. appendHeader: a second value for one of ours,
 * or a CORS header the policy does not send, is dropped; Vary appends. removeHeader: removing one of
 * ours is ignored, removing Vary leaves our token. writeHead(status, headers): its headers are applied
 * the way node:http does (a flat array removes, then appends) and ours re-asserted over them (issue
 * 19, defect 3). Once the head is sent, node:http's own errors apply.
 */
function guards(read: (res: ServerResponse) => Decided, keep: (res: ServerResponse, d: Decided) => void) {
  return {
    setHeader: function setHeaderGuard(this: ServerResponse, name: string, value: HeaderValue) {
      const d = read(this);
      if (d != null && mayBeCors(name) && value !== undefined && !this.headersSent) {
        const lower = name.toLowerCase();
        if (lower === 'vary')
          return NODE.setHeader.call(this, name, d.vary === null ? value : appendVary(value, d.vary));
        const mine = decisionValue(d, lower);
        if (mine !== undefined) return NODE.setHeader.call(this, lower, mine);
        if (OWNED.has(lower)) return this;
      }
      return NODE.setHeader.call(this, name, value);
    },
    appendHeader: function appendHeaderGuard(this: ServerResponse, name: string, value: HeaderValue) {
      const d = read(this);
      if (d != null && mayBeCors(name) && !this.headersSent) {
        const lower = name.toLowerCase();
        if (owns(d, lower) || OWNED.has(lower)) return this;
      }
      return NODE.appendHeader.call(this, name, value);
    },
    removeHeader: function removeHeaderGuard(this: ServerResponse, name: string): void {
      const d = read(this);
      if (d != null && mayBeCors(name) && !this.headersSent) {
        const lower = name.toLowerCase();
        if (lower === 'vary' && d.vary !== null) {
          NODE.setHeader.call(this, 'vary', d.vary);
          return;
        }
        if (owns(d, lower)) return;
      }
      NODE.removeHeader.call(this, name);
    },
    writeHead: function writeHeadGuard(
      this: ServerResponse,
      status: number,
      reason?: unknown,
      headers?: unknown,
    ) {
      const d = read(this);
      const given = typeof reason === 'string' ? headers : reason;
      if (d == null || given === null || typeof given !== 'object' || this.headersSent)
        return NODE.writeHead.call(this, status, reason, headers);
      keep(this, null);
      applyWriteHeadHeaders(this, given);
      reassert(this, d);
      keep(this, d);
      return typeof reason === 'string'
        ? NODE.writeHead.call(this, status, reason)
        : NODE.writeHead.call(this, status);
    },
  } satisfies Methods;
}

/**
 * On a plain ServerResponse the guards and the decision are properties of the response itself: V8 gives
 * every such response the same hidden class, so the five stores cost a few ns, and no other response in
 * the process is touched.
 */
const DECISION = Symbol('cors-doctor.decision');
type Guarded = ServerResponse & { [DECISION]?: Decided };
const OWN = guards(
  (res) => (res as Guarded)[DECISION],
  (res, d) => {
    (res as Guarded)[DECISION] = d;
  },
);

/**
 * Express swaps each response's prototype and then adds res.locals, which gives every response a hidden
 * class of its own: a property added to one then costs ~2 µs (V8 copies the class), which is what the
 * writeHead wrapper per response cost on Express. There the guards go on the prototype below
 * ServerResponse.prototype (Express's response object, which every app's and sub-app's inherits; a
 * subclass's prototype), once, and the decision in a WeakMap: the response itself is never written to.
 */
const decisions = new WeakMap<ServerResponse, Decided>();
const INHERITED = guards(
  (res) => decisions.get(res),
  (res, d) => {
    decisions.set(res, d);
  },
);
const PATCHED = Symbol('cors-doctor.patched');

/** Put INHERITED on res's prototype chain, once per prototype; false where it cannot go. */
function guardChain(res: ServerResponse): boolean {
  let level = Object.getPrototypeOf(res) as Record<string | symbol, unknown> | null;
  while (level !== null && Object.getPrototypeOf(level) !== NODE) level = Object.getPrototypeOf(level);
  if (level === null) return false;
  if (!Object.hasOwn(level, PATCHED)) {
    // A prototype with header methods of its own keeps them (its responses are re-checked at writeHead).
    const ok = !Object.keys(INHERITED).some((name) => Object.hasOwn(level!, name));
    if (ok)
      for (const [name, value] of Object.entries(INHERITED))
        Object.defineProperty(level, name, { value, writable: true, configurable: true });
    Object.defineProperty(level, PATCHED, { value: ok });
  }
  return level[PATCHED] === true;
}

/** Which guards hold res's header writes (installing them where needed), or null: re-check at writeHead. */
function guardsFor(res: ServerResponse): typeof OWN | null {
  if (Object.getPrototypeOf(res) !== NODE) {
    if (res.setHeader !== INHERITED.setHeader && !guardChain(res)) return null;
    return res.setHeader === INHERITED.setHeader &&
      res.appendHeader === INHERITED.appendHeader &&
      res.removeHeader === INHERITED.removeHeader
      ? INHERITED
      : null; // the response, or a prototype below ours, has header methods of its own
  }
  if (res.setHeader === OWN.setHeader) return OWN; // an earlier policy's; this one replaces its decision
  if (
    res.setHeader !== NODE.setHeader ||
    res.appendHeader !== NODE.appendHeader ||
    res.removeHeader !== NODE.removeHeader
  )
    return null; // the response has header methods of its own
  const r = res as Guarded & Methods;
  r.setHeader = OWN.setHeader;
  r.appendHeader = OWN.appendHeader;
  r.removeHeader = OWN.removeHeader;
  // A writeHead wrapper installed before us (on-headers) stays: the headers it is given reach setHeader.
  if (res.writeHead === NODE.writeHead) r.writeHead = OWN.writeHead;
  return OWN;
}

/**
 * Set the decision's headers with `m`'s setHeader/removeHeader (node:http's own, or the response's),
 * dropping the CORS headers set before that the policy does not send (an earlier middleware, another
 * policy: mistake 5) and appending to a Vary already there. One getHeaderNames(), empty in the
 * common case, instead of a hasHeader per CORS name.
 */
function putHeaders(res: ServerResponse, d: CorsDecision, m: Methods, names = res.getHeaderNames()): void {
  let vary = false;
  for (let i = 0; i < names.length; i++) {
    const n = names[i]!;
    if (n === 'vary') vary = true;
    else if (OWNED.has(n) && !owns(d, n)) m.removeHeader.call(res, n);
  }
  for (let i = 0; i < d.headers.length; i++) m.setHeader.call(res, d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null)
    m.setHeader.call(res, 'vary', vary ? appendVary(res.getHeader('vary'), d.vary) : d.vary);
}

/**
 * Set the decision's headers on an actual request's response and hold its later header writes to them
 * (see guards): enforced at the write, as the Fastify adapter does with Fastify's Reply, instead of a
 * writeHead closure per response that re-checked seven header names on every response (most of this
 * adapter's cost). A response with header methods of its own keeps them and gets that closure instead.
 * node:http's own methods set ours: an earlier policy's guards must not see them.
 */
export function applyActual(res: ServerResponse, d: CorsDecision): void {
  const g = guardsFor(res);
  if (g === null) {
    setAll(res, d);
    wrapWriteHead(res, d);
    return;
  }
  putHeaders(res, d, NODE);
  if (g === OWN) (res as Guarded)[DECISION] = d;
  else decisions.set(res, d);
}

/** A preflight's headers, for a framework that sends the empty 204/403 itself (Koa). */
export function putPreflightHeaders(res: ServerResponse, d: PreflightDecision): void {
  putHeaders(res, d, res as unknown as Methods);
}

/** Answer a preflight: 204 or 403 with the decision's headers and an empty body. */
function answerPreflight(res: ServerResponse, d: PreflightDecision): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const names = res.getHeaderNames();
  let clean = true;
  for (let i = 0; i < names.length && clean; i++) clean = names[i] !== 'vary' && !OWNED.has(names[i]!);
  if (clean) {
    // Nothing of CORS set yet (the common case): one writeHead with every line, no setHeader per line.
    // end() after writeHead adds no Content-Length, so a 403 states its empty body itself; a 204 has
    // none (RFC 9110 §8.6), as before.
    const head: OutgoingHttpHeaders = {};
    for (let i = 0; i < d.headers.length; i++) head[d.headers[i]![0]] = d.headers[i]![1];
    head['vary'] = d.vary;
    if (d.status === 403) head['content-length'] = '0';
    res.writeHead(d.status, head);
  } else {
    res.statusCode = d.status;
    // end() with no body then writes Content-Length: 0 on a 403 and none on a 204.
    putHeaders(res, d, res as unknown as Methods, names);
  }
  res.end();
}

export function cors<const T extends CorsOptions>(options: CheckedCorsOptions<T>): NodeCorsMiddleware {
  const holder: PolicyHolder = { policy: compileForServer(options) };

  /** Decide and apply; true when the request was answered (a preflight). */
  const now = (
    req: IncomingMessage,
    res: ServerResponse,
    headers: IncomingHttpHeaders,
    origin: string | undefined,
  ): boolean => {
    const d = decideIncoming(holder.policy, req, headers, origin);
    if (d.kind === 'preflight') {
      answerPreflight(res, d);
      return true;
    }
    if (!res.headersSent) applyActual(res, d);
    return false;
  };

  const middleware = function corsDoctor(
    req: IncomingMessage,
    res: ServerResponse,
    next?: NodeNext,
  ): boolean {
    const headers = req.headers;
    const origin = firstOrigin(req, headers);
    const wait = prepareDynamicOrigin(holder.policy, origin);
    if (wait !== null) {
      // An async dynamicOrigins lookup: the answer comes later, so only `next` (or wrap()) can continue.
      if (!next)
        throw new TypeError(
          'cors-doctor: an async dynamicOrigins.resolve needs a next callback (Express, Connect) or cors(options).wrap(handler) for plain node:http.',
        );
      wait.then(() => {
        if (!now(req, res, headers, origin)) next();
      });
      return true;
    }
    if (now(req, res, headers, origin)) return true;
    if (next) next();
    return false;
  } as NodeCorsMiddleware;

  attachPolicy(middleware, holder);
  middleware.wrap =
    (handler, onError = (err) => console.error(err)) =>
    (req, res) => {
      const headers = req.headers;
      const origin = firstOrigin(req, headers);
      const go = () => {
        if (!now(req, res, headers, origin)) invoke(handler, onError, req, res);
      };
      const wait = prepareDynamicOrigin(holder.policy, origin);
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
