/**
 * The page's origin as the user typed it, checked the way the catalog's mistake 7 teaches: an origin is
 * exactly scheme://host[:port], lower-case host, no default port, no path, no trailing slash. A wrong one
 * gets a message that says what to type instead (the browser never sends such an Origin, so checking with
 * it would prove nothing).
 */

export type OriginCheck = { ok: true; origin: string } | { ok: false; message: string };

export function checkOrigin(input: string): OriginCheck {
  const text = input.trim();
  if (text === 'null') return { ok: true, origin: 'null' };
  if (text === '')
    return { ok: false, message: '--origin is empty: give the page origin, e.g. https://myapp.com' };
  if (text === '*')
    return { ok: false, message: "'*' is not an origin: give the page's origin, e.g. https://myapp.com" };
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const https = tryUrl(`https://${text}`);
    // Dev servers on loopback (localhost:5173) are plain http; elsewhere https is the likely one.
    const guess = https && isLoopbackHost(https.hostname) ? tryUrl(`http://${text}`) : https;
    return {
      ok: false,
      message: `an origin starts with its scheme: did you mean ${guess ? guess.origin : `https://${text}`}?`,
    };
  }
  const url = tryUrl(text);
  if (!url)
    return {
      ok: false,
      message: `'${text}' is not an origin: write scheme://host[:port], e.g. https://myapp.com`,
    };
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return {
      ok: false,
      message: `'${text}' is not an http(s) origin; use 'null' for a page with an opaque origin (file:, sandboxed iframe)`,
    };
  if (url.username !== '' || url.password !== '')
    return { ok: false, message: `an origin has no user or password: did you mean ${url.origin}?` };
  const afterHost = text.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  if (afterHost !== '') {
    const what = afterHost === '/' ? 'no trailing slash' : 'no path';
    return { ok: false, message: `an origin has ${what}: did you mean ${url.origin}?` };
  }
  const port = /:(\d+)$/.exec(text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''))?.[1];
  if (port !== undefined && url.port === '')
    return {
      ok: false,
      message: `an origin leaves out the default port ${port}: did you mean ${url.origin}?`,
    };
  if (text !== url.origin && text.toLowerCase() === url.origin)
    return { ok: false, message: `browsers send the host in lower case: did you mean ${url.origin}?` };
  return { ok: true, origin: url.origin };
}

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** localhost, *.localhost, 127.0.0.0/8, [::1]: potentially trustworthy hosts where dev servers run. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(h) || h === '::1';
}
