/**
 * Install and import footprint (issue 13, target 5; issue 12): what a middleware user installs and loads.
 * - Installed size: the packed package (npm pack --dry-run) plus its production dependencies' folders,
 *   transitively, against `cors` and its dependencies, from this node_modules.
 * - Import time: a fresh `node` importing `cors-doctor/node` (the compiled dist/), `cors`, the
 *   public-suffix module (src/browser/public-suffix.ts) and tldts (what it replaced, a devDependency),
 *   minus `node -e 0`; interleaved rounds, medians. The child also reports which packages it loaded and,
 *   for the two public-suffix lookups, the time of the process's first lookup (ours splits its data then).
 *   BENCH_IMPORTS (comma-separated paths) adds modules to the same rounds, e.g. an older build's
 *   dist/src/middleware/adapters/node.js for a before/after.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './index.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const RUNS = Number(process.env['BENCH_RUNS'] ?? 15);

function dirSize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += e.isDirectory() ? dirSize(p) : statSync(p).size;
  }
  return total;
}

/** A package's folder size plus its dependencies', each counted once. */
function installed(name: string, seen = new Set<string>()): { bytes: number; packages: string[] } {
  if (seen.has(name)) return { bytes: 0, packages: [] };
  seen.add(name);
  const dir = join(root, 'node_modules', name);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
  };
  let bytes = dirSize(dir);
  for (const dep of Object.keys(pkg.dependencies ?? {})) bytes += installed(dep, seen).bytes;
  return { bytes, packages: [...seen] };
}

function ours(): { bytes: number; packages: string[] } {
  const [pack] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 60_000,
    }),
  ) as { unpackedSize: number }[];
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const seen = new Set<string>();
  let bytes = pack!.unpackedSize;
  for (const dep of Object.keys(pkg.dependencies)) bytes += installed(dep, seen).bytes;
  return { bytes, packages: ['cors-doctor', ...seen] };
}

// argv[2]: a registrable-domain function to call once; the options object carries both modules' names.
const CHILD = `
const c = process.cpuUsage();
const t = performance.now();
const m = await import(process.argv[1]);
const ms = performance.now() - t;
const used = process.cpuUsage(c);
const cpu = (used.user + used.system) / 1000;
let first = 0;
if (process.argv[2]) {
  const t1 = performance.now();
  m[process.argv[2]]('www.example.co.uk', { privateDomains: true, allowPrivateDomains: true });
  first = performance.now() - t1;
}
const { createRequire } = await import('node:module');
const loaded = new Set(Object.keys(createRequire(import.meta.url).cache)
  .map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(f)?.[1]).filter(Boolean));
console.log(JSON.stringify({ ms, cpu, first, loaded: [...loaded] }));
`;

interface Spec {
  spec: string;
  /** A registrable-domain export to time the first call of. */
  lookup?: string;
}

interface Timing {
  ms: number;
  cpu: number;
  first: number;
  loaded: string[];
}

function timeImport(spec: Spec | null): Timing & { wall: number } {
  const args =
    spec === null ? ['-e', '0'] : ['--input-type=module', '-e', CHILD, spec.spec, spec.lookup ?? ''];
  const t0 = performance.now();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8', timeout: 30_000 });
  const wall = performance.now() - t0;
  if (r.status !== 0) throw new Error(`importing ${spec?.spec} failed: ${r.stderr}`);
  const out = spec === null ? { ms: 0, cpu: 0, first: 0, loaded: [] } : (JSON.parse(r.stdout) as Timing);
  return { wall, ...out };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function bench(): Promise<BenchRow[]> {
  const specs: Record<string, Spec> = {
    'cors-doctor/node': { spec: `${root}dist/src/middleware/adapters/node.js` },
    cors: { spec: 'cors' },
    'public-suffix module': { spec: `${root}dist/src/browser/public-suffix.js`, lookup: 'registrableDomain' },
    'tldts (replaced)': { spec: 'tldts', lookup: 'getDomain' },
  };
  for (const path of (process.env['BENCH_IMPORTS'] ?? '').split(',').filter((s) => s !== ''))
    specs[path] = { spec: path };
  const walls: Record<string, number[]> = { floor: [] };
  const inProc: Record<string, number[]> = {};
  const cpus: Record<string, number[]> = {};
  const firsts: Record<string, number[]> = {};
  const loaded: Record<string, string[]> = {};
  timeImport(null);
  for (let i = 0; i < RUNS; i++) {
    walls['floor']!.push(timeImport(null).wall);
    for (const [name, spec] of Object.entries(specs)) {
      const r = timeImport(spec);
      (walls[name] ??= []).push(r.wall);
      (inProc[name] ??= []).push(r.ms);
      (cpus[name] ??= []).push(r.cpu);
      (firsts[name] ??= []).push(r.first);
      loaded[name] = r.loaded;
    }
  }
  const floor = median(walls['floor']!);
  const rows: BenchRow[] = [];
  const mine = ours();
  const peer = installed('cors');
  rows.push({
    name: 'installed: cors-doctor + dependencies',
    value: mine.bytes / 1024,
    unit: 'KiB',
    detail: `${(mine.bytes / peer.bytes).toFixed(0)}× cors; ${mine.packages.join(', ')}`,
  });
  rows.push({
    name: 'installed: cors + dependencies',
    value: peer.bytes / 1024,
    unit: 'KiB',
    detail: peer.packages.join(', '),
  });
  rows.push({ name: 'node -e 0, median', value: floor, unit: 'ms', detail: `${RUNS} interleaved rounds` });
  for (const [name, spec] of Object.entries(specs)) {
    const w = median(walls[name]!);
    const first = spec.lookup ? `; first ${spec.lookup}() ${median(firsts[name]!).toFixed(2)} ms` : '';
    rows.push({
      name: `import '${name}': process wall − node -e 0`,
      value: w - floor,
      unit: 'ms',
      detail: `in-process import ${median(inProc[name]!).toFixed(1)} ms, CPU ${median(cpus[name]!).toFixed(1)} ms${first}; packages loaded: ${loaded[name]!.join(', ') || '(none)'}`,
    });
  }
  return rows;
}
