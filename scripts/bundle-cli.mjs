// The CLI as users run it (package.json "bin"): src/cli/main.ts bundled by esbuild into dist/cli/, one
// file per command (split at the lazy imports) plus shared chunks. Node 20 pays per ES module loaded
// (resolve, read, compile); the tsc output is ~110 files for `check`. dist/src stays: it is the library's
// exports and the web page's modules. Optional peers (playwright-core, ws) stay external: they load only
// with --confirm and may be absent. The CLI-only packages (acorn, shell-quote) are inlined here, so they
// are devDependencies and a middleware user never installs them; their licences go to
// dist/cli/THIRD-PARTY-LICENSES.txt (MIT asks that the notice travels with the code), with the Public
// Suffix List's MPL-2.0 notice (minifying drops the generated data file's header).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';

rmSync('dist/cli', { recursive: true, force: true });
const result = await build({
  entryPoints: ['src/cli/main.ts'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20.12',
  external: ['playwright-core', 'ws'],
  minify: true,
  legalComments: 'none',
  metafile: true,
  write: false,
  logLevel: 'warning',
});

// CommonJS packages inside (typescript for scan, yaml) call require() for Node's built-ins and read
// __filename, which an ES module has not: the chunks that name them get both. Only those: the others
// (the whole of a plain `check`) would pay a createRequire and two path conversions each at start-up.
const CJS_BANNER =
  "import { createRequire as __cdRequire } from 'node:module'; import { fileURLToPath as __cdPath } from 'node:url'; const require = __cdRequire(import.meta.url); const __filename = __cdPath(import.meta.url); const __dirname = __cdPath(new URL('.', import.meta.url));\n";
for (const file of result.outputFiles) {
  mkdirSync(dirname(file.path), { recursive: true });
  const needs =
    file.path.endsWith('.js') &&
    /\btypeof require\b|\brequire\(|\b__filename\b|\b__dirname\b/.test(file.text);
  writeFileSync(file.path, needs ? CJS_BANNER + file.text : file.contents);
}

const packages = new Set();
for (const input of Object.keys(result.metafile.inputs)) {
  const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
  if (m) packages.add(m[1]);
}
const notices = [...packages].sort().map((name) => {
  const dir = join('node_modules', name);
  const { version, license } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)/i.test(f));
  const text =
    file && existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : `${license}`;
  return `${name}@${version} (${license})\n\n${text}\n`;
});
// The Public Suffix List (MPL-2.0) comes in as a generated source file, not a package: its header
// comment is the notice.
const PSL = 'src/browser/public-suffix-data.ts';
if (result.metafile.inputs[PSL]) {
  const header = /^\/\*([\s\S]*?)\*\//
    .exec(readFileSync(PSL, 'utf8'))[1]
    .replace(/^ \* ?/gm, '')
    .trim();
  notices.push(`Public Suffix List (MPL-2.0), ${PSL}\n\n${header}\n`);
}
writeFileSync(
  'dist/cli/THIRD-PARTY-LICENSES.txt',
  `Packages and data bundled into cors-doctor's CLI (dist/cli/):\n\n${notices.join('\n---\n\n')}`,
);
