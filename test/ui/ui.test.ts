/**
 * `cors-doctor ui` end to end: the server's guards over plain HTTP, then the page in real Chromium
 * (Debian's, through playwright-core) against a real Express server: paste a console line, explain it,
 * run its check with one click, read the report; the check form by keyboard only; axe-core with no
 * serious or critical violation. Screenshots go to $UI_SCREENSHOTS (default /tmp) for a person to look at.
 * The page loads the compiled pure layers from dist/: the test builds it when stale.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type Browser, chromium, type Page } from 'playwright-core';
import { formToArgv, startUiServer, type UiServer } from '../../src/ui/server.ts';
import { APP, type RunningApp } from '../harness/apps/common.ts';
import { startExpress } from '../harness/apps/express.ts';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';

const root = join(import.meta.dirname, '..', '..');
execFileSync(process.execPath, [join(root, 'scripts', 'build-if-stale.mjs')], {
  cwd: root,
  stdio: 'inherit',
});
const SHOTS = process.env['UI_SCREENSHOTS'] ?? '/tmp';

/** A raw request with any Host header (fetch() would not let a test lie about Host). */
function raw(
  port: number,
  path: string,
  opts: { method?: string; host?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: opts.method ?? 'GET',
        headers: { host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers },
        timeout: 5000,
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

let ui: UiServer;
let app: RunningApp;
before(async () => {
  ui = await startUiServer({ checkTimeoutMs: 5000 });
  app = await startExpress('no-cors');
});
after(async () => {
  await ui?.close();
  await app?.close();
});

describe('ui server guards', () => {
  const base = () => `/${ui.token}/`;
  const post = (headers: Record<string, string>, body = '{}') =>
    raw(ui.port, `${base()}api/check`, { method: 'POST', headers, body });
  const csrfOf = async () =>
    /name="csrf-token" content="([^"]+)"/.exec((await raw(ui.port, base())).body)?.[1] ?? '';

  test('listens on 127.0.0.1 only, with a token in the address', () => {
    assert.match(ui.url, /^http:\/\/127\.0\.0\.1:\d+\/[\w-]{20,}\/$/);
  });
  test('the page, with a strict CSP and no referrer', async () => {
    const r = await raw(ui.port, base());
    assert.equal(r.status, 200);
    assert.match(
      String(r.headers['content-security-policy']),
      /default-src 'none'; script-src 'self' 'sha256-/,
    );
    assert.equal(r.headers['referrer-policy'], 'no-referrer');
    assert.doesNotMatch(r.body, /(src|href)="(https?:)?\/\//i, 'no third-party asset');
  });
  test('a foreign Host is refused (DNS rebinding)', async () => {
    const r = await raw(ui.port, base(), { host: `attacker.example:${ui.port}` });
    assert.equal(r.status, 421);
    assert.match(r.body, /Host 'attacker\.example:\d+' refused/);
    assert.equal((await raw(ui.port, base(), { host: `localhost:${ui.port}` })).status, 200);
  });
  test('without the token, nothing', async () => {
    assert.equal((await raw(ui.port, '/')).status, 404);
    assert.equal((await raw(ui.port, '/wrong-token/')).status, 404);
  });
  test('only the pure layers are served as modules', async () => {
    assert.equal((await raw(ui.port, `${base()}m/explain/index.js`)).status, 200);
    assert.equal((await raw(ui.port, `${base()}m/probe/check.js`)).status, 404);
    assert.equal((await raw(ui.port, `${base()}m/cli/main.js`)).status, 404);
    assert.equal((await raw(ui.port, `${base()}m/explain/../../../package.json`)).status, 404);
  });
  test('a check needs the CSRF token, JSON, and no foreign Origin', async () => {
    const csrf = await csrfOf();
    assert.equal((await post({ 'content-type': 'application/json' })).status, 403);
    assert.equal((await post({ 'content-type': 'application/json', 'x-csrf-token': 'nope' })).status, 403);
    const foreign = await post({
      'content-type': 'application/json',
      'x-csrf-token': csrf,
      origin: 'https://attacker.example',
    });
    assert.equal(foreign.status, 403);
    assert.equal((await post({ 'content-type': 'text/plain', 'x-csrf-token': csrf })).status, 415);
    const bad = await post({ 'content-type': 'application/json', 'x-csrf-token': csrf }, '{"url":"ftp://x"}');
    assert.equal(bad.status, 400);
    assert.match(bad.body, /http:\/\/ or https:\/\//);
    assert.equal((await raw(ui.port, `${base()}api/check`, { method: 'DELETE' })).status, 405);
  });
  test('a paste that would read local files is refused', () => {
    assert.throws(
      () => formToArgv({ paste: "curl 'http://x/' --data-binary @/etc/passwd" }),
      /reads local files/,
    );
    assert.throws(
      () => formToArgv({ paste: "curl 'https://x/' --cacert /etc/ssl/ca.pem" }),
      /reads local files/,
    );
    assert.deepEqual(formToArgv({ url: 'http://x/', origin: 'https://a.b', body: '@/etc/passwd' }), [
      'http://x/',
      '--origin',
      'https://a.b',
      '--data-raw',
      '@/etc/passwd',
    ]);
  });
});

const skip = existsSync(CHROMIUM_PATH) ? false : missingEngine('chromium', `no ${CHROMIUM_PATH}`);

describe('the page in real Chromium', { skip }, () => {
  let browser: Browser;
  let page: Page;
  const bytes: number[] = [];
  before(async () => {
    browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      args: CHROMIUM_ARGS,
      headless: true,
      timeout: 60_000,
    });
    page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    page.on('response', (r) => {
      void r.body().then(
        (b) => bytes.push(b.length),
        () => undefined,
      );
    });
    page.on('pageerror', (e) => assert.fail(`page error: ${e.message}`));
  });
  after(async () => {
    await browser?.close();
  });

  test('loads from the package alone, fast', async () => {
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${ui.port}/`)) external.push(r.url());
    });
    const t0 = Date.now();
    await page.goto(ui.url);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 10_000 });
    const ms = Date.now() - t0;
    await new Promise((r) => setTimeout(r, 100));
    const total = bytes.reduce((a, b) => a + b, 0);
    console.log(`ui page: ${bytes.length} files, ${(total / 1024).toFixed(0)} KiB, ready in ${ms} ms`);
    assert.deepEqual(external, []);
    assert.ok(ms < 5000, `ready in ${ms} ms`);
  });

  test('paste a console line, explain it, run its check with one click', async () => {
    const line = `Access to fetch at '${app.base}/api/data' from origin '${APP}' has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header is present on the requested resource.`;
    await page.fill('#paste', line);
    await page.click('#explain-form button');
    const card = page.locator('#explain-out article').first();
    await card.waitFor({ timeout: 5000 });
    assert.match((await card.textContent()) ?? '', /Chrome · MissingAllowOriginHeader/);
    assert.match((await card.textContent()) ?? '', /missing-allow-origin/);
    await page.screenshot({ path: join(SHOTS, 'ui-explain.png'), fullPage: true });
    await card.locator('text=Run this check').click();
    await page.locator('#report .verdict').waitFor({ timeout: 10_000 });
    const report = (await page.locator('#report').textContent()) ?? '';
    assert.match(
      report,
      /✖ blocked GET http:\/\/127\.0\.0\.1:\d+\/api\/data from https:\/\/app\.myshop\.test/,
    );
    assert.match(report, /Chrome console: Access to fetch at/);
    assert.match(report, /missing-allow-origin/);
    assert.match(report, /< \(no Access-Control-Allow-Origin\)/);
    assert.match(report, /Failed check: MissingAllowOriginHeader/);
    assert.equal(await page.locator('ol.timeline > li.failed').count(), 1);
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      'report-h',
      'focus moves to the report',
    );
    await page.screenshot({ path: join(SHOTS, 'ui-report.png'), fullPage: true });
  });

  test('the check form by keyboard alone, with fixes for one stack', async () => {
    const correct = await startExpress('headers-short');
    try {
      await page.goto(ui.url);
      await page.waitForSelector('html[data-ready="true"]');
      await page.focus('#url');
      await page.keyboard.type(`${correct.base}/api/data`);
      await page.keyboard.press('Tab');
      await page.keyboard.type(APP);
      await page.keyboard.press('Tab');
      await page.keyboard.press('Control+A');
      await page.keyboard.type('PUT');
      await page.keyboard.press('Tab');
      await page.keyboard.type('Content-Type: application/json');
      await page.keyboard.press('Enter');
      await page.keyboard.type('X-Trace: 1');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.selectOption('#stack', 'express');
      await page.focus('#check-button');
      await page.keyboard.press('Enter');
      await page.locator('#report .verdict').waitFor({ timeout: 10_000 });
      const report = (await page.locator('#report').textContent()) ?? '';
      assert.match(report, /✖ blocked PUT/);
      assert.match(report, /header-not-allowed/);
      assert.match(report, /> Access-Control-Request-Headers: content-type,x-trace/i);
      assert.equal(
        (await page.locator('pre[aria-label="fix for express"]').count()) > 0,
        true,
        'express fix shown',
      );
      await page.screenshot({ path: join(SHOTS, 'ui-keyboard.png'), fullPage: true });
    } finally {
      await correct.close();
    }
  });

  test('axe-core: no serious or critical violation (empty page and with a report)', async () => {
    const axe = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
    // page.evaluate runs through the DevTools protocol, which the page's CSP does not govern.
    await page.evaluate(`${axe};0`);
    const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
      violations: { id: string; impact: string; help: string; nodes: unknown[] }[];
    };
    const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(
      bad.map((v) => `${v.id} (${v.impact}): ${v.help}`),
      [],
    );
    console.log(
      `axe-core: ${result.violations.length} violations, none serious: ${result.violations.map((v) => v.id).join(', ')}`,
    );
  });
});
