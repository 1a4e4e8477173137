/**
 * Request headers (Fetch Standard §2.2.2 "Headers": forbidden request-header, CORS-safelisted
 * request-header, CORS-unsafe request-header names) as Chromium implements them in
 * services/network/public/cpp/cors/cors.cc (IsCorsSafelistedHeader, CorsUnsafeRequestHeaderNames)
 * and net/http/http_util.cc (IsSafeHeader = not forbidden).
 *
 * Where Chromium departs from the Fetch Standard (the model follows Chromium):
 * - extra safelisted names: `intervention`, the legacy client hints `device-memory`, `dpr`, `width`,
 *   `viewport-width`, `rtt`, `downlink`, `ect`, `save-data` (each with its own value rule), and many
 *   `sec-ch-*` names (forbidden for scripts anyway);
 * - `User-Agent` is still a forbidden name (crbug.com/571722), so a page cannot set it at all.
 * Not modelled: revalidation (`is_revalidating` skips if-modified-since/if-none-match/cache-control),
 * the `message/ad-auction-trusted-signals-request` Content-Type behind a feature flag.
 */
import type { HeaderLine, HeaderList } from './types.ts';

/** Fetch Standard "forbidden request-header" names (§2.2.2), byte-lowercased; Firefox and WebKit use this list. */
export const FETCH_FORBIDDEN_REQUEST_HEADER_NAMES: ReadonlySet<string> = new Set([
  'accept-charset',
  'accept-encoding',
  'access-control-request-headers',
  'access-control-request-method',
  'connection',
  'content-length',
  'cookie',
  'cookie2',
  'date',
  'dnt',
  'expect',
  'host',
  'keep-alive',
  'origin',
  'referer',
  'set-cookie',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'via',
]);

/** net/http/http_util.cc kForbiddenHeaderFields: the Fetch list plus `user-agent` and the retired PNA header. */
const FORBIDDEN_NAMES: ReadonlySet<string> = new Set([
  ...FETCH_FORBIDDEN_REQUEST_HEADER_NAMES,
  'access-control-request-private-network',
  'user-agent',
]);
const METHOD_OVERRIDE_NAMES = new Set(['x-http-method', 'x-http-method-override', 'x-method-override']);

/** Fetch "forbidden request-header" (name, value), Chromium's list. */
export function isForbiddenRequestHeader(name: string, value = ''): boolean {
  const lower = name.toLowerCase();
  if (lower.startsWith('proxy-') || lower.startsWith('sec-')) return true;
  if (FORBIDDEN_NAMES.has(lower)) return true;
  if (METHOD_OVERRIDE_NAMES.has(lower)) {
    return value
      .split(',')
      .map((v) => v.trim().toUpperCase())
      .some((m) => m === 'CONNECT' || m === 'TRACE' || m === 'TRACK');
  }
  return false;
}

/** Fetch "CORS-unsafe request-header byte". */
export function isCorsUnsafeRequestHeaderByte(code: number): boolean {
  return (
    (code < 0x20 && code !== 0x09) ||
    code === 0x22 ||
    code === 0x28 ||
    code === 0x29 ||
    code === 0x3a ||
    code === 0x3c ||
    code === 0x3e ||
    code === 0x3f ||
    code === 0x40 ||
    code === 0x5b ||
    code === 0x5c ||
    code === 0x5d ||
    code === 0x7b ||
    code === 0x7d ||
    code === 0x7f
  );
}

const hasUnsafeByte = (value: string): boolean => {
  for (let i = 0; i < value.length; i++) if (isCorsUnsafeRequestHeaderByte(value.charCodeAt(i))) return true;
  return false;
};

/** Chromium cors.cc: names safelisted for CORS (spec block, `intervention`, client hints). */
const SAFELISTED_NAMES = new Set([
  'accept',
  'accept-language',
  'content-language',
  'content-type',
  'range',
  'intervention',
  'device-memory',
  'dpr',
  'width',
  'viewport-width',
  'rtt',
  'downlink',
  'ect',
  'sec-ch-ua',
  'sec-ch-ua-arch',
  'sec-ch-ua-platform',
  'sec-ch-ua-model',
  'sec-ch-ua-mobile',
  'sec-ch-ua-full-version',
  'sec-ch-ua-platform-version',
  'sec-ch-prefers-color-scheme',
  'sec-ch-ua-bitness',
  'sec-ch-viewport-height',
  'sec-ch-device-memory',
  'sec-ch-dpr',
  'sec-ch-width',
  'sec-ch-viewport-width',
  'sec-ch-ua-full-version-list',
  'sec-ch-ua-wow64',
  'save-data',
  'sec-ch-prefers-reduced-motion',
  'sec-ch-ua-form-factors',
  'sec-ch-prefers-reduced-transparency',
]);

