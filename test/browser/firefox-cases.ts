/**
 * The Firefox suite's own cases: each pins one step of Firefox's decision order (browser-truth.md §2.2) on a
 * real loopback server. Replies use placeholders ({origin}, {api}, {other}); see firefox-wire.ts.
 */
import type { PageCall } from '../harness/engine.ts';
import type { WireCase } from './firefox-wire.ts';

export interface FirefoxCase extends WireCase {
  call: Omit<PageCall, 'url'> & { target?: 'api' | 'refused' };
}

const get = (over: Partial<FirefoxCase['call']> = {}): FirefoxCase['call'] => ({
  initiator: 'fetch',
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  ...over,
});
const ok = (headers: [string, string][] = []) => ({ status: 200, headers });
const ACAO: [string, string] = ['Access-Control-Allow-Origin', '{origin}'];

export const FIREFOX_CASES: FirefoxCase[] = [
  { name: 'allowed-simple', call: get(), replies: { actual: ok([ACAO, ['X-Secret', '1']]) } },
  {
    name: 'allowed-exposed',
    call: get(),
    replies: { actual: ok([ACAO, ['X-Trace', '1'], ['Access-Control-Expose-Headers', 'X-Trace']]) },
  },
  { name: 'missing-acao', call: get(), replies: { actual: ok() } },
  { name: 'missing-acao-404', call: get(), replies: { actual: { status: 404, headers: [] } } },
  { name: 'missing-acao-xhr', call: get({ initiator: 'xhr' }), replies: { actual: ok() } },
  { name: 'acao-two-lines', call: get(), replies: { actual: ok([ACAO, ACAO]) } },
  {
    name: 'acao-comma-joined',
    call: get(),
    replies: { actual: ok([['Access-Control-Allow-Origin', '{origin}, http://other.test']]) },
  },
  {
    name: 'acao-mismatch',
    call: get(),
    replies: { actual: ok([['Access-Control-Allow-Origin', 'https://app.example.test']]) },
  },
  {
    name: 'acao-trailing-slash',
    call: get(),
    replies: { actual: ok([['Access-Control-Allow-Origin', '{origin}/']]) },
  },
  { name: 'acao-star', call: get(), replies: { actual: ok([['Access-Control-Allow-Origin', '*']]) } },
  {
    name: 'credentials-star',
    call: get({ credentials: 'include' }),
    replies: { actual: ok([['Access-Control-Allow-Origin', '*']]) },
  },
  { name: 'credentials-no-acac', call: get({ credentials: 'include' }), replies: { actual: ok([ACAO]) } },
  {
    name: 'credentials-acac-True',
    call: get({ credentials: 'include' }),
    replies: { actual: ok([ACAO, ['Access-Control-Allow-Credentials', 'True']]) },
  },
  {
    name: 'credentials-ok',
    call: get({ credentials: 'include' }),
    replies: { actual: ok([ACAO, ['Access-Control-Allow-Credentials', 'true']]) },
  },
  {
    name: 'preflight-ok',
    call: get({ method: 'PUT', headers: [['X-Custom', '1']] }),
    replies: {
      preflight: {
        status: 204,
        headers: [
          ACAO,
          ['Access-Control-Allow-Methods', 'PUT'],
          ['Access-Control-Allow-Headers', 'x-custom'],
        ],
      },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-500',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 500, headers: [ACAO, ['Access-Control-Allow-Methods', 'PUT']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-404-no-acao',
    call: get({ method: 'DELETE' }),
    replies: { preflight: { status: 404, headers: [] }, actual: ok([ACAO]) },
  },
  {
    name: 'preflight-missing-acao',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 204, headers: [['Access-Control-Allow-Methods', 'PUT']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-acao-two-lines',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 204, headers: [ACAO, ACAO, ['Access-Control-Allow-Methods', 'PUT']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-method-missing',
    call: get({ method: 'PUT' }),
    replies: { preflight: { status: 204, headers: [ACAO] }, actual: ok([ACAO]) },
  },
  {
    name: 'preflight-method-case',
    call: get({ method: 'patch' }),
    replies: {
      preflight: { status: 204, headers: [ACAO, ['Access-Control-Allow-Methods', 'PATCH']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-method-invalid-token',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 204, headers: [ACAO, ['Access-Control-Allow-Methods', 'GET, P(T']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-header-missing',
    call: get({ headers: [['X-Custom', '1']] }),
    replies: { preflight: { status: 204, headers: [ACAO] }, actual: ok([ACAO]) },
  },
  {
    name: 'preflight-header-not-listed',
    call: get({
      headers: [
        ['X-Custom', '1'],
        ['X-Other', '2'],
      ],
    }),
    replies: {
      preflight: { status: 204, headers: [ACAO, ['Access-Control-Allow-Headers', 'x-custom']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-header-invalid-token',
    call: get({ headers: [['X-Custom', '1']] }),
    replies: {
      preflight: { status: 204, headers: [ACAO, ['Access-Control-Allow-Headers', 'x-custom, a b']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-content-type-json',
    call: get({ method: 'POST', headers: [['Content-Type', 'application/json']], body: '{}' }),
    replies: { preflight: { status: 204, headers: [ACAO] }, actual: ok([ACAO]) },
  },
  {
    name: 'star-headers-authorization',
    call: get({ headers: [['Authorization', 'Bearer x']] }),
    replies: {
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Headers', '*'],
        ],
      },
      actual: ok([['Access-Control-Allow-Origin', '*']]),
    },
  },
  {
    name: 'star-headers-credentials',
    call: get({ credentials: 'include', headers: [['X-Custom', '1']] }),
    replies: {
      preflight: {
        status: 204,
        headers: [ACAO, ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Headers', '*']],
      },
      actual: ok([ACAO, ['Access-Control-Allow-Credentials', 'true']]),
    },
  },
  {
    name: 'preflight-redirect',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 307, headers: [ACAO, ['Location', '{api}/s/preflight-redirect/hop2']] },
      actual: ok([ACAO]),
      hop2: ok([ACAO]),
    },
  },
  {
    name: 'preflight-redirect-no-acao',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 302, headers: [['Location', '{api}/s/preflight-redirect-no-acao/hop2']] },
      actual: ok([ACAO]),
      hop2: ok([ACAO]),
    },
  },
  {
    name: 'preflight-301-no-acao',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 301, headers: [['Location', '{api}/s/preflight-301-no-acao/hop2']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-302-mismatch',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: {
        status: 302,
        headers: [
          ['Access-Control-Allow-Origin', 'https://x.test'],
          ['Location', '{api}/s/preflight-302-mismatch/hop2'],
        ],
      },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-302-no-acao-unscripted-target',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 302, headers: [['Location', '{api}/s/nowhere/hop2']] },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'redirect-same-server-ok',
    call: get(),
    replies: {
      actual: { status: 302, headers: [ACAO, ['Location', '{api}/s/redirect-same-server-ok/hop2']] },
      hop2: ok([ACAO]),
    },
  },
  {
    name: 'redirect-no-acao-on-3xx',
    call: get(),
    replies: {
      actual: { status: 302, headers: [['Location', '{api}/s/redirect-no-acao-on-3xx/hop2']] },
      hop2: ok([ACAO]),
    },
  },
  {
    name: 'redirect-cross-origin-origin-null',
    call: get(),
    replies: {
      actual: {
        status: 302,
        headers: [ACAO, ['Location', '{other}/s/redirect-cross-origin-origin-null/hop2']],
      },
      hop2: ok([ACAO]),
    },
  },
  {
    name: 'redirect-cross-origin-null-ok',
    call: get(),
    replies: {
      actual: { status: 302, headers: [ACAO, ['Location', '{other}/s/redirect-cross-origin-null-ok/hop2']] },
      hop2: ok([['Access-Control-Allow-Origin', 'null']]),
    },
  },
  { name: 'network-error', call: get({ target: 'refused' }), replies: { actual: ok() } },
  {
    name: 'network-error-preflight',
    call: get({ target: 'refused', method: 'PUT' }),
    replies: { actual: ok() },
  },
  {
    name: 'credentials-methods-star',
    call: get({ method: 'DELETE', credentials: 'include' }),
    replies: {
      preflight: {
        status: 200,
        headers: [ACAO, ['Access-Control-Allow-Credentials', 'true'], ['Access-Control-Allow-Methods', '*']],
      },
      actual: ok([ACAO]),
    },
  },
  {
    name: 'preflight-ok-actual-fails',
    call: get({ method: 'PUT' }),
    replies: {
      preflight: { status: 204, headers: [ACAO, ['Access-Control-Allow-Methods', 'PUT']] },
      actual: ok([['Access-Control-Allow-Origin', 'http://127.0.0.1']]),
    },
  },
  {
    name: 'star-headers-authorization-listed-other',
    call: get({
      headers: [
        ['Authorization', 'Bearer x'],
        ['X-Custom', '1'],
      ],
    }),
    replies: {
      preflight: {
        status: 204,
        headers: [
          ['Access-Control-Allow-Origin', '*'],
          ['Access-Control-Allow-Headers', '*'],
        ],
      },
      actual: ok([['Access-Control-Allow-Origin', '*']]),
    },
  },
  { name: 'no-cors-opaque', call: get({ mode: 'no-cors' }), replies: { actual: ok() } },
];
