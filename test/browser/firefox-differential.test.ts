/**
 * Firefox as a second judge. Real headless Firefox (Debian firefox-esr over WebDriver BiDi, one launch for
 * this file) against the pure model's Firefox view (src/browser/engines/firefox.ts):
 *
 * 1. the Firefox suite's own cases (test/browser/firefox-cases.ts), one per step of Firefox's decision order,
 *    on a small loopback server whose recorded wire is replayed into `firefoxDecision`;
 * 2. the shared scenario table (test/scenarios), the same one Chromium and WebKit run, through `simulate`
 *    (see firefox-shared.ts), when the table is present.
 *
 * Per case: blocked or not, the preflight as received, readable headers, and every CORS console line with
 * its message key and level, in print order. RECORD=1 writes test/fixtures/engine-lines/firefox.json.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { firefoxDecision } from '../../src/browser/engines/firefox.ts';
import { SAFELISTED_RESPONSE_HEADERS } from '../../src/browser/response-headers.ts';
import type { PageRequest } from '../../src/browser/types.ts';
import { missingEngine } from '../harness/engine.ts';
import {
  type FirefoxEngine,
  type FirefoxResult,
  firefoxAvailable,
  launchFirefox,
} from '../harness/firefox.ts';
import { type ScenarioServer, startScenarioServer } from '../harness/scenario-server.ts';
import { FIREFOX_CASES } from './firefox-cases.ts';
import { type EngineLinesRecord, runSharedScenarios, sharedScenariosAvailable } from './firefox-shared.ts';
import { startWireServer, toExchanges, type WireServer } from './firefox-wire.ts';

const skip = firefoxAvailable() ? false : missingEngine('firefox', 'no /usr/bin/firefox-esr');
const FETCH_ERROR = 'TypeError: NetworkError when attempting to fetch resource.';
const SAFELISTED: readonly string[] = SAFELISTED_RESPONSE_HEADERS;
let ff: FirefoxEngine | undefined;
const records: EngineLinesRecord[] = [];

describe('firefox (real) vs the model’s Firefox view', { skip }, () => {
  let srv: WireServer;
  before(async () => {
    srv = await startWireServer();
    ff = await launchFirefox();
  });
  after(async () => {
    await ff?.close();
    await srv?.close();
    if (process.env['RECORD'] === '1' && records.length > 0) {
      const path = new URL('../fixtures/engine-lines/firefox.json', import.meta.url);
      // One record per line: a re-recording diffs scenario by scenario.
      writeFileSync(path, `[\n${records.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`);
    }
  });

  describe('own cases (decision order, §2.2)', () => {
    for (const c of FIREFOX_CASES) {
      test(c.name, async () => {
        assert.ok(ff);
        srv.add(c);
        const base = c.call.target === 'refused' ? srv.refused : srv.api;
        const { target: _target, ...call } = c.call;
        const url = `${base}/s/${c.name}/actual`;
        const real: FirefoxResult = await ff.run(`${srv.pageOrigin}/`, { ...call, url });
        const received = srv.received(c.name);
        const request: PageRequest = {
          url,
          origin: srv.pageOrigin,
          method: call.method,
          headers: call.headers,
          credentials: call.credentials,
          mode: call.mode,
          initiator: call.initiator,
        };
        const exchanges = toExchanges(received, srv);
        if (c.call.target === 'refused') {
          // Nothing reached a server: the model is told the connection failed.
          const pre = call.method === 'PUT';
          exchanges.push({
            request: {
              purpose: pre ? 'preflight' : 'actual',
              method: pre ? 'OPTIONS' : 'GET',
              url,
              headers: [],
              withCredentials: false,
            },
            response: { kind: 'network-error', netError: 'net::ERR_CONNECTION_REFUSED' },
          });
        }
        const model = firefoxDecision(request, exchanges);
        const firstPreflight = received.find((r) => r.purpose === 'preflight');
        records.push({
          scenario: `firefox-own/${c.name}`,
          request: {
            url,
            origin: srv.pageOrigin,
            method: call.method,
            headers: call.headers,
            credentials: call.credentials,
            initiator: call.initiator,
          },
          allowed: real.ok,
          corsError: null,
          failedParameter: '',
          lines: real.messages.map((m) => m.text),
          keys: real.messages.map((m) => m.key),
          levels: real.messages.map((m) => m.level),
          pageRequest: request,
          wire: exchanges.map((e) => ({
            ...e,
            request: {
              ...e.request,
              headers: e.request.headers.filter(([h]) => /^(origin|access-control-request-)/i.test(h)),
            },
          })),
          // Nothing reached a server for the refused cases: no preflight evidence either way.
          preflight:
            c.call.target === 'refused'
              ? undefined
              : firstPreflight
                ? Object.fromEntries(
                    ['origin', 'access-control-request-method', 'access-control-request-headers'].map((h) => [
                      h,
                      firstPreflight.headers.find(([n]) => n.toLowerCase() === h)?.[1] ?? null,
                    ]),
                  )
                : null,
        });

        assert.equal(real.ok, model.allowed, 'allowed');
        assert.deepEqual(
          real.messages.map((m) => ({ key: m.key, level: m.level, text: m.text })),
          model.lines.map((l) => ({ key: l.key, level: l.level, text: l.text })),
          'console lines (key, level, text) in order',
        );
        // BiDi log.entryAdded carries the errors verbatim, never the warning.
        assert.deepEqual(
          real.bidiLines,
          model.lines.filter((l) => l.level === 'error').map((l) => l.text),
          'BiDi log.entryAdded lines',
        );
        if (!real.ok) {
          assert.equal(real.jsError, call.initiator === 'xhr' ? 'XMLHttpRequest error event' : FETCH_ERROR);
        }
        // Preflight sent exactly when the case scripts one (and a server was there to receive it).
        const preflights = received.filter((r) => r.purpose === 'preflight');
        assert.equal(
          preflights.length,
          c.replies.preflight && c.call.target !== 'refused' ? 1 : 0,
          'preflight sent',
        );
        if (real.ok && real.responseType === 'cors') {
          const final = received.at(-1)?.reply.headers ?? [];
          const exposed = final
            .filter(([n]) => n.toLowerCase() === 'access-control-expose-headers')
            .flatMap(([, v]) => v.split(',').map((s) => s.trim().toLowerCase()));
          const sent = ['cache-control', 'content-type', ...final.map(([n]) => n.toLowerCase())];
          const expected = [
            ...new Set(sent.filter((n) => SAFELISTED.includes(n) || exposed.includes(n))),
          ].sort();
          assert.deepEqual(real.readableHeaders, expected, 'readable headers');
        }
      });
    }
  });

  describe('shared scenario table (same as Chromium and WebKit)', {
    skip: sharedScenariosAvailable() ? false : 'test/scenarios not there yet',
  }, () => {
    test('every scenario agrees with real Firefox', async () => {
      assert.ok(ff);
      const server: ScenarioServer = await startScenarioServer();
      const filter = process.env['FF_ONLY'];
      const summary = await runSharedScenarios(
        ff,
        server,
        records,
        filter ? (s) => s.name.includes(filter) : undefined,
      ).finally(() => server.close());
      console.log(`firefox ${ff.version} agreement: ${summary.agree}/${summary.total}`);
      for (const d of summary.disagreements) console.log(`  DISAGREE ${d}`);
      for (const d of summary.engineDifferences) console.log(`  firefox≠chromium ${d}`);
      console.log(
        `simulate's Firefox view (from Chromium's round trips) exact: ${summary.productAgree}/${summary.total}`,
      );
      for (const d of summary.productNotes) console.log(`  product-note ${d}`);
      assert.deepEqual(summary.disagreements, []);
    });
  });
});
