/**
 * SARIF 2.1.0 logs (OASIS SARIF v2.1.0 §3) for code scanning: one run of the `cors-doctor` tool, its
 * rules (the catalog's finding ids, or a command's own rule such as `expectation-failed`) and results
 * located in files (GitHub code scanning rejects URL locations: a result points at the file and line
 * that stands for it, e.g. the contract's endpoint or the scanned source). Pure: the caller writes it.
 */

import type { FindingId, Severity } from '../catalog/ids.ts';
import { getEntry } from '../catalog/index.ts';

export type SarifLevel = 'error' | 'warning' | 'note';

export interface SarifRule {
  id: string;
  /** One line: the catalog title. */
  shortDescription: string;
  /** The cause, in full. */
  fullDescription?: string;
  /** The page that explains the rule and its fix. */
  helpUri?: string;
  /** The fix, in words. */
  help?: string;
  level: SarifLevel;
  /** 0.0–10.0 for security rules (GitHub shows it as low/medium/high/critical). */
  securitySeverity?: number;
  tags?: string[];
}

export interface SarifLocation {
  /** Relative to the repository root (forward slashes), or an absolute file: URI. */
  uri: string;
  startLine?: number;
  startColumn?: number;
  endLine?: number;
  endColumn?: number;
  /** The source text of the region, for the viewer. */
  snippet?: string;
}

export interface SarifResult {
  ruleId: string;
  level: SarifLevel;
  message: string;
  locations: SarifLocation[];
  /** Stable across runs so code scanning can track a result (e.g. `{ 'corsDoctor/v1': '…' }`). */
  partialFingerprints?: Record<string, string>;
  properties?: Record<string, unknown>;
}

export interface SarifTool {
  version: string;
  informationUri?: string;
}

/** Where the mistake pages live for a reader of the log (the package's docs on its homepage). */
export const DOCS_BASE = 'https://github.com/cors-doctor/cors-doctor/blob/main/docs/mistakes/';

export function levelFor(severity: Severity): SarifLevel {
  return severity === 'error' || severity === 'security'
    ? 'error'
    : severity === 'warning'
      ? 'warning'
      : 'note';
}

/** The SARIF rule for a catalog finding id: its title, cause, fix and page. */
export function ruleForFinding(id: FindingId, severity?: Severity): SarifRule {
  const e = getEntry(id);
  const sev = severity ?? e.severity;
  const rule: SarifRule = {
    id,
    shortDescription: e.mistake === null ? e.title : `${e.title} (CORS mistake ${e.mistake})`,
    fullDescription: e.cause,
    help: e.fix,
    helpUri: `${DOCS_BASE}${id}.md`,
    level: levelFor(sev),
    tags: ['cors', ...(e.group === 'security' ? ['security'] : [])],
  };
  if (e.group === 'security' || sev === 'security') rule.securitySeverity = sev === 'security' ? 8.1 : 5.3;
  return rule;
}

/** The whole log: one run, rules referenced by index, results in the order given. */
export function sarifLog(
  tool: SarifTool,
  rules: readonly SarifRule[],
  results: readonly SarifResult[],
): object {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'cors-doctor',
            version: tool.version,
            ...(tool.informationUri ? { informationUri: tool.informationUri } : {}),
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.shortDescription },
              ...(r.fullDescription ? { fullDescription: { text: r.fullDescription } } : {}),
              ...(r.help ? { help: { text: r.help } } : {}),
              ...(r.helpUri ? { helpUri: r.helpUri } : {}),
              defaultConfiguration: { level: r.level },
              properties: {
                ...(r.tags ? { tags: r.tags } : {}),
                ...(r.securitySeverity !== undefined
                  ? { 'security-severity': r.securitySeverity.toFixed(1) }
                  : {}),
              },
            })),
          },
        },
        results: results.map((res) => ({
          ruleId: res.ruleId,
          ...(index.has(res.ruleId) ? { ruleIndex: index.get(res.ruleId) } : {}),
          level: res.level,
          message: { text: res.message },
          locations: res.locations.map((l) => ({
            physicalLocation: {
              artifactLocation: { uri: l.uri },
              ...(l.startLine !== undefined
                ? {
                    region: {
                      startLine: l.startLine,
                      ...(l.startColumn !== undefined ? { startColumn: l.startColumn } : {}),
                      ...(l.endLine !== undefined ? { endLine: l.endLine } : {}),
                      ...(l.endColumn !== undefined ? { endColumn: l.endColumn } : {}),
                      ...(l.snippet !== undefined ? { snippet: { text: l.snippet } } : {}),
                    },
                  }
                : {}),
            },
          })),
          ...(res.partialFingerprints ? { partialFingerprints: res.partialFingerprints } : {}),
          ...(res.properties ? { properties: res.properties } : {}),
        })),
      },
    ],
  };
}
