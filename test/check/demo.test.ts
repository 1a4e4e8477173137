/**
 * The demo end to end: the real demo API, the real check on each endpoint; each mistake's endpoint gives
 * its finding id, the correct endpoint gives nothing to worry about, and `demo` exits 0 with its summary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { run } from '../../src/cli/commands/demo.ts';
import type { CommandContext } from '../../src/cli/context.ts';
import { type DemoApi, startDemoApi } from '../../src/demo/api.ts';
import { DEMO_CASES } from '../../src/demo/cases.ts';
import { type DemoResult, runDemoCases } from '../../src/demo/run.ts';

describe('demo endpoints', () => {
  let api: DemoApi;
  let results: DemoResult[];
  before(async () => {
    api = await startDemoApi();
    results = await runDemoCases(api.url);
  });
  after(() => api.close());

  const expected: [string, number | null, string | null, boolean][] = [
    // family, mistake, expected finding, does Chrome allow the request?
    ['no-cors', 1, 'missing-allow-origin', false],
    ['wildcard', 2, 'wildcard-with-credentials', false],
    ['no-preflight', 3, 'preflight-failed-status', false],
    ['auth-first', 4, 'headers-missing-on-errors', true],
    ['duplicate', 5, 'duplicate-cors-headers', false],
    ['no-vary', 6, 'missing-vary-origin', true],
    ['typo', 7, 'origin-mismatch', false],
    ['localhost', 8, 'localhost-allowed', true],
    ['expose', 9, 'header-not-exposed', true],
    ['ok', 10, 'csp-blocks-request', true],
    ['ok', 12, 'cors-headers-in-request', false],
    ['reflect', null, 'origin-reflected', true],
    ['null-origin', null, 'null-origin-allowed', true],
    ['ok', null, null, true],
  ];

  test('the demo covers every catalog mistake a server can make, plus security and a correct endpoint', () => {
    assert.deepEqual(
      DEMO_CASES.map((c) => [c.family, c.mistake, c.expect]),
      expected.map(([f, m, e]) => [f, m, e]),
    );
  });

  for (const [i, [family, mistake, id, allowed]] of expected.entries()) {
    test(`${family}${mistake !== null ? ` (mistake ${mistake})` : ''} → ${id ?? 'no problem'}`, () => {
      const r = results[i]!;
      assert.equal(
        r.report.browser.allowed,
        allowed,
        `verdict; findings: ${r.report.findings.map((f) => f.id)}`,
      );
      if (id === null) {
        assert.deepEqual(
          r.report.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
          [],
        );
      } else {
        // The mistake's own finding comes first among the serious ones: the demo shows one mistake each.
        const serious = r.report.findings.filter((f) => f.severity !== 'info');
        assert.equal(serious[0]?.id, id, `findings: ${serious.map((f) => f.id).join(', ')}`);
      }
      assert.equal(r.asExpected, true);
    });
  }
});

describe('demo command', () => {
  test('prints each diagnosis and a summary, exits 0, leaves nothing running', async () => {
    let out = '';
    const ctx: CommandContext = {
      stdout: (s) => void (out += s),
      stderr: () => {},
      color: false,
      stdin: process.stdin,
    };
    assert.equal(await run([], ctx), 0, out);
    assert.match(out, /^cors-doctor demo\n/);
    assert.match(
      out,
      new RegExp(`✔ ${DEMO_CASES.length}/${DEMO_CASES.length} endpoints diagnosed as expected`),
    );
    assert.match(out, /No 'Access-Control-Allow-Origin' header is present/);
  });

  test('--json: one document with every report', async () => {
    let out = '';
    const ctx: CommandContext = {
      stdout: (s) => void (out += s),
      stderr: () => {},
      color: false,
      stdin: process.stdin,
    };
    assert.equal(await run(['--json'], ctx), 0);
    const doc = JSON.parse(out);
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.results.length, DEMO_CASES.length);
    assert.ok(
      doc.results.every(
        (r: { asExpected: boolean; report: { schemaVersion: number } }) =>
          r.asExpected && r.report.schemaVersion === 1,
      ),
    );
  });
});
