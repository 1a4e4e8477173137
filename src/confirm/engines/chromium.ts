/**
 * The Chromium runner: Debian's /usr/bin/chromium driven by playwright-core (never a downloaded
 * browser). One browser and one page per test file; each call runs in the page with its own
 * fetch()/XMLHttpRequest. Console lines come from the DevTools protocol (Log.entryAdded, which carries
 * the network-service CORS lines, and Runtime.consoleAPICalled is not needed), the CorsError from
 * Network.loadingFailed.corsErrorStatus, or from Audits.issueAdded for renderer-side refusals.
 */
import { existsSync } from 'node:fs';
import { type Browser, type CDPSession, chromium, type Page } from 'playwright-core';
import type { Engine, EngineResult, PageCall } from './engine.ts';

export const CHROMIUM_PATH = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM_PATH);
}

interface LogEntry {
  source: string;
  level: string;
  text: string;
  category?: string;
}

/**
 * The script run in the page: performs the call, reports what the script saw. Plain JavaScript in a
 * string, so the TypeScript loader's helpers never leak into the page.
 */
const PAGE_CALL = String.raw`async (call) => {
  const withTimeout = (p) => Promise.race([p, new Promise((_, reject) => setTimeout(() => reject(new Error('page call timed out')), call.timeoutMs))]);
  if (call.initiator === 'fetch') {
    try {
      const init = { method: call.method, headers: call.headers, credentials: call.credentials, mode: call.mode };
      if (call.redirect) init.redirect = call.redirect;
      if (call.targetAddressSpace) init.targetAddressSpace = call.targetAddressSpace;
      if (call.body !== undefined && call.body !== null) init.body = call.body;
      const res = await withTimeout(fetch(call.url, init));
      const readable = [...res.headers.keys()].sort();
      try { await withTimeout(res.text()); } catch {}
      return { ok: true, status: res.status, responseType: res.type, readableHeaders: readable, jsError: null };
    } catch (e) {
      return { ok: false, status: null, responseType: null, readableHeaders: [], jsError: String(e) };
    }
  }
  return await withTimeout(new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    try {
      xhr.open(call.method, call.url);
      xhr.withCredentials = call.credentials === 'include';
      for (const [n, v] of call.headers) xhr.setRequestHeader(n, v);
    } catch (e) {
      resolve({ ok: false, status: null, responseType: null, readableHeaders: [], jsError: String(e) });
      return;
    }
    xhr.onload = () => {
      const names = xhr.getAllResponseHeaders().split('\r\n').filter((l) => l.includes(':'))
        .map((l) => l.slice(0, l.indexOf(':')).trim().toLowerCase());
      resolve({ ok: true, status: xhr.status, responseType: 'cors', readableHeaders: [...new Set(names)].sort(), jsError: null });
    };
    xhr.onerror = () => resolve({ ok: false, status: null, responseType: null, readableHeaders: [], jsError: 'XMLHttpRequest error event' });
    try { xhr.send(call.body ?? null); } catch (e) {
      resolve({ ok: false, status: null, responseType: null, readableHeaders: [], jsError: String(e) });
    }
  }));
}`;

type PageOutcome = Omit<EngineResult, 'consoleLines' | 'corsErrorStatus'>;

const isCorsLine = (e: LogEntry): boolean =>
  e.level === 'error' &&
  e.source !== 'network' &&
  (e.category === 'cors' ||
    e.text.includes('CORS policy') ||
    e.text.startsWith('Fetch API cannot load') ||
    e.text.startsWith('Refused to set unsafe header'));

/** EngineResult plus the network error name (Network.loadingFailed.errorText of a failure without CorsError). */
export type ChromiumResult = EngineResult & {
  netError: string | null;
  /** Every CorsIssue DevTools filed (Chromium files a LocalNetworkAccess one even when the fetch succeeds). */
  issues: { corsError: string; failedParameter: string }[];
};

export interface ChromiumEngine extends Engine {
  /** Every Log.entryAdded entry seen by this browser (debugging). */
  logAll: LogEntry[];
  run(pageUrl: string, call: PageCall, timeoutMs?: number): Promise<ChromiumResult>;
  /** Set a permission for `origin` in this browser context (CDP Browser.setPermission). */
  setPermission(origin: string, name: string, setting: 'granted' | 'denied' | 'prompt'): Promise<void>;
}

