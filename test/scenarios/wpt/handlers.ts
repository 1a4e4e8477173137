/**
 * The web-platform-tests' Python handlers, ported as pure functions that turn a test URL's query and
 * the request method into the scripted answer the scenario server writes (so WPT cases run unchanged in
 * meaning against the project's own loopback server, in every engine and through the model).
 *
 * - `preflightPy`: wpt fetch/api/resources/preflight.py (commit f55e51f6): Access-Control-Allow-Origin
 *   from `origin` (each of a comma-space list on its own line) or `*`; on OPTIONS the Max-Age,
 *   Allow-Headers and Allow-Methods from the query and `preflight_status`; otherwise the x-* reporting
 *   headers, exposed. The stash (x-did-preflight across requests) is replaced by the scenario's wire
 *   check, which sees every preflight; `x-origin` reflects the request's Origin (`{origin}`).
 *   `credentials` in the query adds `Access-Control-Allow-Credentials: true`: cors-preflight-star.any.js
 *   (commit 8cc44e82) passes `credentials&` and expects credentialed successes, which need it; the
 *   handler version stored here (f55e51f6) predates that parameter, so this line follows the test.
 */
import type { ScriptedResponse } from '../../harness/scenario-server.ts';

type H = [string, string];

export function preflightPy(query: URLSearchParams, method: string): ScriptedResponse {
  const headers: H[] = [['Content-Type', 'text/plain']];
  const origin = query.get('origin');
  if (origin !== null) for (const o of origin.split(', ')) headers.push(['Access-Control-Allow-Origin', o]);
  else headers.push(['Access-Control-Allow-Origin', '*']);
  if (query.has('credentials')) headers.push(['Access-Control-Allow-Credentials', 'true']);
  if (method === 'OPTIONS') {
    const maxAge = query.get('max_age');
    if (maxAge !== null) headers.push(['Access-Control-Max-Age', maxAge]);
    const allowHeaders = query.get('allow_headers');
    if (allowHeaders !== null) headers.push(['Access-Control-Allow-Headers', allowHeaders]);
    const allowMethods = query.get('allow_methods');
    if (allowMethods !== null) headers.push(['Access-Control-Allow-Methods', allowMethods]);
    const status = Number(query.get('preflight_status') ?? '200');
    return { status, headers, body: '' };
  }
  headers.push([
    'Access-Control-Expose-Headers',
    'x-did-preflight, x-control-request-headers, x-referrer, x-preflight-referrer, x-origin',
  ]);
  headers.push(['x-did-preflight', query.has('token') ? '1' : '0']);
  headers.push(['x-origin', '{origin}']);
  return { status: 200, headers, body: '' };
}

/**
 * wptserve's `pipe=header(Name,value)|header(…)` (tools/wptserve/wptserve/pipes.py `header`): each adds
 * one response header line, in order, the value URL-decoded; the file itself (top.txt) is served as the
 * body. Only the `header` pipe is ported (the CORS files use no other).
 */
export function headerPipe(pipe: string, body: string): ScriptedResponse {
  const headers: H[] = [];
  for (const m of pipe.matchAll(/header\(([^,]+),([^)]*)\)/g)) {
    headers.push([m[1] ?? '', decodeURIComponent(m[2] ?? '')]);
  }
  if (!headers.some(([n]) => n.toLowerCase() === 'content-type'))
    headers.unshift(['Content-Type', 'text/plain']);
  return { status: 200, headers, body };
}
