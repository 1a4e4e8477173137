/**
 * explain against real console lines: every test/fixtures/engine-lines/<engine>.json present (recorded
 * from Debian's chromium, firefox-esr and WebKitGTK by the differential suites). Each blocked line must be
 * recognised, carry the request's values, and point to a catalog mistake that matches the engine's reason.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { ENTRIES } from '../../src/catalog/entries.ts';
import { type ExplainedMessage, explain } from '../../src/explain/index.ts';
import type { EngineLinesRecord } from '../harness/engine.ts';

interface Rec extends EngineLinesRecord {
  /** Firefox only: the message key of each line. */
  keys?: string[];
}

const dir = new URL('../fixtures/engine-lines/', import.meta.url);
const files = existsSync(dir)
  ? readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
  : [];
const BROWSER: Record<string, ExplainedMessage['browser']> = {
  chromium: 'chrome',
  firefox: 'firefox',
  webkit: 'safari',
};

/** Catalog ids whose Chrome symptoms list this CorsError. */
const idsFor = (corsError: string) =>
  new Set(
    ENTRIES.filter((e) => (e.symptoms.chrome as readonly string[]).includes(corsError)).map((e) => e.id),
  );
const norm = (u: string) => {
  try {
    return new URL(u).href;
  } catch {
    return u;
  }
};
const asciiOnly = (s: string) => /^[\x20-\x7e]*$/.test(s);

function messagesOf(text: string): ExplainedMessage[] {
  const outcome = explain(text);
  assert.ok(outcome.ok);
  return outcome.result.messages;
}

describe('explain: real engine lines', () => {
  if (files.length === 0) {
    it('has recorded engine lines to read', (t) =>
      t.skip('no test/fixtures/engine-lines/*.json recorded yet'));
  }
  for (const file of files) {
    const engine = file.replace(/\.json$/, '');
    const browser = BROWSER[engine];
    const records = (JSON.parse(readFileSync(new URL(file, dir), 'utf8')) as Rec[]).filter(
      (r) => !r.allowed && r.lines.length > 0,
    );
    /** Cross-engine agreement: the causes name a mistake that Chromium's CorsError for the same call points to. */
    const tally = { total: 0, agree: 0, misses: [] as string[] };

    describe(file, () => {
      for (const r of records) {
        it(r.scenario, () => {
          const msgs = messagesOf(r.lines.join('\n'));
          assert.ok(msgs.length > 0, `nothing recognised in ${JSON.stringify(r.lines)}`);
          const own = msgs.filter((m) => browser === undefined || m.browser === browser);
          assert.ok(own.length > 0, `no ${browser} message among ${msgs.map((m) => m.browser).join(', ')}`);
          const m = own[0]!;
          const redirected = /^r-|redirect/.test(r.scenario);

          if (engine === 'chromium' && r.corsError) {
            assert.equal(m.corsError, r.corsError);
            assert.equal(norm(m.values.initialUrl ?? m.values.url ?? ''), norm(r.request.url));
            // §1.4 renderer messages (Fetch API cannot load …) carry no origin.
            if (m.text.startsWith('Access to')) assert.equal(m.origin, r.request.origin);
            const p = r.failedParameter;
            if (p && asciiOnly(p)) {
              if (r.corsError === 'MethodDisallowedByPreflightResponse') assert.equal(m.values.method, p);
              else if (r.corsError === 'HeaderDisallowedByPreflightResponse')
                assert.equal(m.values.header, p);
              else if (r.corsError !== 'RedirectContainsCredentials') assert.equal(m.values.value, p);
            }
            const expected = idsFor(r.corsError);
            if (expected.size === 0) assert.deepEqual(m.causes, [], `${r.corsError} has no catalog cause`);
            else
              assert.ok(
                expected.has(m.causes[0]!.id),
                `first cause ${m.causes[0]?.id} does not list ${r.corsError}`,
              );
            if (m.check !== null) assert.ok(m.check.startsWith('cors-doctor check '), m.check);
            if (m.causes.length > 0 && m.origin !== null) {
              assert.ok(m.check?.includes(`--origin ${r.request.origin}`), m.check ?? 'no check command');
            }
          }
          if (engine === 'firefox' && r.keys) {
            // Firefox's `CORS request did not succeed` after another reason is its consequence: explain folds it.
            const keys = r.keys
              .filter((k) => /^CORS/.test(k))
              .filter((k, i, all) => !(k === 'CORSDidNotSucceed2' && all.slice(0, i).some((e) => e !== k)));
            const ff = msgs.filter((x) => x.browser === 'firefox');
            assert.deepEqual(
              ff.map((x) => x.corsError),
              keys,
              'one message per Firefox line, with its key',
            );
            if (!redirected) for (const x of ff) assert.equal(norm(x.url ?? ''), norm(r.request.url));
          }
          if (engine === 'webkit') {
            for (const x of own)
              if (x.origin && !(redirected && x.origin === 'null')) assert.equal(x.origin, r.request.origin);
            const withUrl = own.find((x) => x.url);
            if (withUrl && !redirected) assert.equal(norm(withUrl.url!), norm(r.request.url));
          }
          for (const x of msgs)
            for (const c of x.causes) assert.ok(c.cause && c.fix && c.title, 'causes carry words');

          if (r.corsError) {
            tally.total++;
            const expected = idsFor(r.corsError);
            if (expected.size === 0 || own.some((x) => x.causes.some((c) => expected.has(c.id))))
              tally.agree++;
            else
              tally.misses.push(
                `${r.scenario}: ${own.map((x) => x.corsError).join('+')} vs Chromium ${r.corsError}`,
              );
          }
        });
      }
      it('points to the mistake Chromium points to, for at least 90% of the calls', () => {
        if (tally.total === 0) return;
        const share = tally.agree / tally.total;
        console.log(
          `# ${file}: ${tally.agree}/${tally.total} calls point to the same catalog mistake as Chromium`,
        );
        assert.ok(share >= 0.9, `only ${(share * 100).toFixed(0)}%:\n${tally.misses.join('\n')}`);
      });
    });
  }
});
