/**
 * The model's Firefox view replayed, without a browser, against what real Firefox did: every record of
 * test/fixtures/engine-lines/firefox.json (written by `RECORD=1` runs of firefox-differential.test.ts) holds
 * the page request, Firefox's real round trips and its console lines with keys. `firefoxDecision` on those
 * round trips must give the same verdict and the same lines; `firefoxPreflight` the same preflight.
 * Plus the decision-order facts that need no server at all.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import {
  FIREFOX_TEMPLATES,
  firefoxCorsCheck,
  firefoxDecision,
  firefoxPreflight,
  firefoxView,
} from '../../src/browser/engines/firefox.ts';
import type { Exchange, PageRequest } from '../../src/browser/types.ts';
import type { EngineLinesRecord } from './firefox-shared.ts';

const fixture = new URL('../fixtures/engine-lines/firefox.json', import.meta.url);
const records: EngineLinesRecord[] = existsSync(fixture) ? JSON.parse(readFileSync(fixture, 'utf8')) : [];
const replayable = records.filter((r) => r.pageRequest && r.wire);

describe('Firefox view replayed against recorded real Firefox', () => {
  test('the fixture is there and replayable', () => {
    assert.ok(replayable.length >= 100, `expected ≥100 replayable records, found ${replayable.length}`);
  });
  for (const r of replayable) {
    test(r.scenario, () => {
      const d = firefoxDecision(r.pageRequest!, r.wire!);
      assert.equal(d.allowed, r.allowed, 'allowed');
      assert.deepEqual(
        d.lines.map((l) => [l.key, l.level, l.text]),
        r.lines.map((text, i) => [r.keys[i], r.levels[i], text]),
      );
      const pre = firefoxPreflight(r.pageRequest!);
      if (r.preflight === undefined) return; // no server was reached: nothing to compare
      assert.equal(pre !== null, r.preflight !== null, 'preflight sent');
      if (pre && r.preflight) {
        assert.equal(r.preflight['access-control-request-method'], pre.method);
        assert.equal(r.preflight['access-control-request-headers'] ?? '', pre.headerNames.join(','));
        assert.equal(r.preflight['origin'], r.pageRequest!.origin);
      }
    });
  }
});

const PAGE = 'https://app.example.test';
const API = 'https://api.example.test/data';
const req = (over: Partial<PageRequest> = {}): PageRequest => ({
  url: API,
  origin: PAGE,
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  ...over,
});
const actual = (headers: [string, string][], status = 200): Exchange => ({
  request: {
    purpose: 'actual',
    method: 'GET',
    url: API,
    headers: [['Origin', PAGE]],
    withCredentials: false,
  },
  response: { kind: 'response', status, headers },
});

describe('Firefox decision order (pure)', () => {
  test('every template has the common prefix or the warning prefix, and its quotes', () => {
    for (const [key, t] of Object.entries(FIREFOX_TEMPLATES)) {
      assert.match(t, /^Cross-Origin Request (Blocked|Warning): /, key);
      assert.ok(t.includes('%1$S'), key);
    }
    assert.ok(FIREFOX_TEMPLATES.CORSNotSupportingCredentials.includes('‘%1$S’'));
  });

  test('two exactly-named Allow-Origin lines: multiple; one comma-joined line: mismatch quoting the value', () => {
    const two = firefoxCorsCheck(
      {
        status: 200,
        headers: [
          ['Access-Control-Allow-Origin', PAGE],
          ['Access-Control-Allow-Origin', PAGE],
        ],
      },
      API,
      PAGE,
      false,
    );
    assert.equal(two?.key, 'CORSMultipleAllowOriginNotAllowed');
    const joined = firefoxCorsCheck(
      { status: 200, headers: [['Access-Control-Allow-Origin', `${PAGE}, https://b.test`]] },
      API,
      PAGE,
      false,
    );
    assert.equal(joined?.key, 'CORSAllowOriginNotMatchingOrigin');
    assert.ok(joined?.text.endsWith(`does not match ‘${PAGE}, https://b.test’).`));
  });

  test('missing Allow-Origin reports the status; a final response gives one line only', () => {
    const d = firefoxDecision(req(), [actual([], 503)]);
    assert.equal(d.allowed, false);
    assert.deepEqual(
      d.lines.map((l) => l.text),
      [
        `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${API}. (Reason: CORS header ‘Access-Control-Allow-Origin’ missing). Status code: 503.`,
      ],
    );
  });

  test('`*` covering Authorization: allowed with the warning; Chromium blocks, so the view says so', () => {
    const ex: Exchange[] = [
      {
        request: {
          purpose: 'preflight',
          method: 'OPTIONS',
          url: API,
          headers: [
            ['Origin', PAGE],
            ['Access-Control-Request-Method', 'GET'],
            ['Access-Control-Request-Headers', 'authorization'],
          ],
          withCredentials: false,
        },
        response: {
          kind: 'response',
          status: 204,
          headers: [
            ['Access-Control-Allow-Origin', '*'],
            ['Access-Control-Allow-Headers', '*'],
          ],
        },
      },
    ];
    const view = firefoxView(req({ headers: [['Authorization', 'Bearer x']] }), ex, false);
    assert.equal(view.allowed, true);
    assert.match(
      view.lines[0] ?? '',
      /^Cross-Origin Request Warning: .*`Authorization` header is not covered/,
    );
    assert.match(view.difference ?? '', /Authorization/);
  });

  test('User-Agent is a CORS-unsafe header in Firefox (forbidden in Chromium): a preflight', () => {
    assert.deepEqual(firefoxPreflight(req({ headers: [['User-Agent', 'x']] })), {
      method: 'GET',
      headerNames: ['user-agent'],
    });
    assert.equal(firefoxPreflight(req({ headers: [['DPR', '2']] }))?.headerNames[0], 'dpr');
    assert.equal(firefoxPreflight(req({ headers: [['Content-Type', 'text/plain;charset=utf-8']] })), null);
    assert.equal(firefoxPreflight(req({ method: 'patch' }))?.method, 'patch');
    assert.equal(firefoxPreflight(req({ method: 'put' }))?.method, 'PUT');
  });
});
