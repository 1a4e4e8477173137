/**
 * The case a fix is built for: what the page's request needs (its exact origin, the methods and request
 * headers, the response headers it reads, credentials) and what the findings say must change. Every
 * stack's generator reads only this, so one diagnosis gives one fix per stack.
 */
import { isCorsSafelistedRequestHeader } from '../browser/request-headers.ts';
import type { FindingId } from '../catalog/ids.ts';
import type { CheckInput, Finding } from '../diagnosis/types.ts';

/** What must change, beyond "send the right headers" (each maps from one or more finding ids). */
export type Change =
  /** CORS must run before authentication, routing and error handlers, and on every status (mistakes 3, 4). */
  | 'first-and-always'
  /** Two layers add CORS headers: keep one, remove the other's (mistake 5). */
  | 'one-layer'
  /** The Allow-Origin value depends on Origin: send `Vary: Origin` (mistake 6). */
  | 'vary'
  /** The allow-list holds a near-miss of the page's origin: replace it with the exact one (mistake 7). */
  | 'replace-origin'
  /** Development origins in the production list (mistake 8). */
  | 'no-localhost'
  /** Any origin (or null, http://, a loose pattern, every subdomain) is accepted: an exact list instead. */
  | 'exact-list'
  /** Credentials with `*`, or without `Allow-Credentials: true` (mistake 2). */
  | 'credentials'
  /** A response header the script reads is not exposed (mistake 9). */
  | 'expose';

/** Fixes that belong to the front end or the network, not to the server's CORS configuration. */
export type FrontEndChange = 'remove-request-cors-headers' | 'drop-cors-proxy' | 'csp-connect-src' | 'https';

export interface FixCase {
  /** The page's exact origin (the one origin the fix allows). */
  origin: string;
  /** Methods the server must accept, upper-case: always GET, HEAD, POST, plus the page's own. */
  methods: string[];
  /** Request headers the preflight must allow (lower-case, script-set, not safelisted). */
  requestHeaders: string[];
  /** Response headers the script reads (as typed, e.g. `X-Request-ID`). */
  expose: string[];
  credentials: boolean;
  /** Seconds a browser may cache the preflight. */
  maxAge: number;
  /** The request path (for "where it goes"). */
  path: string;
  /** The API's scheme and host as the page calls it (`https://api.example.com`), for site blocks. */
  site: string;
  changes: Change[];
  frontEnd: FrontEndChange[];
  /** The finding ids the fix answers, in report order. */
  ids: FindingId[];
  /** `origin-mismatch`: the near-miss origin the server accepts instead (to remove), when known. */
  nearMiss?: string;
}

const CHANGES: Partial<Record<FindingId, Change[]>> = {
  'missing-allow-origin': ['first-and-always', 'vary'],
  'origin-not-allowed': ['vary'],
  'preflight-failed-status': ['first-and-always'],
  'preflight-redirect': ['first-and-always'],
  'method-not-allowed': [],
  'header-not-allowed': [],
  'headers-missing-on-errors': ['first-and-always'],
  'duplicate-cors-headers': ['one-layer'],
  'missing-vary-origin': ['vary'],
  'origin-mismatch': ['replace-origin', 'vary'],
  'localhost-allowed': ['no-localhost', 'exact-list'],
  'wildcard-with-credentials': ['credentials', 'exact-list', 'vary'],
  'credentials-not-allowed': ['credentials'],
  'header-not-exposed': ['expose'],
  'origin-reflected': ['exact-list', 'vary'],
  'null-origin-allowed': ['exact-list'],
  'insecure-origin-allowed': ['exact-list'],
  'origin-pattern-bypass': ['exact-list'],
  'subdomain-trusted': ['exact-list'],
};

const FRONT_END: Partial<Record<FindingId, FrontEndChange>> = {
  'cors-headers-in-request': 'remove-request-cors-headers',
  'cors-proxy-in-use': 'drop-cors-proxy',
  'csp-blocks-request': 'csp-connect-src',
  'mixed-content': 'https',
};

const SAFE = ['GET', 'HEAD', 'POST'];
const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];

