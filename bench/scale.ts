/**
 * decide() as the policy grows (issue 13, target 4): flat in the number of exact origins, at most
 * logarithmic in the number of wildcard patterns, 1 → 10,000. ns per decision (median of 7 timed
 * batches of ≥ 50 ms), for an origin on the list (the last one added) and one that is not; the ratio to
 * the 1-entry policy goes in the detail, next to log2(n) for the wildcard case. bench/middleware.ts has
 * the wildcard index against a linear scan. Ours from dist/ (`npm run bench` builds first).
 */
import { pathToFileURL } from 'node:url';
import type { BenchRow } from './index.ts';

type Core = typeof import('../src/middleware/core/index.ts');
const root = new URL('..', import.meta.url);

function nsPerOp(fn: () => unknown): number {
  const batches: number[] = [];
  let n = 1000;
  for (let b = 0; b < 8; b++) {
    let t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    let ms = performance.now() - t0;
    while (ms < 50) {
      n *= 2;
      t0 = performance.now();
      for (let i = 0; i < n; i++) fn();
      ms = performance.now() - t0;
    }
    if (b > 0) batches.push((ms * 1e6) / n); // batch 0 warms up
  }
  return batches.sort((a, b) => a - b)[Math.floor(batches.length / 2)]!;
}

export default async function bench(): Promise<BenchRow[]> {
  const { compile, decide } = (await import(
    pathToFileURL(new URL('dist/src/middleware/core/index.js', root).pathname).href
  )) as Core;
  const rows: BenchRow[] = [];
  for (const kind of ['exact origins', 'wildcard patterns'] as const) {
    let base: { hit: number; miss: number } | null = null;
    for (const n of [1, 100, 1_000, 10_000]) {
      const origins = Array.from({ length: n }, (_, i) =>
        kind === 'exact origins' ? `https://app${i}.example.com` : `https://*.tenant${i}.com`,
      );
      const p = compile({ origins });
      const hit =
        kind === 'exact origins' ? `https://app${n - 1}.example.com` : `https://app.tenant${n - 1}.com`;
      const miss = kind === 'exact origins' ? 'https://app.example.net' : 'https://a.b.c.evil-tenant.com';
      if (decide(p, { method: 'GET', origin: hit }).kind !== 'actual')
        throw new Error(`${kind}: ${hit} should be decided as an actual request`);
      const t = {
        hit: nsPerOp(() => decide(p, { method: 'GET', origin: hit })),
        miss: nsPerOp(() => decide(p, { method: 'GET', origin: miss })),
      };
      base ??= t;
      rows.push({
        name: `decide(): ${n.toLocaleString('en')} ${kind}, origin on the list`,
        value: t.hit,
        unit: 'ns/op',
        detail: `×${(t.hit / base.hit).toFixed(2)} of 1 entry${kind === 'wildcard patterns' && n > 1 ? `; log2(n) = ${Math.log2(n).toFixed(1)}` : ''}`,
      });
      rows.push({
        name: `decide(): ${n.toLocaleString('en')} ${kind}, origin not on it`,
        value: t.miss,
        unit: 'ns/op',
        detail: `×${(t.miss / base.miss).toFixed(2)} of 1 entry`,
      });
    }
  }
  return rows;
}
