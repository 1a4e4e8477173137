/**
 * Records real HARs: a page on one loopback origin runs each real-framework case's request (the apps of
 * test/diagnosis/framework-cases.ts, configured for that page's origin) in Debian's Chromium, once
 * through a DevTools-protocol recorder that writes DevTools' own HAR format, once through Playwright's
 * `recordHar`. What Chromium itself decided for each request (fetch() resolved or not, the CorsError from
 * Network.loadingFailed, the console line) is written next to it: the tests judge the offline analysis
 * against that.
 *
 *   node --import tsx test/har/record.ts        # rewrites test/fixtures/har/chromium-*.har(.json)
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import type { FindingId } from '../../src/catalog/ids.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../harness/chromium.ts';
import { recordDevtools } from './devtools-har.ts';

export interface Truth {
  case: string;
  url: string;
  method: string;
  /** fetch() resolved in Chromium. */
  ok: boolean;
  corsError: string | null;
  consoleLines: string[];
  /** The corpus label (what check reports with its probes). */
  expect: FindingId[];
}

const PAGE_CALL = `async (call) => {
  try {
    const init = { method: call.method, headers: call.headers, credentials: call.credentials, mode: call.mode };
    if (call.body != null) init.body = call.body;
    const res = await Promise.race([fetch(call.url, init), new Promise((_, j) => setTimeout(() => j(new Error('timeout')), 5000))]);
    try { await res.text(); } catch {}
    return true;
  } catch { return false; }
}`;

