/**
 * PHP's built-in server (Debian's php-cli, `php -S 127.0.0.1:PORT <front controller>`) with CORS written
 * by hand with header(), the way PHP APIs do it: one front controller per variant in ./php/, sharing
 * ./php/api.php (the same resource as the Node apps). One server per variant for the whole run.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';
import { sharedServer, stackEnv } from './shared-server.ts';

export const PHP = '/usr/bin/php';
const DIR = fileURLToPath(new URL('./php/', import.meta.url));

export function phpMissing(): string | undefined {
  return existsSync(PHP) ? undefined : `${PHP} not found (Debian package php-cli)`;
}

export type PhpScript =
  | 'correct'
  | 'lenient-spelling'
  | 'public-api'
  | 'one-script'
  | 'options-exit-first'
  | 'echo-origin'
  | 'no-vary'
  | 'headers-after-output'
  | 'auth-first'
  | 'double-header'
  | 'list'
  | 'strpos';

/** `env` reaches the script through getenv() (list.php reads CORS_ORIGINS and CORS_HEADERS). */
export function phpServer(script: PhpScript, env: Record<string, string> = {}): () => Promise<RunningApp> {
  return sharedServer(`php:${script}:${JSON.stringify(env)}`, async () => {
    const port = await freePort();
    // output_buffering=0 as php-cli ships it (and many hosts run): output is sent at once, so a stray
    // newline before header() really loses the header.
    return startProcess(
      PHP,
      [
        '-d',
        'output_buffering=0',
        '-d',
        'display_errors=1',
        '-S',
        `127.0.0.1:${port}`,
        `${DIR}${script}.php`,
      ],
      { port, cwd: DIR, env: stackEnv(env) },
    );
  });
}
