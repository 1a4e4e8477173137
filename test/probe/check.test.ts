/**
 * runCheck's own machinery with the real browser model and real loopback servers: the browser's
 * exchanges in order, probes run concurrently and reach the diagnosis by name, the deadline holds against
 * a hanging server, the report has DESIGN.md's shape. The rules here are small fixtures of this test (the
 * project's real rules are tested end to end in test/check/).
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { simulate } from '../../src/browser/simulate.ts';
import type { DiagnosisContext, Finding, Rule } from '../../src/diagnosis/types.ts';
import { type CheckDeps, collectProbes, exitCodeFor, runCheck } from '../../src/probe/check.ts';
import { hostile, listen, type Running } from './hostile.ts';

const finding = (id: Finding['id'], severity: Finding['severity'], detail: string): Finding => ({
  id,
  mistake: null,
  severity,
  title: id,
  detail,
  evidence: [],
  fix: { summary: 'fix it', snippets: {} },
});

/** Reports `origin-reflected` when the probe from an attacker origin was allowed. */
const reflectRule: Rule = {
  name: 'test-reflect',
  probes: (input) => [
    {
      name: 'attacker',
      purpose: 'does an arbitrary origin get in?',
      request: { ...input.request, origin: 'https://attacker.test' },
    },
  ],
  detect: () => [],
};

function deps(rules: Rule[], seen?: (ctx: DiagnosisContext) => void): CheckDeps {
  return {
    simulate,
    rules,
    diagnose: (ctx) => {
      seen?.(ctx);
      const out: Finding[] = [];
      if (ctx.probes.get('attacker')?.allowed)
        out.push({ ...finding('origin-reflected', 'security', 'reflected'), probes: ['attacker'] });
      if (!ctx.main.allowed) out.push(finding('missing-allow-origin', 'error', 'blocked'));
      out.push(finding('missing-vary-origin', 'warning', 'no vary'));
      return out;
    },
  };
}

