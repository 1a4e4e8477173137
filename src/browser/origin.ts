/**
 * Origins and URLs (Fetch Standard §3.2 "origin" via the URL Standard; Chromium url::Origin).
 * Pure: uses only the WHATWG `URL` class, present in browsers and in Node.
 */

export type ParsedUrl =
  | { ok: true; url: URL; href: string; origin: string; scheme: string }
  | { ok: false; input: string; problem: string };

/** Parse an absolute URL (the URL Standard's basic URL parser). Never throws. */
export function parseUrl(input: string, base?: string): ParsedUrl {
  try {
    const url = base === undefined ? new URL(input) : new URL(input, base);
    return { ok: true, url, href: url.href, origin: url.origin, scheme: url.protocol.slice(0, -1) };
  } catch {
    return {
      ok: false,
      input,
      problem: `'${input}' is not an absolute URL (expected e.g. https://api.example.com/path)`,
    };
  }
}

export type ParsedOrigin =
  | { ok: true; origin: string; opaque: boolean }
  | { ok: false; input: string; problem: string };

/**
 * Parse the page's origin as the user writes it: `https://app.example.com` (a trailing slash is
 * tolerated and dropped; a path is refused), or `null` for an opaque origin (file:, sandboxed iframe).
 */
export function parseOrigin(input: string): ParsedOrigin {
  const text = input.trim();
  if (text === 'null') return { ok: true, origin: 'null', opaque: true };
  const parsed = parseUrl(text);
  if (!parsed.ok) {
    return {
      ok: false,
      input,
      problem: `'${input}' is not an origin: write scheme://host[:port], e.g. https://app.example.com`,
    };
  }
  const { url } = parsed;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      input,
      problem: `'${input}' is not an http(s) origin (use 'null' for opaque origins)`,
    };
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search !== '' || url.hash !== '') {
    return {
      ok: false,
      input,
      problem: `'${input}' has a path, query or fragment: an origin is only scheme://host[:port] (${url.origin})`,
    };
  }
  if (url.username !== '' || url.password !== '') {
    return {
      ok: false,
      input,
      problem: `'${input}' contains credentials: an origin is only scheme://host[:port]`,
    };
  }
  return { ok: true, origin: url.origin, opaque: false };
}

/** Bounded memo for serializeOrigin: bulk checks evaluate the same few URLs thousands of times. */
const originCache = new Map<string, string>();

/** ASCII serialization of a URL's origin (`null` for opaque ones), as Chromium's url::Origin::Serialize. */
export function serializeOrigin(url: string): string {
  const hit = originCache.get(url);
  if (hit !== undefined) return hit;
  const parsed = parseUrl(url);
  const origin = parsed.ok ? parsed.origin : 'null';
  if (originCache.size >= 512) originCache.clear();
  originCache.set(url, origin);
  return origin;
}

/** "Same origin" (HTML): tuple origins equal. An opaque page origin (`null`) is same-origin with nothing. */
export function sameOrigin(pageOrigin: string, url: string): boolean {
  if (pageOrigin === 'null') return false;
  const o = serializeOrigin(url);
  return o !== 'null' && o === pageOrigin;
}

/** Two URLs have the same origin. */
export function sameOriginUrls(a: string, b: string): boolean {
  const oa = serializeOrigin(a);
  return oa !== 'null' && oa === serializeOrigin(b);
}

/**
 * `Sec-Fetch-Site` value. Deliberately approximate: "same-site" compares scheme and host only
 * (no public-suffix list here, so `a.example.com` vs `b.example.com` reads as cross-site).
 */
export function fetchSite(pageOrigin: string, url: string): 'same-origin' | 'same-site' | 'cross-site' {
  if (sameOrigin(pageOrigin, url)) return 'same-origin';
  const p = parseUrl(pageOrigin);
  const u = parseUrl(url);
  if (p.ok && u.ok && p.url.protocol === u.url.protocol && p.url.hostname === u.url.hostname)
    return 'same-site';
  return 'cross-site';
}

/** URL has a username or password (Fetch "includes credentials"). */
export function urlHasCredentials(url: string): boolean {
  const parsed = parseUrl(url);
  return parsed.ok && (parsed.url.username !== '' || parsed.url.password !== '');
}

/** Strip userinfo (Chromium CorsURLLoader::Start does this for CORS requests). */
export function stripCredentials(url: string): string {
  const parsed = parseUrl(url);
  if (!parsed.ok) return url;
  parsed.url.username = '';
  parsed.url.password = '';
  return parsed.url.href;
}
