/**
 * `cors-doctor/fetch`: Web-standard Request/Response (Workers, Deno, Bun) and Hono middleware, from
 * one value:
 *
 *   const withCors = cors(options);
 *   export default { fetch: withCors(handler) };   // wraps (Request, ...rest) => Response | Promise<Response>
 *   app.use(withCors);                              // Hono: (c, next) middleware
 *
 * Preflights are answered without calling the handler. Every other response gets the headers applied
 * to the final Response, whatever produced it: a handler that throws gets a 500 carrying them (the
 * error goes to `onError`, default console.error); in Hono they are set before `next()` (Hono copies
 * them into a response made by `onError` or `notFound`) and re-asserted on `c.res` afterwards.
 * Responses with immutable headers (from `fetch()`, `Response.redirect()`) are copied first.
 */
import type { CheckedCorsOptions, Compiled, CorsDecision, CorsOptions } from '../core/index.ts';
import { decide, OWNED_RESPONSE_HEADERS, prepareDynamicOrigin } from '../core/index.ts';
import { appendVary } from '../core/vary.ts';
import { attachPolicy, compileForServer, type PolicyHolder, type Reconfigurable } from './env.ts';

export type FetchHandler<A extends unknown[] = unknown[]> = (
  request: Request,
  ...rest: A
) => Response | Promise<Response>;

/** The part of Hono's Context this adapter uses. */
export interface HonoLikeContext {
  req: { raw: Request; method: string };
  res: Response;
  header(name: string, value: string | undefined, options?: { append?: boolean }): void;
}

export interface FetchCors extends Reconfigurable {
  /** Wrap a fetch handler. */
  <A extends unknown[]>(handler: FetchHandler<A>): (request: Request, ...rest: A) => Promise<Response>;
  /** Hono middleware. */
  (c: HonoLikeContext, next: () => Promise<void>): Promise<Response | undefined>;
}

export interface FetchCorsExtras {
  /** Called when a wrapped handler throws; default console.error. */
  onError?: (err: unknown, request: Request) => void;
}

/**
 * The first Origin line. Headers joins repeated lines with ', '; a serialised origin has no comma, and
 * shared caches key Vary on the first line, so read the part before the first comma (issue 19, defect 5).
 */
function firstOrigin(h: Headers): string | null {
  const joined = h.get('origin');
  if (joined === null) return null;
  const comma = joined.indexOf(',');
  return comma < 0 ? joined : joined.slice(0, comma).trimEnd();
}

/** decideFor, after an async dynamicOrigins lookup when one is needed. */
async function decideReady(policy: Compiled, request: Request): Promise<CorsDecision> {
  const wait = prepareDynamicOrigin(policy, firstOrigin(request.headers));
  if (wait !== null) await wait;
  return decideFor(policy, request);
}

function decideFor(policy: Compiled, request: Request): CorsDecision {
  const h = request.headers;
  const method = request.method;
  // Headers.get is not free: read the preflight headers only for OPTIONS.
  if (method !== 'OPTIONS') return decide(policy, { method, origin: firstOrigin(h) });
  return decide(policy, {
    method,
    origin: firstOrigin(h),
    requestMethod: h.get('access-control-request-method'),
    requestHeaders: h.get('access-control-request-headers'),
  });
}

function preflightResponse(d: CorsDecision & { kind: 'preflight' }): Response {
  // A plain record as the init: one Headers built by the Response itself.
  const headers: Record<string, string> = { vary: d.vary };
  for (let i = 0; i < d.headers.length; i++) headers[d.headers[i]![0]] = d.headers[i]![1];
  return new Response(null, { status: d.status, headers });
}

function owns(d: CorsDecision, name: string): boolean {
  for (let i = 0; i < d.headers.length; i++) if (d.headers[i]![0] === name) return true;
  return false;
}

/** Access-Control-* headers on the response that the policy did not set (issue 19, defect 2). */
function foreign(headers: Headers, d: CorsDecision): readonly string[] {
  let out: string[] | null = null;
  for (const name of OWNED_RESPONSE_HEADERS) if (headers.has(name) && !owns(d, name)) (out ??= []).push(name);
  return out ?? NONE;
}
const NONE: readonly string[] = [];