/** Names Chromium safelists beyond the Fetch Standard's five (JS can set the non-`sec-` ones). */
export const CHROMIUM_EXTRA_SAFELISTED_NAMES: readonly string[] = [...SAFELISTED_NAMES].filter(
  (n) => !['accept', 'accept-language', 'content-language', 'content-type', 'range'].includes(n),
);

/** ECT names (network::kWebEffectiveConnectionTypeMapping). */
const ECT_VALUES = new Set(['slow-2g', '2g', '3g', '4g']);

/** 1*DIGIT ["." 1*DIGIT] (cors.cc IsSimilarToDoubleABNF). */
const isDoubleLike = (v: string): boolean => /^[0-9]+(\.[0-9]+)?$/.test(v);
/** 1*DIGIT (cors.cc IsSimilarToIntABNF). */
const isIntLike = (v: string): boolean => /^[0-9]+$/.test(v);

/**
 * Content-Type essence check (cors.cc IsCorsSafelistedLowerCaseContentType): lower-case the value, no
 * unsafe byte, then net::ExtractMimeTypeFromMediaType without comma lists; essence must be one of three.
 */
export function isCorsSafelistedContentType(value: string): boolean {
  const lower = value.toLowerCase();
  if (hasUnsafeByte(lower)) return false;
  const essence = mimeEssence(lower);
  return (
    essence === 'application/x-www-form-urlencoded' ||
    essence === 'multipart/form-data' ||
    essence === 'text/plain'
  );
}

