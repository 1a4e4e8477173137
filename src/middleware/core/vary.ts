/**
 * Vary handling (catalog mistake 6): append our tokens to whatever Vary the application set, never
 * replace it, never duplicate a token, and leave `Vary: *` alone (it already varies on everything).
 * The existing value comes from the application's own response, never from the request
 * (hono GHSA-q7jf-gf43-6x6p read it from the request).
 */
export function appendVary(
  existing: string | number | readonly string[] | null | undefined,
  tokens: string,
): string {
  const current =
    existing === null || existing === undefined
      ? ''
      : Array.isArray(existing)
        ? existing.join(', ')
        : String(existing);
  if (current.trim() === '') return tokens;
  const have = current
    .toLowerCase()
    .split(',')
    .map((t) => t.trim());
  if (have.includes('*')) return current;
  let out = current;
  for (const token of tokens.split(', ')) {
    if (!have.includes(token.toLowerCase())) out += `, ${token}`;
  }
  return out;
}

/** Does a Vary value already name every token (or `*`)? */
export function varyCovers(
  existing: string | number | readonly string[] | null | undefined,
  tokens: string,
): boolean {
  if (existing === null || existing === undefined) return false;
  return appendVary(existing, tokens) === (Array.isArray(existing) ? existing.join(', ') : String(existing));
}
