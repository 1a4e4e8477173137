/**
 * Real WebKit as an Engine: Debian's WebKitGTK (gir1.2-webkit2-4.1) driven from Debian's own /usr/bin/python3
 * through GObject introspection (webkit_runner.py, next to this file), under a private Xvfb display.
 *
 * One runner process serves many calls over a line protocol (JSON jobs on stdin, JSON results on stdout).
 * Console lines come from the web process's stderr: with WebKitSettings `enable-write-console-messages-to-stdout`
 * and a persistent website-data directory, WebKit prints every console message as
 * `CONSOLE <SOURCE> <LEVEL> <text>` (an ephemeral session prints nothing). The reason line names no URL, so
 * the page brackets each call with `console.info` markers and the lines between them belong to that call.
 *
 * Loopback only: the runner sets no proxy, no DNS prefetch, page and disk cache off; the scenario pages
 * load nothing but the call under test.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Engine, EngineResult, PageCall } from './engine.ts';

export const WEBKIT_PYTHON = process.env['WEBKIT_PYTHON'] ?? '/usr/bin/python3';
export const XVFB_PATH = process.env['XVFB_PATH'] ?? '/usr/bin/Xvfb';
// Next to this file from source; from dist/src/confirm/engines/ the package ships it under src/ (package.json files).
const RUNNER = [
  new URL('./webkit_runner.py', import.meta.url).pathname,
  new URL('../../../../src/confirm/engines/webkit_runner.py', import.meta.url).pathname,
  // from the bundled CLI in dist/cli/ (scripts/bundle-cli.mjs)
  new URL('../../src/confirm/engines/webkit_runner.py', import.meta.url).pathname,
].find((p) => existsSync(p)) as string;

/** One console message as WebKit printed it: `CONSOLE SECURITY ERROR text` → source SECURITY, level ERROR. */
export interface WebKitConsoleMessage {
  source: string;
  level: string;
  text: string;
}

export interface WebKitResult extends EngineResult {
  /** Every console message between the call's markers, with WebKit's source and level words. */
  messages: WebKitConsoleMessage[];
}

export interface WebKitEngine extends Engine {
  name: 'webkit';
  run(pageUrl: string, call: PageCall, timeoutMs?: number): Promise<WebKitResult>;
  /** PIDs this engine started and still runs (Xvfb, the Python runner), so a test can check close() ended them. */
  pids(): number[];
}

/** Why WebKit cannot run here (missing python, bindings, Xvfb), or null when it can. */
export function webkitUnavailable(): string | null {
  if (!existsSync(WEBKIT_PYTHON)) return `${WEBKIT_PYTHON} not found (package python3)`;
  if (!existsSync(XVFB_PATH)) return `${XVFB_PATH} not found (package xvfb)`;
  const probe = spawnSync(
    WEBKIT_PYTHON,
    ['-c', "import gi; gi.require_version('WebKit2', '4.1'); from gi.repository import WebKit2"],
    { timeout: 15_000, encoding: 'utf8', env: { ...process.env, DISPLAY: '' } },
  );
  if (probe.status !== 0) {
    const why = (probe.stderr || probe.error?.message || 'unknown').trim().split('\n').pop();
    return `WebKit2 4.1 bindings do not load (packages python3-gi, gir1.2-webkit2-4.1): ${why}`;
  }
  return null;
}

// `CONSOLE SECURITY ERROR text`; console.info from the page prints without a source word (`CONSOLE INFO text`).
const CONSOLE_LINE = /^CONSOLE (?:(\S+) )?(LOG|INFO|WARN|WARNING|ERROR|DEBUG) (.*)$/;
const MARKER = /^cors-doctor:(begin|end):(\S+)$/;

interface Pending {
  id: string;
  result: Record<string, unknown> | null;
  error: string | null;
  begun: boolean;
  ended: boolean;
  messages: WebKitConsoleMessage[];
  settle: () => void;
}

