/**
 * WebKit as a third judge. Real WebKitGTK (Debian's gir1.2-webkit2-4.1 through /usr/bin/python3 under a private
 * Xvfb, one runner for this file; test/harness/webkit.ts) against the pure model's WebKit view
 * (src/browser/engines/webkit.ts):
 *
 * 1. the WebKit suite's own cases (./webkit-cases.ts), one per step of WebKit's decision order, whose recorded
 *    wire (what the scenario server received and answered) is replayed into `webkitView`;
 * 2. the shared scenario table (test/scenarios), the same one Chromium and Firefox run, through the model's
 *    `simulate` (./webkit-shared.ts), when the table is present.
 *
 * Per case: blocked or not, the preflight as received, readable headers, and WebKit's console lines in print
 * order. RECORD=1 writes test/fixtures/engine-lines/webkit.json.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { webkitView } from '../../src/browser/engines/webkit.ts';
import type { Exchange, PageRequest } from '../../src/browser/types.ts';
import { missingEngine } from '../harness/engine.ts';
import {
  type ReceivedRequest,
  type ScenarioServer,
  scriptedResponse,
  startScenarioServer,
} from '../harness/scenario-server.ts';
import { launchWebKit, type WebKitEngine, webkitUnavailable } from '../harness/webkit.ts';
import { WEBKIT_CASES } from './webkit-cases.ts';
import {
  type EngineLinesRecord,
  preflightFields,
  runSharedScenarios,
  sharedScenariosAvailable,
} from './webkit-shared.ts';

const why = webkitUnavailable();
const skip = why === null ? false : missingEngine('webkit', why);
const FETCH_ERROR = 'TypeError: Load failed';
const XHR_ERROR = 'XMLHttpRequest error (status 0)';

let wk: WebKitEngine | undefined;
const records: EngineLinesRecord[] = [];

/** A loopback port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const address = srv.address();
  await new Promise<void>((resolve) => srv.close(() => resolve()));
  return typeof address === 'object' && address ? address.port : 9;
}

/** What the server received and answered, as the model's Exchanges. */
function toExchanges(
  server: ScenarioServer,
  runId: string,
  routes: Parameters<ScenarioServer['script']>[1],
  received: ReceivedRequest[],
): Exchange[] {
  return received.map((r) => {
    const preflightRequest =
      r.method === 'OPTIONS' && r.headers.some(([n]) => n.toLowerCase() === 'access-control-request-method');
    const { response } = scriptedResponse(routes, server.origins, runId, r.origin, r.method, r.path);
    return {
      request: {
        purpose: preflightRequest ? 'preflight' : 'actual',
        method: r.method,
        url: `${server.origins[r.origin]}/r/${runId}${r.path}`,
        headers: r.headers,
        withCredentials: r.headers.some(([n]) => n.toLowerCase() === 'cookie'),
      },
      response: {
        kind: 'response',
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      },
    };
  });
}

