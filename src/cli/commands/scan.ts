/**
 * `cors-doctor scan [dir…] [--json] [--sarif <file>] [--stack <s>] [--skip-tests]`: the file walker (the
 * only I/O of the scan) and the reports. The analysis itself is src/scan, pure.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';
import { renderScanJson, renderScanSarif, renderScanText } from '../../report/scan.ts';
import { kindOf, SCAN_STACKS, type ScanFile, type ScanStack, scanFiles } from '../../scan/index.ts';
import { type CommandContext, exitCodes, UsageError } from '../context.ts';

export const HELP = `cors-doctor scan — find the catalog's CORS mistakes in front-end code, server code and config

Usage:
  cors-doctor scan [dir…] [--json] [--sarif <file>] [--stack <name>[,<name>…]] [--skip-tests]

Reads JavaScript/TypeScript (also <script> in .vue, .svelte, .html), Python (Flask-CORS,
django-cors-headers), Ruby (rack-cors), Java (Spring), Go (rs/cors), C# (ASP.NET Core), PHP, nginx,
Apache, Caddyfile, HAProxy, vercel.json, netlify.toml, _headers, serverless/SAM templates and S3 CORS
rules. Respects .gitignore; skips node_modules, build output and vendored code. Findings in test,
fixture and example files are reported at info.

Options:
  --json            one JSON document on stdout (schemaVersion 1, schemas/scan-report.schema.json)
  --sarif <file>    also write a SARIF 2.1.0 log for GitHub code scanning (repository-relative paths)
  --stack <names>   only findings for these stacks (comma-separated): ${SCAN_STACKS.join(' ')}
  --skip-tests      leave out findings in test, fixture and example files instead of reporting them at info
  --no-color        no colours (also NO_COLOR=1)
  --help            this text

Exit codes: 0 no error or security finding · 1 at least one · 2 bad usage

Examples:
  cors-doctor scan
  cors-doctor scan web/ api/ deploy/ --sarif cors.sarif
  cors-doctor scan --stack nginx,express --json
`;

/** Folders that hold dependencies, build output or vendored code, never the project's own source. */
const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  '.hg',
  '.svn',
  'dist',
  'build',
  'out',
  '.next',
  '.nuxt',
  '.output',
  '.svelte-kit',
  '.vercel',
  '.netlify',
  '.serverless',
  '.aws-sam',
  'coverage',
  'vendor',
  'bower_components',
  'jspm_packages',
  'target',
  'bin',
  'obj',
  '__pycache__',
  '.venv',
  'venv',
  '.tox',
  '.terraform',
  '.cache',
  '.parcel-cache',
  '.turbo',
  'third_party',
  'third-party',
]);
const MAX_FILE_BYTES = 1_000_000;

interface Walked {
  files: ScanFile[];
  skipped: number;
}

/**
 * The files under `root` the scan reads, paths relative to `root` with forward slashes. `repo` (the
 * repository root above `root`) adds the .gitignore files between the two, as git applies them.
 */
export function walk(root: string, repo?: string | null): Walked {
  const files: ScanFile[] = [];
  let skipped = 0;
  const visit = (dir: string, rules: { base: string; ig: Ignore }[]) => {
    let here = rules;
    const gi = join(dir, '.gitignore');
    if (existsSync(gi)) here = [...rules, { base: dir, ig: ignore().add(readFileSync(gi, 'utf8')) }];
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const full = join(dir, name);
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(full);
      } catch {
        continue;
      }
      const isDir = st.isDirectory();
      if (isDir && SKIP_DIRS.has(name)) continue;
      if (here.some((r) => r.ig.ignores(relative(r.base, full).split(sep).join('/') + (isDir ? '/' : ''))))
        continue;
      if (isDir) visit(full, here);
      else if (st.isFile()) {
        const rel = relative(root, full).split(sep).join('/');
        if (!kindOf(rel)) continue;
        if (st.size > MAX_FILE_BYTES) {
          skipped++;
          continue;
        }
        const text = readFileSync(full, 'utf8');
        // Generated bundles: one very long line is not code a person wrote.
        if (text.length > 20_000 && text.indexOf('\n') > 5_000) {
          skipped++;
          continue;
        }
        files.push({ path: rel, text });
      }
    }
  };
  const above: { base: string; ig: Ignore }[] = [];
  if (repo) {
    const chain: string[] = [];
    for (let d = dirname(resolve(root)); d.startsWith(resolve(repo)); d = dirname(d)) {
      chain.unshift(d);
      if (d === resolve(repo) || dirname(d) === d) break;
    }
    for (const d of chain) {
      const gi = join(d, '.gitignore');
      if (existsSync(gi)) above.push({ base: d, ig: ignore().add(readFileSync(gi, 'utf8')) });
    }
  }
  visit(root, above);
  return { files, skipped };
}