/** A private X display: Xvfb picks a free number itself (-displayfd) and is stopped by PID. */
async function startXvfb(timeoutMs: number): Promise<{ proc: ChildProcess; display: string }> {
  const proc = spawn(XVFB_PATH, ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1024x768x24'], {
    stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr?.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const fd3 = proc.stdio[3] as NodeJS.ReadableStream | null;
  const display = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => fail(new Error(`Xvfb did not start within ${timeoutMs} ms`)), timeoutMs);
    const fail = (e: Error) => {
      clearTimeout(timer);
      proc.kill('SIGKILL');
      reject(new Error(`${e.message}${stderr ? `: ${stderr.trim().slice(-300)}` : ''}`));
    };
    fd3?.on('data', (d: Buffer) => {
      buf += d.toString();
      const m = /^(\d+)\n/.exec(buf);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve(`:${m[1]}`);
      }
    });
    proc.once('error', fail);
    proc.once('exit', (code) => fail(new Error(`Xvfb exited (${code})`)));
  });
  proc.removeAllListeners('exit');
  return { proc, display };
}

function stop(proc: ChildProcess | null, graceMs: number): Promise<void> {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => proc.kill('SIGKILL'), graceMs);
    proc.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    proc.kill('SIGTERM');
  });
}

export interface LaunchOptions {
  /** Start-up budget (Xvfb + WebKit), ms. */
  startTimeoutMs?: number;
  /** Default per-call budget, ms. */
  callTimeoutMs?: number;
  /** Use the browser's cache model (memory and disk HTTP cache) instead of none: cache sequences. */
  keepCaches?: boolean;
  /**
   * Page URLs answered by an empty document in the engine itself (load_html with that base URI), never
   * fetched: `check --confirm` runs the call from the user's origin, which no local server can serve.
   */
  blankPages?: string[];
}

