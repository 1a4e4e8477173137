/**
 * HTTP tokens (RFC 9110 §5.6.2) and the bounded, linear parser for Access-Control-Request-Headers.
 * The request list is attacker-controlled: peers split it with regexes (hono CVE-2026-69207, quadratic
 * on whitespace) or allocate per comma (rs/cors #170, 127 ms and 121 MB per request). Here one pass
 * over at most MAX_ACRH_LENGTH chars, at most MAX_ACRH_NAMES names, and a refusal beyond that.
 */
import { FETCH_FORBIDDEN_REQUEST_HEADER_NAMES } from '../../browser/request-headers.ts';

/** tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA */
const TCHAR = new Uint8Array(128);
for (const c of "!#$%&'*+-.^_`|~") TCHAR[c.charCodeAt(0)] = 1;
for (let c = 0x30; c <= 0x39; c++) TCHAR[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TCHAR[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TCHAR[c] = 1;

export function isToken(value: string): boolean {
  if (value.length === 0) return false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c >= 128 || TCHAR[c] === 0) return false;
  }
  return true;
}

/** A real Chromium preflight lists a handful of names joined by ','; far beyond that is abuse. */
export const MAX_ACRH_LENGTH = 4096;
export const MAX_ACRH_NAMES = 128;
export const MAX_METHOD_LENGTH = 64;

export type HeaderListCheck =
  | { ok: true }
  | {
      ok: false;
      header: string;
      why: 'not-allowed' | 'authorization-not-covered' | 'malformed' | 'too-long' | 'too-many';
    };

const OK: HeaderListCheck = Object.freeze({ ok: true });

/**
 * Check every name of an Access-Control-Request-Headers value against the allowed set (lower-case).
 * Fetch §4.8 step 6–7: names compare case-insensitively; with `*` (only without credentials) any
 * name passes except Authorization, which must be listed (the CORS non-wildcard request-header name).
 * Empty elements are skipped, as Fetch's list parsing does; OWS around commas is allowed.
 */
export function checkRequestHeaders(
  value: string,
  allowed: ReadonlySet<string>,
  any: boolean,
): HeaderListCheck {
  const len = value.length;
  if (len > MAX_ACRH_LENGTH) return { ok: false, header: '', why: 'too-long' };
  let names = 0;
  let i = 0;
  while (i < len) {
    let c = value.charCodeAt(i);
    // Skip OWS and empty elements.
    if (c === 0x2c || c === 0x20 || c === 0x09) {
      i++;
      continue;
    }
    const start = i;
    let upper = false;
    while (i < len) {
      c = value.charCodeAt(i);
      if (c >= 128 || TCHAR[c] === 0) break;
      if (c >= 0x41 && c <= 0x5a) upper = true;
      i++;
    }
    if (i === start) return { ok: false, header: '', why: 'malformed' };
    let name = value.slice(start, i);
    // After a name: OWS, then ',' or the end.
    while (i < len && ((c = value.charCodeAt(i)) === 0x20 || c === 0x09)) i++;
    if (i < len && value.charCodeAt(i) !== 0x2c) return { ok: false, header: '', why: 'malformed' };
    if (++names > MAX_ACRH_NAMES) return { ok: false, header: '', why: 'too-many' };
    if (upper) name = name.toLowerCase();
    if (allowed.has(name)) continue;
    if (any) {
      if (name === 'authorization') return { ok: false, header: name, why: 'authorization-not-covered' };
      continue;
    }
    return { ok: false, header: name, why: 'not-allowed' };
  }
  return OK;
}

/** Fetch "forbidden method": browsers refuse to send these, so allowing them is a mistake. */
export const FORBIDDEN_METHODS: ReadonlySet<string> = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** Fetch "normalize a method": browsers upper-case these six, so a lower-case entry never matches. */
export const NORMALIZED_METHODS: ReadonlySet<string> = new Set([
  'DELETE',
  'GET',
  'HEAD',
  'OPTIONS',
  'POST',
  'PUT',
]);
/** CORS-safelisted methods: they never need a grant (Fetch §4.8 step 4). */
export const SAFELISTED_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'POST']);

/** Fetch "forbidden request-header": the browser sets these itself; a page can never ask for them. */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlySet<string> = FETCH_FORBIDDEN_REQUEST_HEADER_NAMES;

export function isForbiddenRequestHeader(lowerName: string): boolean {
  return (
    FORBIDDEN_REQUEST_HEADERS.has(lowerName) || lowerName.startsWith('proxy-') || lowerName.startsWith('sec-')
  );
}

/** Fetch "forbidden response-header name": never exposed to scripts. */
export const FORBIDDEN_RESPONSE_HEADERS: ReadonlySet<string> = new Set(['set-cookie', 'set-cookie2']);
