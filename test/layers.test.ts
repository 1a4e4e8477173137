/**
 * The pure layers (browser model, catalog, diagnosis, explain, fixes, middleware core) must run in a web page:
 * no `node:` import, and no import from an I/O layer. Biome enforces the first per folder; this test
 * enforces both, over the real files, transitively by folder rule.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const root = resolve(import.meta.dirname, '..');
const PURE = [
  'src/browser',
  'src/catalog',
  'src/contract',
  'src/diagnosis',
  'src/explain',
  'src/fix',
  'src/har',
  'src/middleware/core',
  'src/scan',
  'src/ui/page',
];
const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });

test('pure layers import no node: module and nothing from an I/O layer', () => {
  const problems: string[] = [];
  for (const folder of PURE) {
    // src/index.ts is the package's root export: it must stay loadable in a web page too.
    const files =
      folder === 'src/browser'
        ? [...walk(join(root, folder)), join(root, 'src/index.ts')]
        : walk(join(root, folder));
    for (const file of files) {
      // TypeScript's own pre-processor lists real imports only, not code quoted inside strings (fix snippets).
      const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
      for (const { fileName: spec } of importedFiles) {
        const rel = relative(root, file);
        if (
          spec.startsWith('node:') ||
          ['fs', 'http', 'https', 'net', 'tls', 'path', 'os', 'child_process'].includes(spec)
        ) {
          problems.push(`${rel} imports ${spec}`);
        } else if (spec.startsWith('.')) {
          const target = relative(root, resolve(join(file, '..'), spec));
          if (!PURE.some((p) => target.startsWith(p)))
            problems.push(`${rel} imports ${target} (not a pure layer)`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});
