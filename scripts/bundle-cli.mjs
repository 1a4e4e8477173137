// The CLI as users run it (package.json "bin"): src/cli/main.ts bundled by esbuild into dist/cli/, one
// file per command (split at the lazy imports) plus shared chunks. Node 20 pays per ES module loaded
// (resolve, read, compile); the tsc output is ~110 files for `check`. dist/src stays: it is the library's
// exports and the web page's modules. Optional peers (playwright-core, ws) stay external: they load only
// with --confirm and may be absent.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  // tldts' ES build (its "module" field) rather than the CommonJS one esbuild picks for platform node.
  mainFields: ['module', 'main'],
  external: ['playwright-core', 'ws'],
  minify: true,
  legalComments: 'linked',
  logLevel: 'warning',
});
