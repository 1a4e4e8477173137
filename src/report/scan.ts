/**
 * `scan` reports: text grouped by file, JSON (schemas/scan-report.schema.json) and SARIF 2.1.0 through the
 * shared builder (./sarif.ts). Pure: the CLI writes them.
 */
import type { FindingId, Severity } from '../catalog/ids.ts';
import type { ScanFinding, ScanResult } from '../scan/index.ts';
import { levelFor, ruleForFinding, sarifLog } from './sarif.ts';

const VERSION = '0.1.0';

export interface ScanMeta {
  ms: number;
  skipped: number;
  color?: boolean;
}

function counts(findings: readonly ScanFinding[]): Record<Severity, number> {
  const c: Record<Severity, number> = { error: 0, security: 0, warning: 0, info: 0 };
  for (const f of findings) c[f.severity]++;
  return c;
}

export function renderScanText(result: ScanResult, meta: ScanMeta): string {
  const paint = (code: string, s: string) => (meta.color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sevColor: Record<Severity, string> = { error: '31', security: '35', warning: '33', info: '2' };
  const out: string[] = [];
  let file = '';
  for (const f of result.findings) {
    if (f.location.file !== file) {
      file = f.location.file;
      out.push('', paint('1', file));
    }
    const where = `${f.location.line}:${f.location.column}`.padEnd(8);
    const mistake = f.mistake === null ? '' : ` (mistake ${f.mistake})`;
    out.push(
      `  ${where}${paint(sevColor[f.severity], f.severity.padEnd(9))}${f.title}  ${paint('2', f.id + mistake)}`,
    );
    out.push(`          ${f.location.snippet.split('\n')[0]}`);
    out.push(`          ${f.detail}`);
    out.push(`          fix (${f.stack}): ${f.fix.summary}`);
  }
  const c = counts(result.findings);
  const total = result.findings.length;
  out.push(
    '',
    total === 0
      ? `No CORS mistakes found in ${result.filesScanned} files (${Math.round(meta.ms)} ms).`
      : `${total} finding${total === 1 ? '' : 's'} (${c.error} error, ${c.security} security, ${c.warning} warning, ${c.info} info) in ${result.filesScanned} files (${Math.round(meta.ms)} ms)${meta.skipped ? `; ${meta.skipped} large or generated files skipped` : ''}.`,
  );
  return `${out.join('\n').replace(/^\n/, '')}\n`;
}

export function scanReport(result: ScanResult, meta: Omit<ScanMeta, 'color'>): object {
  return {
    schemaVersion: 1,
    filesScanned: result.filesScanned,
    filesByKind: result.byKind,
    skippedFiles: meta.skipped,
    ms: Math.round(meta.ms),
    summary: counts(result.findings),
    findings: result.findings.map((f) => ({
      id: f.id,
      mistake: f.mistake,
      severity: f.severity,
      title: f.title,
      detail: f.detail,
      stack: f.stack,
      location: f.location,
      evidence: f.evidence,
      fix: f.fix,
      ...(f.inTest ? { inTest: true } : {}),
    })),
  };
}

export function renderScanJson(result: ScanResult, meta: Omit<ScanMeta, 'color'>): string {
  return `${JSON.stringify(scanReport(result, meta), null, 2)}\n`;
}

/** FNV-1a, 32 bits, hex: a stable fingerprint that does not move when lines above are added. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

export function scanSarif(result: ScanResult, uriOf: (file: string) => string = (f) => f): object {
  const ids = [...new Set(result.findings.map((f) => f.id))].sort() as FindingId[];
  const rules = ids.map((id) => ruleForFinding(id));
  // Same rule, file and snippet twice (two origins on one line): the occurrence number keeps them apart.
  const seen = new Map<string, number>();
  const results = result.findings.map((f) => {
    const uri = uriOf(f.location.file);
    const key = `${f.id}|${uri}|${f.location.snippet.replace(/\s+/g, ' ')}`;
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    return {
      ruleId: f.id,
      level: levelFor(f.severity),
      message: `${f.detail} Fix (${f.stack}): ${f.fix.summary}`,
      locations: [
        {
          uri,
          startLine: f.location.line,
          startColumn: f.location.column,
          endLine: f.location.endLine,
          endColumn: f.location.endColumn,
          snippet: f.location.snippet,
        },
      ],
      partialFingerprints: {
        'corsDoctor/v1': fnv(n === 1 ? key : `${key}|${n}`),
      },
      properties: {
        stack: f.stack,
        ...(f.mistake !== null ? { mistake: f.mistake } : {}),
        severity: f.severity,
      },
    };
  });
  return sarifLog(
    { version: VERSION, informationUri: 'https://github.com/cors-doctor/cors-doctor' },
    rules,
    results,
  );
}

export function renderScanSarif(result: ScanResult, uriOf?: (file: string) => string): string {
  return `${JSON.stringify(scanSarif(result, uriOf), null, 2)}\n`;
}
