/**
 * Adapters fill `env` from NODE_ENV when the options do not say (the core stays pure and never reads
 * the process). Works where `process` does not exist (Workers, Deno without compat): then 'development'.
 */
import { type Compiled, type CorsOptions, compile } from '../core/index.ts';

export function environmentName(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.['NODE_ENV'];
}

/** Validate and compile options; `env` defaults to NODE_ENV. Throws CorsConfigError. */
export function compileForServer(options: CorsOptions): Compiled {
  if (options === null || typeof options !== 'object') return compile(options);
  return compile({ ...options, env: options.env ?? environmentName() } as CorsOptions);
}
