/**
 * Real Firefox as an Engine: Debian's firefox-esr, headless, driven over WebDriver BiDi with a small client on
 * the `ws` package (no browser download, no geckodriver).
 *
 * Console lines come from two places:
 * - BiDi `log.entryAdded` delivers Firefox's CORS *errors* verbatim (type `javascript`, level `error`), but
 *   neither its CORS *warnings* nor the message key;
 * - a console-service listener in every content process. Firefox started with `--remote-allow-system-access`
 *   lets BiDi evaluate in a `moz:scope: "chrome"` browsing context (the parent process); from there
 *   `Services.ppmm.loadProcessScript('data:…', true)` installs a process script in each content process,
 *   which registers an nsIConsoleListener and forwards every nsIScriptError to the parent over the message
 *   manager. (A listener in the parent sees nothing: the network code hands CORS lines to the child that
 *   owns the window, and they are logged there.) It sees warnings too, and the key: Firefox's
 *   LogBlockedCORSRequest passes the security.properties key (e.g. `CORSMissingAllowOrigin2`) as the
 *   nsIScriptError *category*; `errorMessageName` stays empty.
 * The runner reports the second (a superset) and keeps the first for cross-checking.
 *
 * Loopback only: a fresh profile whose prefs turn off every background service, plus
 * MOZ_DISABLE_NONLOCAL_CONNECTIONS=1 (Firefox then refuses, rather than makes, any non-local connection).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { Engine, EngineResult, PageCall } from './engine.ts';

export const FIREFOX_PATH = process.env['FIREFOX_PATH'] ?? '/usr/bin/firefox-esr';

/** One console message as Firefox's console service saw it. */
export interface FirefoxConsoleMessage {
  text: string;
  /** security.properties key (`CORSMissingAllowOrigin2`), or '' for messages without one. */
  key: string;
  category: string;
  level: 'error' | 'warning' | 'info';
}

export interface FirefoxResult extends EngineResult {
  /** CORS-category console messages in print order, with key and level (consoleLines is their text). */
  messages: FirefoxConsoleMessage[];
  /** What BiDi log.entryAdded delivered for the same call (errors only, per the finding above). */
  bidiLines: string[];
}

export interface FirefoxEngine extends Engine {
  name: 'firefox';
  run(pageUrl: string, call: PageCall, timeoutMs?: number): Promise<FirefoxResult>;
  /** Evaluates an expression in the parent process (chrome scope) and returns it as a string: for diagnostics. */
  evalChrome(expression: string): Promise<string>;
  /** The raw BiDi session (the HAR recorder subscribes to network events). */
  bidi: {
    send(method: string, params: Record<string, Json>, timeoutMs?: number): Promise<Record<string, unknown>>;
    on(listener: (method: string, params: Record<string, unknown>) => void): void;
  };
}

/**
 * Prefs for a loopback-only, quiet profile. Services are disabled and their endpoints pointed at nothing, so
 * that even a forgotten service has nowhere to go (MOZ_DISABLE_NONLOCAL_CONNECTIONS is the hard stop).
 */
