/**
 * Next.js 15 (npm `next`, SWC from `@next/swc-linux-x64-gnu`), production mode: the app in ./nextjs/site
 * is copied to a temp folder, built once (`next build`, ~10 s; reused while the sources and origins are
 * unchanged) and served by one `next start` on loopback that every case of a run shares.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, readdir, readFile, rename, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ADMIN, APP, type RunningApp } from '../apps/common.ts';
import { freePort, startProcess } from '../process.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const site = fileURLToPath(new URL('./nextjs/site/', import.meta.url));
const nodeModules = join(root, 'node_modules');
const nextBin = join(nodeModules, 'next', 'dist', 'bin', 'next');

export function nextMissing(): string | undefined {
  if (!existsSync(nextBin)) return `${nextBin} not found (npm devDependency next)`;
  if (!existsSync(join(nodeModules, '@next', 'swc-linux-x64-gnu')))
    return 'the SWC binary @next/swc-linux-x64-gnu is not installed (npm install)';
  return undefined;
}

const env = () => ({
  ...process.env,
  NEXT_TELEMETRY_DISABLED: '1',
  NODE_ENV: 'production',
  CORS_DOCTOR_APP: APP,
  CORS_DOCTOR_ADMIN: ADMIN,
});

async function hashSources(dir: string): Promise<string> {
  // The build links this checkout's node_modules: a build made from another checkout (one since
  // removed, as CI's clones are) must not be reused.
  const h = createHash('sha256').update(`${APP}\n${ADMIN}\n${nodeModules}\n`);
  const files = (await readdir(dir, { recursive: true, withFileTypes: true }))
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const f of files) h.update(f.slice(dir.length)).update(await readFile(f));
  return h.digest('hex').slice(0, 16);
}

function run(args: string[], cwd: string, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    execFile(
      process.execPath,
      [nextBin, ...args],
      { cwd, env: env(), timeout: timeoutMs },
      (err, out, errOut) =>
        err
          ? reject(new Error(`next ${args.join(' ')} failed: ${err.message}\n${out}\n${errOut}`))
          : resolve(),
    );
  });
}

/** The built app's folder (built now unless an identical build is already there). */
async function build(): Promise<string> {
  const dir = join(tmpdir(), `cors-doctor-next-${await hashSources(site)}`);
  if (existsSync(join(dir, '.next', 'BUILD_ID'))) return dir;
  // Built beside the final folder and renamed into place, so a parallel run never sees half a build.
  const work = `${dir}.${process.pid}`;
  await rm(work, { recursive: true, force: true });
  await cp(site, work, { recursive: true });
  await symlink(nodeModules, join(work, 'node_modules'), 'dir');
  try {
    await run(['build'], work, 180_000);
    await rename(work, dir).catch(async () => {
      if (!existsSync(join(dir, '.next', 'BUILD_ID'))) throw new Error(`could not move the build to ${dir}`);
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return dir;
}

let shared: Promise<RunningApp> | undefined;

/** One `next start` per run; `stopNext()` ends it. */
export function startNext(): Promise<RunningApp> {
  shared ??= (async () => {
    const dir = await build();
    const port = await freePort();
    return startProcess(process.execPath, [nextBin, 'start', '-p', String(port), '-H', '127.0.0.1'], {
      cwd: dir,
      env: env(),
      port,
      startTimeoutMs: 30_000,
    });
  })();
  return shared;
}

export async function stopNext(): Promise<void> {
  const s = shared;
  shared = undefined;
  if (s) await (await s.catch(() => undefined))?.close();
}