export interface ChromiumLaunchOptions {
  executablePath?: string;
  /**
   * `--ip-address-space-overrides` entries, `127.0.0.1:PORT=public|private|local`: makes a loopback
   * server count as public or private for Local Network Access, so LNA runs with every socket on loopback.
   */
  addressSpaceOverrides?: string[];
  /**
   * Page URLs answered by an empty document through DevTools request interception (Fetch domain,
   * these URLs only, so every other request goes to the network untouched): `check --confirm` runs the
   * call from the user's origin, which no local server can serve.
   */
  blankPages?: string[];
}

export const BLANK_PAGE = '<!doctype html><title>cors-doctor confirm</title>';

/** `/r/<runId>/` of a test scenario URL (every hop of one run carries it), or undefined. */
function runPrefix(url: string): string | undefined {
  try {
    return /^\/r\/[^/]+\//.exec(new URL(url).pathname)?.[0];
  } catch {
    return undefined;
  }
}

/**
 * Which events belong to the run of `url`: all but those of a request under another run's
 * `/r/<runId>/` (a trailing event of the previous run). Other URLs (a confirmation of the user's own
 * URL, a redirect to elsewhere) are kept.
 */
function runFilter(url: string): (u: string) => boolean {
  const own = runPrefix(url);
  if (own === undefined) return () => true;
  return (u) => {
    const p = runPrefix(u);
    return p === undefined || p === own;
  };
}

