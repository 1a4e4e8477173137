/**
 * explain on arbitrary text and on mangled real lines: it never throws, returns a well-formed result,
 * and stays within bounds (messages never outnumber the text's lines' worth of messages; values come from
 * the text). Speed is measured in bench/explain.ts, not asserted here.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { explain, MAX_INPUT_CHARS } from '../../src/explain/index.ts';

const dir = new URL('../fixtures/engine-lines/', import.meta.url);
const REAL: string[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .flatMap((f) =>
    (JSON.parse(readFileSync(new URL(f, dir), 'utf8')) as { lines: string[] }[]).flatMap((r) => r.lines),
  );
REAL.push(
  'Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at https://api.example.com/x. (Reason: CORS header ‘Access-Control-Allow-Origin’ does not match ‘https://a.example’).',
  "Refused to connect to 'https://api.example.com/' because it violates the following Content Security Policy directive: \"connect-src 'self'\".",
);

/** Real lines explain recognises whole; wrapping them anywhere must not change what is recognised. */
const RECOGNISED = REAL.filter((l) => {
  const o = explain(l);
  return o.ok && o.result.messages.length === 1;
});

function wellFormed(text: string): void {
  const outcome = explain(text);
  if (!outcome.ok) {
    assert.ok(text.length > MAX_INPUT_CHARS);
    return;
  }
  const r = outcome.result;
  assert.equal(r.schemaVersion, 1);
  assert.ok(r.messages.length <= Math.ceil(text.length / 10) + 1, 'no more messages than the text can hold');
  for (const m of r.messages) {
    assert.ok(['chrome', 'firefox', 'safari'].includes(m.browser));
    assert.equal(typeof m.corsError, 'string');
    assert.ok(m.summary.length > 0);
    for (const c of m.causes) assert.ok(c.id && c.fix && c.cause);
    if (m.check !== null) assert.ok(m.check.startsWith('cors-doctor check '));
    assert.doesNotThrow(() => JSON.stringify(m));
  }
}

/** Cuts, duplicates, wraps and case changes applied to a real line. */
const mangled = fc
  .record({
    line: fc.constantFrom(...REAL),
    cut: fc.nat(),
    wrapAt: fc.array(fc.nat(), { maxLength: 6 }),
    noise: fc.constantFrom(
      '',
      'VM12:1 ',
      '[Error] ',
      'Uncaught (in promise) ',
      '\u001b[31m',
      '‘',
      "'",
      '(redirected from ',
    ),
    repeat: fc.integer({ min: 1, max: 3 }),
    upper: fc.boolean(),
  })
  .map(({ line, cut, wrapAt, noise, repeat, upper }) => {
    let s = line.slice(0, line.length - (cut % Math.max(1, line.length / 2)));
    for (const at of wrapAt) {
      const i = at % (s.length + 1);
      s = `${s.slice(0, i)}\n${s.slice(i)}`;
    }
    if (upper) s = s.toUpperCase();
    return Array.from({ length: repeat }, () => noise + s).join('\n');
  });

describe('explain: property', () => {
  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ maxLength: 2000 }), wellFormed), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 500 }), wellFormed), { numRuns: 200 });
  });

  it('never throws on mangled real lines', () => {
    fc.assert(fc.property(mangled, wellFormed), { numRuns: 400 });
  });

  it('recognises every real line even when wrapped at random places', () => {
    fc.assert(
      fc.property(fc.constantFrom(...RECOGNISED), fc.array(fc.nat(), { maxLength: 3 }), (line, cuts) => {
        let s = line;
        for (const at of cuts) {
          const i = at % (s.length + 1);
          s = `${s.slice(0, i)}\n${s.slice(i)}`;
        }
        const whole = explain(line);
        const wrapped = explain(s);
        assert.ok(whole.ok && wrapped.ok);
        assert.equal(wrapped.result.messages[0]?.corsError, whole.result.messages[0]?.corsError);
        assert.equal(wrapped.result.messages[0]?.url, whole.result.messages[0]?.url);
      }),
      { numRuns: Number(process.env['FC_RUNS'] ?? 300) },
    );
  });

  it('handles adversarial inputs near the size cap (no catastrophic backtracking)', () => {
    const n = MAX_INPUT_CHARS - 100;
    for (const text of [
      "Access to fetch at '".repeat(n / 20),
      `Access to fetch at '${'a'.repeat(n - 40)}`,
      `Cross-Origin Request Blocked: The Same Origin Policy disallows reading the remote resource at ${'x '.repeat(n / 2 - 100)}`,
      'Origin '.repeat(n / 7),
      `Fetch API cannot load ${'a'.repeat(n - 30)}`,
      'net::ERR_'.repeat(n / 10),
      ' \n'.repeat(n / 2),
      `GET https://${'a'.repeat(n - 40)} net::ERR_FAILED`,
      "'".repeat(n),
    ]) {
      wellFormed(text);
    }
  });
});
