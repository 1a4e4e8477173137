/**
 * Go net/http with github.com/rs/cors 1.7 (Debian's golang-go 1.19 and golang-github-rs-cors-dev, built
 * offline with GOPATH=/usr/share/gocode): one binary for all variants (go/main.go, CORS_VARIANT picks
 * one), built once and cached under the OS temp folder by the source's hash, so reruns start at once.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';
import { sharedServer, stackEnv } from './shared-server.ts';

export const GO = '/usr/bin/go';
const RS_CORS = '/usr/share/gocode/src/github.com/rs/cors/cors.go';
const SOURCE = fileURLToPath(new URL('./go/main.go', import.meta.url));

export function goMissing(): string | undefined {
  if (!existsSync(GO)) return `${GO} not found (Debian package golang-go)`;
  if (!existsSync(RS_CORS)) return `${RS_CORS} not found (Debian package golang-github-rs-cors-dev)`;
  return undefined;
}

let built: Promise<string> | undefined;

/** Builds go/main.go once (cached by its hash and rs/cors's), returns the binary's path. */
export function buildGoServer(): Promise<string> {
  built ??= (async () => {
    const hash = createHash('sha256')
      .update(await readFile(SOURCE))
      .update(await readFile(RS_CORS))
      .digest('hex')
      .slice(0, 16);
    const dir = join(tmpdir(), 'cors-doctor-go-build');
    const bin = join(dir, `server-${hash}`);
    if (existsSync(bin)) return bin;
    await mkdir(dir, { recursive: true });
    const partial = `${bin}.${process.pid}.tmp`;
    try {
      await promisify(execFile)(GO, ['build', '-o', partial, SOURCE], {
        timeout: 120_000,
        env: {
          ...process.env,
          GO111MODULE: 'off',
          GOPATH: '/usr/share/gocode',
          GOFLAGS: '',
          GOCACHE: join(tmpdir(), 'cors-doctor-go-cache'),
        },
      });
    } catch (e) {
      const err = e as { stderr?: string; message: string };
      throw new Error(`go build of ${SOURCE} failed: ${err.stderr ?? err.message}`);
    }
    // Rename is atomic: a parallel run never executes a half-written binary.
    await rename(partial, bin);
    return bin;
  })();
  return built;
}

export type GoVariant =
  | 'correct'
  | 'debug'
  | 'origin-case'
  | 'default'
  | 'wildcard-credentials'
  | 'trailing-slash'
  | 'headers-short'
  | 'methods-default'
  | 'method-guard'
  | 'auth-outside'
  | 'set-after-writeheader'
  | 'no-cors';

export function goServer(variant: GoVariant): () => Promise<RunningApp> {
  return sharedServer(`go:${variant}`, async () => {
    const bin = await buildGoServer();
    const port = await freePort();
    return startProcess(bin, [], {
      port,
      env: stackEnv({ CORS_VARIANT: variant, ADDR: `127.0.0.1:${port}` }),
    });
  });
}
