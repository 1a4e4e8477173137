/**
 * Round 2's Rack configs (./ruby/*-r2.ru, sharing ./ruby/api.rb) on WEBrick via Debian's rackup, one
 * server per config for the whole run.
 */
import { fileURLToPath } from 'node:url';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';
import { RACKUP } from './ruby.ts';
import { sharedServer, stackEnv } from './shared-server.ts';

const DIR = fileURLToPath(new URL('./ruby/', import.meta.url));

export type RackR2Config = 'wildcard-block-first' | 'no-credentials' | 'headers-any';

export function rackR2(config: RackR2Config): () => Promise<RunningApp> {
  return sharedServer(`rack-r2:${config}`, async () => {
    const port = await freePort();
    return startProcess(
      RACKUP,
      ['-s', 'webrick', '-o', '127.0.0.1', '-p', String(port), '-E', 'deployment', `${DIR}${config}-r2.ru`],
      { port, cwd: DIR, env: stackEnv(), startTimeoutMs: 20_000 },
    );
  });
}
