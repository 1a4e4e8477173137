/**
 * Hits → findings: the catalog's words, the location, and the fix for the file's stack.
 */
import type { FindingId } from '../catalog/ids.ts';
import { getEntry } from '../catalog/index.ts';
import { generateFix, resolveStack, sampleCase } from '../fix/index.ts';
import { LineIndex } from './text.ts';
import type { Hit, ScanFinding, ScanStack } from './types.ts';

/**
 * The fix for one finding in one stack: the catalog's summary and the per-stack generator's code
 * (src/fix/, the one `check` prints), for the documentation's example case: the scan sees the code, not
 * the page's request, so origins and methods in it are placeholders to replace.
 */
export function fixFor(id: FindingId, stack: ScanStack, summary?: string): ScanFinding['fix'] {
  const entry = getEntry(id);
  const fixStack = resolveStack(stack);
  const fix = fixStack && entry.mistake !== null ? generateFix(fixStack, sampleCase(id)) : undefined;
  return {
    summary: summary ?? entry.fix,
    snippets: fix ? { [fix.stack]: fix.code } : {},
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
