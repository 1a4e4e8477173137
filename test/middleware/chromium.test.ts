/**
 * End-to-end proof in a real browser (Debian's Chromium): a page on one loopback origin calls an API
 * on another, served by each adapter. The browser, not our own assertions on headers, judges:
 * credentialed preflighted requests pass, error responses (401, 404, 500) stay readable by the page,
 * refused requests fail, and debug mode makes Chromium's console line name the refused method.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { type ChromiumEngine, chromiumAvailable, launchChromium } from '../harness/chromium.ts';
import { missingEngine, type PageCall } from '../harness/engine.ts';
import { ADAPTERS, type RunningApp, startApp } from './apps.ts';

const skip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');

describe('Chromium end to end', { skip }, () => {
  let engine: ChromiumEngine;
  let pageServer: Server;
  let pageOrigin = '';
  const apps = new Map<string, RunningApp>();
  let debugApp: RunningApp;

  before(async () => {
    pageServer = createServer((_req, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><title>page</title>');
    });
    pageServer.listen(0, '127.0.0.1');
    await once(pageServer, 'listening');
    pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
    const policy = {
      origins: [pageOrigin],
      credentials: true,
      methods: ['PUT'],
      allowedHeaders: ['authorization', 'content-type'],
      exposedHeaders: ['x-request-id'],
    };
    for (const adapter of ADAPTERS) apps.set(adapter, await startApp(adapter, policy));
    debugApp = await startApp('express', { ...policy, debug: true });
    engine = await launchChromium();
  });
  after(async () => {
    await engine?.close();
    for (const app of apps.values()) await app.close();
    await debugApp?.close();
    pageServer.closeAllConnections();
    await new Promise((r) => pageServer.close(r));
  });

  const call = (url: string, method: string, headers: [string, string][] = []): PageCall => ({
    initiator: 'fetch',
    url,
    method,
    headers,
    credentials: 'include',
    mode: 'cors',
  });

  for (const adapter of ADAPTERS) {
    test(`${adapter}: the browser allows what the policy allows, including error responses`, async () => {
      const api = apps.get(adapter)!.url;
      const page = `${pageOrigin}/`;
      const put = await engine.run(page, call(`${api}/auth`, 'PUT', [['Authorization', 'Bearer t']]));
      assert.equal(put.ok, true, `${put.jsError} ${put.consoleLines.join(' | ')}`);
      assert.equal(put.status, 200);
      assert.ok(put.readableHeaders.includes('x-request-id'), put.readableHeaders.join(','));
      for (const [path, status] of [
        ['/auth', 401],
        ['/missing', 404],
        ['/throw', 500],
      ] as const) {
        const r = await engine.run(page, call(`${api}${path}`, 'GET'));
        assert.equal(r.ok, true, `${path}: ${r.jsError} ${r.consoleLines.join(' | ')}`);
        assert.equal(r.status, status);
      }
      const refused = await engine.run(page, call(`${api}/ok`, 'PUT', [['X-Secret', '1']]));
      assert.equal(refused.ok, false);
      assert.equal(refused.corsErrorStatus?.corsError, 'PreflightMissingAllowOriginHeader');
    });
  }

  test('debug mode: Chromium names the refused method in its console line', async () => {
    const r = await engine.run(`${pageOrigin}/`, call(`${debugApp.url}/ok`, 'DELETE'));
    assert.equal(r.ok, false);
    assert.equal(r.corsErrorStatus?.corsError, 'MethodDisallowedByPreflightResponse');
    assert.ok(
      r.consoleLines.some((l) =>
        l.includes('Method DELETE is not allowed by Access-Control-Allow-Methods in preflight response.'),
      ),
      r.consoleLines.join('\n'),
    );
  });
});
