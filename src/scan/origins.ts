/**
 * Checks on one configured origin (a literal from an allow-list) or one origin pattern, shared by every
 * language and config detector. Each returns what is wrong with it, in words, or nothing.
 */
import type { FindingId, Severity } from '../catalog/ids.ts';

export interface OriginProblem {
  id: FindingId;
  severity?: Severity;
  detail: string;
  fixSummary?: string;
}

export interface OriginContext {
  /** The list also allows credentials (cookies): localhost and `null` become security findings. */
  credentials: boolean | undefined;
  /** The literal sits under a development check (`NODE_ENV`, `DEBUG`, `IsDevelopment()`…). */
  guarded: boolean;
  /** The library compares strings exactly, so `*` inside one is a literal star, not a wildcard. */
  literalStars?: boolean;
  /** The library accepts a bare host (rack-cors `'example.com'`): no scheme is not a typo. */
  bareHostOk?: boolean;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\]|0\.0\.0\.0)$/i;

/** Is this configured value a loopback origin (http://localhost:3000, 127.0.0.1…)? */
export function isLoopbackOrigin(value: string): boolean {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/:]+|\[[^\]]+\])/i.exec(value.trim());
  const host = m ? m[1]! : value.trim().split(/[:/]/)[0]!;
  return LOOPBACK.test(host);
}

export function checkOrigin(raw: string, ctx: OriginContext): OriginProblem[] {
  const value = raw;
  const t = value.trim();
  if (t === '*' || t === '') return [];
  if (t.toLowerCase() === 'null') {
    return [
      {
        id: 'null-origin-allowed',
        detail:
          "'null' is on the allow-list: sandboxed iframes and file: pages send Origin: null, and any attacker can produce it.",
      },
    ];
  }
  if (isLoopbackOrigin(t)) {
    if (ctx.guarded) return [];
    return [
      {
        id: 'localhost-allowed',
        severity: ctx.credentials ? 'security' : 'warning',
        detail: `'${t}' is on an allow-list that is not limited to development${ctx.credentials ? ', with credentials: any page served from that port on a user’s machine can read the API as the user' : ''}.`,
        fixSummary:
          'Read the allowed origins from the environment, or add the localhost origins only when NODE_ENV/DEBUG says development.',
      },
    ];
  }
  const m = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/i.exec(t);
  if (!m) return [];
  const [, scheme, authority, rest] = m as unknown as [string, string, string, string];
  const clean = `${scheme.toLowerCase()}://${authority.toLowerCase().replace(/:(443|80)$/, (p) => ((p === ':443' && scheme.toLowerCase() === 'https') || (p === ':80' && scheme.toLowerCase() === 'http') ? '' : p))}`;
  const typo = (why: string): OriginProblem[] => [
    {
      id: 'origin-mismatch',
      detail: `'${value}' can never equal the Origin a browser sends: ${why}.`,
      fixSummary: `Write the origin exactly as the browser sends it: '${clean}'.`,
    },
  ];
  if (value !== t) return typo('it has white space around it');
  if (rest !== '')
    return typo(
      rest === '/'
        ? 'it ends with a slash (an origin has no path)'
        : 'it has a path (an origin is scheme://host[:port] only)',
    );
  if (/:443$/.test(authority) && scheme.toLowerCase() === 'https')
    return typo('it spells out the default port 443, which the browser leaves out');
  if (/:80$/.test(authority) && scheme.toLowerCase() === 'http')
    return typo('it spells out the default port 80, which the browser leaves out');
  if (/[A-Z]/.test(authority) || /[A-Z]/.test(scheme))
    return typo('it has capitals; browsers send the scheme and host in lower case');
  if (ctx.literalStars && authority.includes('*')) {
    return [
      {
        id: 'origin-mismatch',
        detail: `'${value}' is compared as a plain string: the '*' is a literal star, not a wildcard, so no origin matches it.`,
        fixSummary:
          'List the subdomains one by one, or use an anchored regular expression such as /^https:\\/\\/[a-z0-9-]+\\.example\\.com$/.',
      },
    ];
  }
  return [];
}