describe('runCheck pipeline', () => {
  let api: Running;
  const requests: { method: string; origin: string }[] = [];
  const waiting: (() => void)[] = [];
  before(async () => {
    api = await listen(
      http.createServer((req, res) => {
        requests.push({ method: req.method ?? '', origin: String(req.headers.origin) });
        const url = new URL(req.url ?? '/', 'http://x');
        const origin = req.headers.origin ?? '';
        if (url.pathname === '/reflect') {
          res.writeHead(req.method === 'OPTIONS' ? 204 : 200, {
            'Access-Control-Allow-Origin': origin,
            'Access-Control-Allow-Methods': 'GET, PUT',
            'Access-Control-Allow-Headers': 'content-type',
          });
        } else if (url.pathname === '/barrier') {
          // Answers nobody until seven requests are waiting: a check that sent its probes only after
          // the page's request had been answered would never get past this.
          waiting.push(() => {
            res.writeHead(200, { 'Access-Control-Allow-Origin': origin });
            res.end();
          });
          if (waiting.length >= 7) for (const release of waiting.splice(0)) release();
          return;
        } else res.writeHead(200);
        res.end('{}');
      }),
    );
  });
  after(() => api.close());

  test('preflight then actual request, each recorded raw with its purpose; JSON-able report', async () => {
    const report = await runCheck(
      {
        request: {
          url: `${api.url}/reflect`,
          origin: 'https://app.example.com',
          method: 'PUT',
          headers: [['Content-Type', 'application/json']],
          credentials: 'same-origin',
          mode: 'cors',
        },
        expose: [],
      },
      { deps: deps([reflectRule]), timeoutMs: 5000, unsafeProbes: true },
    );
    assert.equal(report.schemaVersion, 1);
    assert.equal(report.browser.allowed, true);
    assert.equal(report.browser.preflight, true);
    assert.equal(report.browser.corsError, null);
    assert.deepEqual(
      report.exchanges.map((x) => x.purpose),
      ['preflight', 'actual', 'probe:attacker', 'probe:attacker'],
    );
    const pre = report.exchanges[0]!;
    assert.equal(pre.request.method, 'OPTIONS');
    assert.ok(pre.request.headers.some(([n, v]) => n === 'Access-Control-Request-Method' && v === 'PUT'));
    assert.ok('status' in pre.response && pre.response.status === 204);
    // Findings sorted most blocking first; the attacker probe reached the diagnosis.
    assert.deepEqual(
      report.findings.map((f) => f.id),
      ['origin-reflected', 'missing-vary-origin'],
    );
    assert.equal(exitCodeFor(report), 1);
    assert.deepEqual(report.probes, [
      {
        name: 'attacker',
        purpose: 'does an arbitrary origin get in?',
        completed: true,
        allowed: true,
        stoppedAfterPreflight: false,
      },
    ]);
    assert.equal(report.stats.requests, 4);
    const json = JSON.parse(JSON.stringify(report));
    assert.deepEqual(Object.keys(json.browser).slice(0, 4), [
      'allowed',
      'preflight',
      'corsError',
      'failedParameter',
    ]);
  });

  test('probes never repeat a data-changing request unless asked: the preflight goes, the PUT does not', async () => {
    requests.length = 0;
    const report = await runCheck(
      {
        request: {
          url: `${api.url}/reflect`,
          origin: 'https://app.example.com',
          method: 'PUT',
          headers: [['Content-Type', 'application/json']],
          credentials: 'same-origin',
          mode: 'cors',
        },
        expose: [],
      },
      { deps: deps([reflectRule]), timeoutMs: 5000, allProbes: true },
    );
    assert.deepEqual(requests.map((r) => `${r.method} ${r.origin}`).sort(), [
      'OPTIONS https://app.example.com',
      'OPTIONS https://attacker.test',
      'PUT https://app.example.com',
    ]);
    const held = report.exchanges.find((x) => x.purpose === 'probe:attacker' && x.request.method === 'PUT');
    assert.ok(held && 'error' in held.response && held.response.error.code === 'PROBE_NOT_SENT');
    assert.equal(report.browser.allowed, true, 'the page request itself did go out');
    assert.equal(report.probes[0]?.stoppedAfterPreflight, true);
    assert.equal(report.stats.requests, requests.length, 'the held PUT is not counted as sent');
  });

  test('a blocked request: corsError, the Chrome line, exit code 1', async () => {
    const report = await runCheck(
      {
        request: {
          url: `${api.url}/plain`,
          origin: 'https://app.example.com',
          method: 'GET',
          headers: [],
          credentials: 'same-origin',
          mode: 'cors',
        },
        expose: [],
      },
      { deps: deps([]), timeoutMs: 5000 },
    );
    assert.equal(report.browser.allowed, false);
    assert.equal(report.browser.corsError, 'MissingAllowOriginHeader');
    assert.match(report.browser.chrome ?? '', /No 'Access-Control-Allow-Origin' header is present/);
    // browser.firefox / browser.safari hold one line each (Firefox's first, WebKit's reason line);
    // the *Lines arrays keep everything each engine prints, in order.
    assert.equal(report.browser.firefox, report.browser.firefoxLines[0]);
    assert.match(
      report.browser.firefox ?? '',
      /\(Reason: CORS header ‘Access-Control-Allow-Origin’ missing\)/,
    );
    assert.equal(
      report.browser.safari,
      'Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200',
    );
    assert.deepEqual(report.browser.safariLines, [
      'Origin https://app.example.com is not allowed by Access-Control-Allow-Origin. Status code: 200',
      `Fetch API cannot load ${api.url}/plain due to access control checks.`,
    ]);
    assert.equal(exitCodeFor(report), 1);
  });

  test('the probes run at the same time as the page request, not after it', async () => {
    requests.length = 0;
    const many: Rule = {
      name: 'many',
      probes: (input) =>
        Array.from({ length: 6 }, (_, i) => ({
          name: `p${i}`,
          purpose: 'parallel',
          request: { ...input.request, origin: `https://o${i}.test` },
        })),
      detect: () => [],
    };
    const report = await runCheck(
      {
        request: {
          url: `${api.url}/barrier`,
          origin: 'https://app.example.com',
          method: 'GET',
          headers: [],
          credentials: 'same-origin',
          mode: 'cors',
        },
        expose: [],
      },
      { deps: deps([many]), timeoutMs: 5000, allProbes: true },
    );
    assert.equal(report.browser.allowed, true);
    assert.equal(report.stats.timedOut, false);
    assert.equal(report.probes.filter((p) => p.completed).length, 6);
    assert.equal(requests.length, 7);
  });

  test('a hanging server: the check ends at its deadline with a net error, probes dropped', async () => {
    const hang = await hostile.hang();
    let probesSeen = -1;
    try {
      const report = await runCheck(
        {
          request: {
            url: `${hang.url}/x`,
            origin: 'https://app.example.com',
            method: 'GET',
            headers: [],
            credentials: 'same-origin',
            mode: 'cors',
          },
          expose: [],
        },
        {
          deps: deps([reflectRule], (ctx) => (probesSeen = ctx.probes.size)),
          timeoutMs: 400,
          allProbes: true,
        },
      );
      assert.equal(report.browser.allowed, false);
      assert.equal(report.browser.netError, 'net::ERR_TIMED_OUT');
      assert.equal(report.stats.timedOut, true);
      assert.equal(probesSeen, 0);
      assert.deepEqual(report.probes[0], {
        name: 'attacker',
        purpose: 'does an arbitrary origin get in?',
        completed: false,
        allowed: null,
        stoppedAfterPreflight: false,
      });
      const err = report.exchanges[0]!.response;
      assert.ok('error' in err && err.error.code === 'TIMEOUT');
    } finally {
      await hang.close();
    }
  });

  test('a probe shows up in the report only when a finding rests on it (--all-probes shows every one)', async () => {
    const quiet: Rule = {
      name: 'quiet',
      probes: (input) => [{ name: 'found-nothing', purpose: 'never used', request: input.request }],
      detect: () => [],
    };
    const input = {
      request: {
        url: `${api.url}/reflect`,
        origin: 'https://app.example.com',
        method: 'GET',
        headers: [],
        credentials: 'same-origin' as const,
        mode: 'cors' as const,
      },
      expose: [],
    };
    const report = await runCheck(input, { deps: deps([reflectRule, quiet]), timeoutMs: 5000 });
    assert.deepEqual(
      report.exchanges.map((x) => x.purpose),
      ['actual', 'probe:attacker'],
    );
    assert.deepEqual(
      report.probes.map((p) => p.name),
      ['attacker'],
    );
    assert.equal(report.stats.probes, 2);
    assert.equal(report.stats.requests, 3, 'the silent probe was still sent');
    const all = await runCheck(input, {
      deps: deps([reflectRule, quiet]),
      timeoutMs: 5000,
      allProbes: true,
    });
    assert.deepEqual(
      all.probes.map((p) => p.name),
      ['attacker', 'found-nothing'],
    );
  });

  test('with the real rules, each finding names the probes it rests on, and only those are reported', async () => {
    const report = await runCheck(
      {
        request: {
          url: `${api.url}/reflect`,
          origin: 'https://app.example.com',
          method: 'GET',
          headers: [],
          credentials: 'same-origin',
          mode: 'cors',
        },
        expose: [],
      },
      { timeoutMs: 5000 },
    );
    const vary = report.findings.find((f) => f.id === 'missing-vary-origin');
    assert.ok(vary?.probes?.includes('origin-arbitrary'), JSON.stringify(vary?.probes));
    const reported = new Set(report.probes.map((p) => p.name));
    const cited = new Set(report.findings.flatMap((f) => f.probes ?? []));
    assert.deepEqual([...reported].sort(), [...cited].sort());
    assert.ok(report.stats.probes > reported.size, 'probes that found nothing are left out');
  });

  test('a probe name asked for by several rules is sent once', () => {
    const a: Rule = {
      name: 'a',
      probes: (i) => [{ name: 'x', purpose: '', request: i.request }],
      detect: () => [],
    };
    const names = collectProbes([a, a, a], {
      request: {
        url: 'http://h/',
        origin: 'null',
        method: 'GET',
        headers: [],
        credentials: 'omit',
        mode: 'cors',
      },
      expose: [],
    }).map((p) => p.name);
    assert.deepEqual(names, ['x']);
  });
});
