/**
 * Starts Debian's Caddy 2 (/usr/bin/caddy) for one test: a Caddyfile in a fresh temp directory, the
 * admin endpoint off, no automatic HTTPS, one `http://127.0.0.1:<free port>` site whose body is given;
 * Caddy's data and config folders point into the temp directory (nothing written to $HOME).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess, tempDir } from '../process.ts';

export const CADDY = '/usr/bin/caddy';

export function caddyMissing(): string | undefined {
  return existsSync(CADDY) ? undefined : `${CADDY} not found (Debian package caddy)`;
}

export async function startCaddy(siteBody: string, globalExtra = ''): Promise<RunningApp> {
  const dir = await tempDir('caddy');
  const port = await freePort();
  const caddyfile = `{
  admin off
  auto_https off
  ${globalExtra}
}
http://127.0.0.1:${port} {
${siteBody}
}
`;
  const path = join(dir, 'Caddyfile');
  await writeFile(path, caddyfile);
  return startProcess(CADDY, ['run', '--config', path, '--adapter', 'caddyfile'], {
    port,
    dir,
    cwd: dir,
    env: { ...process.env, HOME: dir, XDG_DATA_HOME: dir, XDG_CONFIG_HOME: dir },
  });
}
