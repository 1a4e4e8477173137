/**
 * The WebKit suite's own cases: each pins one step of WebKit's decision order or one of its wordings
 * (browser-truth.md §3), served by the shared scenario server (routes under the run's `/r/<id>` prefix, so the
 * preflight cache never carries over). The page calls `{api}{run}/data` unless `target` says otherwise.
 */

import type { PageCall } from '../harness/engine.ts';
import type { Route, ScriptedResponse } from '../harness/scenario-server.ts';

export interface WebKitCase {
  name: string;
  call: Omit<PageCall, 'url'> & { target?: 'api' | 'refused' };
  routes: Route[];
  /** Lower-case header names the script must be able to read (allowed cors responses only). */
  readable?: string[];
}

const ACAO: [string, string] = ['Access-Control-Allow-Origin', '{page}'];
const get = (over: Partial<WebKitCase['call']> = {}): WebKitCase['call'] => ({
  initiator: 'fetch',
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  ...over,
});
const reply = (status: number, headers: [string, string][] = [], body = 'ok'): ScriptedResponse => ({
  status,
  headers,
  body,
});
const actual = (response: ScriptedResponse, method = 'GET', path = '/data'): Route => ({
  method,
  path,
  response,
});
const preflight = (response: ScriptedResponse, path = '/data'): Route => ({
  method: 'OPTIONS',
  path,
  response,
});
const okPreflight = (headers: [string, string][] = []) => preflight(reply(204, [ACAO, ...headers], ''));

