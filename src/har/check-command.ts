/**
 * The `cors-doctor check …` command that replays one recorded request against the live server
 * (DESIGN.md "check contract"). Secrets never appear: Authorization and cookie-like values become
 * placeholders the user fills in.
 */
import type { PageRequest } from '../browser/types.ts';
import { shellQuote } from '../explain/index.ts';

const SECRET =
  /^(authorization|proxy-authorization|cookie|x-api-key|x-auth-token|x-csrf-token|x-xsrf-token)$/i;

export function checkCommandFor(r: PageRequest): string | null {
  if (!/^https?:\/\//i.test(r.url)) return null;
  const parts = ['cors-doctor', 'check', shellQuote(r.url), '--origin', shellQuote(r.origin)];
  if (r.method.toUpperCase() !== 'GET') parts.push('--method', shellQuote(r.method));
  for (const [n, v] of r.headers) {
    const value = SECRET.test(n) ? (n.toLowerCase() === 'authorization' ? 'Bearer <token>' : '<secret>') : v;
    parts.push('-H', shellQuote(`${n}: ${value}`));
  }
  if (r.credentials === 'include') parts.push('--credentials', 'include');
  if (r.initiator === 'xhr') parts.push('--initiator', 'xhr');
  return parts.join(' ');
}
