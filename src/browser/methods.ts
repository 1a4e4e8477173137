/**
 * Methods (Fetch Standard §2.2.1 "Methods").
 */

/** Fetch "normalize": these six are upper-cased when matched case-insensitively; others (e.g. `patch`) are kept. */
const NORMALIZED = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT'];

export function normalizeMethod(method: string): string {
  const upper = method.toUpperCase();
  return NORMALIZED.includes(upper) ? upper : method;
}

/**
 * CORS-safelisted method: `GET`, `HEAD`, `POST`. The spec compares byte-exact; Chromium's
 * IsCorsSafelistedMethod (cors.cc) upper-cases first. After normalisation the two agree.
 */
export function isCorsSafelistedMethod(method: string): boolean {
  const upper = method.toUpperCase();
  return upper === 'GET' || upper === 'HEAD' || upper === 'POST';
}

/** Forbidden method: CONNECT, TRACE, TRACK (case-insensitive). fetch() throws a TypeError. */
export function isForbiddenMethod(method: string): boolean {
  const upper = method.toUpperCase();
  return upper === 'CONNECT' || upper === 'TRACE' || upper === 'TRACK';
}

/** RFC 9110 token: what a method (and a header name) must be. */
export function isToken(value: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(value);
}

export type MethodCheck =
  | { ok: true; method: string }
  | { ok: false; problem: 'invalid' | 'forbidden'; message: string };

/**
 * What `fetch()` / `xhr.open()` do with the method before any network work:
 * not a token → TypeError/SyntaxError; forbidden → TypeError/SecurityError; then normalise.
 */
export function checkMethod(method: string, initiator: 'fetch' | 'xhr' = 'fetch'): MethodCheck {
  if (!isToken(method)) {
    return {
      ok: false,
      problem: 'invalid',
      message:
        initiator === 'fetch'
          ? `TypeError: Failed to execute 'fetch' on 'Window': '${method}' is not a valid HTTP method.`
          : `SyntaxError: Failed to execute 'open' on 'XMLHttpRequest': '${method}' is not a valid HTTP method.`,
    };
  }
  if (isForbiddenMethod(method)) {
    return {
      ok: false,
      problem: 'forbidden',
      message:
        initiator === 'fetch'
          ? `TypeError: Failed to execute 'fetch' on 'Window': '${method}' HTTP method is unsupported.`
          : `SecurityError: Failed to execute 'open' on 'XMLHttpRequest': '${method}' HTTP method is unsupported.`,
    };
  }
  return { ok: true, method: normalizeMethod(method) };
}
