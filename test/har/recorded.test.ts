/**
 * The offline analysis judged against real Chromium: HARs recorded from Debian's Chromium running the
 * real-framework cases (test/har/record.ts; DevTools' own export format built from the protocol's
 * Network events, and Playwright's recordHar), with what Chromium decided for each request recorded
 * alongside. Every request: same verdict, same CorsError, the same console line; findings: the corpus
 * label, or (where the evidence lives only in probes a HAR cannot hold) the declared offline reading,
 * with those probes named for --live.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import type { FindingId } from '../../src/catalog/ids.ts';
import { analyzeHar, type HarAnalysis, parseHar } from '../../src/har/index.ts';
import type { Truth } from './record.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/har/${name}`, import.meta.url), 'utf8');
const analyse = (name: string): HarAnalysis => {
  const p = parseHar(fixture(name));
  assert.ok(p.ok, p.ok ? '' : p.problem);
  return analyzeHar(p.har);
};
const truth = JSON.parse(fixture('chromium-truth.json')) as Truth[];

/**
 * Where one recorded exchange cannot show the labelled cause: what the offline analysis reports instead,
 * and why. Each needs a probe the page never sent (so `live.probes` must name one), except where noted.
 */
const OFFLINE: Record<string, { ids: FindingId[]; why: string; noProbe?: true }> = {
  'express: trailing slash in the allow-list': { ids: ['origin-not-allowed'], why: 'near-miss origins' },
  'fastify: www. in the allow-list': { ids: ['origin-not-allowed'], why: 'near-miss origins' },
  'fastify: http:// in the allow-list': { ids: ['origin-not-allowed'], why: 'near-miss origins' },
  'node: explicit :443 in a fixed Allow-Origin': { ids: ['origin-not-allowed'], why: 'near-miss origins' },
  'express: unanchored regex /myshop\\.test$/': { ids: ['origin-not-allowed'], why: 'attacker origins' },
  'express: origin: true with credentials reflects anything': { ids: [], why: 'attacker origins' },
  'fastify: origin: true without credentials': { ids: [], why: 'attacker origins' },
  'koa: credentials: true without origin echoes every origin': { ids: [], why: 'attacker origins' },
  'hono: origin callback returns the origin': { ids: [], why: 'attacker origins' },
  "express: 'null' in the allow-list": { ids: [], why: 'the null origin' },
  'express: localhost left in the production allow-list': { ids: [], why: 'localhost origins' },
  'node: allow-list without Vary, cacheable': { ids: [], why: 'a second origin' },
  'express: authentication before cors() (cookie GET, error without headers)': {
    ids: ['missing-allow-origin'],
    why: 'a signed-in request (the session holds none)',
  },
  'fastify: auth hook before the cors hook': { ids: ['missing-allow-origin'], why: 'a signed-in request' },
  'koa: auth before cors': { ids: ['missing-allow-origin'], why: 'a signed-in request' },
  'express: cors() per route, OPTIONS answered by Express': {
    ids: ['missing-allow-origin'],
    why: 'a simple request to the same URL',
  },
  'express: cors() per route, 404s without headers': { ids: [], why: 'an error path' },
  'koa: keepHeadersOnError: false, thrown 404 loses the headers': { ids: [], why: 'an error path' },
  "hono: cors() on '/api/data' only (siblings 404 without headers)": { ids: [], why: 'an error path' },
  'node: Access-Control-Request-Method set by the front end (dropped by the browser)': {
    ids: [],
    why: 'the browser dropped the header before recording: no HAR shows it',
    noProbe: true,
  },
};

