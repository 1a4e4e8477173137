/**
 * `cors-doctor/middleware`: the framework-free core. Adapters (`cors-doctor/node`, `/fastify`, `/koa`,
 * `/fetch`) translate requests into `decide()` calls; everything here is pure and runs in a web page.
 */
export {
  ACAC,
  ACAH,
  ACAM,
  ACAO,
  ACEH,
  ACMA,
  type ActualDecision,
  CORS_RESPONSE_HEADERS,
  type Compiled,
  type CorsDecision,
  type CorsHeader,
  type CorsRequest,
  compile,
  decide,
  type NotCorsDecision,
  OWNED_RESPONSE_HEADERS,
  type PreflightDecision,
  REASON_HEADER,
} from './decide.ts';
export {
  type DynamicOriginsOptions,
  type DynamicOriginsResult,
  prepareDynamicOrigin,
} from './dynamic.ts';
export type { CorsDecisionEvent, RejectionReason } from './event.ts';
export type {
  CheckedCorsOptions,
  CorsOptions,
  CredentialsCheck,
  ListedCorsOptions,
  OriginList,
  OriginsByEnvironment,
  PublicCorsOptions,
} from './options.ts';
export { isLoopbackHost, logSafe, matchesPattern, type OriginPattern, parseOriginSpec } from './origin.ts';
export { type CompiledPolicy, compilePolicy, MAX_MAX_AGE } from './policy.ts';
export { CorsConfigError, type CorsConfigProblem, PROBLEM_CODES, type ProblemCode } from './problems.ts';
export { checkRequestHeaders, isToken, MAX_ACRH_LENGTH, MAX_ACRH_NAMES } from './tokens.ts';
export { appendVary, varyCovers } from './vary.ts';

import type { Compiled } from './decide.ts';
import { compile } from './decide.ts';
import type { CheckedCorsOptions, CorsOptions } from './options.ts';

/**
 * Validate and compile a policy with compile-time checks (`credentials: true` with a literal `*` is a
 * type error). Adapters call this; use it directly to validate a configuration at start-up or in CI.
 */
export function definePolicy<const T extends CorsOptions>(options: CheckedCorsOptions<T>): Compiled {
  return compile(options);
}
