/**
 * What the NEXT request will see, from one verdict's exchanges (issue 14 §2): the preflight cache
 * (Fetch §4.8; how long the preflight is kept, per engine) and the HTTP cache (RFC 9111; mistake 6: a
 * response reflecting the origin, cacheable, without `Vary: Origin`, served to another origin). The HTTP
 * cache case is decided by the model itself: the response is stored in a fresh `BrowserCache` and the
 * same request is simulated again from another origin; the sentence is given only when that second run
 * is answered from the cache and fails.
 */
import {
  CHROMIUM_PREFLIGHT_CACHE,
  emptyCache,
  FIREFOX_PREFLIGHT_CACHE,
  httpStore,
  sharedFreshness,
  WEBKIT_PREFLIGHT_CACHE,
} from './cache.ts';
import { getHeader } from './headers.ts';
import { runSimulation } from './simulate.ts';
import type { PageRequest, Verdict } from './types.ts';

/** An origin no allow-list holds: the "second front end" of the explanation. */
export const SECOND_ORIGIN = 'https://second-frontend.example';

const kept = (raw: string | null, p: { defaultSeconds: number; maxSeconds: number }): number =>
  raw === null || !/^[0-9]+$/.test(raw) ? p.defaultSeconds : Math.min(Number(raw), p.maxSeconds);

export function nextRequestNotes(request: PageRequest, verdict: Verdict): string[] {
  const notes: string[] = [];
  const preflight = verdict.exchanges.find((e) => e.request.purpose === 'preflight');
  if (verdict.allowed && preflight?.response.kind === 'response') {
    const raw = getHeader(preflight.response.headers, 'access-control-max-age');
    const cr = kept(raw, CHROMIUM_PREFLIGHT_CACHE);
    const wk = kept(raw, WEBKIT_PREFLIGHT_CACHE);
    const ff = kept(raw, FIREFOX_PREFLIGHT_CACHE);
    notes.push(
      `Preflight cache: the next ${request.method} to this URL from ${request.origin} with the same or fewer headers skips the preflight for ${cr} s in Chrome (${ff} s in Firefox, ${wk} s in Safari)${raw === null ? ' (no Access-Control-Max-Age: the engines’ default)' : ` (Access-Control-Max-Age: ${raw})`}; a server change to the allowed methods or headers is not seen until then, and a new header, another origin or credentials: 'include' preflights again.`,
    );
  }
  const actual = [...verdict.exchanges].reverse().find((e) => e.request.purpose === 'actual' && !e.fromCache);
  if (!verdict.allowed || actual?.response.kind !== 'response' || request.method !== 'GET') return notes;
  const headers = actual.response.headers;
  const acao = getHeader(headers, 'access-control-allow-origin');
  if (acao === null || acao === '*') return notes;
  const cache = emptyCache();
  const life = httpStore(cache, actual.request, actual.response, request.origin, 0);
  const shared = sharedFreshness(headers);
  if (life <= 0 && shared <= 0) return notes;
  let reachedServer = false;
  const second = runSimulation(
    { ...request, origin: SECOND_ORIGIN },
    () => {
      reachedServer = true;
      return { kind: 'network-error', netError: 'net::ERR_FAILED' };
    },
    { cache, now: 1, otherEngines: false },
  );
  const browserServes = life > 0 && !reachedServer && !second.allowed;
  const vary = getHeader(headers, 'vary');
  const varies = vary !== null && /(^|,)\s*(origin|\*)\s*(,|$)/i.test(vary);
  if (browserServes || (!varies && shared > 0)) {
    const where = browserServes
      ? `from the browser's HTTP cache${shared > 0 ? ' and from any shared cache (CDN, proxy)' : ''}`
      : 'from a shared cache (CDN, proxy)';
    notes.push(
      `HTTP cache (mistake 6): a second origin (${SECOND_ORIGIN}) would get this cached \`Access-Control-Allow-Origin: ${acao}\` ${where}: \`Vary: Origin\` is missing and the response is cacheable for ${Math.max(life, shared)} s.${browserServes ? ` Chrome would then block it (${second.corsError}).` : ''}`,
    );
  }
  return notes;
}
