/** The engine contract lives with the shipped runners (src/confirm/engines/); the test-only helpers stay here. */
export type * from '../../src/confirm/engines/engine.ts';

import type { EngineName } from '../../src/confirm/engines/engine.ts';

/**
 * Browser tests skip loudly on a developer machine without the engine; with CI=true a missing engine is
 * a failure, never a skip.
 */
export function missingEngine(name: EngineName, why: string): string {
  const message = `${name} is not available (${why}); install it as .ci/run does`;
  if (process.env['CI'] === 'true') throw new Error(`CI=true but ${message}`);
  console.warn(`\n!!! SKIPPING ${name} browser tests: ${message}\n`);
  return message;
}

/**
 * One entry of `test/fixtures/engine-lines/<engine>.json`: what a real engine printed for one call, written by
 * a recording run (RECORD=1) of that engine's differential suite and read by the explain tests. Engines may add
 * fields (Firefox adds its message keys).
 */
export interface EngineLinesRecord {
  scenario: string;
  request: {
    url: string;
    origin: string;
    method: string;
    headers: [string, string][];
    credentials: string;
    initiator: string;
  };
  allowed: boolean;
  /** Chromium's CorsError for the same call (the model's, for engines that have none), or null. */
  corsError: string | null;
  failedParameter: string;
  lines: string[];
}