describe('webkit (real) vs the model’s WebKit view', { skip }, () => {
  let server: ScenarioServer;
  let refusedPort = 9;
  before(async () => {
    server = await startScenarioServer();
    refusedPort = await closedPort();
    wk = await launchWebKit();
    console.log(`webkit: WebKitGTK ${wk.version}`);
  });
  after(async () => {
    const pids = wk?.pids() ?? [];
    await wk?.close();
    // close() ends what launchWebKit started: Xvfb and the runner (WebKit's own processes follow the runner).
    for (const pid of pids)
      assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `pid ${pid} still running`);
    await server?.close();
    if (process.env['RECORD'] === '1' && records.length > 0) {
      const dir = new URL('../fixtures/engine-lines/', import.meta.url);
      mkdirSync(dir, { recursive: true });
      writeFileSync(new URL('webkit.json', dir), `${JSON.stringify(records, null, 2)}\n`);
    }
  });

  describe('own cases (decision order, browser-truth §3)', () => {
    for (const c of WEBKIT_CASES) {
      test(c.name, async () => {
        assert.ok(wk);
        const runId = `wk-own-${c.name}`;
        server.script(runId, c.routes);
        const { target, ...call } = c.call;
        const base = target === 'refused' ? `http://127.0.0.1:${refusedPort}` : server.origins.api;
        const url = `${base}/r/${runId}/data`;
        const real = await wk.run(server.pageUrl, { ...call, url });
        const received = server.received(runId);
        server.forget(runId);
        assert.deepEqual(
          received.filter((r) => r.unscripted).map((r) => `${r.method} ${r.path}`),
          [],
          'every request WebKit sent was scripted',
        );
        const request: PageRequest = {
          url,
          origin: server.origins.page,
          method: call.method,
          headers: call.headers,
          credentials: call.credentials,
          mode: call.mode,
          initiator: call.initiator,
          ...(call.redirect ? { redirect: call.redirect } : {}),
        };
        const exchanges = toExchanges(server, runId, c.routes, received);
        if (target === 'refused') {
          const pre = call.method !== 'GET';
          exchanges.push({
            request: {
              purpose: pre ? 'preflight' : 'actual',
              method: pre ? 'OPTIONS' : call.method,
              url,
              headers: [],
              withCredentials: false,
            },
            response: { kind: 'network-error', netError: 'net::ERR_CONNECTION_REFUSED' },
          });
        }
        const view = webkitView(request, exchanges, real.ok);

        assert.ok(view.complete, 'the recorded wire answers every request WebKit makes');
        assert.equal(real.ok, view.allowed, 'allowed');
        assert.deepEqual(real.consoleLines, view.lines, 'console lines in order');
        // A CORS block is a SECURITY error, then the JS error naming the URL.
        const cors = real.messages.filter((m) => !m.text.startsWith('Refused to set unsafe header'));
        if (cors.length === 2)
          assert.deepEqual(
            cors.map((m) => `${m.source} ${m.level}`),
            ['SECURITY ERROR', 'JS ERROR'],
          );
        // WebKit's own requests, as the view predicts them: same count, same order, same preflight fields.
        assert.deepEqual(
          view.requests.map((r) => `${r.purpose} ${r.method} ${r.url}`),
          exchanges
            .filter((e) => e.response.kind === 'response')
            .map((e) => `${e.request.purpose} ${e.request.method} ${e.request.url}`)
            .concat(
              target === 'refused'
                ? [`${view.requests.at(-1)?.purpose} ${view.requests.at(-1)?.method} ${url}`]
                : [],
            ),
          'requests on the wire',
        );
        if (!real.ok && call.mode !== 'no-cors') {
          assert.equal(
            real.jsError,
            call.initiator === 'xhr' ? XHR_ERROR : FETCH_ERROR,
            'what the script sees',
          );
        }
        // The preflight as WebKit sent it: Access-Control-Request-Headers lower-cased, sorted, comma-joined.
        const preflights = exchanges.filter(
          (e) => e.request.purpose === 'preflight' && e.response.kind === 'response',
        );
        const predicted = view.requests.filter((r) => r.purpose === 'preflight');
        preflights.forEach((p, i) => {
          assert.deepEqual(
            preflightFields(p.request.headers),
            preflightFields(predicted[i]?.headers ?? []),
            'preflight as received',
          );
        });
        if (c.readable) assert.deepEqual(real.readableHeaders, c.readable, 'readable headers');
        records.push({
          scenario: `webkit/${c.name}`,
          request: {
            url,
            origin: request.origin,
            method: request.method,
            headers: call.headers,
            credentials: call.credentials,
            initiator: call.initiator,
          },
          allowed: real.ok,
          corsError: null,
          failedParameter: '',
          lines: real.consoleLines,
        });
      });
    }
  });

  describe('shared scenario table (same as Chromium and Firefox)', {
    skip: sharedScenariosAvailable() ? false : 'test/scenarios not there yet',
  }, () => {
    test('every scenario agrees with real WebKit', async () => {
      assert.ok(wk);
      const summary = await runSharedScenarios(wk, server, records);
      console.log(`webkit agreement: ${summary.agree}/${summary.total}`);
      for (const d of summary.disagreements) console.log(`  DISAGREE ${d}`);
      for (const d of summary.engineDifferences) console.log(`  webkit≠chromium ${d}`);
      for (const d of summary.incomplete)
        console.log(`  simulate() alone cannot judge (WebKit-only request): ${d}`);
      assert.deepEqual(summary.disagreements, []);
    });
  });
});
