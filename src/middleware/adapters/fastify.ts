/**
 * `cors-doctor/fastify`: a Fastify plugin, `app.register(cors(options))` or `app.register(cors, options)`.
 *
 * It is not encapsulated (fastify-plugin semantics via `Symbol.for('skip-override')`), so its hooks run
 * for every route of the instance it is registered on, and for that instance's 404 handler. Preflights
 * are answered in `onRequest` (as @fastify/cors does since PR #103), before routing handlers and any
 * authentication hook registered after it; an OPTIONS route is not needed. Other requests get their
 * headers in `onRequest` and again in `onSend`, which also runs for error responses and 404s, so a
 * handler or error handler cannot drop them or replace Vary (catalog mistakes 4 and 6).
 *
 * Inside a prefixed plugin (`register(async s => { await s.register(cors(…)) }, { prefix: '/api' })`)
 * a preflight for `/api/x` has no route, and Fastify's 404 handler runs the root's hooks, not ours:
 * so the plugin also adds an `OPTIONS *` route to the instance it is registered on (as @fastify/cors
 * does), whose handler only ever sees non-preflight OPTIONS requests and passes them to the 404 handler.
 * The headers are also set on `reply.raw`, so `reply.hijack()` responses (SSE) carry them too, unless
 * the hijacking handler overrides them in its own `reply.raw.writeHead(…)`.
 */
import type { FastifyInstance, FastifyPluginCallback, FastifyReply, FastifyRequest } from 'fastify';
import {
  type CheckedCorsOptions,
  type Compiled,
  type CorsDecision,
  type CorsOptions,
  OWNED_RESPONSE_HEADERS,
  prepareDynamicOrigin,
} from '../core/index.ts';
import { appendVary } from '../core/vary.ts';
import { attachPolicy, compileForServer, type PolicyHolder, type Reconfigurable } from './env.ts';
import { decideIncoming, dropForeign, firstOrigin, setAll as setAllRaw } from './node.ts';

const DECISION = 'corsDoctorDecision';
/** Options Fastify itself reads from `register(plugin, opts)`; not ours to validate. */
const REGISTER_OPTIONS = new Set(['prefix', 'logLevel', 'logSerializers']);

type WithDecision = FastifyRequest & { [DECISION]: CorsDecision | null };

function setAll(reply: FastifyReply, d: CorsDecision): void {
  for (let i = 0; i < d.headers.length; i++) reply.header(d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null)
    reply.header('vary', appendVary(reply.getHeader('vary') as string | undefined, d.vary));
}

/** onSend: restore what a handler or error handler removed or replaced (one read when intact). */
function reassert(reply: FastifyReply, d: CorsDecision): void {
  for (const n of OWNED_RESPONSE_HEADERS)
    if (reply.hasHeader(n) && !d.headers.some(([own]) => own === n)) reply.removeHeader(n);
  const first = d.headers[0];
  if (first !== undefined && reply.getHeader(first[0]) !== first[1])
    for (let i = 0; i < d.headers.length; i++) reply.header(d.headers[i]![0], d.headers[i]![1]);
  else
    for (let i = 1; i < d.headers.length; i++)
      if (!reply.hasHeader(d.headers[i]![0])) reply.header(d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null) {
    const current = reply.getHeader('vary') as string | string[] | undefined;
    const next = appendVary(current, d.vary);
    if (next !== current) reply.header('vary', next);
  }
}

function onRequest(
  holder: PolicyHolder,
  request: FastifyRequest,
  reply: FastifyReply,
  done: () => void,
): void {
  const d = decideIncoming(holder.policy, request.raw);
  (request as WithDecision)[DECISION] = d;
  if (d.kind === 'preflight') {
    dropForeign(reply.raw, d);
    setAll(reply, d);
    // No explicit Content-Length: Fastify writes none on an empty 204 (RFC 9110 §8.6) and 0 on a 403.
    reply.code(d.status).send();
    return;
  }
  setAll(reply, d);
  // Hijacked replies (SSE) never see reply-level headers or onSend: they get the headers on the raw
  // response when they hijack (see hijackWithHeaders). Not on every raw response: a header set there
  // sends Fastify's writeHead(status, headers) down Node's slow path, which re-validates every header
  // of every reply (measured: most of this plugin's cost per request, docs/performance.md).
  const proto = Object.getPrototypeOf(reply) as FastifyReply & { [HIJACK_PATCHED]?: true };
  if (proto[HIJACK_PATCHED] !== true) hijackWithHeaders(proto);
  done();
}

