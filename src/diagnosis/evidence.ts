/**
 * Reading the evidence: header lookups over raw header lists (case kept, duplicates kept) and the
 * one-line renderings of exchanges that findings quote. Pure.
 */
import type { Exchange, HeaderList, Verdict, WireResponse } from '../browser/types.ts';

export type HttpResponse = Extract<WireResponse, { kind: 'response' }>;

/** Every line of one header, in order (names compared case-insensitively, as HTTP does). */
export function headerLines(headers: HeaderList, name: string): (readonly [string, string])[] {
  const lower = name.toLowerCase();
  return headers.filter(([n]) => n.toLowerCase() === lower);
}

/**
 * The header's value as Chromium reads it (`GetNormalizedHeader`): lines joined with `, `, each
 * trimmed; undefined when absent.
 */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lines = headerLines(headers, name);
  if (lines.length === 0) return undefined;
  return lines.map(([, v]) => v.trim()).join(', ');
}

/** Comma-separated list items, trimmed, empty items dropped. */
export function listItems(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function responseOf(ex: Exchange | undefined): HttpResponse | undefined {
  return ex?.response.kind === 'response' ? ex.response : undefined;
}

/** The last round trip of a verdict: the one that decided it. */
export function lastExchange(v: Verdict): Exchange | undefined {
  return v.exchanges[v.exchanges.length - 1];
}

/** The last round trip that got a response. */
export function lastResponse(v: Verdict): { exchange: Exchange; response: HttpResponse } | undefined {
  for (let i = v.exchanges.length - 1; i >= 0; i--) {
    const exchange = v.exchanges[i]!;
    if (exchange.response.kind === 'response') return { exchange, response: exchange.response };
  }
  return undefined;
}

/** The first round trip of a verdict with the given purpose that got a response. */
export function responseFor(
  v: Verdict,
  purpose: 'preflight' | 'actual',
): { exchange: Exchange; response: HttpResponse } | undefined {
  for (const exchange of v.exchanges) {
    if (exchange.request.purpose === purpose && exchange.response.kind === 'response')
      return { exchange, response: exchange.response };
  }
  return undefined;
}

/**
 * The last round trip of a verdict with the given purpose that got a response: for the actual request
 * after followed redirects, the final answer (the one the script sees), not a redirect hop.
 */
export function finalResponseFor(
  v: Verdict,
  purpose: 'preflight' | 'actual',
): { exchange: Exchange; response: HttpResponse } | undefined {
  for (let i = v.exchanges.length - 1; i >= 0; i--) {
    const exchange = v.exchanges[i]!;
    if (exchange.request.purpose === purpose && exchange.response.kind === 'response')
      return { exchange, response: exchange.response };
  }
  return undefined;
}

export function isOkStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

export function isRedirectStatus(status: number): boolean {
  return [301, 302, 303, 307, 308].includes(status);
}

/** `/path?query` of a URL, or the URL itself when it does not parse. */
export function pathOf(url: string): string {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

/** `OPTIONS /data → 404` or `GET /data → net::ERR_CONNECTION_REFUSED`. */
export function describe(ex: Exchange): string {
  const head = `${ex.request.method} ${pathOf(ex.request.url)}`;
  if (ex.response.kind === 'network-error') return `${head} → ${ex.response.netError}`;
  return `${head} → ${ex.response.status}`;
}

/** Header lines a CORS finding quotes: Access-Control-*, Vary, and any named extras. */
export function corsLines(headers: HeaderList, extra: string[] = []): string[] {
  const wanted = new Set(extra.map((e) => e.toLowerCase()));
  return headers
    .filter(([n]) => {
      const l = n.toLowerCase();
      return l.startsWith('access-control-') || l === 'vary' || wanted.has(l);
    })
    .map(([n, v]) => `${n}: ${v}`);
}

/** `OPTIONS /data → 404, no Access-Control-Allow-Origin` / `GET /data → 200, Access-Control-Allow-Origin: x`. */
export function describeWithOrigin(ex: Exchange): string {
  const r = responseOf(ex);
  if (r === undefined) return describe(ex);
  const acao = headerLines(r.headers, 'access-control-allow-origin');
  if (acao.length === 0) return `${describe(ex)}, no Access-Control-Allow-Origin`;
  return `${describe(ex)}, ${acao.map(([n, v]) => `${n}: ${v}`).join(', ')}`;
}

/** The response carries some sign of a CORS layer (any Access-Control-* header, or `Vary: Origin`). */
export function hasCorsSignals(headers: HeaderList): boolean {
  return headers.some(([n, v]) => {
    const l = n.toLowerCase();
    return l.startsWith('access-control-') || (l === 'vary' && /(^|,)\s*origin\s*(,|$)/i.test(v));
  });
}

/** How the decisive response answered a given Origin. */
export type OriginAnswer =
  | { kind: 'reflected'; credentials: boolean; exchange: Exchange }
  | { kind: 'wildcard'; credentials: boolean; exchange: Exchange }
  | { kind: 'other'; value: string; exchange: Exchange }
  | { kind: 'none'; exchange: Exchange | undefined };

/**
 * Did the server accept `origin`? Looks at the last response of the probe's run (the preflight when it
 * failed there, else the actual response): ACAO equal to the origin sent (exact string) is an acceptance.
 */
export function originAnswer(v: Verdict, origin: string): OriginAnswer {
  const last = lastResponse(v);
  if (last === undefined) return { kind: 'none', exchange: undefined };
  const acao = headerValue(last.response.headers, 'access-control-allow-origin');
  const credentials = headerValue(last.response.headers, 'access-control-allow-credentials') === 'true';
  if (acao === undefined || acao === '') return { kind: 'none', exchange: last.exchange };
  if (acao === origin) return { kind: 'reflected', credentials, exchange: last.exchange };
  if (acao === '*') return { kind: 'wildcard', credentials, exchange: last.exchange };
  return { kind: 'other', value: acao, exchange: last.exchange };
}

/** A response counts as cacheable when it carries freshness or a validator and is not `no-store`. */
export function cacheability(headers: HeaderList): { cacheable: boolean; lines: string[] } {
  const cc = (headerValue(headers, 'cache-control') ?? '').toLowerCase();
  const lines = headers
    .filter(([n]) => ['cache-control', 'expires', 'etag', 'last-modified'].includes(n.toLowerCase()))
    .map(([n, v]) => `${n}: ${v}`);
  if (/\bno-store\b/.test(cc)) return { cacheable: false, lines };
  const fresh = /\b(max-age|s-maxage)\s*=\s*[1-9]/.test(cc) || /\bpublic\b/.test(cc);
  const validators =
    headerLines(headers, 'etag').length > 0 || headerLines(headers, 'last-modified').length > 0;
  const expires = headerLines(headers, 'expires').length > 0;
  return { cacheable: fresh || validators || expires, lines };
}