/** An origin written in a finding's text (the near-miss the server accepts), other than the page's. */
function nearMissOf(findings: readonly Finding[], origin: string): string | undefined {
  const f = findings.find((x) => x.id === 'origin-mismatch');
  if (!f) return undefined;
  const found = `${f.detail}\n${f.evidence.join('\n')}`.match(/\b(?:https?:\/\/[^\s'"`),;]+)/g) ?? [];
  return found.map((u) => u.replace(/[.\]]+$/, '')).find((u) => u !== origin && !u.includes('/', 8));
}

/** The FixCase for one diagnosis: the check's input plus its findings. */
export function fixCase(input: CheckInput, findings: readonly Finding[]): FixCase {
  const r = input.request;
  const method = r.method.toUpperCase();
  const ids = uniq(findings.map((f) => f.id));
  const requestHeaders = uniq(
    r.headers
      .filter(([name, value]) => !isCorsSafelistedRequestHeader(name, value))
      .map(([name]) => name.toLowerCase())
      // Access-Control-* in a request is the front end's mistake (12): the fix removes it there.
      .filter((name) => !name.startsWith('access-control-')),
  );
  const exposedFromFindings = findings
    .filter((f) => f.id === 'header-not-exposed')
    .flatMap((f) => `${f.detail} ${f.evidence.join(' ')}`.match(/\b[Xx]-[A-Za-z0-9-]+\b/g) ?? []);
  const expose = uniq([...input.expose, ...exposedFromFindings].map((h) => h.trim())).filter(
    (h, i, all) => all.findIndex((o) => o.toLowerCase() === h.toLowerCase()) === i,
  );
  let path = '/';
  let site = 'https://api.example.com';
  try {
    const u = new URL(r.url);
    path = u.pathname;
    site = u.origin;
  } catch {
    // A bad URL never reaches here from the CLI; keep the root.
  }
  const c: FixCase = {
    origin: r.origin,
    methods: uniq([...SAFE, method]),
    requestHeaders,
    expose,
    credentials: r.credentials === 'include',
    maxAge: 600,
    path,
    site,
    changes: uniq(ids.flatMap((id) => CHANGES[id] ?? [])),
    frontEnd: uniq(ids.flatMap((id) => (FRONT_END[id] ? [FRONT_END[id]] : []))),
    ids,
  };
  // Any dynamic Allow-Origin (one listed origin echoed back) needs Vary: Origin; every fix here is one.
  if (!c.changes.includes('vary')) c.changes.push('vary');
  const near = nearMissOf(findings, r.origin);
  if (near) c.nearMiss = near;
  return c;
}

/** The example case the catalog's docs show for one id (a PUT with a token, cookies, X-Request-ID read). */
export function sampleCase(id: FindingId): FixCase {
  const c = fixCase(
    {
      request: {
        url: 'https://api.example.com/api/items',
        origin: 'https://app.example.com',
        method: 'PUT',
        headers: [
          ['Authorization', 'Bearer <token>'],
          ['Content-Type', 'application/json'],
        ],
        credentials: 'include',
        mode: 'cors',
      },
      expose: ['X-Request-ID'],
    },
    [{ id, detail: '', evidence: [] } as unknown as Finding],
  );
  if (id === 'origin-mismatch') c.nearMiss = 'https://app.exmaple.com';
  return c;
}

// Helpers the generators share.
export const q = (s: string) => `'${s}'`;
export const dq = (s: string) => `"${s}"`;
export const jsList = (xs: readonly string[]) => `[${xs.map(q).join(', ')}]`;
export const pyList = jsList;
export const dqList = (xs: readonly string[]) => `[${xs.map(dq).join(', ')}]`;
export const csv = (xs: readonly string[]) => xs.join(', ');
/** Header names as people write them (`authorization` → `Authorization`, `x-api-key` → `X-Api-Key`). */
export const titleCase = (h: string) =>
  h.replace(/(^|-)([a-z])/g, (_, d: string, ch: string) => d + ch.toUpperCase());
/** Methods the preflight must allow (the safelisted ones need not be listed, but listing them is harmless). */
export const preflightMethods = (c: FixCase) => uniq([...c.methods, 'OPTIONS']);
/** A regular expression that matches exactly the origin (for Apache SetEnvIf, HAProxy, Caddy). */
export const exactRegex = (origin: string) => `^${origin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`;
