/**
 * Dynamic origins (koajs/cors #8, hono PR #4373): a function, sync or async, that returns the origins
 * allowed for a request's Origin (a tenant's registered origins from a database, say). What it returns
 * is validated exactly like a static `origins` entry (typos, `*`, `null`, http with credentials,
 * loopback in production are all ignored), and the answer is cached per origin with a TTL and a size
 * bound; an async lookup has a timeout, after which the origin is refused (and not cached).
 *
 * Only canonical serialised origins (the ones a browser sends) ever reach the function, so an attacker
 * cannot make it run for `https://a.example.org:` or a 300-byte Origin, and cannot grow the cache
 * beyond its bound. Pure: no `node:` imports (Date.now and setTimeout are globals everywhere).
 */

import {
  isLoopbackHost,
  isTrustworthyLoopback,
  matchesPattern,
  PatternIndex,
  parseOriginSpec,
} from './origin.ts';
import type { CompiledPolicy } from './policy.ts';

export type DynamicOriginsResult = readonly string[] | null | undefined;

export interface DynamicOriginsOptions {
  /** The origins allowed for this request's Origin (or null / [] for none). May be async. */
  resolve: (origin: string) => DynamicOriginsResult | Promise<DynamicOriginsResult>;
  /** How long an answer (allowed or refused) is reused, in ms. Default 60,000. */
  cacheTtlMs?: number;
  /** How long an async `resolve` may take before the origin is refused, in ms. Default 1,000. */
  timeoutMs?: number;
  /** How many origins' answers are kept (oldest dropped first). Default 1,000. */
  cacheSize?: number;
}

export interface CompiledDynamic {
  readonly resolve: DynamicOriginsOptions['resolve'];
  readonly ttl: number;
  readonly timeout: number;
  readonly size: number;
}

interface Entry {
  allowed: boolean;
  until: number;
  /** Entries the function returned that failed validation, for the refusal message. */
  ignored: readonly string[];
}

interface State {
  cache: Map<string, Entry>;
  inflight: Map<string, Promise<void>>;
}

const states = new WeakMap<object, State>();

function state(p: object): State {
  let s = states.get(p);
  if (s === undefined) states.set(p, (s = { cache: new Map(), inflight: new Map() }));
  return s;
}

/** Is `origin` allowed by the returned entries, after validating each like a static entry? */
function judge(p: CompiledPolicy, origin: string, result: unknown): Entry {
  const ignored: string[] = [];
  let allowed = false;
  const list = Array.isArray(result) ? (result as unknown[]) : [];
  for (const spec of list) {
    if (typeof spec !== 'string' || spec === '*') {
      ignored.push(String(spec));
      continue;
    }
    const parsed = parseOriginSpec(spec);
    if (parsed.kind === 'invalid') {
      ignored.push(spec);
      continue;
    }
    const scheme = parsed.kind === 'exact' ? parsed.scheme : parsed.pattern.scheme;
    const host =
      parsed.kind === 'exact' ? parsed.host : (parsed.pattern.suffix ?? '').slice(1) || parsed.pattern.host;
    if (isLoopbackHost(host) && p.environment === 'production') {
      ignored.push(spec);
      continue;
    }
    if (scheme === 'http' && p.credentials && !isTrustworthyLoopback(host)) {
      ignored.push(spec);
      continue;
    }
    if (
      parsed.kind === 'exact'
        ? parsed.origin === origin
        : matchesPattern(origin, new PatternIndex([parsed.pattern]))
    )
      allowed = true;
  }
  const d = p.dynamic!;
  return { allowed, until: Date.now() + d.ttl, ignored };
}

function store(p: CompiledPolicy, s: State, origin: string, entry: Entry): void {
  if (s.cache.size >= p.dynamic!.size) {
    const oldest = s.cache.keys().next();
    if (!oldest.done) s.cache.delete(oldest.value);
  }
  s.cache.set(origin, entry);
}

/** A request Origin worth asking about: exactly what a browser sends (canonical, no pattern). */
function askable(origin: string): boolean {
  if (origin.length > 300) return false;
  const parsed = parseOriginSpec(origin);
  return parsed.kind === 'exact' && parsed.origin === origin;
}

/**
 * The cached answer for `origin`, resolving synchronously when the function is synchronous; undefined
 * when an async lookup is needed first (adapters call `prepareDynamicOrigin` before `decide`).
 */
export function dynamicAnswer(p: CompiledPolicy, origin: string): Entry | undefined {
  const s = state(p);
  const hit = s.cache.get(origin);
  if (hit !== undefined && hit.until > Date.now()) return hit;
  if (s.inflight.has(origin)) return undefined;
  if (!askable(origin)) return { allowed: false, until: 0, ignored: [] };
  let result: unknown;
  try {
    result = p.dynamic!.resolve(origin);
  } catch {
    return { allowed: false, until: 0, ignored: [] };
  }
  if (
    result !== null &&
    typeof result === 'object' &&
    typeof (result as Promise<unknown>).then === 'function'
  ) {
    track(p, s, origin, result as Promise<unknown>);
    return undefined;
  }
  const entry = judge(p, origin, result);
  store(p, s, origin, entry);
  return entry;
}

function track(p: CompiledPolicy, s: State, origin: string, pending: Promise<unknown>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), p.dynamic!.timeout);
  });
  const done = Promise.race([pending, timeout])
    .then(
      (result) => {
        // A timeout refuses this request but is not cached: the next request asks again.
        if (result !== 'timeout') store(p, s, origin, judge(p, origin, result));
      },
      () => {},
    )
    .finally(() => {
      clearTimeout(timer);
      s.inflight.delete(origin);
    });
  s.inflight.set(origin, done);
  return done;
}

/**
 * Before `decide()`: null when the answer for `origin` is known (cached, static, or the function is
 * synchronous), else a promise that settles (never rejects) once the async lookup is done or timed out.
 */
export function prepareDynamicOrigin(
  p: CompiledPolicy,
  origin: string | null | undefined,
): Promise<void> | null {
  if (p.dynamic === null || origin === null || origin === undefined) return null;
  if (p.anyOrigin || p.exactOrigins.has(origin)) return null;
  const s = state(p);
  const inflight = s.inflight.get(origin);
  if (inflight !== undefined) return inflight;
  if (dynamicAnswer(p, origin) !== undefined) return null;
  return s.inflight.get(origin) ?? null;
}

/** The answer once prepared; a still-pending or timed-out lookup refuses. */
export function dynamicAllows(
  p: CompiledPolicy,
  origin: string,
): { allowed: boolean; ignored: readonly string[] } {
  const s = state(p);
  const hit = s.cache.get(origin);
  if (hit !== undefined && hit.until > Date.now()) return hit;
  if (s.inflight.has(origin)) return { allowed: false, ignored: [] };
  return dynamicAnswer(p, origin) ?? { allowed: false, ignored: [] };
}
