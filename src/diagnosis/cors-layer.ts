/**
 * Where the server's CORS layer answers, and where it does not. Every response the check got (the
 * page's own round trips and the probes') is a sighting: which Origin it was sent with, whether it
 * carries Access-Control-Allow-Origin for it, and which layer seems to have written it. The causes
 * that share one console line ("No 'Access-Control-Allow-Origin' header is present") differ only in
 * this map: no sighting with CORS headers at all is mistake 1; CORS on the preflight or on successes
 * but not on this error is mistake 4; CORS on simple requests but not on the preflight is mistake 3.
 * Pure.
 */
import type { Exchange, HeaderList, Verdict } from '../browser/types.ts';
import { type HttpResponse, hasCorsSignals, headerLines, headerValue, listItems } from './evidence.ts';
import type { DiagnosisContext } from './types.ts';

export interface Sighting {
  /** `page` for the page's own round trips, else the probe's name. */
  source: string;
  exchange: Exchange;
  response: HttpResponse;
  /** The Origin header the request carried ('' when none). */
  origin: string;
  /** Access-Control-Allow-Origin as the browser reads it, or undefined. */
  acao: string | undefined;
  /** Allow-Origin is the Origin sent, or `*`: the CORS layer accepted this origin. */
  accepted: boolean;
  /** Some CORS header, or `Vary: Origin`: a CORS layer saw this request. */
  signals: boolean;
}

function sightingsOf(source: string, v: Verdict): Sighting[] {
  const out: Sighting[] = [];
  for (const exchange of v.exchanges) {
    if (exchange.response.kind !== 'response') continue;
    const response = exchange.response;
    const origin = headerValue(exchange.request.headers, 'origin') ?? '';
    const acao = headerValue(response.headers, 'access-control-allow-origin');
    const accepted = acao !== undefined && acao !== '' && (acao === origin || acao === '*');
    out.push({
      source,
      exchange,
      response,
      origin,
      acao,
      accepted,
      signals: hasCorsSignals(response.headers),
    });
  }
  return out;
}

/** The page's round trips, then the named probes' (only those are read, so only they are evidence). */
export function sightings(ctx: DiagnosisContext, probeNames: readonly string[]): Sighting[] {
  const out = sightingsOf('page', ctx.main);
  for (const name of probeNames) {
    const v = ctx.probes.get(name);
    if (v !== undefined) out.push(...sightingsOf(name, v));
  }
  return out;
}

/** `OPTIONS /x → 204` style label of a sighting, with where it came from. */
export function sightingLine(s: Sighting): string {
  let path = s.exchange.request.url;
  try {
    const u = new URL(path);
    path = u.pathname + u.search;
  } catch {}
  const acao = headerLines(s.response.headers, 'access-control-allow-origin');
  const cors =
    acao.length === 0 ? 'no Access-Control-Allow-Origin' : acao.map(([n, v]) => `${n}: ${v}`).join(', ');
  const from = s.source === 'page' ? '' : ` (probe ${s.source}${s.origin ? `, Origin: ${s.origin}` : ''})`;
  return `${s.exchange.request.method} ${path} → ${s.response.status}, ${cors}${from}`;
}

export interface Responder {
  /** Who wrote the response, as far as its headers tell: `nginx`, `Express`, `the framework`, … */
  name: string;
  /** The header line that says so. */
  evidence: string;
}

const SERVER_NAMES: [RegExp, string][] = [
  [/^nginx/i, 'nginx'],
  [/^apache/i, 'Apache httpd'],
  [/^caddy/i, 'Caddy'],
  [/^haproxy/i, 'HAProxy'],
  [/^varnish/i, 'Varnish'],
  [/^werkzeug/i, "Flask's server (Werkzeug)"],
  [/^wsgiserver|cpython/i, "Django's server"],
  [/^gunicorn|^uvicorn/i, 'the Python app server'],
  [/^webrick|^puma|^thin/i, 'the Ruby app server'],
  [/^cloudflare/i, 'Cloudflare'],
  [/^amazons3/i, 'Amazon S3'],
  [/^microsoft-iis/i, 'IIS'],
  [/^kestrel/i, 'ASP.NET Kestrel'],
];

/**
 * Who answered: the `Server` line names a proxy or app server; `X-Powered-By` a framework; `Allow:`
 * on an OPTIONS answer without CORS headers is a router answering OPTIONS by itself.
 */
export function responderOf(ex: Exchange): Responder | undefined {
  if (ex.response.kind !== 'response') return undefined;
  const h = ex.response.headers;
  const server = headerValue(h, 'server');
  const powered = headerValue(h, 'x-powered-by');
  const allow = headerValue(h, 'allow');
  if (ex.request.method === 'OPTIONS' && allow !== undefined && !hasCorsSignals(h)) {
    const who = powered ?? server;
    return {
      name: who
        ? `${who}'s router (its automatic OPTIONS answer)`
        : 'the router (its automatic OPTIONS answer)',
      evidence: `Allow: ${allow}`,
    };
  }
  if (powered !== undefined) return { name: powered, evidence: `X-Powered-By: ${powered}` };
  if (server !== undefined) {
    const known = SERVER_NAMES.find(([re]) => re.test(server));
    return { name: known?.[1] ?? server, evidence: `Server: ${server}` };
  }
  const via = headerValue(h, 'via');
  if (via !== undefined) return { name: `a proxy (${via})`, evidence: `Via: ${via}` };
  return undefined;
}

/** ` (answered by nginx: Server: nginx/1.22.1)` or ''. */
export function answeredBy(ex: Exchange): string {
  const r = responderOf(ex);
  return r === undefined ? '' : ` (answered by ${r.name}: ${r.evidence})`;
}

/**
 * Signs that a shared cache served the response from storage: `Age` above 0, `X-Cache: HIT`,
 * `X-Varnish` with two ids (the request's and the stored object's), `CF-Cache-Status: HIT`, and the
 * like. Returns the lines that say so ([] when none).
 */
export function cacheHitLines(headers: HeaderList): string[] {
  const out: string[] = [];
  const age = headerValue(headers, 'age');
  if (age !== undefined && /^\d+$/.test(age.trim()) && Number(age) > 0) out.push(`Age: ${age}`);
  for (const name of ['x-cache', 'cf-cache-status', 'x-cache-status', 'x-proxy-cache', 'cdn-cache']) {
    const v = headerValue(headers, name);
    if (v !== undefined && /\bhit\b/i.test(v)) out.push(`${headerLines(headers, name)[0]![0]}: ${v}`);
  }
  const xv = headerValue(headers, 'x-varnish');
  if (xv !== undefined && xv.trim().split(/\s+/).length >= 2) out.push(`X-Varnish: ${xv}`);
  return out;
}

/** `Vary` lists Origin (or `*`). */
export function variesOnOrigin(headers: HeaderList): boolean {
  const items = headerLines(headers, 'vary').flatMap(([, v]) => listItems(v).map((i) => i.toLowerCase()));
  return items.includes('origin') || items.includes('*');
}