/** The repository root (the folder holding .git) above `dir`, or null. */
function gitRoot(dir: string): string | null {
  for (let d = resolve(dir); ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return null;
  }
}

export async function run(argv: string[], ctx: CommandContext): Promise<number> {
  let json = false;
  let sarif: string | undefined;
  let stacks: ScanStack[] | undefined;
  let skipTests = false;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') {
      ctx.stdout(HELP);
      return exitCodes.ok;
    } else if (a === '--json') json = true;
    else if (a === '--skip-tests') skipTests = true;
    else if (a === '--sarif' || a.startsWith('--sarif=')) {
      sarif = a.includes('=') ? a.slice(8) : argv[++i];
      if (!sarif)
        throw new UsageError('--sarif needs a file name to write the log to, e.g. --sarif cors.sarif');
    } else if (a === '--stack' || a.startsWith('--stack=')) {
      const v = a.includes('=') ? a.slice(8) : argv[++i];
      if (!v) throw new UsageError(`--stack needs one or more of: ${SCAN_STACKS.join(', ')}`);
      stacks = v.split(',').map((s) => s.trim()) as ScanStack[];
      const bad = stacks.filter((s) => !SCAN_STACKS.includes(s));
      if (bad.length > 0)
        throw new UsageError(
          `unknown stack '${bad.join(', ')}' for --stack; use one of: ${SCAN_STACKS.join(', ')}`,
        );
    } else if (a.startsWith('-')) {
      throw new UsageError(
        `unknown option '${a}' for scan; it takes folders, --json, --sarif <file>, --stack <names> and --skip-tests (see cors-doctor scan --help)`,
      );
    } else dirs.push(a);
  }
  if (dirs.length === 0) dirs.push('.');
  const started = performance.now();
  const all: ScanFile[] = [];
  const prefixes: { root: string; prefix: string }[] = [];
  let skipped = 0;
  for (const d of dirs) {
    const abs = resolve(d);
    if (!existsSync(abs) || !statSync(abs).isDirectory())
      throw new UsageError(`'${d}' is not a folder: pass the folders to scan (default: the current one)`);
    const repo = gitRoot(abs);
    const w = walk(abs, repo);
    skipped += w.skipped;
    // Several folders: keep their paths apart by the folder's own name.
    const label = dirs.length > 1 ? `${relative(process.cwd(), abs).split(sep).join('/') || '.'}/` : '';
    for (const f of w.files) all.push({ path: label + f.path, text: f.text });
    prefixes.push({ root: label, prefix: repo ? relative(repo, abs).split(sep).join('/') : '' });
  }
  const result = scanFiles(all, { ...(stacks ? { stacks } : {}), skipTests });
  const ms = performance.now() - started;
  if (sarif) {
    // SARIF wants paths from the repository root: the scanned folder's place in the repository first.
    const uriOf = (file: string) => {
      const p = prefixes.find((x) => x.root !== '' && file.startsWith(x.root)) ?? prefixes[0]!;
      const rest = p.root ? file.slice(p.root.length) : file;
      return p.prefix ? `${p.prefix}/${rest}` : rest;
    };
    writeFileSync(sarif, renderScanSarif(result, uriOf));
  }
  ctx.stdout(
    json
      ? renderScanJson(result, { ms, skipped })
      : renderScanText(result, { ms, skipped, color: ctx.color }),
  );
  return result.findings.some((f) => f.severity === 'error' || f.severity === 'security')
    ? exitCodes.blocked
    : exitCodes.ok;
}
