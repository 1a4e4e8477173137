/**
 * The scan corpus's JS/TS projects through ESLint with eslint-plugin-security (all its rules) and
 * eslint-plugin-sonarjs's `cors` rule, next to `cors-doctor scan` on the same files: how many of the
 * labelled findings (expected.json) each reports on the same line, and how many reports fall where the
 * labels say there is nothing. Prints rows like the other bench areas; docs/scan.md quotes them.
 *   npm run bench -- scan-eslint
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import tsParser from '@typescript-eslint/parser';
import { ESLint } from 'eslint';
import security from 'eslint-plugin-security';
import sonarjs from 'eslint-plugin-sonarjs';
import { walk } from '../src/cli/commands/scan.ts';
import { scanFiles } from '../src/scan/index.ts';
import type { BenchRow } from './index.ts';

const ROOT = new URL('../test/fixtures/scan/', import.meta.url).pathname;
const JS_PROJECTS = [
  'web-react-bad',
  'web-react-clean',
  'web-vue-bad',
  'express-bad',
  'express-clean',
  'node-frameworks-bad',
  'node-frameworks-clean',
  'nginx-bad',
  'holdout-bad',
];

interface Tally {
  /** Files the tool could not parse (a parse failure is no finding, so it is counted). */
  fatal?: number;
  reports: number;
  onLabel: number;
  offLabel: number;
}

export async function compare(): Promise<{ labels: number; files: number; tools: Record<string, Tally> }> {
  const tools: Record<string, Tally> = {};
  let labels = 0;
  let files = 0;
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: true,
    overrideConfig: [
      {
        files: ['**/*.{js,mjs,cjs,jsx,ts,tsx}'],
        languageOptions: {
          parser: tsParser,
          parserOptions: { ecmaFeatures: { jsx: true } },
          sourceType: 'module',
        },
        plugins: { security, sonarjs },
        rules: {
          ...Object.fromEntries(Object.keys(security.rules ?? {}).map((r) => [`security/${r}`, 'warn'])),
          'sonarjs/cors': 'warn',
        },
      },
    ],
  });
  for (const p of JS_PROJECTS) {
    const dir = join(ROOT, p);
    const jsFiles = walk(dir).files.filter((f) => /\.[cm]?[jt]sx?$/.test(f.path));
    files += jsFiles.length;
    const expected = new Set(
      (JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as { findings: string[] }).findings
        .map((s) => s.split(' ')[1]!)
        .filter((loc) => /\.[cm]?[jt]sx?:/.test(loc)),
    );
    labels += expected.size;
    const add = (tool: string, loc: string) => {
      const t = (tools[tool] ??= { reports: 0, onLabel: 0, offLabel: 0 });
      t.reports++;
      if (expected.has(loc)) t.onLabel++;
      else t.offLabel++;
    };
    const results = await eslint.lintFiles(jsFiles.map((f) => join(dir, f.path)));
    for (const r of results) {
      const rel = r.filePath.slice(dir.length + 1);
      for (const tool of ['eslint-plugin-security', 'eslint-plugin-sonarjs (cors)']) {
        const t = (tools[tool] ??= { reports: 0, onLabel: 0, offLabel: 0, fatal: 0 });
        t.fatal = (t.fatal ?? 0) + r.fatalErrorCount;
      }
      for (const m of r.messages) {
        if (!m.ruleId) continue;
        add(
          m.ruleId.startsWith('sonarjs/') ? 'eslint-plugin-sonarjs (cors)' : 'eslint-plugin-security',
          `${rel}:${m.line}`,
        );
      }
    }
    const seen = new Set<string>();
    for (const f of scanFiles(jsFiles).findings) {
      const loc = `${f.location.file}:${f.location.line}`;
      if (seen.has(loc)) continue; // ESLint tools report a line once per rule; compare lines
      seen.add(loc);
      add('cors-doctor scan', loc);
    }
  }
  return { labels, files, tools };
}

export default async function bench(): Promise<BenchRow[]> {
  const { labels, files, tools } = await compare();
  const rows: BenchRow[] = [
    { name: `JS/TS corpus: labelled finding lines (${files} files)`, value: labels, unit: 'lines' },
  ];
  for (const [tool, t] of Object.entries(tools))
    rows.push({
      name: `${tool}: reports`,
      value: t.reports,
      unit: 'reports',
      detail: `${t.onLabel} on a labelled line, ${t.offLabel} elsewhere${t.fatal ? `, ${t.fatal} files unparsed` : ''}`,
    });
  return rows;
}