const HIJACK_PATCHED = Symbol('cors-doctor.hijack');

/**
 * reply.hijack() on this Reply prototype (one per Fastify encapsulation context, reached by our hook)
 * first copies the request's CORS headers onto reply.raw; a handler's own raw.writeHead(…, headers)
 * still merges over them. Patched once per prototype, on the first request through our hook.
 */
function hijackWithHeaders(proto: FastifyReply & { [HIJACK_PATCHED]?: true }): void {
  const original = proto.hijack;
  Object.defineProperty(proto, 'hijack', {
    configurable: true,
    writable: true,
    value: function hijack(this: FastifyReply) {
      const d = (this.request as WithDecision)[DECISION];
      if (d && d.kind !== 'preflight' && !this.raw.headersSent) setAllRaw(this.raw, d);
      return original.call(this);
    },
  });
  Object.defineProperty(proto, HIJACK_PATCHED, { value: true });
}

function install(instance: FastifyInstance, holder: PolicyHolder): void {
  if (!instance.hasRequestDecorator(DECISION)) instance.decorateRequest(DECISION, null);
  instance.addHook('onRequest', (request, reply, done) => {
    const wait = prepareDynamicOrigin(holder.policy, firstOrigin(request.raw));
    if (wait !== null) {
      wait.then(() => onRequest(holder, request, reply, done));
      return;
    }
    onRequest(holder, request, reply, done);
  });
  // Preflights under a prefix have no route; this one lets our onRequest hook run for them.
  const wildcard = { method: 'OPTIONS' as const, url: '*' };
  if (!instance.hasRoute(wildcard))
    instance.route({
      ...wildcard,
      handler: (_request, reply) => {
        reply.callNotFound();
      },
    });
  instance.addHook('onSend', (request, reply, payload, done) => {
    const d = (request as WithDecision)[DECISION];
    if (d !== null && d.kind !== 'preflight') reassert(reply, d);
    done(null, payload);
  });
}

export interface FastifyCors {
  /** `app.register(cors(options))`: validates at once (CorsConfigError) and returns the plugin. */
  <const T extends CorsOptions>(options: CheckedCorsOptions<T>): FastifyPluginCallback & Reconfigurable;
  /** `app.register(cors, options)`: Fastify calls the plugin itself. */
  (instance: FastifyInstance, options: CorsOptions, done: (err?: Error) => void): void;
}

function makePlugin(holder: PolicyHolder): FastifyPluginCallback & Reconfigurable {
  const plugin = ((instance: FastifyInstance, _opts: unknown, done: (err?: Error) => void) => {
    install(instance, holder);
    done();
  }) as FastifyPluginCallback & Reconfigurable;
  attachPolicy(plugin, holder, (o) =>
    compileForServer(stripRegisterOptions(o as unknown as Record<string, unknown>)),
  );
  markPlugin(plugin);
  return plugin;
}

function markPlugin(fn: object): void {
  const f = fn as Record<symbol, unknown>;
  f[Symbol.for('skip-override')] = true;
  f[Symbol.for('fastify.display-name')] = 'cors-doctor';
  f[Symbol.for('plugin-meta')] = { name: 'cors-doctor', fastify: '>=4' };
}

function stripRegisterOptions(options: Record<string, unknown>): CorsOptions {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) if (!REGISTER_OPTIONS.has(k)) out[k] = v;
  return out as unknown as CorsOptions;
}

export const cors = function cors(a: unknown, b?: unknown, c?: unknown) {
  if (typeof c === 'function' && a !== null && typeof a === 'object' && 'addHook' in a) {
    const done = c as (err?: Error) => void;
    let policy: Compiled;
    try {
      policy = compileForServer(stripRegisterOptions((b ?? {}) as Record<string, unknown>));
    } catch (err) {
      done(err as Error);
      return;
    }
    install(a as FastifyInstance, { policy });
    done();
    return;
  }
  return makePlugin({ policy: compileForServer(a as CorsOptions) });
} as FastifyCors;
markPlugin(cors);

export default cors;
export type { CorsDecisionEvent } from '../core/event.ts';
export type { CorsOptions } from '../core/options.ts';
export { CorsConfigError } from '../core/problems.ts';
