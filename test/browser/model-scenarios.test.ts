/**
 * The scenario table through the model alone (no browser): every scenario's intent holds, names are
 * unique, and the table covers what issue 3 asks for (each browser-visible catalog mistake, the
 * CorsErrors a server can cause, redirects, no-cors, exposed headers, XHR lines). This runs
 * everywhere, so a table edit that breaks a scenario's intent fails even where no browser is installed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CorsError } from '../../src/browser/types.ts';
import type { Origins } from '../harness/scenario-server.ts';
import { scenarios } from '../scenarios/index.ts';
import { modelVerdict } from '../scenarios/model.ts';

const origins: Origins = {
  page: 'http://127.0.0.1:41001',
  api: 'http://127.0.0.1:41002',
  third: 'http://127.0.0.1:41003',
};

describe('scenario table', () => {
  test('at least 80 scenarios, unique kebab-case names, each with a comment', () => {
    assert.ok(scenarios.length >= 80, `${scenarios.length} scenarios`);
    const names = scenarios.map((s) => s.name);
    assert.equal(new Set(names).size, names.length);
    for (const s of scenarios) {
      assert.match(s.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, s.name);
      assert.ok(s.comment.length > 10, `${s.name} has a comment`);
    }
  });

  for (const s of scenarios) {
    test(`intent: ${s.name}`, () => {
      const v = modelVerdict(s, origins, 'unit');
      assert.equal(v.allowed, s.expect.allowed, 'allowed');
      assert.equal(v.corsError, s.expect.corsError, 'corsError');
      if (s.expect.preflight !== undefined) assert.equal(v.preflight, s.expect.preflight, 'preflight');
      if (!v.allowed && v.corsError !== null)
        assert.ok((v.chromeLines ?? []).length > 0, 'a blocked CORS verdict has a line');
      if (v.failedParameterCandidates)
        assert.ok(s.nondeterministicParameter, 'nondeterminism is recorded with its reason');
    });
  }

  test('covers every browser-visible catalog mistake and the CorsErrors a server can cause', () => {
    const mistakes = new Set(scenarios.map((s) => s.mistake).filter((m) => m !== undefined));
    for (const m of [1, 2, 3, 4, 5, 7, 9, 12]) assert.ok(mistakes.has(m), `mistake ${m} covered`);
    const errors = new Set(scenarios.map((s) => s.expect.corsError));
    const wanted: CorsError[] = [
      'WildcardOriginNotAllowed',
      'MissingAllowOriginHeader',
      'MultipleAllowOriginValues',
      'InvalidAllowOriginValue',
      'AllowOriginMismatch',
      'InvalidAllowCredentials',
      'PreflightInvalidStatus',
      'PreflightDisallowedRedirect',
      'PreflightWildcardOriginNotAllowed',
      'PreflightMissingAllowOriginHeader',
      'PreflightMultipleAllowOriginValues',
      'PreflightInvalidAllowOriginValue',
      'PreflightAllowOriginMismatch',
      'PreflightInvalidAllowCredentials',
      'InvalidAllowMethodsPreflightResponse',
      'InvalidAllowHeadersPreflightResponse',
      'MethodDisallowedByPreflightResponse',
      'HeaderDisallowedByPreflightResponse',
      'RedirectContainsCredentials',
      'DisallowedByMode',
      'CorsDisabledScheme',
    ];
    for (const e of wanted) assert.ok(errors.has(e), `${e} covered`);
    assert.ok(
      scenarios.some((s) => s.call.mode === 'no-cors'),
      'no-cors',
    );
    assert.ok(
      scenarios.some((s) => s.call.initiator === 'xhr'),
      'XHR lines',
    );
    assert.ok(
      scenarios.some((s) => s.routes.some((r) => r.origin === 'third')),
      'third-origin redirects',
    );
  });
});
