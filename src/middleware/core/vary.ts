/**
 * Vary handling (catalog mistake 6): append our tokens to whatever Vary the application set, never
 * replace it, never duplicate a token, and leave `Vary: *` alone (it already varies on everything).
 * The existing value comes from the application's own response, never from the request
 * (hono GHSA-q7jf-gf43-6x6p read it from the request). Allocation-free when nothing changes: this
 * runs on every response.
 */

type VaryValue = string | number | readonly string[] | null | undefined;

const LOWER: Record<string, string> = {
  Origin: 'origin',
  'Access-Control-Request-Method': 'access-control-request-method',
  'Access-Control-Request-Headers': 'access-control-request-headers',
};

function isSep(c: number): boolean {
  return c === 0x2c || c === 0x20 || c === 0x09;
}

/** Is `token` (lower case) an element of the comma-separated, lower-cased `list`? */
function hasToken(list: string, token: string): boolean {
  let i = list.indexOf(token);
  while (i >= 0) {
    const end = i + token.length;
    if ((i === 0 || isSep(list.charCodeAt(i - 1))) && (end === list.length || isSep(list.charCodeAt(end))))
      return true;
    i = list.indexOf(token, i + 1);
  }
  return false;
}

function asString(existing: VaryValue): string {
  if (existing === null || existing === undefined) return '';
  if (typeof existing === 'string') return existing;
  return Array.isArray(existing) ? existing.join(', ') : String(existing);
}

/** The Vary value with `tokens` ("A, B") appended where missing. Returns `existing` itself when complete. */
export function appendVary(existing: VaryValue, tokens: string): string {
  const current = asString(existing);
  if (current === tokens) return current;
  if (current.trim() === '') return tokens;
  const lower = current.toLowerCase();
  if (hasToken(lower, '*')) return current;
  let out = current;
  let start = 0;
  while (start < tokens.length) {
    let end = tokens.indexOf(', ', start);
    if (end < 0) end = tokens.length;
    const token = tokens.slice(start, end);
    if (!hasToken(lower, LOWER[token] ?? token.toLowerCase())) out += `, ${token}`;
    start = end + 2;
  }
  return out;
}

/** Does a Vary value already name every token (or `*`)? */
export function varyCovers(existing: VaryValue, tokens: string): boolean {
  const current = asString(existing);
  return current !== '' && appendVary(current, tokens) === current;
}
