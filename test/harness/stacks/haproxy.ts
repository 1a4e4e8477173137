/**
 * Starts Debian's HAProxy 2.6 (/usr/sbin/haproxy) for one test: its configuration in a fresh temp
 * directory, foreground (-db), one HTTP frontend on a free 127.0.0.1 port. `frontend` is the
 * frontend's rules, `backend` the backend's (its `server` line included), each given without the
 * section header.
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess, tempDir } from '../process.ts';

export const HAPROXY = '/usr/sbin/haproxy';

export function haproxyMissing(): string | undefined {
  return existsSync(HAPROXY) ? undefined : `${HAPROXY} not found (Debian package haproxy)`;
}

export async function startHaproxy(frontend: string, backend: string): Promise<RunningApp> {
  const dir = await tempDir('haproxy');
  const port = await freePort();
  const cfg = `
global
  pidfile ${dir}/haproxy.pid
defaults
  mode http
  timeout connect 2s
  timeout client 5s
  timeout server 5s
frontend fe
  bind 127.0.0.1:${port}
${frontend}
  default_backend be
backend be
${backend}
`;
  const path = join(dir, 'haproxy.cfg');
  await writeFile(path, cfg);
  return startProcess(HAPROXY, ['-f', path, '-db'], { port, dir });
}
