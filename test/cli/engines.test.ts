/**
 * package.json `engines` names the Node.js versions the tests pass on. CI runs this file on Node 20 and
 * on Node 24 (.ci/run's second pass), so a runtime the range leaves out, or a range that stops
 * matching the runtimes tested, fails here.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  engines: { node: string };
};

type Version = [number, number, number];
const parse = (v: string): Version => {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  if (!m) throw new Error(`not a version: ${v}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
};
const cmp = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The subset of npm ranges package.json uses: alternatives of `^X.Y.Z` and `>=X.Y.Z`. */
function satisfies(version: string, range: string): boolean {
  const v = parse(version);
  return range.split('||').some((part) => {
    const p = part.trim();
    if (p.startsWith('^')) {
      const base = parse(p.slice(1));
      return v[0] === base[0] && cmp(v, base) >= 0;
    }
    if (p.startsWith('>=')) return cmp(v, parse(p.slice(2))) >= 0;
    throw new Error(`engines.node uses '${p}', which this test does not read; write ^X.Y.Z or >=X.Y.Z`);
  });
}

test('the range reads as intended', () => {
  const r = pkg.engines.node;
  for (const ok of ['20.12.0', '20.20.2', '22.23.5', '24.22.3'])
    assert.ok(satisfies(ok, r), `${ok} (tested) is outside ${r}`);
  for (const no of ['18.20.0', '20.11.1', '21.7.3', '23.11.0'])
    assert.ok(
      !satisfies(no, r),
      `${no} (below the tested 20.12.0, or an odd release never tested) is inside ${r}`,
    );
});

test('the Node.js running the tests is inside engines', () => {
  assert.ok(satisfies(process.versions.node, pkg.engines.node), `${process.version} vs ${pkg.engines.node}`);
});
