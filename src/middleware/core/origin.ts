/**
 * Origins in the policy and on the request. An origin is serialized as `scheme://host[:port]`
 * (HTML "serialization of an origin"): lower-case scheme and host, no path, no default port. The policy
 * accepts exact origins and two safe patterns: `*.` as the first label (one or more subdomain labels)
 * and `:*` as the port (any port). No regular expressions: unanchored user regexes are how peers let
 * `https://evil-example.com` in (expressjs/cors #408).
 *
 * Other schemes real clients send (`capacitor://localhost`, `chrome-extension://<id>`, `tauri://localhost`)
 * are accepted as exact origins only (no patterns). Not modelled: IDN input (punycode is required, as
 * browsers send it), IPv6 patterns other than an exact `[::1]`-style host.
 */
import { publicSuffixAt } from '../../browser/public-suffix.ts';
import type { ProblemCode } from './problems.ts';

export interface OriginPattern {
  scheme: 'http' | 'https';
  /** For `*.example.com`: `.example.com`; null for an exact host. */
  suffix: string | null;
  /** The exact host when `suffix` is null. */
  host: string;
  /** '' (default port), a decimal port, or '*' (any port, the default included). */
  port: string;
}

export type ParsedOriginSpec =
  | { kind: 'exact'; origin: string; scheme: string; host: string; port: string }
  | { kind: 'pattern'; pattern: OriginPattern }
  | { kind: 'invalid'; problems: { code: ProblemCode; message: string }[] };

const DEFAULT_PORT = { http: '80', https: '443' } as const;

/** [a-z0-9-._]: underscores are legitimate in DNS names (`my_app.example.com`), and browsers send them. */
function isLowerHostChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0x5f;
}

/**
 * WHATWG URL "ends in a number": the last label is decimal or 0x-hex, so the URL parser reads the host
 * as IPv4 (`0x7f.0.0.1` → 127.0.0.1) or fails (`example.123`). Such a host must be a canonical dotted
 * quad, or no browser ever sends it.
 */
function endsInNumber(host: string): boolean {
  const last = host.slice(host.lastIndexOf('.') + 1);
  return /^[0-9]+$/.test(last) || /^0x[0-9a-f]*$/.test(last);
}

/** A lower-case DNS name or dotted-quad IPv4: labels of [a-z0-9-_], no empty label, at most 253 chars. */
export function isValidHost(host: string): boolean {
  if (host.length === 0 || host.length > 253) return false;
  if (host.charCodeAt(0) === 0x5b) return isCanonicalIPv6(host);
  let labelStart = 0;
  let allDigitsOrDots = true;
  for (let i = 0; i <= host.length; i++) {
    const c = i === host.length ? 0x2e : host.charCodeAt(i);
    if (c === 0x2e) {
      const len = i - labelStart;
      if (len === 0 || len > 63) return false;
      if (host.charCodeAt(labelStart) === 0x2d || host.charCodeAt(i - 1) === 0x2d) return false;
      labelStart = i + 1;
      continue;
    }
    if (!isLowerHostChar(c)) return false;
    if (c < 0x30 || c > 0x39) allDigitsOrDots = false;
  }
  // Numeric hosts must be a canonical dotted quad: browsers rewrite `0x7f.1` or `127.1` to 127.0.0.1.
  if (allDigitsOrDots || endsInNumber(host)) return isDottedQuad(host);
  return true;
}

function isDottedQuad(host: string): boolean {
  const parts = host.split('.');
  if (parts.length !== 4) return false;
  return parts.every((p) => /^(0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255);
}

function isCanonicalIPv6(host: string): boolean {
  if (!host.endsWith(']') || host.length > 41) return false;
  // IPv4-mapped addresses (`[::ffff:7f00:1]`) name an IPv4 host in disguise; no browser page has one.
  if (host.startsWith('[::ffff:')) return false;
  try {
    return new URL(`http://${host}/`).hostname === host;
  } catch {
    return false;
  }
}

/** localhost, *.localhost, 127.0.0.0/8, [::1], 0.0.0.0, [::]: origins only a developer's machine serves. */
export function isLoopbackHost(host: string): boolean {
  return host === '0.0.0.0' || host === '[::]' || isTrustworthyLoopback(host);
}

/**
 * Hosts a browser treats as a secure context over plain http (HTML "potentially trustworthy origin"):
 * localhost, *.localhost, 127.0.0.0/8, [::1]. Not 0.0.0.0 or [::]: those are not loopback to a browser,
 * so http pages there are as exposed as any other http page.
 */
export function isTrustworthyLoopback(host: string): boolean {
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host === '[::1]' ||
    (host.startsWith('127.') && isDottedQuad(host))
  );
}