const PREFS: Record<string, string | number | boolean> = {
  'app.update.disabledForTesting': true,
  'app.update.auto': false,
  'app.update.enabled': false,
  'app.update.checkInstallTime': false,
  'app.normandy.enabled': false,
  'app.normandy.api_url': '',
  'app.shield.optoutstudies.enabled': false,
  'toolkit.telemetry.enabled': false,
  'toolkit.telemetry.unified': false,
  'toolkit.telemetry.archive.enabled': false,
  'toolkit.telemetry.server': 'http://127.0.0.1:9/',
  'toolkit.telemetry.reportingpolicy.firstRun': false,
  'toolkit.coverage.endpoint.base': '',
  'telemetry.fog.test.localhost_port': -1,
  'datareporting.healthreport.uploadEnabled': false,
  'datareporting.policy.dataSubmissionEnabled': false,
  'datareporting.usage.uploadEnabled': false,
  'services.settings.server': 'data:,#remote-settings-dummy/v1',
  'services.settings.loglevel': 'off',
  'security.remote_settings.intermediates.enabled': false,
  'security.remote_settings.crlite_filters.enabled': false,
  'security.OCSP.enabled': 0,
  'security.certerrors.mitm.priming.enabled': false,
  'browser.safebrowsing.malware.enabled': false,
  'browser.safebrowsing.phishing.enabled': false,
  'browser.safebrowsing.downloads.enabled': false,
  'browser.safebrowsing.downloads.remote.enabled': false,
  'browser.safebrowsing.blockedURIs.enabled': false,
  'browser.safebrowsing.provider.mozilla.updateURL': '',
  'browser.safebrowsing.provider.google4.updateURL': '',
  'browser.safebrowsing.provider.google.updateURL': '',
  'network.captive-portal-service.enabled': false,
  'network.connectivity-service.enabled': false,
  'network.trr.mode': 5,
  'network.dns.disablePrefetch': true,
  'network.prefetch-next': false,
  'network.predictor.enabled': false,
  'network.http.speculative-parallel-limit': 0,
  'network.manage-offline-status': false,
  'network.sntp.pools': '',
  'dom.push.enabled': false,
  'dom.push.connection.enabled': false,
  'dom.push.serverURL': '',
  'browser.region.network.url': '',
  'browser.region.update.enabled': false,
  'browser.search.update': false,
  'browser.search.geoip.url': '',
  'browser.newtabpage.enabled': false,
  'browser.newtabpage.activity-stream.feeds.system.topstories': false,
  'browser.newtabpage.activity-stream.feeds.section.topstories': false,
  'browser.newtabpage.activity-stream.feeds.snippets': false,
  'browser.newtabpage.activity-stream.showSponsoredTopSites': false,
  'browser.newtabpage.activity-stream.testing.shouldInitializeFeeds': false,
  'browser.topsites.contile.enabled': false,
  'browser.startup.page': 0,
  'browser.startup.homepage': 'about:blank',
  'browser.startup.homepage_override.mstone': 'ignore',
  'startup.homepage_welcome_url': 'about:blank',
  'startup.homepage_welcome_url.additional': '',
  'browser.shell.checkDefaultBrowser': false,
  'browser.discovery.enabled': false,
  'browser.ping-centre.telemetry': false,
  'browser.urlbar.suggest.searches': false,
  'browser.urlbar.merino.endpointURL': '',
  'browser.translations.enable': false,
  'browser.ml.enable': false,
  'browser.backup.enabled': false,
  'browser.contentblocking.report.lockwise.enabled': false,
  'browser.uitour.enabled': false,
  'browser.aboutHomeSnippets.updateUrl': '',
  'extensions.update.enabled': false,
  'extensions.getAddons.cache.enabled': false,
  'extensions.systemAddon.update.enabled': false,
  'extensions.blocklist.enabled': false,
  'extensions.pocket.enabled': false,
  'extensions.autoDisableScopes': 0,
  'extensions.enabledScopes': 5,
  'geo.provider.network.url': '',
  'geo.enabled': false,
  'identity.fxaccounts.enabled': false,
  'media.gmp-manager.url': '',
  'media.gmp-gmpopenh264.enabled': false,
  'media.gmp-widevinecdm.enabled': false,
  'privacy.trackingprotection.enabled': false,
  'signon.rememberSignons': false,
  'termsofuse.bypassNotification': true,
  'datareporting.policy.dataSubmissionPolicyBypassNotification': true,
  'toolkit.startup.max_resumed_crashes': -1,
  'browser.sessionstore.resume_from_crash': false,
  'browser.tabs.warnOnClose': false,
  'dom.max_script_run_time': 0,
  // The CORS rules under test: keep Firefox's shipped behaviour (no test-only overrides), but make the page
  // itself quiet and deterministic.
  'network.http.http3.enable': false,
  'network.proxy.type': 0,
  'devtools.console.stdout.content': false,
  'remote.prefs.recommended': true,
};