export async function launchChromium(options: ChromiumLaunchOptions = {}): Promise<ChromiumEngine> {
  const browser: Browser = await chromium.launch({
    executablePath: options.executablePath ?? CHROMIUM_PATH,
    args:
      (options.addressSpaceOverrides ?? []).length > 0
        ? [...CHROMIUM_ARGS, `--ip-address-space-overrides=${options.addressSpaceOverrides!.join(',')}`]
        : CHROMIUM_ARGS,
    headless: true,
    timeout: 60_000,
  });
  const context = await browser.newContext();
  // Chromium (Local Network Access) asks the user before a public page reaches a loopback or private
  // address; a confirmation stands for the user who clicked Allow, so its pages get the permission.
  for (const url of options.blankPages ?? [])
    await context.grantPermissions(['local-network-access'], { origin: new URL(url).origin });
  let page: Page = await context.newPage();
  let cdp: CDPSession = await context.newCDPSession(page);
  let log: LogEntry[] = [];
  let failures: {
    requestId?: string;
    type?: string;
    errorText?: string;
    corsErrorStatus?: { corsError: string; failedParameter: string };
  }[] = [];
  let issues: { corsError: string; failedParameter: string; url: string }[] = [];
  // Request URLs by id, so a trailing event of the previous run (DevTools may file an issue or a
  // loadingFailed after the script saw its error) is never taken for this run's.
  const urls = new Map<string, string>();
  const logAll: LogEntry[] = [];
  const attach = async (): Promise<void> => {
    cdp.on('Log.entryAdded', (e: { entry: LogEntry }) => {
      log.push(e.entry);
      logAll.push(e.entry);
    });
    cdp.on('Network.requestWillBeSent', (e: { requestId: string; request: { url: string } }) => {
      urls.set(e.requestId, e.request.url);
    });
    cdp.on(
      'Network.loadingFailed',
      (e: {
        requestId?: string;
        type?: string;
        errorText?: string;
        corsErrorStatus?: { corsError: string; failedParameter: string };
      }) => {
        failures.push(e);
      },
    );
    cdp.on(
      'Audits.issueAdded',
      (e: {
        issue: {
          code: string;
          details: {
            corsIssueDetails?: {
              corsErrorStatus: { corsError: string; failedParameter: string };
              isWarning: boolean;
              request?: { url?: string };
            };
          };
        };
      }) => {
        const d = e.issue.details.corsIssueDetails;
        if (d && !d.isWarning) issues.push({ ...d.corsErrorStatus, url: d.request?.url ?? '' });
      },
    );
    const blank = options.blankPages ?? [];
    if (blank.length > 0) {
      const session = cdp;
      session.on('Fetch.requestPaused', (e: { requestId: string }) => {
        void session
          .send('Fetch.fulfillRequest', {
            requestId: e.requestId,
            responseCode: 200,
            responseHeaders: [{ name: 'Content-Type', value: 'text/html; charset=utf-8' }],
            body: Buffer.from(BLANK_PAGE).toString('base64'),
          })
          .catch(() => undefined);
      });
      await cdp.send('Fetch.enable', {
        patterns: blank.map((urlPattern) => ({ urlPattern, requestStage: 'Request' as const })),
      });
    }
    await cdp.send('Network.enable');
    await cdp.send('Log.enable');
    await cdp.send('Audits.enable');
    // No cache override: every run has fresh URLs (/r/<runId>/…), so neither the HTTP cache nor the
    // preflight cache can answer, and requests carry exactly the headers a normal page sends.
  };
  await attach();
  let currentPageUrl = '';
  let browserSession: CDPSession | undefined;
  const version = browser.version();
  return {
    name: 'chromium',
    version,
    logAll,
    async run(pageUrl: string, call: PageCall, timeoutMs = 10_000): Promise<ChromiumResult> {
      if (page.isClosed()) {
        page = await context.newPage();
        cdp = await context.newCDPSession(page);
        await attach();
        currentPageUrl = '';
      }
      if (currentPageUrl !== pageUrl) {
        await page.goto(pageUrl, { timeout: timeoutMs });
        currentPageUrl = pageUrl;
      }
      log = [];
      failures = [];
      issues = [];
      const result = (await page.evaluate(
        `(${PAGE_CALL})(${JSON.stringify({ ...call, timeoutMs })})`,
      )) as PageOutcome;
      // The CORS line and loadingFailed may trail the promise by a task: wait for them, bounded. A failed
      // load always ends with Network.loadingFailed (or a CORS issue for renderer-side refusals); after
      // that, give the console line a short grace. A script-side throw has neither: the deadline ends it.
      const start = Date.now();
      let firstEventAt = 0;
      while (!result.ok && Date.now() - start < 3000) {
        if (firstEventAt === 0 && (failures.length > 0 || issues.length > 0)) firstEventAt = Date.now();
        if (firstEventAt !== 0 && (log.some(isCorsLine) || Date.now() - firstEventAt > 250)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await new Promise((r) => setTimeout(r, result.ok ? 40 : 20));
      const mine = runFilter(call.url);
      failures = failures.filter((f) => f.requestId === undefined || mine(urls.get(f.requestId) ?? ''));
      issues = issues.filter((i) => mine(i.url));
      const fromNetwork = failures.find((f) => f.corsErrorStatus)?.corsErrorStatus ?? null;
      return {
        ...result,
        consoleLines: log.filter(isCorsLine).map((e) => e.text),
        // A fetch that resolved has no CorsError, though DevTools may have filed an (LNA) issue for it.
        corsErrorStatus: result.ok
          ? null
          : (fromNetwork ??
            (issues[0]
              ? { corsError: issues[0].corsError, failedParameter: issues[0].failedParameter }
              : null)),
        issues: issues.map(({ corsError, failedParameter }) => ({ corsError, failedParameter })),
        netError: failures.find((f) => f.errorText && !f.corsErrorStatus)?.errorText ?? null,
      };
    },
    async setPermission(origin, name, setting): Promise<void> {
      // The page lives in a non-default context: the permission must name that context.
      const info = (await cdp.send('Target.getTargetInfo')) as { targetInfo: { browserContextId?: string } };
      // Overrides live as long as the DevTools session that set them: keep one open for the browser.
      browserSession ??= await browser.newBrowserCDPSession();
      await browserSession.send('Browser.setPermission', {
        permission: { name },
        setting,
        origin,
        ...(info.targetInfo.browserContextId ? { browserContextId: info.targetInfo.browserContextId } : {}),
      });
      // A document keeps the LNA policy it was loaded with: the next run loads the page again.
      currentPageUrl = '';
    },
    async close(): Promise<void> {
      await browser.close();
    },
  };
}
