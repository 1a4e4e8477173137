/**
 * Rack 2.2 + rack-cors 1.1.1 on WEBrick (Debian's ruby-rack, ruby-rack-cors, ruby-webrick), started with
 * `rackup -s webrick` on loopback: one config.ru per variant in ./ruby/, sharing ./ruby/api.rb (the same
 * resource as the Node apps). One server per variant (and environment) for the whole run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';
import { sharedServer, stackEnv } from './shared-server.ts';

export const RACKUP = '/usr/bin/rackup';
const RACK_CORS = '/usr/lib/ruby/vendor_ruby/rack/cors.rb';
const DIR = fileURLToPath(new URL('./ruby/', import.meta.url));

export function rubyMissing(): string | undefined {
  if (!existsSync(RACKUP)) return `${RACKUP} not found (Debian package ruby-rack)`;
  if (!existsSync(RACK_CORS)) return `${RACK_CORS} not found (Debian package ruby-rack-cors)`;
  return undefined;
}

export type RackConfig =
  | 'correct'
  | 'auth-first'
  | 'methods-short'
  | 'trailing-slash'
  | 'expose-missing'
  | 'mounted'
  | 'debug'
  | 'public-api'
  | 'proc-any'
  | 'bare-host'
  | 'localhost'
  | 'deflater'
  | 'unanchored-regex';

/**
 * `environment` is rackup's -E: `development` wraps the whole app (Rack::Cors included) in
 * Rack::ShowExceptions and Rack::Lint, as `rackup` does by default; `deployment` adds nothing.
 */
export function rackServer(
  config: RackConfig,
  environment: 'deployment' | 'development' = 'deployment',
): () => Promise<RunningApp> {
  return sharedServer(`rack:${config}:${environment}`, async () => {
    const port = await freePort();
    return startProcess(
      RACKUP,
      ['-s', 'webrick', '-o', '127.0.0.1', '-p', String(port), '-E', environment, `${DIR}${config}.ru`],
      { port, cwd: DIR, env: stackEnv(), startTimeoutMs: 20_000 },
    );
  });
}