function userJs(): string {
  return Object.entries(PREFS)
    .map(([k, v]) => `user_pref(${JSON.stringify(k)}, ${JSON.stringify(v)});`)
    .join('\n');
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
interface BidiMessage {
  id?: number;
  type?: string;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: string;
  message?: string;
}

/** A minimal WebDriver BiDi client: commands with ids and per-command timeouts, plus event subscribers. */
class BidiClient {
  #ws: WebSocket;
  #next = 1;
  #pending = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  #listeners = new Set<(method: string, params: Record<string, unknown>) => void>();
  #closed: Error | null = null;

  private constructor(ws: WebSocket) {
    this.#ws = ws;
    ws.on('message', (data) => {
      let msg: BidiMessage;
      try {
        msg = JSON.parse(String(data)) as BidiMessage;
      } catch {
        return;
      }
      if (typeof msg.id === 'number') {
        const p = this.#pending.get(msg.id);
        if (!p) return;
        this.#pending.delete(msg.id);
        if (msg.type === 'error') p.reject(new Error(`BiDi ${msg.error}: ${msg.message}`));
        else p.resolve(msg.result ?? {});
      } else if (msg.type === 'event' && msg.method) {
        for (const l of this.#listeners) l(msg.method, msg.params ?? {});
      }
    });
    ws.on('close', () => this.#fail(new Error('BiDi connection closed')));
    ws.on('error', (e) => this.#fail(e));
  }

  #fail(e: Error): void {
    this.#closed ??= e;
    for (const p of this.#pending.values()) p.reject(e);
    this.#pending.clear();
  }

  static connect(url: string, timeoutMs: number): Promise<BidiClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { perMessageDeflate: false, handshakeTimeout: timeoutMs });
      ws.once('open', () => resolve(new BidiClient(ws)));
      ws.once('error', reject);
    });
  }

  send(method: string, params: Record<string, Json>, timeoutMs = 10_000): Promise<Record<string, unknown>> {
    if (this.#closed) return Promise.reject(this.#closed);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#pending.delete(id);
        reject(new Error(`BiDi ${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      this.#pending.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      this.#ws.send(JSON.stringify({ id, method, params }));
    });
  }

  on(listener: (method: string, params: Record<string, unknown>) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  close(): void {
    this.#ws.terminate();
  }
}

/** Evaluation result from script.evaluate/callFunction, as plain JSON (the page returns a JSON string). */
function stringResult(r: Record<string, unknown>, what: string): string {
  if (r['type'] === 'exception') {
    const details = r['exceptionDetails'] as { text?: string } | undefined;
    throw new Error(`${what} threw in the browser: ${details?.text ?? 'unknown error'}`);
  }
  const result = r['result'] as { type?: string; value?: unknown } | undefined;
  if (result?.type !== 'string' || typeof result.value !== 'string') {
    throw new Error(`${what} returned ${result?.type ?? 'nothing'}, expected a string`);
  }
  return result.value;
}

/** Runs in the page: the call exactly as a script would make it, reported as JSON. */
const PAGE_FUNCTION = String(async function runCall(callJson: string): Promise<string> {
  const call = JSON.parse(callJson) as PageCall;
  const out = {
    ok: false,
    status: null as number | null,
    responseType: null as string | null,
    readableHeaders: [] as string[],
    jsError: null as string | null,
  };
  if (call.initiator === 'xhr') {
    await new Promise<void>((resolve) => {
      const xhr = new XMLHttpRequest();
      try {
        // open() throws for a forbidden method, setRequestHeader() for an invalid name or value.
        xhr.open(call.method, call.url);
        xhr.withCredentials = call.credentials === 'include';
        for (const [n, v] of call.headers) xhr.setRequestHeader(n, v);
      } catch (e) {
        out.jsError = String(e);
        resolve();
        return;
      }
      xhr.onabort = () => {
        out.jsError = 'XMLHttpRequest abort event';
        resolve();
      };
      xhr.onload = () => {
        out.ok = true;
        out.status = xhr.status;
        out.readableHeaders = xhr
          .getAllResponseHeaders()
          .split('\r\n')
          .filter((l) => l.includes(':'))
          .map((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase());
        resolve();
      };
      xhr.onerror = () => {
        out.jsError = 'XMLHttpRequest error event';
        resolve();
      };
      try {
        xhr.send(call.body ?? null);
      } catch (e) {
        out.jsError = String(e);
        resolve();
      }
    });
  } else {
    try {
      const init: RequestInit = {
        method: call.method,
        headers: call.headers,
        credentials: call.credentials,
        mode: call.mode,
        redirect: call.redirect ?? 'follow',
      };
      if (call.body !== undefined) init.body = call.body;
      const res = await fetch(call.url, init);
      out.ok = true;
      out.status = res.status;
      out.responseType = res.type;
      res.headers.forEach((_value, name) => {
        out.readableHeaders.push(name);
      });
      await res.arrayBuffer().catch(() => undefined);
    } catch (e) {
      out.jsError = String(e);
    }
  }
  out.readableHeaders = [...new Set(out.readableHeaders)].sort();
  return JSON.stringify(out);
});

/**
 * A process script (system principal, every content process): forwards each nsIScriptError that the content
 * process's console service receives to the parent, with its key. CORS lines are logged there: the network
 * code in the parent hands them to the child that owns the window.
 */
const CHILD_CONSOLE_SCRIPT = `(() => {
  // Message-manager globals (Services, Ci, sendAsyncMessage) are in scope here, not on globalThis.
  const { warningFlag, infoFlag } = Ci.nsIScriptError;
  Services.console.registerListener({
    observe(m) {
      if (!(m instanceof Ci.nsIScriptError)) return;
      sendAsyncMessage('cors-doctor:console', {
        text: m.errorMessage,
        key: m.errorMessageName || '',
        category: m.category || '',
        level: m.flags & warningFlag ? 'warning' : m.flags & infoFlag ? 'info' : 'error',
        innerWindowID: m.innerWindowID,
      });
    },
  });
})()`;

/**
 * Runs in the parent process (chrome scope): loads the content-process console script above and collects what
 * it forwards. Idempotent; messages accumulate in `globalThis.__corsDoctorConsole`.
 */
const CHROME_INSTALL = `(() => {
  if (globalThis.__corsDoctorConsole) return 'already';
  const log = [];
  globalThis.__corsDoctorConsole = log;
  Services.ppmm.addMessageListener('cors-doctor:console', (msg) => { log.push(msg.data); });
  Services.ppmm.loadProcessScript('data:,' + encodeURIComponent(${JSON.stringify(CHILD_CONSOLE_SCRIPT)}), true);
  return 'installed';
})()`;

/** Parent process: clear the preflight cache and the HTTP cache so every scenario starts cold. */
const CHROME_CLEAR = `(() => {
  const f = Ci.nsIClearDataService;
  const flags = (f.CLEAR_PREFLIGHT_CACHE ?? 0) | (f.CLEAR_NETWORK_CACHE ?? 0) | (f.CLEAR_COOKIES ?? 0);
  return new Promise((resolve) => Services.clearData.deleteData(flags, () => resolve(String(flags))));
})()`;

const CHROME_TAKE = `JSON.stringify(globalThis.__corsDoctorConsole.splice(0))`;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LaunchOptions {
  executablePath?: string;
  /** Per-step timeout for launching and connecting. */
  timeoutMs?: number;
  /**
   * Page URLs answered by an empty document through BiDi interception (network.addIntercept on these
   * URLs only, network.provideResponse): `check --confirm` runs the call from the user's origin, which
   * no local server can serve.
   */
  blankPages?: string[];
  /**
   * Keep the preflight and HTTP caches between runs (cache sequences). Default false: every run starts
   * cold, as the scenario table needs.
   */
  keepCaches?: boolean;
}

/** Is a usable Firefox binary there? (For loud skips; the launch itself reports anything else.) */
export function firefoxAvailable(path = FIREFOX_PATH): boolean {
  return existsSync(path);
}

/** Starts headless Firefox with BiDi on a free loopback port and the console listener installed. */
export async function launchFirefox(options: LaunchOptions = {}): Promise<FirefoxEngine> {
  const executable = options.executablePath ?? FIREFOX_PATH;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const profile = mkdtempSync(join(tmpdir(), 'cors-doctor-ff-'));
  writeFileSync(join(profile, 'user.js'), userJs());
  const proc = spawn(
    executable,
    [
      '--headless',
      '--no-remote',
      '--new-instance',
      '--profile',
      profile,
      '--remote-debugging-port=0',
      '--remote-allow-hosts=127.0.0.1',
      '--remote-allow-system-access',
      'about:blank',
    ],
    {
      env: {
        ...process.env,
        MOZ_DISABLE_NONLOCAL_CONNECTIONS: '1',
        MOZ_CRASHREPORTER_DISABLE: '1',
        MOZ_HEADLESS: '1',
        MOZ_REMOTE_SETTINGS_DEVTOOLS: '0',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  // If the test process dies without close(), Firefox must not outlive it.
  const killOnExit = () => proc.kill('SIGKILL');
  process.once('exit', killOnExit);
  const cleanup = () => {
    process.off('exit', killOnExit);
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    try {
      rmSync(profile, { recursive: true, force: true });
    } catch {
      // Firefox may still hold files for a moment; a temp dir left behind is harmless.
    }
  };
  let stderrTail = '';
  try {
    const wsUrl = await withTimeout(
      waitForBidiUrl(proc, (s) => (stderrTail = s)),
      timeoutMs,
      'Firefox start',
    );
    const client = await withTimeout(
      BidiClient.connect(`${wsUrl}/session`, timeoutMs),
      timeoutMs,
      'BiDi connect',
    );
    return await openSession(
      client,
      proc,
      cleanup,
      timeoutMs,
      options.blankPages ?? [],
      options.keepCaches === true,
    );
  } catch (e) {
    cleanup();
    throw new Error(
      `could not start Firefox (${executable}): ${(e as Error).message}\n${stderrTail.slice(-2000)}`,
    );
  }
}

function waitForBidiUrl(proc: ChildProcess, tail: (s: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const onData = (d: Buffer) => {
      buf += String(d);
      tail(buf);
      const m = /WebDriver BiDi listening on (ws:\/\/127\.0\.0\.1:\d+)/.exec(buf);
      if (m?.[1]) {
        proc.stderr?.off('data', onData);
        // Keep draining so the pipe never fills and blocks Firefox.
        proc.stderr?.on('data', () => {});
        resolve(m[1]);
      }
    };
    proc.stderr?.on('data', onData);
    proc.stdout?.on('data', () => {});
    proc.once('error', reject);
    proc.once('exit', (code, sig) => reject(new Error(`Firefox exited early (code ${code}, signal ${sig})`)));
  });
}

async function openSession(
  client: BidiClient,
  proc: ChildProcess,
  cleanup: () => void,
  timeoutMs: number,
  blankPages: string[] = [],
  keepCaches = false,
): Promise<FirefoxEngine> {
  const session = await client.send('session.new', { capabilities: { alwaysMatch: {} } }, timeoutMs);
  const caps = (session['capabilities'] ?? {}) as { browserVersion?: string };
  const version = caps.browserVersion ?? 'unknown';

  const tree = await client.send('browsingContext.getTree', {}, timeoutMs);
  const contexts = (tree['contexts'] ?? []) as { context: string }[];
  const page = contexts[0]?.context;
  if (!page) throw new Error('no browsing context');

  const chromeTree = await client.send('browsingContext.getTree', { 'moz:scope': 'chrome' }, timeoutMs);
  const chromeContexts = (chromeTree['contexts'] ?? []) as { context: string }[];
  const chrome = chromeContexts[0]?.context;
  if (!chrome) throw new Error('no chrome browsing context (is --remote-allow-system-access honoured?)');
  const chromeEval = async (expression: string, what: string) =>
    stringResult(
      await client.send(
        'script.evaluate',
        {
          expression: `(async () => String(await ${expression}))()`,
          target: { context: chrome },
          awaitPromise: true,
        },
        timeoutMs,
      ),
      what,
    );
  await chromeEval(CHROME_INSTALL, 'console listener install');

  const bidiLines: string[] = [];
  client.on((method, params) => {
    if (method !== 'log.entryAdded') return;
    const text = params['text'];
    if (typeof text === 'string') bidiLines.push(text);
  });
  await client.send('session.subscribe', { events: ['log.entryAdded'] }, timeoutMs);
  if (blankPages.length > 0) {
    client.on((method, params) => {
      if (method !== 'network.beforeRequestSent' || params['isBlocked'] !== true) return;
      const request = (params['request'] as { request: string }).request;
      void client
        .send(
          'network.provideResponse',
          {
            request,
            statusCode: 200,
            reasonPhrase: 'OK',
            headers: [{ name: 'Content-Type', value: { type: 'string', value: 'text/html; charset=utf-8' } }],
            body: { type: 'string', value: '<!doctype html><title>cors-doctor confirm</title>' },
          },
          timeoutMs,
        )
        .catch(() => undefined);
    });
    await client.send('session.subscribe', { events: ['network.beforeRequestSent'] }, timeoutMs);
    await client.send(
      'network.addIntercept',
      {
        phases: ['beforeRequestSent'],
        urlPatterns: blankPages.map((pattern) => ({ type: 'string', pattern })),
      },
      timeoutMs,
    );
  }

  let queue: Promise<unknown> = Promise.resolve();
  const runOne = async (pageUrl: string, call: PageCall, callTimeout: number): Promise<FirefoxResult> => {
    if (!keepCaches) await chromeEval(CHROME_CLEAR, 'cache clear');
    await client.send(
      'browsingContext.navigate',
      { context: page, url: pageUrl, wait: 'complete' },
      callTimeout,
    );
    await chromeEval(CHROME_TAKE, 'console drain');
    bidiLines.length = 0;
    const raw = stringResult(
      await client.send(
        'script.callFunction',
        {
          functionDeclaration: PAGE_FUNCTION,
          arguments: [{ type: 'string', value: JSON.stringify(call) }],
          target: { context: page },
          awaitPromise: true,
        },
        callTimeout,
      ),
      'page call',
    );
    const seen = JSON.parse(raw) as Omit<EngineResult, 'consoleLines'>;
    // Console messages travel from the network code to the console service asynchronously: wait until they
    // stop arriving (quiet for 250 ms, at most 3 s).
    const messages: FirefoxConsoleMessage[] = [];
    let quiet = 0;
    for (let waited = 0; waited < 3000 && quiet < 250; waited += 50) {
      await sleep(50);
      const batch = JSON.parse(await chromeEval(CHROME_TAKE, 'console drain')) as FirefoxConsoleMessage[];
      if (batch.length > 0) {
        quiet = 0;
        messages.push(...batch);
      } else quiet += 50;
    }
    // Firefox logs CORS lines with the security.properties key as the nsIScriptError *category*
    // (nsCORSListenerProxy::LogBlockedCORSRequest); errorMessageName stays empty.
    const cors = messages
      .map((m) => ({ ...m, key: m.key || (m.category.startsWith('CORS') ? m.category : '') }))
      .filter((m) => m.key.startsWith('CORS'));
    return {
      ...seen,
      consoleLines: cors.map((m) => m.text),
      messages: cors,
      bidiLines: [...bidiLines],
    };
  };

  let closed = false;
  return {
    name: 'firefox',
    version,
    evalChrome: (expression) => chromeEval(expression, 'chrome evaluation'),
    bidi: { send: (m, p, t) => client.send(m, p, t), on: (l) => client.on(l) },
    run(pageUrl, call, timeoutMs = 20_000) {
      const p = queue.then(() => withTimeout(runOne(pageUrl, call, timeoutMs), timeoutMs * 2, 'Firefox run'));
      queue = p.catch(() => undefined);
      return p;
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await client.send('browser.close', {}, 3000);
      } catch {
        // Killed below regardless.
      }
      client.close();
      const exited = new Promise<void>((r) => {
        if (proc.exitCode !== null || proc.signalCode !== null) r();
        else proc.once('exit', () => r());
      });
      await Promise.race([exited, sleep(3000)]);
      cleanup();
    },
  };
}
