/**
 * The scan layer's contract: plain file text in, findings located in files out. Pure (no `node:`), so a
 * web page could scan pasted code; the file walker (src/cli/commands/scan.ts) does the reading.
 */
import type { FindingId, Severity } from '../catalog/ids.ts';
import type { Finding } from '../diagnosis/types.ts';

/** The stack a file belongs to: names the fix that applies to it. */
export type ScanStack =
  | 'browser'
  | 'express'
  | 'fastify'
  | 'koa'
  | 'hono'
  | 'nestjs'
  | 'nextjs'
  | 'node'
  | 'cors-doctor'
  | 'flask'
  | 'fastapi'
  | 'django'
  | 'rack'
  | 'spring'
  | 'go'
  | 'aspnet'
  | 'php'
  | 'nginx'
  | 'apache'
  | 'caddy'
  | 'haproxy'
  | 'vercel'
  | 'netlify'
  | 'serverless'
  | 's3';

export const SCAN_STACKS: readonly ScanStack[] = [
  'browser',
  'express',
  'fastify',
  'koa',
  'hono',
  'nestjs',
  'nextjs',
  'node',
  'cors-doctor',
  'flask',
  'fastapi',
  'django',
  'rack',
  'spring',
  'go',
  'aspnet',
  'php',
  'nginx',
  'apache',
  'caddy',
  'haproxy',
  'vercel',
  'netlify',
  'serverless',
  's3',
];

export interface ScanFile {
  /** Relative to the scan root, forward slashes. */
  path: string;
  text: string;
}

/** What a detector reports: an id at an offset range of the file, in its own words. */
export interface Hit {
  id: FindingId;
  /** Defaults to the catalog's severity. */
  severity?: Severity;
  start: number;
  end: number;
  stack: ScanStack;
  detail: string;
  fixSummary?: string;
}

export interface ScanLocation {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based, in UTF-16 code units (as SARIF's default columnKind). */
  column: number;
  endLine: number;
  endColumn: number;
  /** The whole source line(s) of the region, trimmed. */
  snippet: string;
}

export interface ScanFinding extends Finding {
  location: ScanLocation;
  stack: ScanStack;
  /** Found in a test, fixture or example file: reported at `info`. */
  inTest?: boolean;
}

export interface ScanOptions {
  /** Only files of these stacks (`--stack`); all when absent. */
  stacks?: readonly ScanStack[];
  /** Drop findings in test files instead of reporting them at `info`. */
  skipTests?: boolean;
}

export interface ScanResult {
  findings: ScanFinding[];
  /** Files read, and how many each detector understood (kind → count). */
  filesScanned: number;
  byKind: Record<string, number>;
}
