/**
 * The browser is the judge: every real-framework case is run once more, by Debian's Chromium itself,
 * from a page on loopback whose origin the apps are configured for. `check`'s verdict (allowed or not,
 * and the CorsError) must be Chromium's. Cookies and `--page` are left out (the page has none; both
 * sides then send the same request), as are `no-cors` cases (nothing to compare beyond "allowed").
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { type ChromiumEngine, chromiumAvailable, launchChromium } from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';

const skip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');

// The page's server must exist before the apps load: its origin is what they allow.
const pageServer: Server = http.createServer((_req, res) => {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.end('<!doctype html><title>front end</title>');
});
await new Promise<void>((resolve) => pageServer.listen(0, '127.0.0.1', resolve));
const pagePort = (pageServer.address() as { port: number }).port;
const pageUrl = `http://127.0.0.1:${pagePort}/`;
process.env['CORS_DOCTOR_TEST_APP_ORIGIN'] = `http://127.0.0.1:${pagePort}`;
const { CASES, NGINX_CASES, nginxSkip, pageRequest } = await import('./framework-cases.ts');
const { runCheck } = await import('../../src/probe/check.ts');

describe('check agrees with Chromium on the real-framework cases', { skip }, () => {
  let chromium: ChromiumEngine;
  before(async () => {
    chromium = await launchChromium();
  });
  after(async () => {
    await chromium?.close();
    await new Promise<void>((r) => {
      pageServer.closeAllConnections();
      pageServer.close(() => r());
    });
  });
  const cases = [...CASES, ...(nginxSkip ? [] : NGINX_CASES)].filter(
    (c) => c.page === undefined && c.request?.mode !== 'no-cors',
  );
  for (const c of cases) {
    test(c.name, async () => {
      const app = await c.start();
      try {
        const request = pageRequest(c, app.base);
        const report = await runCheck({ request, expose: [] }, { timeoutMs: 8000, noProbes: true });
        const seen = await chromium.run(pageUrl, {
          initiator: 'fetch',
          url: request.url,
          method: request.method,
          headers: request.headers.map(([n, v]) => [n, v]),
          credentials: request.credentials,
          mode: request.mode,
        });
        const why = `${c.name}\nmodel: ${report.browser.chrome ?? report.browser.netError}\nchromium: ${seen.consoleLines.join(' | ')} ${seen.netError ?? ''}`;
        assert.equal(report.browser.allowed, seen.ok, `allowed\n${why}`);
        if (seen.corsErrorStatus)
          assert.equal(report.browser.corsError, seen.corsErrorStatus.corsError, `corsError\n${why}`);
        if (!seen.ok && seen.consoleLines.length > 0 && report.browser.chrome !== null)
          assert.ok(seen.consoleLines.includes(report.browser.chrome), `console line\n${why}`);
      } finally {
        await app.close();
      }
    });
  }
});
