/**
 * Origins the probes send instead of the page's own, and what they mean. Pure (WHATWG URL and the Public
 * Suffix List).
 *
 * Only the Origin request header changes: the probes go to the same URL, so none of these host names is
 * ever resolved or contacted. Several are deliberately not serialized origins (a trailing slash, an
 * explicit default port, upper case): a browser never sends them, but a server whose allow-list holds
 * such a typo answers them, which is what mistake 7's diagnosis needs to see.
 */
import { registrableDomain } from '../browser/public-suffix.ts';

export interface OriginParts {
  scheme: 'http' | 'https';
  host: string;
  /** Explicit port, '' when default. */
  port: string;
}

export function originParts(origin: string): OriginParts | undefined {
  if (origin === 'null') return undefined;
  try {
    const u = new URL(origin);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    return { scheme: u.protocol === 'https:' ? 'https' : 'http', host: u.hostname, port: u.port };
  } catch {
    return undefined;
  }
}

function serialize(p: OriginParts): string {
  return `${p.scheme}://${p.host}${p.port === '' ? '' : `:${p.port}`}`;
}

export interface OriginVariant {
  /** Probe name (kebab-case, unique). */
  name: string;
  origin: string;
  /** What the variant stands for, in a few words. */
  label: string;
}

/**
 * Mistake 7's near-miss variants of the page's origin: the other scheme, with/without `www.`, the
 * explicit default port, a trailing slash, another case.
 */
export function nearMissVariants(origin: string): OriginVariant[] {
  const p = originParts(origin);
  if (p === undefined) return [];
  const out: OriginVariant[] = [];
  const other = p.scheme === 'https' ? 'http' : 'https';
  out.push({
    name: `origin-${other}`,
    origin: serialize({ ...p, scheme: other }),
    label: `the ${other}:// form`,
  });
  const isIp = /^[\d.]+$/.test(p.host) || p.host.includes(':');
  if (!isIp && p.host !== 'localhost') {
    const www = p.host.startsWith('www.') ? p.host.slice(4) : `www.${p.host}`;
    out.push({
      name: 'origin-near-www',
      origin: serialize({ ...p, host: www }),
      label: p.host.startsWith('www.') ? 'without www.' : 'with www.',
    });
  }
  if (p.port === '') {
    out.push({
      name: 'origin-near-port',
      origin: `${serialize(p)}:${p.scheme === 'https' ? 443 : 80}`,
      label: 'with the default port written out',
    });
  }
  out.push({ name: 'origin-near-slash', origin: `${serialize(p)}/`, label: 'with a trailing slash' });
  // An allow-list entry written with capitals never equals what the browser sends (it lower-cases the
  // host); a server comparing strings exactly answers only that spelling, so try the usual ones.
  const labels = p.host.split('.');
  const cap = (l: string) => l.charAt(0).toUpperCase() + l.slice(1);
  const cases: [string, string, string][] = [
    ['origin-near-case', p.host.toUpperCase(), 'in upper case'],
    [
      'origin-near-case-title',
      [...labels.slice(0, -1).map(cap), labels[labels.length - 1]!].join('.'),
      'with capitalised names',
    ],
    [
      'origin-near-case-first',
      [cap(labels[0]!), ...labels.slice(1)].join('.'),
      'with a capital first letter',
    ],
  ];
  const seen = new Set([p.host]);
  if (!isIp)
    for (const [name, host, label] of cases) {
      if (seen.has(host)) continue;
      seen.add(host);
      out.push({ name, origin: serialize({ ...p, host }), label });
    }
  return out;
}

/**
 * Is `value` (an Access-Control-Allow-Origin value, or an allow-list entry) a near miss of `origin`:
 * equal after forgiving case, a trailing slash or path, a default port, the scheme, `www.`, or a
 * missing scheme? Returns the difference in words, or undefined.
 */