export const WEBKIT_CASES: WebKitCase[] = [
  // Allowed, and what the script may read.
  {
    name: 'allowed-simple',
    call: get(),
    routes: [actual(reply(200, [ACAO, ['X-Secret', '1']]))],
    readable: ['content-length'],
  },
  {
    name: 'allowed-star',
    call: get(),
    routes: [
      actual(
        reply(200, [
          ['Access-Control-Allow-Origin', '*'],
          ['Content-Type', 'text/plain'],
        ]),
      ),
    ],
    readable: ['content-length', 'content-type'],
  },
  {
    name: 'allowed-exposed',
    call: get(),
    routes: [
      actual(
        reply(200, [
          ACAO,
          ['Access-Control-Expose-Headers', 'X-A, x-b'],
          ['X-A', '1'],
          ['X-B', '2'],
          ['X-C', '3'],
        ]),
      ),
    ],
    readable: ['content-length', 'x-a', 'x-b'],
  },
  { name: 'allowed-error-status', call: get(), routes: [actual(reply(500, [ACAO]))] },
  {
    name: 'acao-whitespace-trimmed',
    call: get(),
    routes: [actual(reply(200, [['Access-Control-Allow-Origin', ' {page} ']]))],
  },
  // One message for missing, mismatched and invalid Allow-Origin, with the response's status.
  { name: 'acao-missing', call: get(), routes: [actual(reply(200))] },
  { name: 'acao-missing-404', call: get(), routes: [actual(reply(404))] },
  { name: 'acao-missing-xhr', call: get({ initiator: 'xhr' }), routes: [actual(reply(200))] },
  {
    name: 'acao-mismatch',
    call: get(),
    routes: [actual(reply(200, [['Access-Control-Allow-Origin', 'https://app.example.test']]))],
  },
  {
    name: 'acao-trailing-slash',
    call: get(),
    routes: [actual(reply(200, [['Access-Control-Allow-Origin', '{page}/']]))],
  },
  { name: 'acao-null', call: get(), routes: [actual(reply(200, [['Access-Control-Allow-Origin', 'null']]))] },
  {
    name: 'acao-upper-case',
    call: get(),
    routes: [actual(reply(200, [['Access-Control-Allow-Origin', 'HTTP://127.0.0.1']]))],
  },
  { name: 'acao-two-lines', call: get(), routes: [actual(reply(200, [ACAO, ACAO]))] },
  {
    name: 'acao-comma-list',
    call: get(),
    routes: [actual(reply(200, [['Access-Control-Allow-Origin', '{page}, https://other.test']]))],
  },
  // Credentials.
  {
    name: 'credentials-star',
    call: get({ credentials: 'include' }),
    routes: [actual(reply(200, [['Access-Control-Allow-Origin', '*']]))],
  },
  {
    name: 'credentials-no-acac',
    call: get({ credentials: 'include' }),
    routes: [actual(reply(200, [ACAO]))],
  },
  {
    name: 'credentials-acac-True',
    call: get({ credentials: 'include' }),
    routes: [actual(reply(200, [ACAO, ['Access-Control-Allow-Credentials', 'True']]))],
  },
  {
    name: 'credentials-ok',
    call: get({ credentials: 'include' }),
    routes: [actual(reply(200, [ACAO, ['Access-Control-Allow-Credentials', 'true']]))],
  },
  // Preflight: status before Allow-Origin.
  { name: 'preflight-404-no-acao', call: get({ method: 'PUT' }), routes: [preflight(reply(404))] },
  { name: 'preflight-500-with-acao', call: get({ method: 'PUT' }), routes: [preflight(reply(500, [ACAO]))] },
  {
    name: 'preflight-301',
    call: get({ method: 'PUT' }),
    routes: [preflight(reply(301, [ACAO, ['Location', '{api}{run}/elsewhere']]))],
  },
  {
    name: 'preflight-xhr-404',
    call: get({ method: 'PUT', initiator: 'xhr' }),
    routes: [preflight(reply(404))],
  },
  { name: 'preflight-no-acao-200', call: get({ method: 'PUT' }), routes: [preflight(reply(200))] },
  {
    name: 'preflight-credentials-no-acac',
    call: get({ method: 'PUT', credentials: 'include' }),
    routes: [okPreflight([['Access-Control-Allow-Methods', 'PUT']])],
  },
  // Lists: syntax, then method, then headers.
  {
    name: 'acam-invalid',
    call: get({ method: 'PUT' }),
    routes: [okPreflight([['Access-Control-Allow-Methods', 'PUT;GET']])],
  },
  {
    name: 'acah-invalid-before-method',
    call: get({ method: 'PUT', headers: [['X-A', '1']] }),
    routes: [okPreflight([['Access-Control-Allow-Headers', 'x a']])],
  },
  { name: 'method-missing', call: get({ method: 'PUT' }), routes: [okPreflight()] },
  {
    name: 'method-lower-case-patch',
    call: get({ method: 'patch' }),
    routes: [okPreflight([['Access-Control-Allow-Methods', 'PATCH']])],
  },
  {
    name: 'method-star-with-credentials',
    call: get({ method: 'DELETE', credentials: 'include' }),
    routes: [
      okPreflight([
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Methods', '*'],
      ]),
    ],
  },
  {
    name: 'acam-empty-items-ok-then-actual-fails',
    call: get({ method: 'PUT' }),
    routes: [okPreflight([['Access-Control-Allow-Methods', 'PUT,,GET']]), actual(reply(200), 'PUT')],
  },
  {
    name: 'preflight-ok-actual-no-acao',
    call: get({ method: 'PUT' }),
    routes: [okPreflight([['Access-Control-Allow-Methods', 'PUT']]), actual(reply(200), 'PUT')],
  },
  // Header names: known names first in WebKit's spelling, then others as the page set them.
  {
    name: 'header-as-set-first-unknown',
    call: get({
      headers: [
        ['x-b', '1'],
        ['X-A', '1'],
      ],
    }),
    routes: [okPreflight()],
  },
  {
    name: 'header-known-before-unknown',
    call: get({
      headers: [
        ['x-a', '1'],
        ['authorization', 'Bearer t'],
      ],
    }),
    routes: [okPreflight()],
  },
  {
    name: 'header-known-in-set-order',
    call: get({
      headers: [
        ['content-type', 'application/json'],
        ['authorization', 'Bearer t'],
      ],
    }),
    routes: [okPreflight()],
  },
  {
    name: 'header-x-requested-with-is-unknown',
    call: get({
      headers: [
        ['x-requested-with', 'XMLHttpRequest'],
        ['x-a', '1'],
      ],
    }),
    routes: [okPreflight()],
  },
  {
    name: 'header-second-not-allowed',
    call: get({
      headers: [
        ['x-zed', '1'],
        ['X-Abc', '2'],
      ],
    }),
    routes: [okPreflight([['Access-Control-Allow-Headers', 'x-zed']])],
  },
  {
    name: 'header-xhr',
    call: get({
      initiator: 'xhr',
      headers: [
        ['x-a', '1'],
        ['Authorization', 'Bearer t'],
      ],
    }),
    routes: [okPreflight()],
  },
  {
    name: 'header-star-covers-authorization',
    call: get({ headers: [['Authorization', 'Bearer t']] }),
    routes: [
      preflight(
        reply(
          204,
          [
            ['Access-Control-Allow-Origin', '*'],
            ['Access-Control-Allow-Headers', '*'],
          ],
          '',
        ),
      ),
      actual(reply(200, [['Access-Control-Allow-Origin', '*']])),
    ],
  },
  {
    name: 'header-star-with-credentials',
    call: get({ credentials: 'include', headers: [['X-Foo', '1']] }),
    routes: [
      okPreflight([
        ['Access-Control-Allow-Credentials', 'true'],
        ['Access-Control-Allow-Headers', '*'],
      ]),
    ],
  },
  // Redirects: the redirect is CORS-checked first, and a failure is wrapped.
  {
    name: 'redirect-same-origin-final-no-acao',
    call: get(),
    routes: [
      actual(reply(302, [ACAO, ['Location', '{api}{run}/final']])),
      actual(reply(200), 'GET', '/final'),
    ],
  },
  {
    name: 'redirect-without-acao',
    call: get(),
    routes: [
      actual(reply(302, [['Location', '{api}{run}/final']])),
      actual(reply(200, [ACAO]), 'GET', '/final'),
    ],
  },
  {
    name: 'redirect-without-acao-xhr',
    call: get({ initiator: 'xhr' }),
    routes: [
      actual(reply(302, [['Location', '{api}{run}/final']])),
      actual(reply(200, [ACAO]), 'GET', '/final'),
    ],
  },
  {
    name: 'redirect-cross-origin-origin-null',
    call: get(),
    routes: [
      actual(reply(302, [ACAO, ['Location', '{third}{run}/final']])),
      { origin: 'third', method: 'GET', path: '/final', response: reply(200, [ACAO]) },
    ],
  },
  {
    name: 'redirect-cross-origin-null-allowed',
    call: get(),
    routes: [
      actual(reply(302, [ACAO, ['Location', '{third}{run}/final']])),
      {
        origin: 'third',
        method: 'GET',
        path: '/final',
        response: reply(200, [['Access-Control-Allow-Origin', 'null']]),
      },
    ],
  },
  {
    name: 'redirect-with-credentials-in-url',
    call: get(),
    routes: [actual(reply(302, [ACAO, ['Location', 'http://user:pw@127.0.0.1:9/x']]))],
  },
  {
    name: 'redirect-to-data-url',
    call: get(),
    routes: [actual(reply(302, [ACAO, ['Location', 'data:text/plain,hi']]))],
  },
  {
    name: 'redirect-mode-error',
    call: get({ redirect: 'error' }),
    routes: [actual(reply(302, [ACAO, ['Location', '{api}{run}/final']]))],
  },
  {
    name: 'redirect-mode-error-no-acao',
    call: get({ redirect: 'error' }),
    routes: [actual(reply(302, [['Location', '{api}{run}/final']]))],
  },
  {
    name: 'redirect-307-preflights-again',
    call: get({ method: 'PUT' }),
    routes: [
      okPreflight([['Access-Control-Allow-Methods', 'PUT']]),
      actual(reply(307, [ACAO, ['Location', '{api}{run}/final']]), 'PUT'),
      preflight(reply(204, [], ''), '/final'),
    ],
  },
  {
    name: 'redirect-mode-manual',
    call: get({ redirect: 'manual' }),
    routes: [actual(reply(302, [['Location', '{api}{run}/final']]))],
  },
  // WebKit's own safelist and forbidden list.
  {
    name: 'user-agent-is-unsafe-not-forbidden',
    call: get({
      headers: [
        ['User-Agent', 'cors-doctor'],
        ['X-A', '1'],
      ],
    }),
    routes: [okPreflight([['Access-Control-Allow-Headers', 'x-a']])],
  },
  {
    name: 'client-hint-needs-preflight',
    call: get({ headers: [['DPR', '2']] }),
    routes: [preflight(reply(404))],
  },
  {
    name: 'range-unit-case-insensitive',
    call: get({ headers: [['Range', 'Bytes=0-1']] }),
    routes: [actual(reply(206, [ACAO, ['Content-Range', 'bytes 0-1/2']]))],
  },
  {
    name: 'xhr-refused-headers-then-cors-line',
    call: get({
      initiator: 'xhr',
      headers: [
        ['Cookie', 'a=b'],
        ['X-A', '1'],
      ],
    }),
    routes: [preflight(reply(204))],
  },
  {
    name: 'redirect-to-ftp',
    call: get(),
    routes: [actual(reply(302, [['Location', 'ftp://127.0.0.1:9/x']]))],
  },
  // Modes and failures that are not CORS checks.
  { name: 'same-origin-mode', call: get({ mode: 'same-origin' }), routes: [actual(reply(200, [ACAO]))] },
  {
    name: 'no-cors-opaque',
    call: get({ mode: 'no-cors', headers: [['X-Foo', '1']] }),
    routes: [actual(reply(200))],
  },
  { name: 'no-cors-put-throws', call: get({ mode: 'no-cors', method: 'PUT' }), routes: [] },
  { name: 'refused-simple', call: get({ target: 'refused' }), routes: [] },
  { name: 'refused-preflight', call: get({ target: 'refused', method: 'PUT' }), routes: [] },
];
