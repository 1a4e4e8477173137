/**
 * Validate the options once and compile them into the lookup structure `decide` reads. Every problem
 * is collected and thrown together as one CorsConfigError; nothing is checked again per request.
 */
import type { CompiledDynamic, DynamicOriginsOptions } from './dynamic.ts';
import type { CorsDecisionEvent } from './event.ts';
import type { CorsOptions } from './options.ts';
import {
  isLoopbackHost,
  isTrustworthyLoopback,
  type OriginPattern,
  PatternIndex,
  parseOriginSpec,
} from './origin.ts';
import { CorsConfigError, type CorsConfigProblem, type ProblemCode } from './problems.ts';
import {
  FORBIDDEN_METHODS,
  FORBIDDEN_RESPONSE_HEADERS,
  isForbiddenRequestHeader,
  isToken,
  NORMALIZED_METHODS,
} from './tokens.ts';

/** Browsers' Max-Age caps: Firefox 86400 s, Chromium 7200 s, WebKit 600 s. Beyond 86400 nothing honours it. */
export const MAX_MAX_AGE = 86400;

export interface CompiledPolicy {
  /** `*`: every origin, no credentials; the answer never depends on Origin. */
  readonly anyOrigin: boolean;
  readonly credentials: boolean;
  readonly exactOrigins: ReadonlySet<string>;
  /** The wildcard patterns, indexed (lookup cost independent of their number). */
  readonly patterns: PatternIndex;
  /** Allowed methods beyond the safelisted ones (exact, case-sensitive). */
  readonly methods: ReadonlySet<string>;
  readonly anyMethod: boolean;
  /** Allowed request header names, lower case. */
  readonly headers: ReadonlySet<string>;
  readonly anyHeader: boolean;
  /** The Access-Control-Expose-Headers value, or null. */
  readonly exposeHeaders: string | null;
  /** The Access-Control-Max-Age value, or null (browser default, 5 s). */
  readonly maxAge: string | null;
  readonly debug: boolean;
  readonly onDecision: ((event: CorsDecisionEvent) => unknown) | null;
  /**
   * The environment, normalised: 'production' (also from 'prod'), 'development' (also 'dev'), other
   * names lower-cased, or 'unset' when neither `env` nor NODE_ENV says (see docs/middleware.md).
   */
  readonly environment: string;
  /** Origins looked up per request (`dynamicOrigins`), or null. */
  readonly dynamic: CompiledDynamic | null;
  /** Things that are allowed but probably wrong (printed once at start-up by the adapters). */
  readonly warnings: readonly string[];
  /** The origin entries in force, normalised, for introspection and docs. */
  readonly origins: readonly string[];
}

const KNOWN_OPTIONS = new Set([
  'origins',
  'credentials',
  'methods',
  'allowedHeaders',
  'exposedHeaders',
  'maxAge',
  'onDecision',
  'debug',
  'env',
  'dangerouslyAllowLocalhostInProduction',
  'dangerouslyAllowInsecureOrigins',
  'dynamicOrigins',
]);

/** Option names from other CORS libraries, and what to write instead. */
const RENAMED: Record<string, string> = {
  origin: "use 'origins' (a list of exact origins or '*')",
  allowedOrigins: "use 'origins'",
  allowOrigins: "use 'origins'",
  allowOrigin: "use 'origins'",
  credential: "use 'credentials'",
  allowCredentials: "use 'credentials'",
  allowMethods: "use 'methods'",
  allowedMethods: "use 'methods'",
  allowHeaders: "use 'allowedHeaders'",
  headers: "use 'allowedHeaders'",
  exposeHeaders: "use 'exposedHeaders'",
  exposedheaders: "use 'exposedHeaders'",
  maxage: "use 'maxAge'",
  max_age: "use 'maxAge'",
  preflightContinue:
    'remove it: preflights are always answered by the middleware, before routing and authentication',
  optionsSuccessStatus: 'remove it: preflights are answered with 204',
  preflight: 'remove it: preflights are always answered',
  strictPreflight:
    'remove it: an OPTIONS request without Access-Control-Request-Method is passed on to your routes',
};

