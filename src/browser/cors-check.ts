/**
 * The CORS check (Fetch Standard §4.9 "CORS check") as Chromium's CheckAccess
 * (services/network/public/cpp/cors/cors.cc) implements it: same pass/fail as the spec, with a finer
 * error for the console. Used on actual responses, on every redirect response while the CORS flag is
 * set, and (with the actual request's credentials mode) on preflight responses.
 */
import { getHeader } from './headers.ts';
import { parseUrl } from './origin.ts';
import type { CredentialsMode, HeaderList } from './types.ts';

/** The non-preflight CorsError values CheckAccess can return. */
export type AccessError =
  | 'WildcardOriginNotAllowed'
  | 'MissingAllowOriginHeader'
  | 'MultipleAllowOriginValues'
  | 'InvalidAllowOriginValue'
  | 'AllowOriginMismatch'
  | 'InvalidAllowCredentials';

export type AccessResult =
  | { ok: true; allowOrigin: string; rule: string }
  | { ok: false; error: AccessError; failedParameter: string; rule: string };

/**
 * CheckAccess(response headers, credentials mode, serialized request origin — `null` when tainted).
 * Values come from "get" (lines joined with ", ", trimmed), like GetNormalizedHeader.
 */
export function checkAccess(
  headers: HeaderList,
  credentials: CredentialsMode,
  requestOrigin: string,
): AccessResult {
  const allowOrigin = getHeader(headers, 'Access-Control-Allow-Origin');
  const allowCredentials = getHeader(headers, 'Access-Control-Allow-Credentials');
  if (allowOrigin === '*') {
    // Fetch §4.9 step 3: `*` passes only when credentials mode is not "include".
    if (credentials !== 'include') return { ok: true, allowOrigin, rule: 'wildcard without credentials' };
    return {
      ok: false,
      error: 'WildcardOriginNotAllowed',
      failedParameter: '',
      rule: "Access-Control-Allow-Origin is '*' but credentials mode is 'include'",
    };
  }
  if (allowOrigin === null) {
    // Fetch §4.9 step 2.
    return {
      ok: false,
      error: 'MissingAllowOriginHeader',
      failedParameter: '',
      rule: 'no Access-Control-Allow-Origin header',
    };
  }
  if (allowOrigin !== requestOrigin) {
    // Fetch §4.9 step 4 fails; Chromium then picks a more precise error, in this order.
    if (/[ ,]/.test(allowOrigin)) {
      return {
        ok: false,
        error: 'MultipleAllowOriginValues',
        failedParameter: allowOrigin,
        rule: 'the value holds a space or a comma (several lines are joined with ", ")',
      };
    }
    if (allowOrigin === 'null') {
      return {
        ok: false,
        error: 'AllowOriginMismatch',
        failedParameter: allowOrigin,
        rule: "'null' ≠ origin",
      };
    }
    if (!isValidGurl(allowOrigin)) {
      return {
        ok: false,
        error: 'InvalidAllowOriginValue',
        failedParameter: allowOrigin,
        rule: 'the value is not a URL',
      };
    }
    return {
      ok: false,
      error: 'AllowOriginMismatch',
      failedParameter: allowOrigin,
      rule: `'${allowOrigin}' is not byte-equal to '${requestOrigin}'`,
    };
  }
  if (credentials === 'include' && allowCredentials !== 'true') {
    // Fetch §4.9 step 6: exactly `true`, case-sensitive.
    return {
      ok: false,
      error: 'InvalidAllowCredentials',
      failedParameter: allowCredentials ?? '',
      rule:
        allowCredentials === null
          ? 'no Access-Control-Allow-Credentials header with credentials mode include'
          : `Access-Control-Allow-Credentials is '${allowCredentials}', not exactly 'true'`,
    };
  }
  return {
    ok: true,
    allowOrigin,
    rule: credentials === 'include' ? 'origin and credentials match' : 'origin matches',
  };
}

/**
 * Approximation of `GURL(value).is_valid()`: a standard-URL parse. GURL accepts what the URL Standard
 * accepts for absolute URLs with a scheme; `example.com` (no scheme) and '' are invalid.
 */
function isValidGurl(value: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(value)) return false;
  // Header bytes reach GURL as bytes: a Latin-1 byte that is not part of valid UTF-8 makes it invalid.
  const decoded = decodeLatin1AsUtf8(value);
  return decoded !== null && parseUrl(decoded).ok;
}

/** Read a header value's bytes (one char per byte, Latin-1) as UTF-8; null when they are not valid UTF-8. */
export function decodeLatin1AsUtf8(value: string): string | null {
  if (!/[^\x00-\x7f]/.test(value)) return value;
  const bytes = new Uint8Array(value.length);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) return null;
    bytes[i] = c;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}