export function nearMiss(value: string, origin: string): string | undefined {
  const p = originParts(origin);
  if (p === undefined || value === origin) return undefined;
  const v = value.trim();
  if (v.endsWith('/') && v.replace(/\/+$/, '') === origin) return 'a trailing slash';
  if (v.toLowerCase() === origin.toLowerCase()) return 'a difference in case';
  let u: URL;
  try {
    u = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(v) ? v : `${p.scheme}://${v}`);
  } catch {
    return undefined;
  }
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(v) && u.origin === origin) return 'no scheme';
  if (u.origin === origin) {
    if (u.pathname !== '/' || u.search !== '') return 'a path';
    return 'the default port written out';
  }
  const q = originParts(u.origin);
  if (q === undefined) return undefined;
  if (q.host === p.host && q.port === p.port && q.scheme !== p.scheme) return `the ${q.scheme}:// scheme`;
  const bare = (h: string) => (h.startsWith('www.') ? h.slice(4) : h);
  if (q.scheme === p.scheme && q.port === p.port && q.host !== p.host && bare(q.host) === bare(p.host))
    return q.host.startsWith('www.') ? 'an extra www.' : 'a missing www.';
  return undefined;
}

/** The attacker origins of the security probes (scanner-anchors.md §4, patterns 1–3, 4, 7–9). */
export function attackerVariants(origin: string): OriginVariant[] {
  const out: OriginVariant[] = [
    { name: 'origin-arbitrary', origin: 'https://attacker.test', label: 'an arbitrary origin' },
    { name: 'origin-null', origin: 'null', label: 'the null origin (sandboxed iframes, file: pages)' },
  ];
  const p = originParts(origin);
  if (p === undefined) return out;
  const isIp = /^[\d.]+$/.test(p.host) || p.host.includes(':');
  if (isIp) return out;
  const registrable = registrableDomain(p.host) ?? p.host;
  out.push({
    name: 'origin-prefix',
    origin: serialize({ ...p, host: `${p.host}.attacker.test` }),
    label: 'your host as the prefix of another domain',
  });
  out.push({
    name: 'origin-suffix',
    origin: serialize({ ...p, host: `attacker${registrable}` }),
    label: 'your domain as the suffix of another domain',
  });
  const dots = p.host.split('.').length - 1;
  if (dots >= 2) {
    out.push({
      name: 'origin-unescaped-dot',
      origin: serialize({ ...p, host: p.host.replace('.', 'x') }),
      label: 'a dot of your host replaced by a letter (an unescaped regex dot)',
    });
  }
  if (p.scheme === 'https') {
    out.push({
      name: 'origin-http',
      origin: serialize({ ...p, scheme: 'http' }),
      label: 'the http:// form of your origin',
    });
  }
  out.push({
    name: 'origin-subdomain',
    origin: serialize({ ...p, host: `attacker.${registrable}` }),
    label: 'an arbitrary subdomain of your domain',
  });
  return out;
}

/** Development origins a production allow-list should not hold (mistake 8). */
export const DEV_ORIGINS: OriginVariant[] = [
  'http://localhost:3000',
  'http://localhost:5173',
  'http://localhost:8080',
  'http://localhost:4200',
  'http://127.0.0.1:3000',
  'http://127.0.0.1:5173',
].map((o) => ({
  name: `origin-dev-${o.replace(/^http:\/\//, '').replace(/[.:]/g, '-')}`,
  origin: o,
  label: o,
}));

/** Loopback host: `localhost`, `*.localhost`, 127.0.0.0/8, ::1 (Fetch "potentially trustworthy"). */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}

export function isLoopbackOrigin(origin: string): boolean {
  const p = originParts(origin);
  return p !== undefined && isLoopbackHost(p.host);
}

/** Private (RFC 1918, link-local, CGNAT, ULA) IP literals: the LNA spec's `local` address space. */
export function isPrivateIpHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  const m = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(h);
  if (m) {
    const a = Number(m[1]);
    const b = Number(m[2]);
    return (
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  return /^f[cd][0-9a-f]{2}:/.test(h) || /^fe[89ab][0-9a-f]:/.test(h);
}

/** Every origin probe's name → the origin it sends. */
export function probeOrigins(origin: string): Map<string, string> {
  const all = [...nearMissVariants(origin), ...attackerVariants(origin), ...DEV_ORIGINS];
  return new Map(all.map((v) => [v.name, v.origin]));
}
