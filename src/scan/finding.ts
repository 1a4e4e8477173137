/**
 * Hits → findings: the catalog's words, the location, and the fix for the file's stack.
 */
import type { FindingId } from '../catalog/ids.ts';
import { getEntry } from '../catalog/index.ts';
import type { StackName } from '../diagnosis/types.ts';
import { LineIndex } from './text.ts';
import type { Hit, ScanFinding, ScanStack } from './types.ts';

const CATALOG_STACKS: Readonly<Partial<Record<ScanStack, StackName>>> = {
  express: 'express',
  fastify: 'fastify',
  koa: 'koa',
  hono: 'hono',
  nestjs: 'express', // NestJS on its default platform is Express underneath.
  nextjs: 'nextjs',
  node: 'node',
  'cors-doctor': 'cors-doctor',
  nginx: 'nginx',
  apache: 'apache',
  caddy: 'caddy',
};

/**
 * The fix for one finding in one stack. The hook where the per-stack fix generator (src/fix/) plugs in:
 * today the catalog's summary and, for the stacks the catalog has snippets for, its snippet.
 */
export function fixFor(id: FindingId, stack: ScanStack, summary?: string): ScanFinding['fix'] {
  const entry = getEntry(id);
  const catalogStack = CATALOG_STACKS[stack];
  const snippet = catalogStack ? entry.snippets[catalogStack] : undefined;
  return {
    summary: summary ?? entry.fix,
    snippets: snippet && catalogStack ? { [catalogStack]: snippet } : {},
  };
}

/** Test, fixture, example and story files: their findings are `info`. */
export function isTestPath(path: string): boolean {
  return (
    /(^|\/)(test|tests|__tests__|__mocks__|spec|specs|e2e|cypress|playwright|fixtures?|examples|stories)\//i.test(
      path,
    ) ||
    /\.(test|spec|stories|e2e|cy)\.[a-z]+$/i.test(path) ||
    /(^|\/)(test_[^/]*|[^/]*_test)\.(py|go|rb)$/.test(path) ||
    /(Test|Tests|Spec)\.(java|cs|kt)$/.test(path)
  );
}

export function toFindings(
  path: string,
  text: string,
  hits: readonly Hit[],
  index?: LineIndex,
): ScanFinding[] {
  if (hits.length === 0) return [];
  const lines = index ?? new LineIndex(text);
  const inTest = isTestPath(path);
  const seen = new Set<string>();
  const out: ScanFinding[] = [];
  for (const h of hits) {
    const a = lines.position(h.start);
    const b = lines.position(Math.max(h.start, h.end));
    const key = `${h.id}:${a.line}:${a.column}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const entry = getEntry(h.id);
    const snippet = lines.lines(a.line, Math.min(b.line, a.line + 2));
    out.push({
      id: h.id,
      mistake: entry.mistake,
      severity: inTest ? 'info' : (h.severity ?? entry.severity),
      title: entry.title,
      detail: h.detail,
      evidence: [`${path}:${a.line}:${a.column}  ${snippet.split('\n')[0]}`],
      fix: fixFor(h.id, h.stack, h.fixSummary),
      location: { file: path, line: a.line, column: a.column, endLine: b.line, endColumn: b.column, snippet },
      stack: h.stack,
      ...(inTest ? { inTest: true } : {}),
    });
  }
  return out;
}
