/**
 * `npm run bench`: every bench/<area>.ts exports a default async function returning rows. Speed is
 * reported as ratios against a baseline or peer measured in the same run, never asserted in tests.
 *   npm run bench                 → all areas
 *   npm run bench -- middleware   → only areas whose file name contains "middleware"
 */
import { readdirSync } from 'node:fs';

export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  /** e.g. the ratio against the baseline, the peers' figures. */
  detail?: string;
}

const filters = process.argv.slice(2);
const dir = new URL('.', import.meta.url);
const areas = readdirSync(dir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
for (const file of areas) {
  const mod = (await import(new URL(file, dir).href)) as { default: () => Promise<BenchRow[]> };
  console.log(`\n## ${file.replace(/\.ts$/, '')}`);
  for (const row of await mod.default()) {
    const value = row.value >= 100 ? Math.round(row.value).toLocaleString('en') : row.value.toPrecision(3);
    console.log(`${row.name.padEnd(58)} ${value.padStart(14)} ${row.unit.padEnd(10)} ${row.detail ?? ''}`);
  }
}
