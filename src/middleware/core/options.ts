/**
 * The policy a user writes (DESIGN.md, "Middleware contract"). Plain data, validated once by
 * `compilePolicy` (policy.ts). The types below reject the worst combination, `*` together with
 * credentials, in the editor; runtime validation covers JavaScript callers and config files.
 */
import type { DynamicOriginsOptions } from './dynamic.ts';
import type { CorsDecisionEvent } from './event.ts';

/** Exact origins (`https://app.example.com`) and safe patterns (`https://*.example.com`, `http://localhost:*`). */
export type OriginList = readonly string[];

/**
 * Per-environment origin lists, picked by `env` (default: NODE_ENV as the adapter reads it, else
 * `development`): `{ production: ['https://app.example.com'], development: ['http://localhost:5173'] }`.
 */
export interface OriginsByEnvironment {
  readonly [environment: string]: OriginList;
}

interface CommonOptions {
  /** Methods allowed beyond the CORS-safelisted GET, HEAD and POST (case-sensitive, as browsers send them). */
  methods?: readonly string[];
  /** Request header names a preflight may ask for (case-insensitive). `*` allows any except Authorization (Fetch). */
  allowedHeaders?: readonly string[];
  /** Response header names the page's script may read (Access-Control-Expose-Headers). */
  exposedHeaders?: readonly string[];
  /** Access-Control-Max-Age in seconds, 0–86400 (Chromium caps at 7200, WebKit at 600). Omitted: browsers use 5 s. */
  maxAge?: number;
  /**
   * Called once per CORS request with why it was allowed or refused (catalog ids). May be async; a
   * throw or a rejected promise is swallowed (a failing logger never changes the answer).
   */
  onDecision?: (event: CorsDecisionEvent) => unknown;
  /**
   * Debug mode: refused preflights from an allowed origin still get Access-Control-Allow-Origin, so the
   * browser's console line names the method or header that was refused, and every refusal carries a
   * `Cors-Doctor-Reason` response header (visible in DevTools). Reveals the policy: development only.
   */
  debug?: boolean;
  /**
   * The environment name (e.g. process.env.NODE_ENV); adapters default it to NODE_ENV. 'prod' and
   * 'production' (any case) are production: loopback origins and debug are refused. Unset: the
   * production list of per-environment origins is used, and a flat list warns about loopback origins.
   */
  env?: string | undefined;
  /** Opt-in: accept localhost/127.0.0.1 origins while env is `production` (catalog mistake 8). */
  dangerouslyAllowLocalhostInProduction?: boolean;
  /** Opt-in: accept plain `http://` origins (other than loopback) together with credentials. */
  dangerouslyAllowInsecureOrigins?: boolean;
  /**
   * Origins looked up per request (tenant- or database-backed), on top of `origins` (which may then be
   * omitted): `resolve(origin)` returns the origins allowed for that Origin, each validated like a
   * static entry; answers are cached (`cacheTtlMs`, default 60 s; `cacheSize`, default 1,000) and an
   * async lookup is refused after `timeoutMs` (default 1 s).
   */
  dynamicOrigins?: DynamicOriginsOptions;
}

/**
 * Any origin: `*`. Never with credentials (catalog mistake 2): `credentials: true` here is typed
 * `boolean` only so that the call still infers its literal options and `CheckedCorsOptions` can name
 * the fix in the error (a narrower type would fail first, with "Type 'string' is not assignable to …");
 * it does not compile in `cors()`/`definePolicy()` and throws CorsConfigError at run time.
 */
export interface PublicCorsOptions extends CommonOptions {
  origins: '*' | readonly ['*'];
  credentials?: boolean;
}

/** A list of origins (or lists per environment); credentials allowed. */
export interface ListedCorsOptions extends CommonOptions {
  /** Optional only together with `dynamicOrigins`. */
  origins?: OriginList | OriginsByEnvironment;
  credentials?: boolean;
}

export type CorsOptions = PublicCorsOptions | ListedCorsOptions;

declare const refused: unique symbol;

/**
 * A configuration the middleware refuses. The type is never satisfiable; its argument is the sentence
 * the compiler prints: `Type '"*"' is not assignable to type '"*" & Refused<"credentials: true cannot be
 * used with origins: '*'; …">'`.
 */
export interface Refused<Why extends string> {
  readonly [refused]: Why;
}

// `'*'` itself, or a tuple of literals holding '*'; lists typed string[] are not known and pass.
type HasLiteralStar<L> = L extends '*'
  ? true
  : L extends readonly (infer E)[]
    ? string extends E
      ? false
      : '*' extends E
        ? true
        : false
    : false;

// The sentences stay inline: an alias would be printed by its name instead of its text.
// methods and allowedHeaders '*' are fine with credentials: the middleware echoes, never sends '*'.
type OriginsCheck<T> = T extends { origins: infer O }
  ? true extends HasLiteralStar<O>
    ? {
        origins: Refused<"credentials: true cannot be used with origins: '*'; list the exact origins instead, e.g. origins: ['https://app.example.com']">;
      }
    : unknown
  : unknown;
type ExposeCheck<T> = T extends { exposedHeaders: infer H }
  ? true extends HasLiteralStar<H>
    ? {
        exposedHeaders: Refused<"credentials: true cannot be used with exposedHeaders: ['*'] (browsers read '*' as a header name then); list the names the page reads, e.g. exposedHeaders: ['x-request-id']">;
      }
    : unknown
  : unknown;

/**
 * Type-level guard: with `credentials: true`, a literal `*` in origins or exposedHeaders is a compile
 * error on that property, whose text names the fix (browsers refuse or ignore `*` with credentials,
 * Fetch §3.2.5). Lists typed `string[]`, per-environment lists and `reconfigure()` get past it; the same
 * check runs again at construction.
 */
export type CredentialsCheck<T> = T extends { credentials: true }
  ? OriginsCheck<T> & ExposeCheck<T>
  : unknown;

/** What every adapter's `cors()` accepts: the options, checked at compile time where possible. */
export type CheckedCorsOptions<T extends CorsOptions> = T & CredentialsCheck<T>;
