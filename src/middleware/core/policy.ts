/**
 * Validate the options once and compile them into the lookup structure `decide` reads. Every problem
 * is collected and thrown together as one CorsConfigError; nothing is checked again per request.
 */
import type { CorsDecisionEvent } from './event.ts';
import type { CorsOptions } from './options.ts';
import { isLoopbackHost, type OriginPattern, parseOriginSpec } from './origin.ts';
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
  readonly patterns: readonly OriginPattern[];
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
  readonly onDecision: ((event: CorsDecisionEvent) => void) | null;
  /** The environment whose origin list is in force. */
  readonly environment: string;
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
  const o = options as unknown as Record<string, unknown>;
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
  const environment = typeof o.env === 'string' && o.env.length > 0 ? o.env : 'development';
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
      if (loopback && env === 'production' && !allowLocalhostInProduction)
        add(
          'localhost-in-production',
          spec,
          `'${spec}' is a development origin in the production configuration: any local page on that port could call your production API. Give per-environment lists (origins: { production: [...], development: ['${spec}'] }), or set dangerouslyAllowLocalhostInProduction: true if you really mean it.`,
        );
      if (scheme === 'http' && !loopback && credentials && !allowInsecure)
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

  const origins = o.origins;
  if (origins === undefined) {
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
    // Every environment's list is checked now, so a mistake in the production list fails in development too.
    for (const env of envs) checkList(byEnv[env], `'origins.${env}'`, env, env === environment);
    if (!envs.includes(environment))
      add(
        'origins-environment-missing',
        environment,
        `'origins' has lists for ${envs.map((e) => `'${e}'`).join(', ') || 'no environment'} but not for the current environment '${environment}'. Add origins.${environment}, or set 'env' (default: NODE_ENV, else 'development').`,
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
      if (credentials)
        add(
          'wildcard-method-with-credentials',
          m,
          "methods '*' with credentials: browsers read '*' as a method literally named '*' on credentialed requests. List the methods, e.g. ['PUT', 'DELETE'].",
        );
      else anyMethod = true;
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
      if (credentials)
        add(
          'wildcard-header-with-credentials',
          h,
          "allowedHeaders '*' with credentials: browsers read '*' as a header literally named '*' on credentialed requests. List the header names.",
        );
      else anyHeader = true;
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
    if (!exposed.includes(h.toLowerCase())) exposed.push(h.toLowerCase());
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
        `'maxAge' ${v} exceeds what any browser honours (Firefox 86400, Chromium 7200, WebKit 600). Use at most 7200.`,
      );
    else maxAge = String(v);
  }

  if (problems.length > 0) throw new CorsConfigError(problems);
  return Object.freeze({
    anyOrigin,
    credentials,
    exactOrigins,
    patterns: Object.freeze(patterns),
    methods,
    anyMethod,
    headers,
    anyHeader,
    exposeHeaders: exposed.length > 0 ? exposed.join(', ') : null,
    maxAge,
    debug,
    onDecision: typeof o.onDecision === 'function' ? (o.onDecision as (e: CorsDecisionEvent) => void) : null,
    environment,
    origins: Object.freeze(inForce),
  });
}
