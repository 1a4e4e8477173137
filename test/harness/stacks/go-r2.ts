/**
 * Builds and starts round 2's Go server (./go-r2.go, rs/cors 1.7 from Debian, GOPATH mode, offline),
 * cached under the OS temp folder by the source's hash; one server per variant for the whole run.
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
import { GO } from './go.ts';
import { sharedServer, stackEnv } from './shared-server.ts';

const SOURCE = fileURLToPath(new URL('./go-r2.go', import.meta.url));

let built: Promise<string> | undefined;

function build(): Promise<string> {
  built ??= (async () => {
    const hash = createHash('sha256')
      .update(await readFile(SOURCE))
      .digest('hex')
      .slice(0, 16);
    const dir = join(tmpdir(), 'cors-doctor-go-build');
    const bin = join(dir, `server-r2-${hash}`);
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
    await rename(partial, bin); // atomic: a parallel run never runs a half-written binary
    return bin;
  })();
  return built;
}

export type GoR2Variant = 'options-passthrough' | 'handler-star' | 'star-headers' | 'wildcard-subdomain';

export function goR2(variant: GoR2Variant): () => Promise<RunningApp> {
  return sharedServer(`go-r2:${variant}`, async () => {
    const bin = await build();
    const port = await freePort();
    return startProcess(bin, [], {
      port,
      env: stackEnv({ CORS_VARIANT: variant, ADDR: `127.0.0.1:${port}` }),
    });
  });
}