export async function launchWebKit(options: LaunchOptions = {}): Promise<WebKitEngine> {
  const startTimeoutMs = options.startTimeoutMs ?? 30_000;
  const defaultCallTimeoutMs = options.callTimeoutMs ?? 10_000;
  const xvfb = await startXvfb(startTimeoutMs);
  // If the test process dies without close(), take the display and the runner with it.
  const killAllOnExit = () => {
    runner?.kill('SIGKILL');
    xvfb.proc.kill('SIGKILL');
  };
  process.once('exit', killAllOnExit);
  const dataDir = mkdtempSync(join(tmpdir(), 'cors-doctor-webkit-'));
  let runner: ChildProcess | null = null;
  let version = '';
  let pending: Pending | null = null;
  let seq = 0;
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;

  const onConsole = (line: string) => {
    if (process.env['WEBKIT_DEBUG']) console.error('webkit stderr>', line);
    const m = CONSOLE_LINE.exec(line);
    if (!m || !pending) return;
    const [, source = '', level = '', text = ''] = m;
    const marker = MARKER.exec(text);
    if (marker) {
      if (marker[2] !== pending.id) return;
      if (marker[1] === 'begin') pending.begun = true;
      else pending.ended = true;
      pending.settle();
      return;
    }
    if (pending.begun && !pending.ended) pending.messages.push({ source, level, text });
  };

  const startRunner = async (): Promise<void> => {
    const proc = spawn(WEBKIT_PYTHON, [RUNNER, dataDir], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ...(options.keepCaches ? { CORS_DOCTOR_WEBKIT_CACHE: '1' } : {}),
        DISPLAY: xvfb.display,
        GDK_BACKEND: 'x11',
        // No accessibility bus, no GIO modules that look for proxies or remote volumes.
        NO_AT_BRIDGE: '1',
        GIO_USE_VFS: 'local',
        GSETTINGS_BACKEND: 'memory',
        WEBKIT_DISABLE_COMPOSITING_MODE: '1',
        // No session bus in CI containers; the sandbox needs bubblewrap and user namespaces.
        WEBKIT_DISABLE_SANDBOX_THIS_IS_DANGEROUS: '1',
        LANG: 'C.UTF-8',
      },
    });
    runner = proc;
    createInterface({ input: proc.stderr as NodeJS.ReadableStream }).on('line', onConsole);
    const lines = createInterface({ input: proc.stdout as NodeJS.ReadableStream });
    let stderrTail = '';
    proc.stderr?.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString()).slice(-2000);
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        proc.kill('SIGKILL');
        reject(new Error(`WebKit runner did not start within ${startTimeoutMs} ms: ${stderrTail.trim()}`));
      }, startTimeoutMs);
      const onExit = (code: number | null) => {
        clearTimeout(timer);
        reject(new Error(`WebKit runner exited (${code}) during start-up: ${stderrTail.trim()}`));
      };
      proc.once('exit', onExit);
      lines.on('line', (line) => {
        let msg: Record<string, unknown>;
        try {
          msg = JSON.parse(line) as Record<string, unknown>;
        } catch {
          return;
        }
        if (msg['ready'] === true) {
          clearTimeout(timer);
          proc.off('exit', onExit);
          version = String(msg['version'] ?? '');
          resolve();
          return;
        }
        if (pending && msg['id'] === pending.id) {
          if (typeof msg['error'] === 'string') pending.error = msg['error'];
          else pending.result = (msg['result'] as Record<string, unknown>) ?? {};
          pending.settle();
        }
      });
    });
    proc.once('exit', (code, signal) => {
      if (runner === proc) runner = null;
      if (pending) {
        pending.error = `WebKit runner exited (${code ?? signal}): ${stderrTail.trim().slice(-500)}`;
        pending.settle();
      }
    });
  };

  const runOne = async (pageUrl: string, call: PageCall, timeoutMs: number): Promise<WebKitResult> => {
    if (closed) throw new Error('WebKit engine is closed');
    if (!runner) await startRunner();
    const proc = runner as ChildProcess | null;
    if (!proc) throw new Error('WebKit runner is not running');
    seq += 1;
    const id = `c${seq}`;
    const done = new Promise<Pending>((resolve, reject) => {
      const p: Pending = {
        id,
        result: null,
        error: null,
        begun: false,
        ended: false,
        messages: [],
        settle: () => {
          // Done when the runner answered and (for a completed call) the end marker arrived on stderr.
          if (p.error !== null || (p.result !== null && p.ended)) {
            clearTimeout(timer);
            resolve(p);
          }
        },
      };
      const timer = setTimeout(() => {
        // A wedged runner is killed; the next call starts a fresh one.
        proc.kill('SIGKILL');
        reject(new Error(`WebKit call timed out after ${timeoutMs + 5000} ms (${call.method} ${call.url})`));
      }, timeoutMs + 5000);
      pending = p;
    });
    const blank = options.blankPages?.includes(pageUrl) === true;
    proc.stdin?.write(`${JSON.stringify({ id, pageUrl, call, timeoutMs, blank })}\n`);
    try {
      const p = await done;
      if (p.error !== null) throw new Error(`WebKit: ${p.error}`);
      const r = p.result ?? {};
      const messages = p.messages;
      return {
        ok: r['ok'] === true,
        status: typeof r['status'] === 'number' ? r['status'] : null,
        responseType: typeof r['responseType'] === 'string' ? r['responseType'] : null,
        readableHeaders: Array.isArray(r['readableHeaders']) ? (r['readableHeaders'] as string[]) : [],
        jsError: typeof r['jsError'] === 'string' ? r['jsError'] : null,
        consoleLines: messages.filter((m) => m.level === 'ERROR' || m.level === 'WARN').map((m) => m.text),
        messages,
      };
    } finally {
      pending = null;
    }
  };

  const engine: WebKitEngine = {
    name: 'webkit',
    get version() {
      return version;
    },
    pids() {
      return [xvfb.proc, runner]
        .filter((p): p is ChildProcess => p !== null && p.exitCode === null && p.signalCode === null)
        .map((p) => p.pid)
        .filter((pid): pid is number => typeof pid === 'number');
    },
    run(pageUrl, call, timeoutMs = defaultCallTimeoutMs) {
      // One call at a time: the markers attribute console lines only when calls do not overlap.
      const next = queue.then(
        () => runOne(pageUrl, call, timeoutMs),
        () => runOne(pageUrl, call, timeoutMs),
      );
      queue = next.catch(() => undefined);
      return next;
    },
    async close() {
      if (closed) return;
      closed = true;
      await queue;
      const proc = runner;
      if (proc && proc.exitCode === null) {
        proc.stdin?.write('{"quit": true}\n');
        proc.stdin?.end();
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, 3000);
          proc.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      await stop(proc, 2000);
      await stop(xvfb.proc, 2000);
      rmSync(dataDir, { recursive: true, force: true });
      process.off('exit', killAllOnExit);
    },
  };
  try {
    await startRunner();
  } catch (e) {
    process.off('exit', killAllOnExit);
    await stop(runner, 1000);
    await stop(xvfb.proc, 1000);
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return engine;
}
