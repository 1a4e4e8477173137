/**
 * `cors-doctor/fastify`: a Fastify plugin, `app.register(cors(options))` or `app.register(cors, options)`.
 *
 * It is not encapsulated (fastify-plugin semantics via `Symbol.for('skip-override')`), so its hooks run
 * for every route of the instance it is registered on, and for that instance's 404 handler. Preflights
 * are answered in `onRequest` (as @fastify/cors does since PR #103), before routing handlers and any
 * authentication hook registered after it; an OPTIONS route is not needed. Other requests get their
 * headers in `onRequest`; Fastify keeps reply headers on error responses and 404s. So that a handler or
 * error handler cannot drop them or replace Vary (catalog mistakes 4 and 6), the Reply prototype's
 * header/removeHeader are guarded for the CORS names (see guardReply): cheaper than an onSend hook
 * re-checking every reply, which measured about half of this plugin's cost per request.
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

type Header = FastifyReply['header'];
type RemoveHeader = FastifyReply['removeHeader'];
/** The guarded Reply prototype keeps Fastify's own methods here, for our writes. */
interface Own {
  header: Header;
  removeHeader: RemoveHeader;
  /** Fastify's own-symbol key of a reply's header object (lower-case names), when found. */
  bag: symbol | undefined;
}
interface GuardedProto {
  [GUARDED]?: Own;
}
const GUARDED = Symbol('cors-doctor.guarded');
const OWNED = new Set(OWNED_RESPONSE_HEADERS);

function owns(d: CorsDecision, name: string): boolean {
  for (let i = 0; i < d.headers.length; i++) if (d.headers[i]![0] === name) return true;
  return false;
}

function setAll(reply: FastifyReply, d: CorsDecision, header: Header): void {
  for (let i = 0; i < d.headers.length; i++) header.call(reply, d.headers[i]![0], d.headers[i]![1]);
  if (d.vary !== null)
    header.call(reply, 'vary', appendVary(reply.getHeader('vary') as string | undefined, d.vary));
}

/** The decision a handler's header write must respect, or null (preflights are answered already). */
function activeDecision(reply: FastifyReply): CorsDecision | null {
  const d = (reply.request as WithDecision | undefined)?.[DECISION] ?? null;
  return d !== null && d.kind !== 'preflight' ? d : null;
}

/**
 * Guard a Reply prototype (one per Fastify encapsulation context; patched once, on the first request
 * through our hook) for writes after our onRequest hook: a CORS header the policy sends keeps the
 * policy's value, one it does not send is dropped (mistake 5), Vary keeps our token (mistake 6), and
 * removing ours is ignored (mistake 4). Any other header goes straight to Fastify's method. hijack()
 * copies the headers onto reply.raw, which hijacked replies (SSE) write themselves; not done for every
 * reply: a raw header sends Fastify's writeHead down Node's slow path, re-validating every header.
 */
function guardReply(proto: FastifyReply & GuardedProto, reply: FastifyReply): Own {
  const bag = Object.getOwnPropertySymbols(reply).find((k) => k.description === 'fastify.reply.headers');
  const own: Own = { header: proto.header, removeHeader: proto.removeHeader, bag };
  const hijack = proto.hijack;
  const define = (name: string, value: unknown) =>
    Object.defineProperty(proto, name, { configurable: true, writable: true, value });
  define('header', function header(this: FastifyReply, key: string, value?: unknown) {
    const d = activeDecision(this);
    if (d === null) return own.header.call(this, key, value);
    const name = key.toLowerCase();
    if (name === 'vary')
      return own.header.call(this, key, d.vary === null ? value : appendVary(value as string, d.vary));
    const mine = d.headers.find(([n]) => n === name);
    if (mine !== undefined) return own.header.call(this, mine[0], mine[1]);
    return OWNED.has(name) ? this : own.header.call(this, key, value);
  });
  define('removeHeader', function removeHeader(this: FastifyReply, key: string) {
    const d = activeDecision(this);
    if (d === null) return own.removeHeader.call(this, key);
    const name = key.toLowerCase();
    if (name === 'vary' && d.vary !== null) return own.header.call(this, 'vary', d.vary);
    return d.headers.some(([n]) => n === name) ? this : own.removeHeader.call(this, key);
  });
  define('hijack', function hijackWithCors(this: FastifyReply) {
    const d = activeDecision(this);
    if (d !== null && !this.raw.headersSent) setAllRaw(this.raw, d);
    return hijack.call(this);
  });
  Object.defineProperty(proto, GUARDED, { value: own });
  return own;
}

function onRequest(
  holder: PolicyHolder,
  request: FastifyRequest,
  reply: FastifyReply,
  done: () => void,
): void {
  const d = decideIncoming(holder.policy, request.raw);
  (request as WithDecision)[DECISION] = d;
  const proto = Object.getPrototypeOf(reply) as FastifyReply & GuardedProto;
  const own = proto[GUARDED] ?? guardReply(proto, reply);
  if (d.kind === 'preflight') {
    dropForeign(reply.raw, d);
    setAll(reply, d, own.header);
    // No explicit Content-Length: Fastify writes none on an empty 204 (RFC 9110 §8.6) and 0 on a 403.
    reply.code(d.status).send();
    return;
  }
  // CORS headers set before ours (an earlier hook, another CORS plugin) are dropped where the policy
  // does not send them (mistake 5). Reading Fastify's header bag is one empty for-in in the common case;
  // seven hasHeader calls per request measured ~1 µs, the plugin's whole own cost.
  const bag = own.bag === undefined ? undefined : (reply as unknown as Record<symbol, object>)[own.bag];
  if (bag === undefined) {
    for (const n of OWNED) if (!owns(d, n) && reply.hasHeader(n)) own.removeHeader.call(reply, n);
  } else {
    for (const n in bag) if (OWNED.has(n) && !owns(d, n)) own.removeHeader.call(reply, n);
    if (reply.raw.getHeaderNames().length > 0) dropForeign(reply.raw, d);
  }
  setAll(reply, d, own.header);
  done();
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