function isStringArray(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

/**
 * A Set that cannot be changed after construction: `mw.policy.exactOrigins.add('https://evil.com')`
 * would otherwise grant an origin without validation (issue 19, defect 11). `has` stays native.
 */
class FrozenSet<T> extends Set<T> {
  constructor(items: Iterable<T>) {
    super();
    for (const item of items) Set.prototype.add.call(this, item);
    Object.freeze(this);
  }
  override add(): never {
    throw new TypeError(
      'cors-doctor: the compiled policy is read-only; change it with reconfigure(options).',
    );
  }
  override delete(): never {
    return this.add();
  }
  override clear(): never {
    return this.add();
  }
}

/** 'prod' → 'production', 'dev' → 'development', others lower-cased; '' or undefined → 'unset'. */
export function normalizeEnvironment(env: string | undefined): string {
  const e = (env ?? '').trim().toLowerCase();
  if (e === '') return 'unset';
  if (e === 'prod' || e === 'production') return 'production';
  if (e === 'dev' || e === 'development') return 'development';
  return e;
}

/** Response headers a page can never ask permission to send (they are CORS response headers). */
function isCorsResponseHeader(lower: string): boolean {
  return (
    lower.startsWith('access-control-allow-') ||
    lower === 'access-control-expose-headers' ||
    lower === 'access-control-max-age'
  );
}

/** The options a policy was compiled from, so that `reconfigure(mw.policy)` round-trips. */
export const POLICY_SOURCE: unique symbol = Symbol.for('cors-doctor.policy-source') as never;

/** Validate and compile. Throws CorsConfigError listing every problem. */
export function compilePolicy(options: CorsOptions): CompiledPolicy {
  const problems: CorsConfigProblem[] = [];
  const add = (code: ProblemCode, value: unknown, message: string) => problems.push({ code, value, message });

  if (options === null || typeof options !== 'object') {
    throw new CorsConfigError([
      {
        code: 'option-type',
        value: options,
        message: "cors() needs an options object, e.g. cors({ origins: ['https://app.example.com'] }).",
      },
    ]);
  }
  const source = (options as unknown as Record<symbol, unknown>)[POLICY_SOURCE];
  if (source !== undefined && source !== null && typeof source === 'object')
    return compilePolicy(source as CorsOptions);
  const o = options as unknown as Record<string, unknown>;
  const warnings: string[] = [];
  for (const key of Object.keys(o)) {
    if (KNOWN_OPTIONS.has(key)) continue;
    const hint = RENAMED[key];
    add(
      'option-unknown',
      key,
      `Unknown option '${key}': ${hint ?? `remove it (known options: ${[...KNOWN_OPTIONS].join(', ')})`}.`,
    );
  }

  // credentials
  if (o.credentials !== undefined && typeof o.credentials !== 'boolean')
    add(
      'option-type',
      o.credentials,
      `'credentials' must be true or false (got ${typeof o.credentials}); write credentials: true to allow cookies and Authorization.`,
    );
  const credentials = o.credentials === true;
  const debug = o.debug === true;
  if (o.debug !== undefined && typeof o.debug !== 'boolean')
    add('option-type', o.debug, "'debug' must be true or false.");
  if (o.env !== undefined && typeof o.env !== 'string')
    add('option-type', o.env, "'env' must be a string such as 'production'.");
  for (const flag of ['dangerouslyAllowLocalhostInProduction', 'dangerouslyAllowInsecureOrigins'])
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean')
      add('option-type', o[flag], `'${flag}' must be true or false.`);
  if (o.onDecision !== undefined && typeof o.onDecision !== 'function')
    add('option-type', o.onDecision, "'onDecision' must be a function (event) => void.");
  const environment = normalizeEnvironment(typeof o.env === 'string' ? o.env : undefined);
  const production = environment === 'production';
  if (debug && production)
    add(
      'debug-in-production',
      true,
      "debug: true in production: refused preflights would reveal the policy and every refusal its reason. Set debug only outside production, e.g. debug: process.env.NODE_ENV === 'development'.",
    );
  else if (debug && environment === 'unset')
    warnings.push(
      'cors-doctor: debug: true while NODE_ENV is not set; if this is production, set NODE_ENV=production (debug is then refused).',
    );
  const allowLocalhostInProduction = o.dangerouslyAllowLocalhostInProduction === true;
  const allowInsecure = o.dangerouslyAllowInsecureOrigins === true;

  // origins
  let anyOrigin = false;
  const exactOrigins = new Set<string>();
  const patterns: OriginPattern[] = [];
  const inForce: string[] = [];
  const checkList = (list: unknown, where: string, env: string, inUse: boolean) => {
    if (!isStringArray(list)) {
      add(
        'option-type',
        list,
        `${where} must be a list of origin strings, e.g. ['https://app.example.com'].`,
      );
      return;
    }
    if (list.length === 0) {
      add(
        'origins-missing',
        list,
        `${where} is empty: list the origins of the pages that call this API, e.g. ['https://app.example.com'].`,
      );
      return;
    }
    if (list.includes('*')) {
      if (list.length > 1)
        add(
          'origin-wildcard-mixed',
          list,
          `${where} mixes '*' with other origins; '*' already allows every origin. Keep either '*' alone or only the exact origins.`,
        );
      if (credentials)
        add(
          'wildcard-origin-with-credentials',
          '*',
          "origins '*' with credentials: true: browsers refuse Access-Control-Allow-Origin: * on credentialed requests, and reflecting any origin instead would let every site read your users' data. List the exact origins.",
        );
      if (inUse) anyOrigin = true;
    }
    for (const spec of list) {
      if (spec === '*') continue;
      const parsed = parseOriginSpec(spec);
      if (parsed.kind === 'invalid') {
        for (const p of parsed.problems) add(p.code, spec, p.message);
        continue;
      }
      const scheme = parsed.kind === 'exact' ? parsed.scheme : parsed.pattern.scheme;
      const host =
        parsed.kind === 'exact'
          ? parsed.host
          : parsed.pattern.suffix === null
            ? parsed.pattern.host
            : `x${parsed.pattern.suffix}`;
      const loopback = isLoopbackHost(host);
      if (loopback && normalizeEnvironment(env) === 'production' && !allowLocalhostInProduction)
        add(
          'localhost-in-production',
          spec,
          `'${spec}' is a development origin in the production configuration: any local page on that port could call your production API. Give per-environment lists (origins: { production: [...], development: ['${spec}'] }), or set dangerouslyAllowLocalhostInProduction: true if you really mean it.`,
        );
      if (loopback && inUse && env === 'unset' && credentials && !allowLocalhostInProduction)
        warnings.push(
          `cors-doctor: '${spec}' (a development origin) is allowed with credentials while NODE_ENV is not set. If this runs in production, set NODE_ENV=production and give per-environment lists.`,
        );
      // 0.0.0.0 and [::] are not secure contexts to a browser: only true loopback names are exempt.
      if (scheme === 'http' && !isTrustworthyLoopback(host) && credentials && !allowInsecure)
        add(
          'insecure-origin-with-credentials',
          spec,
          `'${spec}' is plain http with credentials: anyone on the network path can inject script into that page and ride your users' cookies. Serve the page over https and list 'https://${spec.slice(7)}', or set dangerouslyAllowInsecureOrigins: true.`,
        );
      if (!inUse) continue;
      if (parsed.kind === 'exact') exactOrigins.add(parsed.origin);
      else patterns.push(parsed.pattern);
    }
    if (inUse) inForce.push(...list);
  };

  // dynamic origins
  let dynamic: CompiledDynamic | null = null;
  if (o.dynamicOrigins !== undefined) {
    const d = o.dynamicOrigins as Partial<DynamicOriginsOptions> | null;
    const ms = (v: unknown, name: string, dflt: number, max: number) => {
      if (v === undefined) return dflt;
      if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) {
        add('option-type', v, `'dynamicOrigins.${name}' must be a whole number from 0 to ${max}.`);
        return dflt;
      }
      return v;
    };
    if (d === null || typeof d !== 'object' || typeof d.resolve !== 'function')
      add(
        'option-type',
        d,
        "'dynamicOrigins' must be { resolve: (origin) => string[] | Promise<string[]> }, returning the origins allowed for that request's Origin.",
      );
    else
      dynamic = Object.freeze({
        resolve: d.resolve,
        ttl: ms(d.cacheTtlMs, 'cacheTtlMs', 60_000, 86_400_000),
        timeout: ms(d.timeoutMs, 'timeoutMs', 1_000, 60_000),
        size: Math.max(1, ms(d.cacheSize, 'cacheSize', 1_000, 1_000_000)),
      });
    if (o.origins === '*' || (Array.isArray(o.origins) && o.origins.includes('*')))
      add(
        'origin-wildcard-mixed',
        o.origins,
        "'dynamicOrigins' together with origins '*': '*' already allows every origin. Keep one of them.",
      );
  }

  const origins = o.origins;
  if (origins === undefined && dynamic !== null) {
    // Only dynamic origins: nothing static to check.
  } else if (origins === undefined) {
    add(
      'origins-missing',
      undefined,
      "'origins' is required: list the origins of the pages that call this API, e.g. origins: ['https://app.example.com'] (or '*' for a public API without credentials).",
    );
  } else if (origins === '*') {
    checkList(['*'], "'origins'", environment, true);
  } else if (typeof origins === 'string') {
    add('option-type', origins, `'origins' must be a list: write origins: ['${origins}'].`);
  } else if (Array.isArray(origins)) {
    checkList(origins, "'origins'", environment, true);
  } else if (typeof origins === 'object' && origins !== null) {
    const byEnv = origins as Record<string, unknown>;
    const envs = Object.keys(byEnv);
    // The list in force: the environment's own; under a test runner (NODE_ENV=test) without a test list,
    // the development list; with NODE_ENV unset, the production list (fail closed: a server started
    // without NODE_ENV must not silently accept localhost with production data).
    const find = (name: string) => envs.find((e) => normalizeEnvironment(e) === name);
    const inUseKey =
      find(environment) ??
      (environment === 'test'
        ? find('development')
        : environment === 'unset'
          ? find('production')
          : undefined);
    // Every environment's list is checked now, so a mistake in the production list fails in development too.
    for (const env of envs) checkList(byEnv[env], `'origins.${env}'`, env, env === inUseKey);
    if (inUseKey === undefined)
      add(
        'origins-environment-missing',
        environment,
        environment === 'unset'
          ? `'origins' has lists for ${envs.map((e) => `'${e}'`).join(', ') || 'no environment'}, NODE_ENV is not set and there is no production list to fall back to. Set NODE_ENV (or 'env'), or add origins.production.`
          : `'origins' has lists for ${envs.map((e) => `'${e}'`).join(', ') || 'no environment'} but not for the current environment '${environment}'. Add origins.${environment}, or set 'env' (default: NODE_ENV; 'test' falls back to the development list, unset to the production list).`,
      );
  } else {
    add(
      'option-type',
      origins,
      "'origins' must be a list of origins, '*', or lists per environment ({ production: [...], development: [...] }).",
    );
  }

  // methods
  const methods = new Set<string>();
  let anyMethod = false;
  if (o.methods !== undefined && !isStringArray(o.methods))
    add('option-type', o.methods, "'methods' must be a list such as ['PUT', 'DELETE'].");
  for (const m of isStringArray(o.methods) ? o.methods : []) {
    if (m === '*') {
      // Safe with credentials too: the middleware echoes the requested method and never sends '*'.
      anyMethod = true;
      continue;
    }
    if (!isToken(m)) {
      add(
        'method-invalid',
        m,
        `'${m}' is not a valid HTTP method name (letters, digits and !#$%&'*+-.^_\`|~ only).`,
      );
      continue;
    }
    if (FORBIDDEN_METHODS.has(m.toUpperCase())) {
      add(
        'method-forbidden',
        m,
        `'${m}' is a forbidden method: browsers never send it from a page. Remove it.`,
      );
      continue;
    }
    if (m !== m.toUpperCase() && NORMALIZED_METHODS.has(m.toUpperCase())) {
      add(
        'method-not-normalized',
        m,
        `'${m}': browsers upper-case this method before sending it, so it would never match. Write '${m.toUpperCase()}'.`,
      );
      continue;
    }
    methods.add(m);
  }

  // allowed request headers
  const headers = new Set<string>();
  let anyHeader = false;
  if (o.allowedHeaders !== undefined && !isStringArray(o.allowedHeaders))
    add(
      'option-type',
      o.allowedHeaders,
      "'allowedHeaders' must be a list such as ['authorization', 'content-type'].",
    );
  for (const h of isStringArray(o.allowedHeaders) ? o.allowedHeaders : []) {
    if (h === '*') {
      // Safe with credentials too: the middleware echoes the requested names and never sends '*'.
      anyHeader = true;
      continue;
    }
    if (!isToken(h)) {
      add(
        'header-invalid',
        h,
        `'${h}' is not a valid header name (no spaces, colons or commas; one name per entry).`,
      );
      continue;
    }
    const lower = h.toLowerCase();
    if (isForbiddenRequestHeader(lower)) {
      add(
        'header-forbidden',
        h,
        `'${h}' is a forbidden request header: the browser sets it itself and never asks permission for it. Remove it${lower === 'cookie' ? ' (cookies need credentials: true instead)' : ''}.`,
      );
      continue;
    }
    if (isCorsResponseHeader(lower)) {
      add(
        'header-cors-response',
        h,
        `'${h}' is a CORS response header: the server sends it, a page never does (catalog mistake 12). Remove it from 'allowedHeaders' and let the middleware send it.`,
      );
      continue;
    }
    headers.add(lower);
  }

  // exposed response headers
  const exposed: string[] = [];
  if (o.exposedHeaders !== undefined && !isStringArray(o.exposedHeaders))
    add('option-type', o.exposedHeaders, "'exposedHeaders' must be a list such as ['x-request-id'].");
  for (const h of isStringArray(o.exposedHeaders) ? o.exposedHeaders : []) {
    if (h === '*') {
      if (credentials) {
        add(
          'wildcard-exposed-with-credentials',
          h,
          "exposedHeaders '*' with credentials: on credentialed requests browsers read '*' as a header literally named '*', so nothing is exposed. List the header names, e.g. ['x-request-id'].",
        );
        continue;
      }
      exposed.push('*');
      continue;
    }
    if (!isToken(h)) {
      add(
        'exposed-header-invalid',
        h,
        `'${h}' is not a valid header name (no spaces, colons or commas; one name per entry).`,
      );
      continue;
    }
    if (FORBIDDEN_RESPONSE_HEADERS.has(h.toLowerCase())) {
      add(
        'exposed-header-forbidden',
        h,
        `'${h}' can never be read by a page's script, whatever the server says. Remove it.`,
      );
      continue;
    }
    const lowerExposed = h.toLowerCase();
    if (lowerExposed === 'origin' || lowerExposed.startsWith('access-control-request-')) {
      add(
        'exposed-header-request-only',
        h,
        `'${h}' is a request header; responses do not carry it, so exposing it does nothing. Remove it from 'exposedHeaders'.`,
      );
      continue;
    }
    if (!exposed.includes(lowerExposed)) exposed.push(lowerExposed);
  }

  // max-age
  let maxAge: string | null = null;
  if (o.maxAge !== undefined) {
    const v = o.maxAge;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      add(
        'max-age-invalid',
        v,
        `'maxAge' must be a whole number of seconds ≥ 0 (got ${String(v)}); e.g. maxAge: 600.`,
      );
    else if (v > MAX_MAX_AGE)
      add(
        'max-age-out-of-range',
        v,
        `'maxAge' ${v} exceeds what any browser honours (Firefox 86400, Chromium 7200, WebKit 600). Use at most 86400 (Chromium caps it at 7200 and WebKit at 600, so 7200 is the useful maximum).`,
      );
    else maxAge = String(v);
  }

  if (problems.length > 0) throw new CorsConfigError(problems);
  return Object.freeze({
    anyOrigin,
    credentials,
    exactOrigins: new FrozenSet(exactOrigins),
    patterns: new PatternIndex(patterns),
    methods: new FrozenSet(methods),
    anyMethod,
    headers: new FrozenSet(headers),
    anyHeader,
    exposeHeaders: exposed.length > 0 ? exposed.join(', ') : null,
    maxAge,
    debug,
    onDecision:
      typeof o.onDecision === 'function' ? (o.onDecision as (e: CorsDecisionEvent) => unknown) : null,
    environment,
    origins: Object.freeze(inForce),
    warnings: Object.freeze(warnings),
    dynamic,
    [POLICY_SOURCE]: Object.freeze({ ...o }),
  });
}