/** Schemes whose pages send `Origin: null` (or nothing a server can list). */
const NULL_ORIGIN_SCHEMES = new Set(['file', 'data', 'blob', 'about', 'javascript', 'filesystem']);
/** Schemes that are not page origins at all (WebSocket URLs carry the page's http(s) origin). */
const NOT_PAGE_SCHEMES = new Set(['ws', 'wss', 'ftp', 'mailto']);

/** The origin a URL-ish string most likely meant, for messages ("write X instead"). */
function suggestion(spec: string): string | null {
  const withScheme = spec.includes('://') ? spec : `https://${spec}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
    return url.origin;
  } catch {
    return null;
  }
}

/** Parse one entry of the `origins` list (not `*`). Reports every problem the entry has. */
export function parseOriginSpec(spec: string): ParsedOriginSpec {
  const problems: { code: ProblemCode; message: string }[] = [];
  const fix = suggestion(spec);
  const instead = fix && fix !== spec ? ` Write '${fix}' instead.` : '';
  const bad = (code: ProblemCode, message: string) => problems.push({ code, message });

  if (spec.length === 0) {
    bad(
      'origin-empty',
      "An empty string is not an origin. Remove it, or write the page's origin, e.g. 'https://app.example.com'.",
    );
    return { kind: 'invalid', problems };
  }
  if (spec === 'null') {
    bad(
      'origin-null',
      "'null' is the origin of sandboxed iframes, file: pages and some redirects; any site can produce it, so allowing it lets any site in. Serve the page from a real origin and list that.",
    );
    return { kind: 'invalid', problems };
  }
  if (/[\s\u0000-\u001f\u007f]/.test(spec)) {
    bad(
      'origin-invalid-host',
      `'${escapeForMessage(spec)}' contains whitespace or control characters.${instead}`,
    );
    return { kind: 'invalid', problems };
  }
  const sep = spec.indexOf('://');
  if (sep <= 0) {
    bad(
      'origin-missing-scheme',
      `'${spec}' has no scheme; browsers send the origin with one.${fix ? ` Write '${fix}' (or 'http://…' if the page is served over http).` : ''}`,
    );
    return { kind: 'invalid', problems };
  }
  const rawScheme = spec.slice(0, sep);
  const scheme = rawScheme.toLowerCase();
  if (NULL_ORIGIN_SCHEMES.has(scheme)) {
    bad(
      'origin-unsupported-scheme',
      `'${spec}': ${scheme}: pages send 'Origin: null', which any site can produce, so this can never be allowed safely. Serve the page from an https origin and list that.`,
    );
    return { kind: 'invalid', problems };
  }
  if (NOT_PAGE_SCHEMES.has(scheme)) {
    bad(
      'origin-unsupported-scheme',
      `'${spec}': ${scheme}: is not the scheme of a page; browsers send the page's own origin (https://… or http://…). List that.`,
    );
    return { kind: 'invalid', problems };
  }
  if (scheme !== 'http' && scheme !== 'https')
    return parseOtherScheme(spec, rawScheme, scheme, bad, problems);
  const rest = spec.slice(sep + 3);
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '/' || c === '?' || c === '#') {
      end = i;
      break;
    }
  }
  const authority = rest.slice(0, end);
  const tail = rest.slice(end);
  if (tail === '/')
    bad(
      'origin-trailing-slash',
      `'${spec}' ends with '/'; an origin has no path, so it never matches.${instead}`,
    );
  else if (tail.startsWith('/') && !/[?#]/.test(tail))
    bad('origin-has-path', `'${spec}' has a path; an origin is only scheme://host[:port].${instead}`);
  else if (tail.length > 0)
    bad(
      'origin-has-query',
      `'${spec}' has a path, query or fragment; an origin is only scheme://host[:port].${instead}`,
    );
  if (authority.includes('@'))
    bad('origin-has-userinfo', `'${spec}' has a user name or password; origins never carry them.${instead}`);
  if (rawScheme !== scheme)
    bad('origin-upper-case', `'${spec}': the scheme must be lower case, as browsers send it.${instead}`);

  const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
  let host: string;
  let port = '';
  if (hostPort.startsWith('[')) {
    const close = hostPort.indexOf(']');
    host = close < 0 ? hostPort : hostPort.slice(0, close + 1);
    const after = close < 0 ? '' : hostPort.slice(close + 1);
    if (after.startsWith(':')) port = after.slice(1);
    else if (after.length > 0) port = after;
  } else {
    const colon = hostPort.lastIndexOf(':');
    host = colon < 0 ? hostPort : hostPort.slice(0, colon);
    port = colon < 0 ? '' : hostPort.slice(colon + 1);
    if (colon >= 0 && port === '')
      bad('origin-invalid-port', `'${spec}' ends with ':' and no port.${instead}`);
  }
  if (port !== '' && port !== '*') {
    if (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535)
      bad(
        'origin-invalid-port',
        `'${spec}': the port must be a number from 1 to 65535 without leading zeros.${instead}`,
      );
    else if (port === DEFAULT_PORT[scheme])
      bad(
        'origin-default-port',
        `'${spec}' names the default port ${port}; browsers leave it out of the Origin header, so this never matches.${instead}`,
      );
  }
  // A numeric-looking host is reported once, as invalid (below), not also as upper case.
  if (host !== host.toLowerCase() && !endsInNumber(host.toLowerCase()))
    bad(
      'origin-upper-case',
      `'${spec}': the host must be lower case; browsers lower-case it in the Origin header.${instead}`,
    );
  const lowerHost = host.toLowerCase();
  let suffix: string | null = null;
  let checkHost = lowerHost;
  if (lowerHost.startsWith('*.')) {
    suffix = lowerHost.slice(1);
    checkHost = lowerHost.slice(2);
  }
  if (checkHost.includes('*')) {
    bad(
      'origin-pattern-invalid',
      `'${spec}': '*' may only stand for whole subdomain labels at the start ('https://*.example.com') or for the port ('http://localhost:*').`,
    );
  } else if (/[^\u0000-\u007f]/.test(checkHost)) {
    bad(
      'origin-invalid-host',
      `'${spec}': browsers send internationalized hosts in punycode.${fix ? ` Write '${fix}' instead.` : ''}`,
    );
  } else if (!isValidHost(checkHost)) {
    bad(
      'origin-invalid-host',
      `'${spec}': '${host}' is not a valid host (lower-case DNS name, dotted-quad IPv4 or compressed IPv6 in brackets).`,
    );
  } else if (suffix !== null) {
    if (checkHost.startsWith('[') || isDottedQuad(checkHost)) {
      bad('origin-pattern-invalid', `'${spec}': subdomain patterns need a domain name, not an IP address.`);
    } else if (checkHost !== 'localhost' && !checkHost.includes('.')) {
      bad(
        'origin-pattern-public-suffix',
        `'${spec}': '${checkHost}' is a top-level domain, so this pattern admits sites anyone can register. List your own domain or exact origins.`,
      );
    } else {
      const psl = checkHost === 'localhost' ? null : publicSuffixAt(checkHost);
      if (psl === 'self')
        bad(
          'origin-pattern-public-suffix',
          `'${spec}': '${checkHost}' is a public suffix, so this pattern admits sites anyone can register. List your own domain ('https://*.your-domain.${checkHost}') or exact origins.`,
        );
      else if (psl === 'below')
        bad(
          'origin-pattern-public-suffix',
          `'${spec}': the Public Suffix List has entries below '${checkHost}' (hosts there belong to whoever creates them, e.g. a bucket or an app), so this pattern admits sites anyone can create. List the exact origins you own.`,
        );
    }
  }
  if (problems.length > 0) return { kind: 'invalid', problems };
  if (suffix !== null || port === '*') {
    return { kind: 'pattern', pattern: { scheme, suffix, host: suffix === null ? lowerHost : '', port } };
  }
  return { kind: 'exact', origin: spec, scheme, host: lowerHost, port };
}

/**
 * Exact origins of other schemes that real clients send: Capacitor/Ionic (`capacitor://localhost`,
 * `ionic://localhost`), Tauri (`tauri://localhost`), browser extensions (`chrome-extension://<id>`,
 * `moz-extension://<uuid>`). Exact only: a pattern over an app scheme has no meaning.
 */
function parseOtherScheme(
  spec: string,
  rawScheme: string,
  scheme: string,
  bad: (code: ProblemCode, message: string) => void,
  problems: { code: ProblemCode; message: string }[],
): ParsedOriginSpec {
  if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) {
    bad('origin-unsupported-scheme', `'${spec}': '${rawScheme}' is not a valid URL scheme.`);
    return { kind: 'invalid', problems };
  }
  if (rawScheme !== scheme)
    bad('origin-upper-case', `'${spec}': the scheme must be lower case, as clients send it.`);
  const rest = spec.slice(rawScheme.length + 3);
  const colon = rest.lastIndexOf(':');
  const host = colon < 0 ? rest : rest.slice(0, colon);
  const port = colon < 0 ? '' : rest.slice(colon + 1);
  if (/[/?#@]/.test(rest))
    bad(
      'origin-has-path',
      `'${spec}': an origin is only scheme://host[:port], without path, query or user name.`,
    );
  else if (rest.includes('*'))
    bad('origin-pattern-invalid', `'${spec}': patterns are only supported for http and https origins.`);
  else if (!isValidHost(host))
    bad(
      'origin-invalid-host',
      `'${spec}': '${host}' is not a valid host (lower case, letters, digits, '-', '_' and dots).`,
    );
  else if (colon >= 0 && (!/^[1-9][0-9]{0,4}$/.test(port) || Number(port) > 65535))
    bad('origin-invalid-port', `'${spec}': the port must be a number from 1 to 65535.`);
  if (problems.length > 0) return { kind: 'invalid', problems };
  return { kind: 'exact', origin: spec, scheme, host, port };
}

/**
 * The wildcard patterns, indexed so that a lookup costs O(labels of the request's host), whatever the
 * number of patterns (issue 19, defect 12: a linear scan cost ~48 µs at 1,000 patterns). Suffix
 * patterns are keyed by suffix (`.tenant1.com`) per scheme; the request host's suffixes are tried one
 * label at a time, as a suffix trie would walk them. Exact-host patterns (`:*` ports) by host.
 */
export class PatternIndex {
  /** Per scheme: `.suffix` → allowed ports ('' default, '*' any, or a decimal port). */
  readonly #suffixes = { http: new Map<string, Set<string>>(), https: new Map<string, Set<string>>() };
  /** Per scheme: exact host → allowed ports. */
  readonly #hosts = { http: new Map<string, Set<string>>(), https: new Map<string, Set<string>>() };
  /** The label counts the suffixes have (`.tenant1.com`: 2), so a lookup probes only those depths. */
  readonly #depths: Uint8Array;
  readonly size: number;

  constructor(patterns: readonly OriginPattern[]) {
    const depths = new Set<number>();
    for (const p of patterns) {
      const map = (p.suffix === null ? this.#hosts : this.#suffixes)[p.scheme];
      const key = p.suffix ?? p.host;
      let ports = map.get(key);
      if (ports === undefined) map.set(key, (ports = new Set()));
      ports.add(p.port);
      if (p.suffix !== null) depths.add(p.suffix.split('.').length - 1);
    }
    this.#depths = Uint8Array.from([...depths].sort((a, b) => a - b));
    this.size = patterns.length;
  }

  static #portOk(ports: Set<string> | undefined, port: string): boolean {
    return ports !== undefined && (ports.has('*') || ports.has(port));
  }

  /** Does a parsed, canonical (scheme, host, port) match some pattern? */
  has(scheme: 'http' | 'https', host: string, port: string): boolean {
    const hosts = this.#hosts[scheme];
    if (hosts.size > 0 && PatternIndex.#portOk(hosts.get(host), port)) return true;
    const suffixes = this.#suffixes[scheme];
    if (suffixes.size === 0) return false;
    // The suffixes starting at a dot, at the depths some pattern has: for `.tenant1.com` patterns,
    // `a.b.tenant1.com` probes only `.tenant1.com` (the 2nd dot from the right). At least one label
    // must remain in front (i > 0): `*.` never matches the bare domain.
    const depths = this.#depths;
    let k = 0;
    let dots = 0;
    for (let i = host.length - 1; i > 0 && k < depths.length; i--) {
      if (host.charCodeAt(i) !== 0x2e) continue;
      dots++;
      while (k < depths.length && depths[k]! < dots) k++;
      if (k < depths.length && depths[k] === dots) {
        if (PatternIndex.#portOk(suffixes.get(host.slice(i)), port)) return true;
        k++;
      }
    }
    return false;
  }
}

/** Longest request Origin considered: scheme + 253-char host + port, with room to spare. */
export const MAX_ORIGIN_LENGTH = 300;

/**
 * Match a request Origin against the patterns. Only a syntactically clean serialized origin can match
 * (lower-case host chars, decimal port), so what is reflected contains no byte the request chose freely.
 */
export function matchesPattern(origin: string, patterns: PatternIndex): boolean {
  if (origin.length > MAX_ORIGIN_LENGTH) return false;
  let scheme: 'http' | 'https';
  let start: number;
  if (origin.startsWith('https://')) {
    scheme = 'https';
    start = 8;
  } else if (origin.startsWith('http://')) {
    scheme = 'http';
    start = 7;
  } else return false;
  let host: string;
  let port = '';
  let hasColon = false;
  if (origin.charCodeAt(start) === 0x5b) {
    const close = origin.indexOf(']', start);
    if (close < 0) return false;
    host = origin.slice(start, close + 1);
    const after = origin.slice(close + 1);
    if (after.length > 0) {
      if (after.charCodeAt(0) !== 0x3a) return false;
      hasColon = true;
      port = after.slice(1);
    }
  } else {
    const colon = origin.indexOf(':', start);
    host = colon < 0 ? origin.slice(start) : origin.slice(start, colon);
    if (colon >= 0) {
      hasColon = true;
      port = origin.slice(colon + 1);
    }
  }
  // `https://a.example.org:` (empty port) is not a serialised origin: never match it, never echo it.
  if (hasColon && !isCanonicalPort(port, scheme)) return false;
  // Look up first, validate only a hit: a miss (the attacker's usual case) costs no host scan.
  return patterns.has(scheme, host, port) && isValidHost(host);
}

function isCanonicalPort(port: string, scheme: 'http' | 'https'): boolean {
  if (port.length > 5 || port.length === 0 || port.charCodeAt(0) === 0x30) return false;
  for (let i = 0; i < port.length; i++) {
    const c = port.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return Number(port) <= 65535 && port !== DEFAULT_PORT[scheme];
}

/** Make a request-controlled string safe for a log line: escape control and non-ASCII bytes, cap the length. */
export function logSafe(value: string, max = 256): string {
  const cut = value.length > max ? value.slice(0, max) : value;
  let clean = true;
  for (let i = 0; i < cut.length; i++) {
    const c = cut.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || c === 0x5c) {
      clean = false;
      break;
    }
  }
  const body = clean ? cut : escapeForMessage(cut);
  return value.length > max ? `${body}…(${value.length} chars)` : body;
}

function escapeForMessage(value: string): string {
  return value.replace(
    /[\u0000-\u001f\u007f-\uffff\\]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
