/**
 * Configuration problems, reported all together at construction (never at request time). Each has a
 * stable code, the offending value and a message that names the fix.
 */

export const PROBLEM_CODES = [
  'option-unknown',
  'option-type',
  'origins-missing',
  'origins-environment-missing',
  'origin-empty',
  'origin-null',
  'origin-missing-scheme',
  'origin-unsupported-scheme',
  'origin-trailing-slash',
  'origin-has-path',
  'origin-has-query',
  'origin-has-userinfo',
  'origin-default-port',
  'origin-invalid-port',
  'origin-upper-case',
  'origin-invalid-host',
  'origin-wildcard-mixed',
  'origin-pattern-invalid',
  'origin-pattern-public-suffix',
  'wildcard-origin-with-credentials',
  'insecure-origin-with-credentials',
  'localhost-in-production',
  'debug-in-production',
  'method-invalid',
  'method-forbidden',
  'method-not-normalized',
  'header-invalid',
  'header-forbidden',
  'header-cors-response',
  'exposed-header-invalid',
  'exposed-header-forbidden',
  'exposed-header-request-only',
  'wildcard-exposed-with-credentials',
  'max-age-invalid',
  'max-age-out-of-range',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];

export interface CorsConfigProblem {
  code: ProblemCode;
  /** The offending value as given (for `option-unknown`, the option name). */
  value: unknown;
  /** What is wrong and how to fix it. */
  message: string;
}

/** Thrown by `cors()` / `compilePolicy()` when the configuration has at least one problem. */
export class CorsConfigError extends Error {
  readonly problems: readonly CorsConfigProblem[];
  constructor(problems: readonly CorsConfigProblem[]) {
    const lines = problems.map((p) => `  - [${p.code}] ${p.message}`);
    super(
      `cors-doctor: invalid CORS configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
    this.name = 'CorsConfigError';
    this.problems = problems;
  }
}