describe('Chromium DevTools-format HAR (sanitized export)', () => {
  const a = analyse('chromium-devtools.har');
  test('every recorded case is found as one cross-origin request', () => {
    assert.equal(a.requests.length, truth.length);
    assert.deepEqual(a.ignored, { 'same-origin': 2 }); // the page and its favicon
  });
  for (const t of truth) {
    test(t.case, () => {
      const r = a.requests.find((x) => x.url === t.url && x.method === t.method);
      assert.ok(r, `no request for ${t.method} ${t.url}`);
      assert.ok(r.verdict, `no verdict: ${r.note}`);
      assert.equal(r.verdict.allowed, t.ok, 'allowed');
      assert.equal(r.verdict.corsError, t.corsError, 'CorsError');
      assert.equal(r.consistent, true);
      if (t.consoleLines.length > 0 && r.verdict.messages.chrome !== null)
        assert.ok(
          t.consoleLines.includes(r.verdict.messages.chrome),
          `console line ${r.verdict.messages.chrome}`,
        );
      const got = r.findings.map((f) => f.id).sort();
      const offline = OFFLINE[t.case];
      if (offline) {
        assert.deepEqual(got, [...offline.ids].sort(), `offline reading (${offline.why})`);
        assert.notDeepEqual(
          got,
          [...t.expect].sort(),
          'declared offline but matches the label: drop it from OFFLINE',
        );
        if (!offline.noProbe) assert.ok(r.live.probes.length > 0, 'names the probes a live check adds');
      } else assert.deepEqual(got, [...t.expect].sort(), 'the corpus label');
      assert.match(r.live.check ?? '', /^cors-doctor check /);
    });
  }
  test('Authorization, dropped by the sanitized export, comes back from the preflight', () => {
    const t = truth.find((x) => x.case === 'express: Authorization not in allowedHeaders')!;
    const r = a.requests.find((x) => x.url === t.url)!;
    assert.ok(r.request.headers.some(([n]) => n.toLowerCase() === 'authorization'));
    assert.equal(r.verdict?.failedParameter.toLowerCase(), 'authorization');
  });
  test("credentials are inferred from the outcome ('*' blocked only with credentials)", () => {
    const t = truth.find((x) => x.case === "express: origin '*' with credentials: true")!;
    const r = a.requests.find((x) => x.url === t.url)!;
    assert.equal(r.request.credentials, 'include');
    assert.equal(r.credentialsFrom, 'recorded-outcome');
  });
});

describe("Playwright's recordHar (no preflights, blocked = status -1 without headers)", () => {
  const a = analyse('chromium-playwright.har');
  test('verdicts agree where the HAR holds the answer; blocked ones without it say so', () => {
    let decided = 0;
    for (const t of truth) {
      const r = a.requests.find((x) => x.url === t.url && x.method === t.method);
      assert.ok(r, t.case);
      if (r.verdict) {
        decided++;
        assert.equal(r.verdict.allowed, t.ok, t.case);
        if (t.ok) assert.equal(r.verdict.corsError, null);
      } else {
        assert.equal(t.ok, false, `${t.case}: only a blocked request lacks its answer`);
        assert.equal(r.recorded.failed, true);
        assert.match(r.note ?? '', /live check/);
      }
    }
    // Playwright keeps a blocked request's answer out: only the allowed ones (and refused connections) decide.
    assert.equal(decided, truth.filter((t) => t.ok).length + 1);
  });
  test('an allowed preflighted request: its preflight is known to have passed', () => {
    const t = truth.find((x) => x.case === 'express: correct allow-list, JSON PUT with Authorization')!;
    const r = a.requests.find((x) => x.url === t.url)!;
    assert.equal(r.preflight.state, 'passed-unrecorded');
    assert.equal(r.verdict?.allowed, true);
  });
});

describe('one session against one server: grouped by cause', () => {
  const a = analyse('chromium-session.har');
  const st = JSON.parse(fixture('chromium-session-truth.json')) as Truth[];
  test('verdicts agree with Chromium', () => {
    for (const t of st) {
      const r = a.requests.find((x) => x.url === t.url && x.method === t.method)!;
      assert.equal(r.verdict?.allowed, t.ok, t.url);
      assert.equal(r.verdict?.corsError ?? null, t.corsError, t.url);
    }
  });
  test('the 401s after the session expired are mistake 4, one group, first', () => {
    const g = a.groups[0]!;
    assert.equal(g.cause, 'headers-missing-on-errors');
    assert.equal(g.mistake, 4);
    assert.equal(g.blocked, 4);
    assert.deepEqual(g.statuses, [401]);
    assert.match(
      g.summary,
      /^4 requests to 127\.0\.0\.1:\d+: mistake 4 \(headers-missing-on-errors\) on the 401s of \/api\/data/,
    );
    for (const i of g.requests) {
      const ids = a.requests[i]!.findings.map((f) => f.id);
      assert.deepEqual(ids, ['headers-missing-on-errors']);
    }
  });
  test('the signed-in and the correct requests are clean', () => {
    for (const t of st.filter((x) => x.expect.length === 0)) {
      const r = a.requests.find((x) => x.url === t.url && x.method === t.method)!;
      assert.deepEqual(
        r.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
        [],
        t.url,
      );
    }
  });
});

