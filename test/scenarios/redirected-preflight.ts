/**
 * Redirected preflights and the request classification where Firefox and WebKit depart from Chromium
 * (issue 14 §1b), recorded in the three engines by test/browser/redirected-preflight.test.ts:
 * - after a cross-origin 307, Chromium's second preflight carries `Origin: null` (tainted) while Firefox's
 *   carries the page's origin, so Firefox's console line names the check that preflight fails;
 * - WebKit keeps `Authorization` across a cross-origin 307 and preflights it at the new origin;
 * - WebKit parses the Range unit case-insensitively (`BYTES=0-9` is safelisted there).
 * Fetch Standard §4.4 HTTP-redirect fetch steps 13–14 (taint, Authorization removal) and §2.2.2 (simple
 * range header value) are the reference; each engine is the judge of its own behaviour.
 */
import type { Scenario } from './index.ts';

type H = [string, string];
const JSON_BODY = '{"ok":true}';
const ACAO = (v: string): H => ['Access-Control-Allow-Origin', v];
const ACAM = (v: string): H => ['Access-Control-Allow-Methods', v];
const ACAH = (v: string): H => ['Access-Control-Allow-Headers', v];
const LOC = (v: string): H => ['Location', v];
const CT: H = ['Content-Type', 'application/json'];
const PAGE = '{page}';
const route = (
  method: string,
  path: string,
  status: number,
  headers: H[],
  origin: 'api' | 'third' = 'api',
): Scenario['routes'][number] => ({
  origin,
  method,
  path,
  response: { status, headers, body: status === 204 || method === 'OPTIONS' ? '' : JSON_BODY },
});
const putCall = {
  initiator: 'fetch' as const,
  method: 'PUT',
  headers: [['Content-Type', 'application/json']] as [string, string][],
  body: JSON_BODY,
  credentials: 'same-origin' as const,
  mode: 'cors' as const,
  path: '/a',
};
const firstHop = [
  route('OPTIONS', '/a', 204, [ACAO(PAGE), ACAM('PUT'), ACAH('Content-Type')]),
  route('PUT', '/a', 307, [ACAO(PAGE), LOC('{third}{run}/b')]),
];

export const redirectedPreflightScenarios: Scenario[] = [
  {
    name: 'r2-put-307-third-allows-page-origin-only',
    comment:
      "The third origin's preflight allows the page's origin only: Chromium asks with Origin null (mismatch); Firefox asks with the page's origin.",
    call: putCall,
    routes: [
      ...firstHop,
      route('OPTIONS', '/b', 204, [ACAO(PAGE), ACAM('PUT'), ACAH('Content-Type')], 'third'),
      route('PUT', '/b', 200, [CT, ACAO('*')], 'third'),
    ],
    expect: { allowed: false, corsError: 'PreflightAllowOriginMismatch', preflight: true },
  },
  {
    name: 'r2-put-307-third-preflight-no-methods',
    comment:
      "The third origin's preflight echoes the page's origin but lists no PUT: Chromium reports the origin, Firefox the method.",
    call: putCall,
    routes: [
      ...firstHop,
      route('OPTIONS', '/b', 204, [ACAO(PAGE), ACAH('Content-Type')], 'third'),
      route('PUT', '/b', 200, [CT, ACAO('*')], 'third'),
    ],
    expect: { allowed: false, corsError: 'PreflightAllowOriginMismatch', preflight: true },
  },
  {
    name: 'r2-put-307-third-preflight-wildcard-no-methods',
    comment: "`*` at the third origin's preflight without PUT: every engine names the method.",
    call: putCall,
    routes: [
      ...firstHop,
      route('OPTIONS', '/b', 204, [ACAO('*'), ACAH('Content-Type')], 'third'),
      route('PUT', '/b', 200, [CT, ACAO('*')], 'third'),
    ],
    expect: { allowed: false, corsError: 'MethodDisallowedByPreflightResponse', preflight: true },
  },
  {
    name: 'r2-authorization-307-third-preflights-in-webkit',
    comment:
      'GET with Authorization, 307 to the third origin, whose preflight refuses Authorization: Chromium drops the header and needs no preflight there; WebKit keeps it and preflights.',
    call: {
      initiator: 'fetch',
      method: 'GET',
      headers: [['Authorization', 'Bearer t']],
      credentials: 'same-origin',
      mode: 'cors',
      path: '/a',
    },
    routes: [
      route('OPTIONS', '/a', 204, [ACAO(PAGE), ACAH('Authorization')]),
      route('GET', '/a', 307, [ACAO(PAGE), LOC('{third}{run}/b')]),
      route('OPTIONS', '/b', 204, [ACAO('*')], 'third'),
      route('GET', '/b', 200, [CT, ACAO('*')], 'third'),
    ],
    expect: { allowed: true, corsError: null, preflight: true },
  },
  {
    name: 'r2-range-upper-case-bytes',
    comment:
      '`Range: BYTES=0-9`: Chromium and Firefox preflight (the preflight refuses Range); WebKit reads the unit case-insensitively and sends none.',
    call: {
      initiator: 'fetch',
      method: 'GET',
      headers: [['Range', 'BYTES=0-9']],
      credentials: 'same-origin',
      mode: 'cors',
      path: '/data',
    },
    routes: [
      route('OPTIONS', '/data', 204, [ACAO(PAGE)]),
      route('GET', '/data', 206, [CT, ACAO(PAGE), ['Content-Range', 'bytes 0-9/100']]),
    ],
    expect: { allowed: false, corsError: 'HeaderDisallowedByPreflightResponse', preflight: true },
  },
];
