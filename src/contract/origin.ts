/**
 * An origin as a contract writes it: exactly scheme://host[:port] (catalog mistake 7), or `null`. A wrong
 * one is a contract problem with the origin to write instead: the browser never sends `https://app.com/`,
 * so checking with it would prove nothing.
 */
export type OriginCheck = { ok: true; origin: string } | { ok: false; message: string; fix: string };

function tryUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function checkContractOrigin(text: string): OriginCheck {
  if (text === 'null') return { ok: true, origin: 'null' };
  const bad = (message: string, fix: string): OriginCheck => ({ ok: false, message, fix });
  if (text.trim() === '') return bad('an empty origin', 'write an origin such as https://app.example.com');
  if (text === '*')
    return bad("'*' is not an origin", 'list the origins one by one, e.g. https://app.example.com');
  if (text !== text.trim()) return bad(`'${text}' has spaces around it`, `write '${text.trim()}'`);
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    const guess = tryUrl(`https://${text}`);
    return bad(`'${text}' has no scheme`, `write ${guess ? guess.origin : `https://${text}`}`);
  }
  const url = tryUrl(text);
  if (!url)
    return bad(`'${text}' is not an origin`, 'write scheme://host[:port], e.g. https://app.example.com');
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return bad(
      `'${text}' is not an http(s) origin`,
      "write an http:// or https:// origin, or 'null' for a page with an opaque origin (file:, sandboxed iframe)",
    );
  if (url.username !== '' || url.password !== '')
    return bad(`'${text}' has a user or password`, `write ${url.origin}`);
  const afterHost = text.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i, '');
  if (afterHost === '/')
    return bad(`'${text}' has a trailing slash`, `write ${url.origin} (no trailing slash)`);
  if (afterHost !== '') return bad(`'${text}' has a path`, `write ${url.origin} (an origin has no path)`);
  const port = /:(\d+)$/.exec(text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, ''))?.[1];
  if (port !== undefined && url.port === '')
    return bad(`'${text}' names the default port ${port}`, `write ${url.origin} (browsers leave it out)`);
  if (text !== url.origin)
    return bad(
      `'${text}' is not how the browser writes it`,
      `write ${url.origin} (lower-case scheme and host)`,
    );
  return { ok: true, origin: url.origin };
}
