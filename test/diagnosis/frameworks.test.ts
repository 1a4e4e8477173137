/**
 * End to end: real frameworks on loopback, configured with the catalog's real mistakes (and correctly),
 * checked with the real `runCheck` (browser model + prober + these rules). Each case asserts the EXACT
 * set of finding ids; the correct configurations must give no error, security or warning finding.
 * The cases are in ./framework-cases.ts.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { CASES, check, NGINX_CASES, nginxSkip } from './framework-cases.ts';

describe('diagnosis against real frameworks', () => {
  for (const c of [...CASES, ...NGINX_CASES]) {
    const skip = NGINX_CASES.includes(c) ? nginxSkip : undefined;
    test(c.name, { skip: skip && process.env.CI !== 'true' ? skip : false }, async () => {
      const report = await check(c);
      if (process.env.DUMP_FINDINGS)
        console.log(
          JSON.stringify({
            case: c.name,
            stats: report.stats,
            probes: report.probes.length,
            findings: report.findings.map((f) => ({
              id: f.id,
              severity: f.severity,
              detail: f.detail,
              evidence: f.evidence,
              fix: f.fix.summary,
            })),
          }),
        );
      const got = report.findings.map((f) => f.id).sort();
      const detail = report.findings.map((f) => `${f.id} (${f.severity}): ${f.detail}`).join('\n');
      assert.deepEqual(got, [...c.expect].sort(), `${c.name}\n${report.browser.chrome ?? ''}\n${detail}`);
      for (const [id, sev] of Object.entries(c.severity ?? {}))
        assert.equal(report.findings.find((f) => f.id === id)?.severity, sev, `${id} severity`);
      if (c.allowed !== undefined) assert.equal(report.browser.allowed, c.allowed, 'browser verdict');
      for (const [id, re] of Object.entries(c.details ?? {}))
        assert.match(report.findings.find((f) => f.id === id)?.detail ?? '', re as RegExp, `${id} detail`);
      if (c.correct) {
        assert.equal(report.browser.allowed, true, `allowed\n${report.browser.chrome}`);
        assert.deepEqual(
          report.findings.filter((f) => f.severity !== 'info').map((f) => f.id),
          [],
          'no false alarm',
        );
      }
      for (const f of report.findings) {
        assert.ok(f.title.length > 0 && f.fix.summary.length > 0, `${f.id} has catalog words`);
        assert.ok(f.evidence.length > 0, `${f.id} has evidence`);
      }
    });
  }
});