/** The type/subtype before any `;`, trimmed; null when it is not `token/token`. */
export function mimeEssence(value: string): string | null {
  const semi = value.indexOf(';');
  const head = (semi === -1 ? value : value.slice(0, semi)).replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
  return /^[!#$%&'*+\-.^_`|~0-9a-z]+\/[!#$%&'*+\-.^_`|~0-9a-z]+$/.test(head) ? head : null;
}

export type ByteRange = { first: number; last: number | null } | { suffix: number };

/**
 * net::HttpUtil::ParseRangeHeader: `bytes` unit (case-insensitive, LWS-trimmed), `=`, comma-separated
 * `first-last` / `first-` / `-suffix` items, each valid (first ≤ last). Null when unparsable.
 */
export function parseRangeHeader(value: string): ByteRange[] | null {
  const eq = value.indexOf('=');
  if (eq === -1) return null;
  if (value.slice(0, eq).trim().toLowerCase() !== 'bytes') return null;
  const ranges: ByteRange[] = [];
  for (const raw of value.slice(eq + 1).split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const minus = item.indexOf('-');
    if (minus === -1) return null;
    const a = item.slice(0, minus).trim();
    const b = item.slice(minus + 1).trim();
    if (a !== '' && !/^[0-9]+$/.test(a)) return null;
    if (b !== '' && !/^[0-9]+$/.test(b)) return null;
    if (a === '') {
      if (b === '' || Number(b) <= 0) return null;
      ranges.push({ suffix: Number(b) });
    } else {
      const first = Number(a);
      const last = b === '' ? null : Number(b);
      if (last !== null && last < first) return null;
      ranges.push({ first, last });
    }
  }
  return ranges.length > 0 ? ranges : null;
}

/**
 * Chromium's simple range: no whitespace or comma at all, exactly one range, not a suffix range,
 * first ≤ last (Fetch "simple range header value" with allowWhitespace false).
 */
export function isSimpleRange(value: string): boolean {
  if (/[ \t\r\n,]/.test(value)) return false;
  // The running Chromium refuses `Bytes=0-1` (preflight), although cors.cc parses the lower-cased
  // value: the unit must be exactly `bytes`, as the spec says (proven by the differential suite).
  if (!value.startsWith('bytes=')) return false;
  const ranges = parseRangeHeader(value);
  return ranges !== null && ranges.length === 1 && !('suffix' in ranges[0]!);
}

/** Fetch "CORS-safelisted request-header" (name, value), Chromium's version (cors.cc IsCorsSafelistedHeader). */
export function isCorsSafelistedRequestHeader(name: string, value: string): boolean {
  // Step 1: a value longer than 128 bytes is never safelisted (bytes = code units: values are ByteStrings).
  if (value.length > 128) return false;
  const lower = name.toLowerCase();
  if (!SAFELISTED_NAMES.has(lower)) return false;
  switch (lower) {
    case 'accept':
      return !hasUnsafeByte(value);
    case 'accept-language':
    case 'content-language':
      return /^[0-9A-Za-z *,\-.;=]*$/.test(value);
    case 'content-type':
      return isCorsSafelistedContentType(value);
    case 'range':
      return isSimpleRange(value);
    case 'device-memory':
    case 'dpr':
    case 'downlink':
      return isDoubleLike(value);
    case 'width':
    case 'viewport-width':
    case 'rtt':
      return isIntLike(value);
    case 'ect':
      return ECT_VALUES.has(value);
    case 'save-data':
      return value.toLowerCase() === 'on';
    default:
      return true; // intervention and sec-ch-*: any value
  }
}

/** Fetch "no-CORS-safelisted request-header name". */
export function isNoCorsSafelistedHeaderName(name: string): boolean {
  const lower = name.toLowerCase();
  return (
    lower === 'accept' ||
    lower === 'accept-language' ||
    lower === 'content-language' ||
    lower === 'content-type'
  );
}

/**
 * Chromium CorsUnsafeNotForbiddenRequestHeaderNames (cors_util.cc over cors.cc
 * CorsUnsafeRequestHeaderNames): lower-cased names in request order, forbidden ones skipped; if the
 * safelisted values add up to more than 1024 bytes, every safelisted name becomes unsafe too (appended
 * after the others). Not deduplicated or sorted here: the preflight sorts its copy.
 */
export function corsUnsafeNotForbiddenRequestHeaderNames(headers: HeaderList): string[] {
  const unsafe: string[] = [];
  const potentially: string[] = [];
  let safelistedBytes = 0;
  for (const [name, value] of headers) {
    if (isForbiddenRequestHeader(name, value)) continue;
    if (!isCorsSafelistedRequestHeader(name, value)) unsafe.push(name.toLowerCase());
    else {
      potentially.push(name.toLowerCase());
      safelistedBytes += value.length;
    }
  }
  return safelistedBytes > 1024 ? [...unsafe, ...potentially] : unsafe;
}

/** Fetch "CORS-unsafe request-header names" converted to a sorted-lowercase set (the ACRH value's items). */
export function corsUnsafeRequestHeaderNames(headers: HeaderList): string[] {
  return [...new Set(corsUnsafeNotForbiddenRequestHeaderNames(headers))].sort();
}

/** HTTP whitespace trim, as fetch() normalises a header value. */
export function normalizeHeaderValue(value: string): string {
  return value.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

export type PageHeaders = {
  /** Headers the request will carry (forbidden ones removed, duplicates combined with ", "). */
  headers: HeaderLine[];
  /** Names the page tried to set but cannot (forbidden request-headers): the browser drops them. */
  forbidden: string[];
  /** Names dropped because mode is no-cors and they are not no-CORS-safelisted. */
  droppedNoCors: string[];
  /** Set when fetch()/setRequestHeader would throw (bad name or value): the request never starts. */
  error: string | null;
};

/**
 * What fetch()'s Headers object (guard "request" / "request-no-cors") or XHR setRequestHeader do with
 * the page's header list: validate names (token) and values (no NUL/CR/LF, Latin-1 only), normalise
 * values, drop forbidden names silently (XHR logs `Refused to set unsafe header`), combine duplicates.
 */
export function applyPageHeaders(
  input: HeaderList,
  mode: 'cors' | 'no-cors' | 'same-origin',
  initiator: 'fetch' | 'xhr' = 'fetch',
): PageHeaders {
  const out: HeaderLine[] = [];
  const forbidden: string[] = [];
  const droppedNoCors: string[] = [];
  const where =
    initiator === 'fetch'
      ? "Failed to execute 'fetch' on 'Window'"
      : "Failed to execute 'setRequestHeader' on 'XMLHttpRequest'";
  for (const [name, rawValue] of input) {
    if (!/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name)) {
      return { headers: out, forbidden, droppedNoCors, error: `TypeError: ${where}: Invalid name` };
    }
    if (/[^\u0000-\u00ff]/.test(rawValue)) {
      return {
        headers: out,
        forbidden,
        droppedNoCors,
        error:
          initiator === 'fetch'
            ? `TypeError: ${where}: Failed to read the 'headers' property from 'RequestInit': String contains non ISO-8859-1 code point.`
            : `TypeError: ${where}: String contains non ISO-8859-1 code point.`,
      };
    }
    const value = normalizeHeaderValue(rawValue);
    if (/[\0\r\n]/.test(value)) {
      return { headers: out, forbidden, droppedNoCors, error: `TypeError: ${where}: Invalid value` };
    }
    if (isForbiddenRequestHeader(name, value)) {
      forbidden.push(name);
      continue;
    }
    const existing = out.findIndex(([n]) => n.toLowerCase() === name.toLowerCase());
    if (existing !== -1) {
      const [n, v] = out[existing]!;
      out[existing] = [n, `${v}, ${value}`];
    } else out.push([name, value]);
  }
  if (mode === 'no-cors') {
    // Fetch "request-no-cors" guard: only no-CORS-safelisted request-headers survive (checked on the
    // combined value); the others are silently ignored.
    const kept = out.filter(
      ([n, v]) => isNoCorsSafelistedHeaderName(n) && isCorsSafelistedRequestHeader(n, v),
    );
    for (const [n] of out) if (!kept.some(([k]) => k === n)) droppedNoCors.push(n);
    return { headers: kept, forbidden, droppedNoCors, error: null };
  }
  return { headers: out, forbidden, droppedNoCors, error: null };
}