export async function startPageServer(): Promise<{ url: string; origin: string; close(): Promise<void> }> {
  const server = http.createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html; charset=utf-8');
    res.end('<!doctype html><title>front end</title>');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Runs `names` (all recordable cases when omitted) in Chromium; returns both HAR flavours and the truth. */
export async function recordChromium(
  page: { url: string; origin: string },
  names?: readonly string[],
): Promise<{ devtools: unknown; playwright: unknown; truth: Truth[] }> {
  process.env['CORS_DOCTOR_TEST_APP_ORIGIN'] = page.origin;
  const { CASES, pageRequest } = await import('../diagnosis/framework-cases.ts');
  const cases = CASES.filter(
    (c) =>
      c.page === undefined &&
      c.request?.mode !== 'no-cors' &&
      (names === undefined || names.includes(c.name)),
  );
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const dir = await mkdtemp(join(tmpdir(), 'cors-doctor-har-'));
  const harPath = join(dir, 'playwright.har');
  try {
    const dtContext = await browser.newContext();
    const pwContext = await browser.newContext({ recordHar: { path: harPath, content: 'omit' } });
    const dtPage = await dtContext.newPage();
    const pwPage = await pwContext.newPage();
    const cdp = await dtContext.newCDPSession(dtPage);
    const failures: { requestId: string; corsError?: string }[] = [];
    const lines: string[] = [];
    cdp.on('Network.loadingFailed', (e: { requestId: string; corsErrorStatus?: { corsError: string } }) => {
      failures.push({
        requestId: e.requestId,
        ...(e.corsErrorStatus ? { corsError: e.corsErrorStatus.corsError } : {}),
      });
    });
    cdp.on('Log.entryAdded', (e: { entry: { text: string; level: string } }) => {
      if (e.entry.level === 'error' && e.entry.text.includes('CORS policy')) lines.push(e.entry.text);
    });
    await cdp.send('Log.enable');
    const recorder = await recordDevtools(cdp);
    await dtPage.goto(page.url);
    await pwPage.goto(page.url);
    const truth: Truth[] = [];
    for (const c of cases) {
      const app = await c.start();
      try {
        const request = pageRequest(c, app.base);
        const call = {
          url: request.url,
          method: request.method,
          headers: request.headers.map(([n, v]) => [n, v]),
          credentials: request.credentials,
          mode: request.mode,
          body: request.body ?? null,
        };
        const before = failures.length;
        const beforeLines = lines.length;
        const ok = (await dtPage.evaluate(`(${PAGE_CALL})(${JSON.stringify(call)})`)) as boolean;
        await recorder.settle(3000);
        await new Promise((r) => setTimeout(r, 60));
        await pwPage.evaluate(`(${PAGE_CALL})(${JSON.stringify(call)})`);
        truth.push({
          case: c.name,
          url: request.url,
          method: request.method,
          ok,
          corsError: failures.slice(before).find((f) => f.corsError)?.corsError ?? null,
          consoleLines: lines.slice(beforeLines),
          expect: c.expect,
        });
      } finally {
        await app.close();
      }
    }
    await recorder.settle(3000);
    const version = browser.version();
    const devtools = recorder.har(page.url, true, version);
    await pwContext.close();
    await dtContext.close();
    const playwright = JSON.parse(await readFile(harPath, 'utf8')) as unknown;
    return { devtools, playwright, truth };
  } finally {
    await browser.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * One realistic session against one server (the "14 requests to api.example.com: mistake 4 on
 * the 401s of /session"): Express with authentication before cors(): signed-in requests (a session
 * cookie) get the CORS headers, the same requests after the session expires get a bare 401. Plus a
 * correctly configured second API and a JSON PUT to it. DevTools format only (sanitized: no Cookie).
 */
export async function recordSession(page: {
  url: string;
  origin: string;
}): Promise<{ har: unknown; truth: Truth[] }> {
  process.env['CORS_DOCTOR_TEST_APP_ORIGIN'] = page.origin;
  const { startExpress } = await import('../harness/apps/express.ts');
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const auth = await startExpress('auth-before-cors');
  const good = await startExpress('correct');
  try {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    const failures: { corsError?: string }[] = [];
    cdp.on('Network.loadingFailed', (e) => {
      failures.push(e.corsErrorStatus ? { corsError: e.corsErrorStatus.corsError } : {});
    });
    const recorder = await recordDevtools(cdp);
    await tab.goto(page.url);
    const truth: Truth[] = [];
    const call = async (
      name: string,
      url: string,
      init: { method?: string; headers?: [string, string][]; credentials: string },
      expect: FindingId[],
    ) => {
      const before = failures.length;
      const ok = (await tab.evaluate(
        `(${PAGE_CALL})(${JSON.stringify({ url, method: init.method ?? 'GET', headers: init.headers ?? [], credentials: init.credentials, mode: 'cors' })})`,
      )) as boolean;
      await recorder.settle(3000);
      truth.push({
        case: name,
        url,
        method: init.method ?? 'GET',
        ok,
        corsError: failures.slice(before).find((f) => f.corsError)?.corsError ?? null,
        consoleLines: [],
        expect,
      });
    };
    await context.addCookies([{ name: 'session', value: 'ok', url: auth.base }]);
    for (const p of ['/api/data', '/api/data?page=2', '/api/data?page=3'])
      await call('signed in', `${auth.base}${p}`, { credentials: 'include' }, []);
    await context.clearCookies();
    for (const p of ['/api/data?page=4', '/api/data?page=5', '/api/data?page=6', '/api/data?page=7'])
      await call(
        'session expired: 401 without CORS headers',
        `${auth.base}${p}`,
        { credentials: 'include' },
        ['headers-missing-on-errors'],
      );
    await call(
      'correct API, JSON PUT',
      `${good.base}/api/data`,
      { method: 'PUT', headers: [['Content-Type', 'application/json']], credentials: 'include' },
      [],
    );
    await call('correct API, GET', `${good.base}/api/data`, { credentials: 'include' }, []);
    await recorder.settle(3000);
    const har = recorder.har(page.url, true, browser.version());
    await context.close();
    return { har, truth };
  } finally {
    await auth.close();
    await good.close();
    await browser.close();
  }
}

/** Stacks of the real-server corpus (test/corpus/<file>.ts) recorded into chromium-corpus.har. */
export const CORPUS_FILES = [
  'flask',
  'django',
  'rack',
  'php',
  'go',
  'nginx-more',
  'apache',
  'caddy',
  'haproxy',
  'varnish',
  'nestjs',
];

export interface CorpusTruth extends Truth {
  stack: string;
  correct: boolean;
}

/**
 * The real-server corpus in Chromium, one session per HAR: each case's server (Flask, Django, Rack, PHP,
 * Go, nginx, Apache, Caddy, HAProxy, Varnish, NestJS…) started, its request run from the page with the
 * case's cookie set for the API, the server stopped. Stacks whose binary is missing are left out (named).
 */
export async function recordCorpus(
  page: { url: string; origin: string },
  files: readonly string[] = CORPUS_FILES,
): Promise<{ har: unknown; truth: CorpusTruth[]; missing: string[] }> {
  process.env['CORS_DOCTOR_TEST_APP_ORIGIN'] = page.origin;
  const { pageRequest } = await import('../diagnosis/framework-cases.ts');
  const corpora: import('../corpus/case.ts').StackCorpus[] = [];
  for (const f of files) {
    const mod = (await import(`../corpus/${f}.ts`)) as {
      corpus?: import('../corpus/case.ts').StackCorpus;
      corpora?: import('../corpus/case.ts').StackCorpus[];
    };
    if (mod.corpus) corpora.push(mod.corpus);
    corpora.push(...(mod.corpora ?? []));
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: CHROMIUM_ARGS,
    timeout: 60_000,
  });
  const missing: string[] = [];
  try {
    const context = await browser.newContext();
    const tab = await context.newPage();
    const cdp = await context.newCDPSession(tab);
    const failures: { corsError?: string }[] = [];
    const lines: string[] = [];
    cdp.on('Network.loadingFailed', (e) => {
      failures.push(e.corsErrorStatus ? { corsError: e.corsErrorStatus.corsError } : {});
    });
    cdp.on('Log.entryAdded', (e) => {
      if (e.entry.level === 'error' && e.entry.text.includes('CORS policy')) lines.push(e.entry.text);
    });
    await cdp.send('Log.enable');
    const recorder = await recordDevtools(cdp);
    await tab.goto(page.url);
    const truth: CorpusTruth[] = [];
    for (const corpus of corpora) {
      const why = corpus.missing?.();
      if (why !== undefined) {
        missing.push(`${corpus.stack}: ${why}`);
        continue;
      }
      for (const c of corpus.cases) {
        if (c.page !== undefined || c.request?.mode === 'no-cors' || c.known) continue;
        const app = await c.start();
        try {
          const request = pageRequest(c, app.base);
          if (c.cookie) {
            const [name, ...rest] = c.cookie.split('=');
            await context.addCookies([{ name: name!, value: rest.join('='), url: app.base }]);
          }
          const before = failures.length;
          const beforeLines = lines.length;
          const call = {
            url: request.url,
            method: request.method,
            headers: request.headers.map(([n, v]) => [n, v]),
            credentials: request.credentials,
            mode: request.mode,
            body: request.body ?? null,
          };
          const ok = (await tab.evaluate(`(${PAGE_CALL})(${JSON.stringify(call)})`)) as boolean;
          await recorder.settle(3000);
          await new Promise((r) => setTimeout(r, 40));
          truth.push({
            case: c.name,
            stack: corpus.stack,
            correct: c.correct === true,
            url: request.url,
            method: request.method,
            ok,
            corsError: failures.slice(before).find((f) => f.corsError)?.corsError ?? null,
            consoleLines: lines.slice(beforeLines),
            expect: c.expect,
          });
        } finally {
          await context.clearCookies();
          await app.close();
        }
      }
    }
    await recorder.settle(3000);
    const har = recorder.har(page.url, true, browser.version());
    await context.close();
    return { har, truth, missing };
  } finally {
    await browser.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const page = await startPageServer();
  try {
    const out = await recordChromium(page);
    const fx = new URL('../fixtures/har/', import.meta.url);
    const w = (name: string, data: unknown) =>
      writeFile(new URL(name, fx), `${JSON.stringify(data, null, 1)}\n`);
    await w('chromium-devtools.har', out.devtools);
    await w('chromium-playwright.har', out.playwright);
    await w('chromium-truth.json', out.truth);
    const session = await recordSession(page);
    await w('chromium-session.har', session.har);
    await w('chromium-session-truth.json', session.truth);
    const corpus = await recordCorpus(page);
    await w('chromium-corpus.har', corpus.har);
    await w('chromium-corpus-truth.json', corpus.truth);
    if (corpus.missing.length > 0) console.warn(`corpus stacks left out: ${corpus.missing.join('; ')}`);
    console.log(`recorded ${out.truth.length} cases`);
  } finally {
    await page.close();
  }
}
