/**
 * The fixtures are not frozen truth: this re-records a cross-section of the cases in the installed
 * Chromium and Firefox right now (DevTools format, Playwright's recordHar, Firefox over BiDi) and judges
 * the offline analysis against what those browsers decided. Skips loudly without a browser; with
 * CI=true a missing browser fails.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { analyzeHar, parseHar } from '../../src/har/index.ts';
import { chromiumAvailable } from '../harness/chromium.ts';
import { missingEngine } from '../harness/engine.ts';
import { firefoxAvailable } from '../harness/firefox.ts';
import { recordChromium, recordFirefox, startPageServer, type Truth } from './record-all.ts';

const CASES = [
  'express: correct allow-list, JSON PUT with Authorization',
  'express: no CORS, JSON PUT (Express answers OPTIONS itself)',
  "express: origin '*' with credentials: true",
  'express: PUT not in methods',
  'express: Authorization not in allowedHeaders',
  'fastify: no CORS, JSON PUT (OPTIONS 404)',
  'node: the allow-list in one header',
  'node: OPTIONS redirected',
  'node: nothing listens (connection refused)',
];

const judge = (har: unknown, truth: Truth[], where: string) => {
  const p = parseHar(har);
  assert.ok(p.ok);
  const a = analyzeHar(p.har);
  assert.equal(truth.length, CASES.length, `${where}: every case recorded`);
  for (const t of truth) {
    const r = a.requests.find((x) => x.url === t.url && x.method === t.method);
    assert.ok(r, `${where}: ${t.case} not found`);
    if (r.verdict === null) {
      assert.equal(t.ok, false, `${where}: ${t.case}: only blocked requests may lack their answer`);
      continue;
    }
    assert.equal(r.verdict.allowed, t.ok, `${where}: ${t.case}`);
  }
  return a;
};

let page: Awaited<ReturnType<typeof startPageServer>>;
before(async () => {
  page = await startPageServer();
});
after(() => page.close());

const chromiumSkip = chromiumAvailable() ? false : missingEngine('chromium', '/usr/bin/chromium not found');
describe('re-recorded in Chromium now', { skip: chromiumSkip }, () => {
  test('DevTools format and Playwright recordHar agree with Chromium', async () => {
    const out = await recordChromium(page, CASES);
    const a = judge(out.devtools, out.truth, 'devtools');
    for (const t of out.truth) {
      const r = a.requests.find((x) => x.url === t.url)!;
      assert.equal(r.verdict?.corsError ?? null, t.corsError, `CorsError: ${t.case}`);
    }
    judge(out.playwright, out.truth, 'playwright');
  });
});

const firefoxSkip = firefoxAvailable() ? false : missingEngine('firefox', '/usr/bin/firefox-esr not found');
describe('re-recorded in Firefox now', { skip: firefoxSkip }, () => {
  test('the BiDi-built HAR agrees with Firefox (credentials aside)', async () => {
    const out = await recordFirefox(
      page,
      CASES.filter((c) => !c.includes("'*' with credentials")),
    );
    const p = parseHar(out.har);
    assert.ok(p.ok);
    const a = analyzeHar(p.har);
    for (const t of out.truth) {
      const r = a.requests.find((x) => x.url === t.url && x.method === t.method);
      assert.ok(r, t.case);
      if (r.verdict !== null) assert.equal(r.verdict.allowed, t.ok, t.case);
      else assert.equal(t.ok, false, t.case);
    }
  });
});
