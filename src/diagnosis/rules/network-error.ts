/**
 * Not CORS at all: no response came (DNS, refused, reset, TLS, timeout). The page's script sees the
 * same `TypeError: Failed to fetch` as for a CORS block, and a failed preflight makes it look like one;
 * only the `net::ERR_…` in the console / Network tab tells them apart (browser-truth.md §1.4).
 */
import { lastExchange } from '../evidence.ts';
import type { Rule, RuleFinding } from '../types.ts';

function why(netError: string): string {
  const e = netError.replace(/^net::/, '');
  if (e === 'ERR_NAME_NOT_RESOLVED')
    return 'the host name does not resolve (DNS): a typo in the URL, or the name only exists on another network';
  if (e === 'ERR_CONNECTION_REFUSED')
    return 'nothing listens on that host and port: the server is down, or the port is wrong';
  if (e === 'ERR_ADDRESS_UNREACHABLE' || e === 'ERR_ADDRESS_INVALID' || e === 'ERR_INTERNET_DISCONNECTED')
    return 'the address cannot be reached from this machine (no route, or no network)';
  if (e === 'ERR_INVALID_URL' || e === 'ERR_UNKNOWN_URL_SCHEME')
    return 'the URL itself is not one the browser can fetch';
  if (
    e === 'ERR_CONNECTION_RESET' ||
    e === 'ERR_CONNECTION_CLOSED' ||
    e === 'ERR_CONNECTION_ABORTED' ||
    e === 'ERR_EMPTY_RESPONSE'
  )
    return 'the server (or something in between) closed the connection without an answer';
  if (e === 'ERR_TIMED_OUT' || e === 'ERR_CONNECTION_TIMED_OUT') return 'the server did not answer in time';
  if (e.startsWith('ERR_CERT_'))
    return 'the TLS certificate is not trusted by the browser (self-signed, expired, or for another name)';
  if (e.startsWith('ERR_SSL_') || e === 'ERR_BAD_SSL_CLIENT_AUTH_CERT')
    return 'the TLS handshake failed (http on an https port, or an old protocol)';
  if (e === 'ERR_TOO_MANY_REDIRECTS') return 'the server redirects in a loop';
  if (e === 'ERR_INVALID_HTTP_RESPONSE' || e === 'ERR_INVALID_RESPONSE')
    return 'the server sent something that is not HTTP';
  if (e === 'ERR_RESPONSE_HEADERS_TOO_BIG') return 'the response headers are too large';
  if (e === 'ERR_BLOCKED_BY_CLIENT') return 'an extension (e.g. an ad blocker) blocked it';
  return 'the request failed below HTTP';
}

export const networkError: Rule = {
  name: 'network-error',
  detect(ctx): RuleFinding[] {
    const { main } = ctx;
    if (main.netError === null) return [];
    const ex = lastExchange(main);
    const stage = ex?.request.purpose === 'preflight' ? 'the preflight (OPTIONS)' : 'the request';
    const message = ex?.response.kind === 'network-error' ? ex.response.message : undefined;
    return [
      {
        id: 'network-error',
        severity: 'error',
        detail: `No response came back for ${stage}: ${main.netError} — ${why(main.netError)}. The script sees the same TypeError: Failed to fetch as for a CORS block, which is why this looks like CORS; it is not, and no CORS header will fix it.`,
        evidence: [
          `${ex ? `${ex.request.method} ${ex.request.url}` : ctx.input.request.url} → ${main.netError}${message ? ` (${message})` : ''}`,
        ],
      },
    ];
  },
};
