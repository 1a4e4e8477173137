/**
 * Header-list primitives (Fetch Standard §2.2.2 "get", "get, decode, and split").
 */
import type { HeaderList } from './types.ts';

/** HTTP whitespace trim (what an HTTP parser does to a field value). */
export const trimHttpWhitespace = (v: string): string => v.replace(/^[ \t]+|[ \t]+$/g, '');

/**
 * Fetch "get" (and Chromium HttpResponseHeaders::GetNormalizedHeader): every line named `name`
 * (case-insensitive), values trimmed, joined with ", " in order; null when there is none.
 */
export function getHeader(list: HeaderList, name: string): string | null {
  const lower = name.toLowerCase();
  let out: string | null = null;
  for (const [n, v] of list) {
    if (n.toLowerCase() !== lower) continue;
    const value = trimHttpWhitespace(v);
    out = out === null ? value : `${out}, ${value}`;
  }
  return out;
}

/** All lines named `name` (case-insensitive), raw, in order: the evidence a report shows. */
export function getHeaderLines(list: HeaderList, name: string): string[] {
  const lower = name.toLowerCase();
  return list.filter(([n]) => n.toLowerCase() === lower).map(([, v]) => v);
}

export function hasHeader(list: HeaderList, name: string): boolean {
  const lower = name.toLowerCase();
  return list.some(([n]) => n.toLowerCase() === lower);
}

/**
 * net::HttpUtil::ValuesIterator with ignore_empty_values: split on commas, trim each item, drop empty
 * items. (Chromium splits Access-Control-Allow-* this way; quoted strings are not special there.)
 */
export function splitList(value: string): string[] {
  return value
    .split(',')
    .map(trimHttpWhitespace)
    .filter((v) => v !== '');
}