describe('Firefox HAR (Network Monitor shape from WebDriver BiDi events; no failure reason, no blocked preflight answer)', () => {
  const a = analyse('firefox.har');
  const ft = JSON.parse(fixture('firefox-truth.json')) as Truth[];
  /**
   * A HAR without cookies and without failure records does not say whether the script asked for
   * credentials: these three are blocked only because it did (Firefox's CORSNotSupportingCredentials,
   * CORSMissingAllowCredentials). The model, fetch's default mode assumed, says allowed.
   */
  const CREDENTIALS_UNKNOWN = new Set([
    "express: origin '*' with credentials: true",
    "hono: origin '*' with credentials",
    "node: Access-Control-Allow-Credentials: 'True'",
  ]);
  test('the writer is known not to record failures', () => {
    assert.ok(a.requests.every((r) => r.recorded.failed !== false));
  });
  for (const t of ft) {
    test(t.case, () => {
      const r = a.requests.find((x) => x.url === t.url && x.method === t.method);
      assert.ok(r, `no request for ${t.method} ${t.url}`);
      if (r.verdict === null) {
        // Only a blocked request lacks its answer (its preflight failed, or nothing listened).
        assert.equal(t.ok, false);
        assert.match(r.note ?? '', /live check/);
        return;
      }
      if (CREDENTIALS_UNKNOWN.has(t.case)) {
        assert.equal(r.verdict.allowed, true);
        assert.equal(t.ok, false);
        assert.match(r.note ?? '', /does not say whether the script sent credentials/);
        return;
      }
      assert.equal(r.verdict.allowed, t.ok, 'allowed');
      if (!t.ok)
        assert.ok(
          r.verdict.messages.firefox.some((l) => t.consoleLines.includes(l)),
          'Firefox console line',
        );
      const got = r.findings.map((f) => f.id).sort();
      const offline = OFFLINE[t.case];
      assert.deepEqual(got, [...(offline?.ids ?? t.expect)].sort());
    });
  }
});

describe('the real-server corpus in Chromium (Flask, Django, Rack, PHP, Go, nginx, Apache, Caddy, HAProxy, Varnish, NestJS)', () => {
  const a = analyse('chromium-corpus.har');
  const ct = JSON.parse(fixture('chromium-corpus-truth.json')) as (Truth & {
    stack: string;
    correct: boolean;
  })[];
  /** Written for the corpus's usual page origin (https://app.myshop.test), not the recording's loopback one. */
  const OTHER_ORIGIN = new Set([
    'flask: origins list in another case (flask-cors matches case-insensitively)',
  ]);
  const used = new Set<HarAnalysis['requests'][number]>();
  const pairs = ct.map((t) => {
    // The same URL recurs when a port is reused by the next case: take them in order.
    const r = a.requests.find((x) => !used.has(x) && x.url === t.url && x.method === t.method);
    if (r) used.add(r);
    return { t, r };
  });
  let exact = 0;
  for (const { t, r } of pairs) {
    test(t.case, () => {
      assert.ok(r, `no request for ${t.method} ${t.url}`);
      assert.ok(r.verdict, `no verdict: ${r.note}`);
      assert.equal(r.verdict.allowed, t.ok, 'allowed');
      assert.equal(r.verdict.corsError, t.corsError, 'CorsError');
      if (t.consoleLines.length > 0 && r.verdict.messages.chrome !== null)
        assert.ok(
          t.consoleLines.includes(r.verdict.messages.chrome),
          `console line ${r.verdict.messages.chrome}`,
        );
      const got = r.findings.map((f) => f.id).sort();
      if (got.join() === [...t.expect].sort().join()) exact++;
      // The noise budget holds offline too: a correct configuration gets no error, security or warning.
      if (t.correct && !OTHER_ORIGIN.has(t.case))
        assert.deepEqual(
          r.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
          [],
          'noise',
        );
      // Where the offline reading is not the label, a live check has probes to add.
      if (got.join() !== [...t.expect].sort().join() && !OTHER_ORIGIN.has(t.case))
        assert.ok(
          r.live.probes.length > 0,
          `offline ${got.join(',') || '(none)'} vs label ${t.expect.join(',')}: no probe named`,
        );
    });
  }
  test('cause agreement (finding ids equal to the label) does not regress', () => {
    if (process.env['HAR_FIGURES'])
      console.log(`corpus: ${exact}/${ct.length} exact offline, ${ct.length} verdicts`);
    assert.ok(exact >= 115, `${exact}/${ct.length}`);
  });
});
