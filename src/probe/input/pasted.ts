/**
 * What a pasted DevTools copy ("Copy as cURL", "Copy as fetch") tells us about the page's request, and
 * which of its header lines the page's script set, as opposed to the browser.
 *
 * DevTools copies every header line the browser sent. Only the script's own lines decide whether a
 * preflight is needed, so the browser's lines are dropped here: Fetch's forbidden request-header names
 * (Fetch §2.2.2), `Sec-*`/`Proxy-*`, and lines Chromium adds itself (User-Agent, Accept-Language,
 * Priority, and the Cache-Control/Pragma DevTools adds with "Disable cache"). `Accept: *\/*` is fetch's own
 * default and is dropped too; any other Accept value was the script's.
 */

import { FETCH_FORBIDDEN_REQUEST_HEADER_NAMES as FORBIDDEN } from '../../browser/request-headers.ts';
import type { CredentialsMode, HeaderLine, RequestMode } from '../../browser/types.ts';

/** A request as recovered from pasted text; fields absent when the text does not say. */
export interface PastedRequest {
  url: string;
  method?: string;
  /** The script's own header lines, in order. */
  headers: HeaderLine[];
  origin?: string;
  credentials?: CredentialsMode;
  mode?: RequestMode;
  /** Cookie header value the browser sent (used on credentialed requests only). */
  cookie?: string;
  body?: string;
  /** curl -k: the user's curl skipped certificate checks (a self-signed dev certificate, most often). */
  insecure?: boolean;
  /** curl --cacert <file>: the CA file the user's curl trusted. */
  cacert?: string;
  /** The paste was a preflight: it stands for the request it announced, which must not be sent unasked. */
  preflight?: boolean;
  /** What was dropped and why, for `--json` consumers and the text report's notes. */
  notes: string[];
}

// Firefox adds Alt-Used when it reaches the host over an Alt-Svc route; Chrome adds X-Client-Data on
// Google hosts and Upgrade-Insecure-Requests on navigations. None of them is the script's.
const BROWSER_ADDED = new Set([
  'user-agent',
  'accept-language',
  'priority',
  'cache-control',
  'pragma',
  'alt-used',
  'x-client-data',
  'upgrade-insecure-requests',
]);

/**
 * HTTP/2 pseudo-headers as DevTools copies them: with their colon in a HAR, without it in "Copy as
 * cURL" (`-H 'authority: …'`, older Chrome) and "Copy as PowerShell" ("authority", "method", "path",
 * "scheme"). The bare names count as pseudo-headers only next to an `authority` line, as DevTools
 * writes them together.
 */
const PSEUDO = new Set(['authority', 'method', 'path', 'scheme', 'version', 'protocol']);

/** Is this header line one the browser added (so not the script's)? */
export function addedByBrowser(name: string, value: string): boolean {
  const n = name.toLowerCase();
  if (FORBIDDEN.has(n) || BROWSER_ADDED.has(n)) return true;
  if (n.startsWith('sec-') || n.startsWith('proxy-')) return true;
  if (n === 'accept' && value.trim() === '*/*') return true;
  return false;
}

/** Split copied header lines into the script's own, the origin, the referer and the cookie. */
export function sortHeaders(lines: readonly HeaderLine[]): {
  own: HeaderLine[];
  origin?: string;
  referer?: string;
  cookie?: string;
  acrm?: string;
  acrh?: string;
  referrerPolicy?: string;
} {
  const out: ReturnType<typeof sortHeaders> = { own: [] };
  const h2 = lines.some(([name]) => /^:?authority$/i.test(name));
  for (const [name, value] of lines) {
    const n = name.toLowerCase();
    if (n.startsWith(':') || (h2 && PSEUDO.has(n))) continue;
    if (n === 'origin') out.origin = value.trim();
    else if (n === 'referer') out.referer = value.trim();
    else if (n === 'cookie') out.cookie = out.cookie ? `${out.cookie}; ${value}` : value;
    else if (n === 'access-control-request-method') out.acrm = value.trim();
    else if (n === 'access-control-request-headers') out.acrh = value.trim();
    // Chrome's "Copy as Node.js fetch" writes the request's referrerPolicy as a `Referrer-Policy` line in
    // headers (there is no referrerPolicy option in its output); the page never sent such a header.
    else if (n === 'referrer-policy') out.referrerPolicy = value.trim();
    else if (!addedByBrowser(name, value)) out.own.push([name, value]);
  }
  return out;
}

/** The origin of a referrer URL, or undefined. A page's referrer carries its origin. */
export function originOfReferrer(referrer: string | undefined): string | undefined {
  if (!referrer) return undefined;
  try {
    const u = new URL(referrer);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A copied preflight (OPTIONS with Access-Control-Request-Method) stands for the request it announced:
 * that method, and the announced header names (with values that keep them non-safelisted).
 */
export function fromPreflight(
  method: string,
  acrm: string | undefined,
  acrh: string | undefined,
): { method: string; headers: HeaderLine[] } | undefined {
  if (method.toUpperCase() !== 'OPTIONS' || !acrm) return undefined;
  const headers: HeaderLine[] = (acrh ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((n) => [n, n.toLowerCase() === 'content-type' ? 'application/json' : 'x']);
  return { method: acrm, headers };
}
