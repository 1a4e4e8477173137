/**
 * Which response headers the script can read (Fetch Standard §2.2.6 "CORS-safelisted response-header
 * name", "CORS filtered response", Access-Control-Expose-Headers; Chromium blink
 * FetchResponseData::CreateCorsFilteredResponse).
 */
import { getHeader, splitList } from './headers.ts';
import { isToken } from './methods.ts';
import type { CredentialsMode, HeaderList } from './types.ts';

export const SAFELISTED_RESPONSE_HEADERS = [
  'cache-control',
  'content-language',
  'content-length',
  'content-type',
  'expires',
  'last-modified',
  'pragma',
] as const;

/** Forbidden response-header names: never readable by script. */
export const FORBIDDEN_RESPONSE_HEADERS = ['set-cookie', 'set-cookie2'] as const;

/**
 * Access-Control-Expose-Headers as a list of lower-cased names ("extract header list values": the whole
 * list is dropped when one item is not a token).
 */
export function exposedHeaderNames(headers: HeaderList): string[] {
  const value = getHeader(headers, 'Access-Control-Expose-Headers');
  if (value === null) return [];
  const items = splitList(value);
  if (!items.every(isToken)) return [];
  return items.map((n) => n.toLowerCase());
}

export type ResponseType = 'basic' | 'cors' | 'opaque' | 'opaqueredirect' | 'error';

/** Lower-case header names the script can read, sorted and deduplicated (what `[...res.headers.keys()]` gives). */
export function readableHeaders(
  type: ResponseType,
  headers: HeaderList,
  credentials: CredentialsMode,
): string[] {
  if (type === 'opaque' || type === 'opaqueredirect' || type === 'error') return [];
  const present = [...new Set(headers.map(([n]) => n.toLowerCase()))].filter(
    (n) => !(FORBIDDEN_RESPONSE_HEADERS as readonly string[]).includes(n),
  );
  if (type === 'basic') return present.sort();
  const exposed = exposedHeaderNames(headers);
  const all = credentials !== 'include' && exposed.includes('*');
  return present
    .filter(
      (n) => all || (SAFELISTED_RESPONSE_HEADERS as readonly string[]).includes(n) || exposed.includes(n),
    )
    .sort();
}

/** Headers present on the response that the script cannot read (for `header-not-exposed`). */
export function unreadableHeaders(
  type: ResponseType,
  headers: HeaderList,
  credentials: CredentialsMode,
): string[] {
  const readable = new Set(readableHeaders(type, headers, credentials));
  return [...new Set(headers.map(([n]) => n.toLowerCase()))].filter((n) => !readable.has(n)).sort();
}
