/**
 * Adapters fill `env` from NODE_ENV when the options do not say (the core stays pure and never reads
 * the process). Works where `process` does not exist (Workers, Deno without compat): then unset, which
 * picks the production list of per-environment origins (docs/middleware.md, "Environments").
 */
import { type Compiled, type CorsOptions, compile } from '../core/index.ts';

export function environmentName(): string | undefined {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.['NODE_ENV'];
}

const warned = new Set<string>();

/** Validate and compile options; `env` defaults to NODE_ENV. Throws CorsConfigError; warns once per text. */
export function compileForServer(options: CorsOptions): Compiled {
  if (options === null || typeof options !== 'object') return compile(options);
  const compiled = compile({ ...options, env: options.env ?? environmentName() } as CorsOptions);
  for (const w of compiled.warnings)
    if (!warned.has(w)) {
      warned.add(w);
      console.warn(w);
    }
  return compiled;
}

/** The policy in force, swappable at run time (jub0bs/cors `Reconfigure`). */
export interface PolicyHolder {
  policy: Compiled;
}

export interface Reconfigurable {
  /** The validated, compiled policy in force. */
  readonly policy: Compiled;
  /**
   * Validate new options and, only if they are valid, put them in force for the next request (atomic:
   * a request sees the old or the new policy, never a mix). Throws CorsConfigError and keeps the old
   * policy otherwise.
   */
  reconfigure(options: CorsOptions): void;
}

/** Give a middleware its `policy` getter and `reconfigure()`. */
export function attachPolicy(
  target: object,
  holder: PolicyHolder,
  compileOptions: (options: CorsOptions) => Compiled = compileForServer,
): void {
  Object.defineProperty(target, 'policy', { get: () => holder.policy, enumerable: true });
  Object.defineProperty(target, 'reconfigure', {
    value: (options: CorsOptions) => {
      holder.policy = compileOptions(options);
    },
  });
}