/**
 * An origin regex that lets an attacker's domain through: not anchored at the end
 * (`example.com.attacker.test`), not anchored before the host (`evilexample.com`), or an unescaped dot in
 * the host (`exampleXcom`). Returns the reason, or null when the pattern is tight.
 */
export function regexBypass(source: string): string | null {
  let s = source;
  if (s === '.*' || s === '^.*$' || s === '.+' || s === '^.+$') return null; // "any origin": judged as reflection elsewhere
  const endAnchored = /(?<!\\)\$$/.test(s) || s.endsWith('\\z') || s.endsWith('\\Z');
  // A pattern for a port or a path is not an origin pattern we understand.
  if (!/[a-z0-9]\\?\.[a-z]/i.test(s.replace(/\\\./g, '.'))) return null;
  const example = hostOf(s);
  if (!endAnchored) return `it is not anchored at the end, so https://${example}.attacker.test matches it`;
  s = s.replace(/^\^/, '');
  const startAnchored = source.startsWith('^') || source.startsWith('\\A');
  // The host part: after an optional scheme.
  const afterScheme = s.replace(/^(\(?https\?\)?|https\??|http)(:\\?\/\\?\/|:\/\/)/, '');
  if (!startAnchored && afterScheme === s) {
    const first = afterScheme.replace(/^\(\?:/, '(');
    if (/^[a-z0-9(]/i.test(first))
      return `it is not anchored at the start, so https://evil${example} matches it`;
  }
  // Unescaped dot between host labels (outside a character class).
  const noClasses = s.replace(/\[[^\]]*\]/g, 'X');
  if (/[a-z0-9)]\.(?![*+?])[a-z]/i.test(noClasses)) {
    return `a dot in it is not escaped, so it matches any character (https://${example.replace(/\.(?=[^.]*$)/, 'x')} matches)`;
  }
  return null;
}

function hostOf(pattern: string): string {
  const m = /([a-z0-9-]+(?:\\?\.[a-z0-9-]+)+)/i.exec(
    pattern.replace(/^\^?(\(?https\??\)?|https?)(:\\?\/\\?\/)?/, ''),
  );
  return m ? m[1]!.replace(/\\\./g, '.') : 'example.com';
}

/** A substring test (`endsWith('example.com')`, `includes`, `startsWith`, `indexOf`) on an origin: the bypass, or null. */
export function substringBypass(method: string, needle: string): string | null {
  const n = needle.trim();
  if (!/[a-z0-9-]\.[a-z]/i.test(n)) return null;
  switch (method) {
    case 'endsWith':
      // `.example.com` admits only subdomains; a whole origin ends with the host: `evilexample.com` passes otherwise.
      if (n.startsWith('.')) return null;
      return `endsWith('${n}') also accepts https://evil${n.replace(/^https?:\/\//, '')}`;
    case 'startsWith':
      return `startsWith('${n}') also accepts ${n.replace(/\/$/, '')}.attacker.test`;
    case 'includes':
    case 'indexOf':
    case 'contains':
    case 'search':
    case 'match':
      return `${method}('${n}') also accepts https://${n.replace(/^https?:\/\//, '')}.attacker.test`;
    default:
      return null;
  }
}

/** Text of a condition that limits code to development. */
export const DEV_GUARD =
  /NODE_ENV|\bisDev\w*|\bdevelopment\b|\bIsDevelopment\b|\bDEBUG\b|\bdev(Mode)?\b|\bis_dev\w*|\blocal\b|Rails\.env|APP_ENV|\bENV\b.*(dev|local)|\bisLocal\w*/i;

/** A file that only runs in development or tests (settings/dev.py, config/environments/development.rb, .env.local…). */
export function isDevFile(path: string): boolean {
  return (
    /(^|[/._-])(dev|development|local|test|testing)([/._-]|$)/i.test(path.replace(/^.*\//, '')) ||
    /(^|\/)environments\/(development|test)\b/.test(path)
  );
}
