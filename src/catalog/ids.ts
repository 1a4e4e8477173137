/**
 * Stable finding ids (DESIGN.md, "Stable identifiers"). Scripts and tests key on these strings:
 * never rename one; add new ones at the end of their group.
 */
export const FINDING_IDS = [
  // 1 no Access-Control-Allow-Origin
  'missing-allow-origin',
  'origin-not-allowed',
  // 2 wildcard with credentials
  'wildcard-with-credentials',
  'credentials-not-allowed',
  // 3 preflight not handled
  'preflight-failed-status',
  'preflight-redirect',
  'method-not-allowed',
  'header-not-allowed',
  // 4 headers only on success
  'headers-missing-on-errors',
  // 5 duplicate headers
  'duplicate-cors-headers',
  // 6 no Vary: Origin
  'missing-vary-origin',
  // 7 typo in allowed origins
  'origin-mismatch',
  // 8 localhost in production
  'localhost-allowed',
  // 9 custom headers not exposed
  'header-not-exposed',
  // 10 CSP, not CORS
  'csp-blocks-request',
  // 11 CORS proxy in production
  'cors-proxy-in-use',
  // 12 CORS headers set by the front end
  'cors-headers-in-request',
  // security
  'origin-reflected',
  'null-origin-allowed',
  'insecure-origin-allowed',
  'origin-pattern-bypass',
  'subdomain-trusted',
  // not CORS
  'network-error',
  'mixed-content',
  'local-network-access',
  'opaque-response',
] as const;

export type FindingId = (typeof FINDING_IDS)[number];

/** The catalog's mistake numbers, 1–12. */
export type MistakeNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12;

/** error: the browser blocks it; warning: works now, breaks later or elsewhere; security: an attacker's page could read it. */
export type Severity = 'error' | 'warning' | 'security' | 'info';

export function isFindingId(value: string): value is FindingId {
  return (FINDING_IDS as readonly string[]).includes(value);
}
