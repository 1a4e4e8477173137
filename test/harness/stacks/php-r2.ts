/**
 * Round 2's PHP front controllers (./php/*-r2.php, sharing ./php/api.php) on `php -S`, one server per
 * script for the whole run, with php-cli's own output_buffering=0.
 */
import { fileURLToPath } from 'node:url';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';
import { PHP } from './php.ts';
import { sharedServer, stackEnv } from './shared-server.ts';

const DIR = fileURLToPath(new URL('./php/', import.meta.url));

export type PhpR2Script = 'credentials-capital' | 'implode' | 'star-lists-credentials' | 'public-bearer';

export function phpR2(script: PhpR2Script): () => Promise<RunningApp> {
  return sharedServer(`php-r2:${script}`, async () => {
    const port = await freePort();
    return startProcess(
      PHP,
      ['-d', 'output_buffering=0', '-S', `127.0.0.1:${port}`, `${DIR}${script}-r2.php`],
      { port, cwd: DIR, env: stackEnv() },
    );
  });
}
