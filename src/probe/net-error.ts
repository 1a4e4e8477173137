/**
 * Node's socket and parser errors, named the way Chromium names the same failure (`net::ERR_…`, from
 * Chromium's net/base/net_error_list.h and net/base/net_errors_posix.cc MapSystemError). The browser shows
 * these instead of a CORS line when no response came at all, which is why they so often pass for CORS.
 */

export interface NetFailure {
  /** Chromium's name, e.g. `net::ERR_CONNECTION_REFUSED`. */
  netError: string;
  /** Node's code (ECONNREFUSED, HPE_HEADER_OVERFLOW, DEPTH_ZERO_SELF_SIGNED_CERT …) for the JSON report. */
  code: string;
  message: string;
}

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'net::ERR_CONNECTION_REFUSED',
  ECONNRESET: 'net::ERR_CONNECTION_RESET',
  ECONNABORTED: 'net::ERR_CONNECTION_ABORTED',
  EPIPE: 'net::ERR_CONNECTION_RESET',
  ETIMEDOUT: 'net::ERR_CONNECTION_TIMED_OUT',
  EHOSTUNREACH: 'net::ERR_ADDRESS_UNREACHABLE',
  ENETUNREACH: 'net::ERR_INTERNET_DISCONNECTED',
  EADDRNOTAVAIL: 'net::ERR_ADDRESS_INVALID',
  ENOTFOUND: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_AGAIN: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_FAIL: 'net::ERR_NAME_NOT_RESOLVED',
  EAI_NONAME: 'net::ERR_NAME_NOT_RESOLVED',
  // TLS: Chromium's cert_status_flags → net errors (cert_error_params / x509 verify).
  DEPTH_ZERO_SELF_SIGNED_CERT: 'net::ERR_CERT_AUTHORITY_INVALID',
  SELF_SIGNED_CERT_IN_CHAIN: 'net::ERR_CERT_AUTHORITY_INVALID',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'net::ERR_CERT_AUTHORITY_INVALID',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'net::ERR_CERT_AUTHORITY_INVALID',
  UNABLE_TO_GET_ISSUER_CERT: 'net::ERR_CERT_AUTHORITY_INVALID',
  CERT_HAS_EXPIRED: 'net::ERR_CERT_DATE_INVALID',
  CERT_NOT_YET_VALID: 'net::ERR_CERT_DATE_INVALID',
  ERR_TLS_CERT_ALTNAME_INVALID: 'net::ERR_CERT_COMMON_NAME_INVALID',
  CERT_REVOKED: 'net::ERR_CERT_REVOKED',
  ERR_SSL_WRONG_VERSION_NUMBER: 'net::ERR_SSL_PROTOCOL_ERROR',
  EPROTO: 'net::ERR_SSL_PROTOCOL_ERROR',
  // HTTP parser (llhttp). Chromium's limit on response headers is 256 KiB → ERR_RESPONSE_HEADERS_TOO_BIG.
  HPE_HEADER_OVERFLOW: 'net::ERR_RESPONSE_HEADERS_TOO_BIG',
  // A socket closed before any response byte: Chromium says ERR_EMPTY_RESPONSE.
  ECONNRESET_EMPTY: 'net::ERR_EMPTY_RESPONSE',
  // Our own deadlines (per request, whole check): Chromium's nearest is ERR_TIMED_OUT.
  TIMEOUT: 'net::ERR_TIMED_OUT',
  ERR_INVALID_CHAR: 'net::ERR_INVALID_ARGUMENT',
  ERR_INVALID_HTTP_TOKEN: 'net::ERR_INVALID_ARGUMENT',
  ERR_INVALID_URL: 'net::ERR_INVALID_URL',
  ERR_UNSUPPORTED_SCHEME: 'net::ERR_UNKNOWN_URL_SCHEME',
};

/** Classify an error thrown by node:http / node:https / node:net / node:tls. */
export function classifyNetError(err: unknown): NetFailure {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : 'UNKNOWN';
  const message = typeof e?.message === 'string' ? e.message : String(err);
  let netError = BY_CODE[code];
  if (netError === undefined) {
    if (code.startsWith('HPE_')) netError = 'net::ERR_INVALID_HTTP_RESPONSE';
    else if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || /ssl|tls/i.test(message))
      netError = 'net::ERR_SSL_PROTOCOL_ERROR';
    else if (code.startsWith('CERT_') || code.includes('_CERT')) netError = 'net::ERR_CERT_INVALID';
    else netError = 'net::ERR_FAILED';
  }
  if (code === 'ECONNRESET' && /socket hang up/i.test(message)) netError = 'net::ERR_EMPTY_RESPONSE';
  return { netError, code, message };
}

/** One sentence per family: what the browser shows and why it looks like CORS. */
export function describeNetError(netError: string): string {
  if (netError === 'net::ERR_NAME_NOT_RESOLVED') return 'the host name does not resolve (DNS)';
  if (netError === 'net::ERR_CONNECTION_REFUSED') return 'nothing is listening on that host and port';
  if (netError === 'net::ERR_EMPTY_RESPONSE') return 'the server closed the connection without answering';
  if (netError === 'net::ERR_RESPONSE_HEADERS_TOO_BIG')
    return 'the response headers exceed the 256 KiB limit';
  if (netError === 'net::ERR_INVALID_HTTP_RESPONSE')
    return 'the server answered with bytes that are not HTTP';
  if (netError === 'net::ERR_TIMED_OUT' || netError === 'net::ERR_CONNECTION_TIMED_OUT')
    return 'the server did not answer in time';
  if (netError.startsWith('net::ERR_CERT_')) return 'the TLS certificate is not trusted';
  if (netError === 'net::ERR_SSL_PROTOCOL_ERROR') return 'the TLS handshake failed';
  if (netError === 'net::ERR_TOO_MANY_REDIRECTS') return 'the redirects loop';
  if (netError.startsWith('net::ERR_CONNECTION_')) return 'the connection broke';
  return 'the request failed below HTTP';
}
