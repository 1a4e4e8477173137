/**
 * Content Security Policy, as far as a page's fetch() is concerned (CSP Level 3): the effective
 * directive for fetch/XHR is `connect-src`, falling back to `default-src` (§6.8.3 "Get the effective
 * directive for request", §6.8.4 fallback list). Parsing is content-security-policy-parser's (the
 * spec's "parse a serialized CSP"); matching a URL against a source list is §6.7.2.5–6.7.2.8.
 * Deliberately not modelled: nonces/hashes (they never match a URL), 'strict-dynamic', report-only
 * policies (they block nothing), redirects (path matching is skipped after a redirect).
 */
import parseContentSecurityPolicy from 'content-security-policy-parser';

export interface CspBlock {
  /** The directive as Chrome quotes it, e.g. `connect-src 'self' https://x`. */
  directive: string;
  /** True when default-src decided because connect-src is absent. */
  fallback: boolean;
  /** The policy text the directive came from. */
  policy: string;
  source: 'header' | 'meta';
}

const HTTPISH = new Set(['http:', 'https:', 'ws:', 'wss:']);

function defaultPort(scheme: string): string {
  return scheme === 'https:' || scheme === 'wss:'
    ? '443'
    : scheme === 'http:' || scheme === 'ws:'
      ? '80'
      : '';
}

/** §6.7.2.7 scheme-part match (with the http→https / ws→wss upgrades). */
function schemeMatches(expr: string, url: string): boolean {
  const e = expr.toLowerCase();
  if (e === url) return true;
  return (
    (e === 'http:' && (url === 'https:' || url === 'wss:')) ||
    (e === 'ws:' && (url === 'wss:' || url === 'https:')) ||
    (e === 'https:' && url === 'wss:')
  );
}

function portMatches(exprPort: string | undefined, exprScheme: string | undefined, url: URL): boolean {
  const urlPort = url.port === '' ? defaultPort(url.protocol) : url.port;
  if (exprPort === '*') return true;
  if (exprPort === undefined || exprPort === '') {
    if (url.port === '') return true;
    // A default port written out still matches (§6.7.2.8 step 2).
    return urlPort === defaultPort(exprScheme ?? url.protocol);
  }
  if (exprPort === urlPort) return true;
  // http://host:80 also matches https://host:443 (upgrade).
  return exprScheme === 'http:' && exprPort === '80' && url.protocol === 'https:' && urlPort === '443';
}

/** §6.7.2.5 Does url match expression in origin (no redirect). */
export function matchesSourceExpression(expression: string, url: URL, self: URL | undefined): boolean {
  const expr = expression.trim();
  const lower = expr.toLowerCase();
  if (lower === '*')
    return HTTPISH.has(url.protocol) || (self !== undefined && url.protocol === self.protocol);
  if (/^[a-z][a-z0-9+.-]*:$/i.test(expr)) return schemeMatches(lower, url.protocol);
  if (lower === "'self'") {
    if (self === undefined) return false;
    if (url.origin === self.origin) return true;
    const upgrade =
      url.hostname === self.hostname &&
      ((self.protocol === 'http:' && (url.protocol === 'https:' || url.protocol === 'wss:')) ||
        (self.protocol === 'https:' && url.protocol === 'wss:'));
    const selfPort = self.port === '' ? defaultPort(self.protocol) : self.port;
    const urlPort = url.port === '' ? defaultPort(url.protocol) : url.port;
    return upgrade && (selfPort === urlPort || (selfPort === '80' && urlPort === '443'));
  }
  if (lower.startsWith("'")) return false; // keywords, nonces, hashes: never a URL match
  const m = /^(?:([a-z][a-z0-9+.-]*:)\/\/)?(\*|(?:\*\.)?[^/:]+)(?::(\*|\d+))?(\/.*)?$/i.exec(expr);
  if (m === null) return false;
  const [, scheme, host, port, path] = m;
  if (scheme !== undefined) {
    if (!schemeMatches(scheme.toLowerCase(), url.protocol)) return false;
  } else if (self !== undefined) {
    // No scheme: same as the protected resource's, or its secure upgrade.
    if (!schemeMatches(self.protocol, url.protocol)) return false;
  } else if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  const h = host!.toLowerCase();
  const urlHost = url.hostname.toLowerCase();
  if (h === '*') {
    // bare '*' handled above; '*' with scheme/port still needs a host
  } else if (h.startsWith('*.')) {
    if (!urlHost.endsWith(h.slice(1))) return false;
  } else if (h !== urlHost) return false;
  if (!portMatches(port, scheme?.toLowerCase(), url)) return false;
  if (path !== undefined && path !== '/') {
    const decoded = decodeURIComponentSafe(url.pathname);
    const want = decodeURIComponentSafe(path);
    if (want.endsWith('/') ? !decoded.startsWith(want) : decoded !== want) return false;
  }
  return true;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** CSP3 §2.2.2 "parse a serialized CSP list": a header value may hold several policies, comma-separated. */
function splitPolicies(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The first enforced policy that blocks a fetch of `url` from a page at `pageUrl`, or undefined.
 * Every policy must allow it (§4.2.1: each policy is checked independently).
 */
export function cspBlocks(
  policies: { header: string[]; meta: string[] },
  pageUrl: string,
  url: string,
): CspBlock | undefined {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return undefined;
  }
  let self: URL | undefined;
  try {
    self = new URL(pageUrl);
  } catch {
    self = undefined;
  }
  const all = [
    ...policies.header.flatMap((h) => splitPolicies(h).map((p) => ({ p, source: 'header' as const }))),
    ...policies.meta.flatMap((h) => splitPolicies(h).map((p) => ({ p, source: 'meta' as const }))),
  ];
  for (const { p, source } of all) {
    const parsed = parseContentSecurityPolicy(p);
    const connect = parsed.get('connect-src');
    const fallback = connect === undefined;
    const list = connect ?? parsed.get('default-src');
    if (list === undefined) continue;
    const name = fallback ? 'default-src' : 'connect-src';
    const directive = [name, ...list].join(' ');
    const none = list.length === 0 || (list.length === 1 && list[0]!.toLowerCase() === "'none'");
    if (none || !list.some((e) => matchesSourceExpression(e, target, self)))
      return { directive, fallback, policy: p, source };
  }
  return undefined;
}

/** The line Chrome prints (Chromium csp_directive_list.cc, CheckSourceAndReportViolation). */
export function chromeCspLine(url: string, block: CspBlock): string {
  const note = block.fallback
    ? " Note that 'connect-src' was not explicitly set, so 'default-src' is used as a fallback."
    : '';
  return `Refused to connect to '${url}' because it violates the following Content Security Policy directive: "${block.directive}".${note}`;
}