function setAll(headers: Headers, d: CorsDecision): void {
  for (const name of foreign(headers, d)) headers.delete(name);
  for (let i = 0; i < d.headers.length; i++) headers.set(d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null) {
    const current = headers.get('vary');
    const next = appendVary(current, d.vary);
    if (next !== current) headers.set('vary', next);
  }
}

/** The headers are set together: an intact Allow-Origin (and Vary) means nothing needs doing. */
function needsChange(headers: Headers, d: CorsDecision): boolean {
  if (foreign(headers, d).length > 0) return true;
  const first = d.headers[0];
  if (first !== undefined && headers.get(first[0]) !== first[1]) return true;
  for (let i = 1; i < d.headers.length; i++) if (!headers.has(d.headers[i]![0])) return true;
  if (d.vary === null) return false;
  const vary = headers.get('vary');
  return appendVary(vary, d.vary) !== vary;
}

/** Apply the headers to a Response; copies it when its headers are immutable. */
export function withHeaders(response: Response, d: CorsDecision): Response {
  if (!needsChange(response.headers, d)) return response;
  try {
    setAll(response.headers, d);
    return response;
  } catch {
    const copy = new Response(response.body, response);
    setAll(copy.headers, d);
    return copy;
  }
}

export function cors<const T extends CorsOptions>(
  options: CheckedCorsOptions<T> & FetchCorsExtras,
): FetchCors {
  const { onError = (err: unknown) => console.error(err), ...rest } = options as CorsOptions &
    FetchCorsExtras;
  const holder: PolicyHolder = { policy: compileForServer(rest as CorsOptions) };

  const wrap =
    <A extends unknown[]>(handler: FetchHandler<A>) =>
    async (request: Request, ...args: A): Promise<Response> => {
      const d =
        holder.policy.dynamic === null
          ? decideFor(holder.policy, request)
          : await decideReady(holder.policy, request);
      if (d.kind === 'preflight') return preflightResponse(d);
      let response: Response;
      try {
        response = await handler(request, ...args);
      } catch (err) {
        onError(err, request);
        response = new Response('Internal Server Error', {
          status: 500,
          headers: { 'content-type': 'text/plain; charset=utf-8' },
        });
      }
      return withHeaders(response, d);
    };

  const hono = async (c: HonoLikeContext, next: () => Promise<void>): Promise<Response | undefined> => {
    const d =
      holder.policy.dynamic === null
        ? decideFor(holder.policy, c.req.raw)
        : await decideReady(holder.policy, c.req.raw);
    if (d.kind === 'preflight') return preflightResponse(d);
    for (let i = 0; i < d.headers.length; i++) c.header(d.headers[i]![0], d.headers[i]![1]);
    // Mounted first, nothing has set Vary yet; duplicates are cleaned up after next() in any case.
    if (d.vary !== null) c.header('vary', d.vary, { append: true });
    await next();
    if (needsChange(c.res.headers, d)) {
      for (const name of foreign(c.res.headers, d)) c.header(name, undefined);
      for (let i = 0; i < d.headers.length; i++) c.header(d.headers[i]![0], d.headers[i]![1]);
      if (d.vary !== null) c.header('vary', appendVary(c.res.headers.get('vary'), d.vary));
    }
    return undefined;
  };

  const both = ((a: unknown, b?: unknown) =>
    typeof a === 'function'
      ? wrap(a as FetchHandler)
      : hono(a as HonoLikeContext, b as () => Promise<void>)) as unknown as FetchCors;
  attachPolicy(both, holder, (o) => {
    const { onError: _ignored, ...corsOnly } = o as CorsOptions & FetchCorsExtras;
    return compileForServer(corsOnly as CorsOptions);
  });
  return both;
}

export default cors;
export type { CorsDecisionEvent } from '../core/event.ts';
export type { CorsOptions } from '../core/options.ts';
export { CorsConfigError } from '../core/problems.ts';
