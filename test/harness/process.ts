/**
 * Starting a real server process for one test: a free loopback port, the child process with its output
 * kept for the error message, a wait until the port accepts connections, and a stop that ends the
 * process (TERM, then KILL) and removes its temp folder. Every stack harness (nginx, Apache, Caddy,
 * HAProxy, Varnish, Python, Ruby, PHP, Go) starts its server through this.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunningApp } from './apps/common.ts';

/** A free high port on 127.0.0.1 (bound then released; the server binds it right after). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export function canConnect(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect({ port, host, timeout: 500 });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.once('connect', () => done(true));
    sock.once('error', () => done(false));
    sock.once('timeout', () => done(false));
  });
}

/** A fresh temp folder for one server's config, pid file and logs. */
export function tempDir(prefix: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `cors-doctor-${prefix}-`));
}

export interface StartProcessOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** The port the server will listen on (127.0.0.1). */
  port: number;
  /** Removed on stop. */
  dir?: string;
  /** How long to wait for the port (default 15 s). */
  startTimeoutMs?: number;
  /** Extra text for the error when it does not start (e.g. a log file's content). */
  onFail?: () => Promise<string>;
}

/** Spawns `command args`, waits for 127.0.0.1:port, and returns `{ base, close }`. */
export async function startProcess(
  command: string,
  args: string[],
  opts: StartProcessOptions,
): Promise<RunningApp> {
  const child: ChildProcess = spawn(command, args, {
    cwd: opts.cwd,
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => (output += String(d)));
  child.stderr?.on('data', (d) => (output += String(d)));
  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  child.once('error', (e) => (output += String(e)));
  const close = async () => {
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exit;
      clearTimeout(t);
    }
    if (opts.dir) await rm(opts.dir, { recursive: true, force: true });
  };
  const until = Date.now() + (opts.startTimeoutMs ?? 15_000);
  while (Date.now() < until) {
    if (exited) break;
    if (await canConnect(opts.port)) return { base: `http://127.0.0.1:${opts.port}`, close };
    await new Promise((r) => setTimeout(r, 50));
  }
  const extra = (await opts.onFail?.().catch(() => '')) ?? '';
  await close();
  throw new Error(`${command} did not start on 127.0.0.1:${opts.port}: ${output}${extra}`);
}
