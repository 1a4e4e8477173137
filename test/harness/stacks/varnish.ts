/**
 * Starts Debian's Varnish (/usr/sbin/varnishd) for one test: a VCL and the working directory (-n) in a
 * fresh temp directory, foreground (-F), listening on a free 127.0.0.1 port with one backend, a small
 * malloc storage, and no jail (-j none: as root varnishd would otherwise switch to its own users, which
 * could not read the temp directory).
 */
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess, tempDir } from '../process.ts';

export const VARNISHD = '/usr/sbin/varnishd';

export function varnishMissing(): string | undefined {
  return existsSync(VARNISHD) ? undefined : `${VARNISHD} not found (Debian package varnish)`;
}

/** `vcl` is everything after the backend definition (subroutines); the backend is `upstream`. */
export async function startVarnish(upstreamBase: string, vcl = ''): Promise<RunningApp> {
  const dir = await tempDir('varnish');
  const port = await freePort();
  const u = new URL(upstreamBase);
  const path = join(dir, 'default.vcl');
  await writeFile(
    path,
    `vcl 4.1;\nbackend default { .host = "${u.hostname}"; .port = "${u.port}"; }\n${vcl}\n`,
  );
  const args = ['-F', '-a', `127.0.0.1:${port}`, '-n', join(dir, 'work'), '-f', path, '-s', 'malloc,16m'];
  if (process.getuid?.() === 0) args.push('-j', 'none');
  // The management port (-T) defaults to a random loopback port; pin it to loopback explicitly.
  args.push('-T', '127.0.0.1:0');
  return startProcess(VARNISHD, args, { port, dir, startTimeoutMs: 20_000 });
}
