/**
 * The scenario table shared by the three browser suites (Chromium, Firefox, WebKit) and the model.
 * Each scenario: the page's call (a path on one of the scenario server's origins, default the API
 * origin), the server's scripted answers per (origin, method, path), and an intent check (`expect`) so
 * a scenario cannot silently test something else. Header values may use `{page}`, `{api}`, `{third}`
 * (origins) and `{run}` (the run's path prefix); see test/harness/scenario-server.ts.
 *
 * `chromium` notes record where the running Chromium departs from the Fetch Standard or from
 * reference/browser-truth.md; the model follows Chromium there.
 */
import type { LnaPermission, LnaPermissionName } from '../../src/browser/local-network-access.ts';
import type { CorsError } from '../../src/browser/types.ts';
import type { PageCall } from '../harness/engine.ts';
import type { OriginName, Route } from '../harness/scenario-server.ts';

export interface ScenarioCall extends Omit<PageCall, 'url'> {
  /** Path on the target origin (the run prefix is added by the runner). */
  path: string;
  /** Which origin the page calls; default 'api'. */
  to?: OriginName;
  /** Call this exact URL instead (placeholders `{api}`… expanded; no run prefix): non-HTTP schemes. */
  absoluteUrl?: string;
}

export interface Scenario {
  name: string;
  comment: string;
  /** Catalog mistake number the scenario shows, when it shows one. */
  mistake?: number;
  call: ScenarioCall;
  routes: Route[];
  expect: { allowed: boolean; corsError: CorsError | null; preflight?: boolean };
  /** Where Chromium departs from the Fetch Standard / browser-truth.md (the model follows Chromium). */
  chromium?: string;
  /**
   * Chromium's failedParameter is one of several candidates in an order the spec does not decide (hash
   * order of Blink's HTTPHeaderMap, predicted by header-order.ts): the test accepts any candidate and
   * checks the line with it.
   */
  nondeterministicParameter?: string;
  /**
   * Local Network Access (test/scenarios/lna.ts): which origins Chromium is told to treat as public or
   * private (`--ip-address-space-overrides`; the others stay loopback) and the permissions granted.
   * The model then runs with the same spaces and permissions.
   */
  lna?: {
    spaces: Partial<Record<OriginName, 'public' | 'private'>>;
    permissions: Partial<Record<LnaPermissionName, LnaPermission>>;
  };
}

// ---- builders -------------------------------------------------------------------------------------
type H = [string, string];
const ACAO = (v: string): H => ['Access-Control-Allow-Origin', v];
const ACAC = (v: string): H => ['Access-Control-Allow-Credentials', v];
const ACAM = (v: string): H => ['Access-Control-Allow-Methods', v];
const ACAH = (v: string): H => ['Access-Control-Allow-Headers', v];
const ACEH = (v: string): H => ['Access-Control-Expose-Headers', v];
const CT = (v = 'application/json'): H => ['Content-Type', v];
const LOC = (v: string): H => ['Location', v];
const PAGE = '{page}';
const JSON_BODY = '{"ok":true}';

const route = (
  method: string,
  path: string,
  status: number,
  headers: H[],
  origin: OriginName = 'api',
  body?: string,
): Route => ({
  origin,
  method,
  path,
  response: { status, headers, body: body ?? (status === 204 || method === 'OPTIONS' ? '' : JSON_BODY) },
});
const get = (status: number, headers: H[], path = '/data'): Route => route('GET', path, status, headers);
const options = (status: number, headers: H[], path = '/data', origin: OriginName = 'api'): Route =>
  route('OPTIONS', path, status, headers, origin);

const call = (over: Partial<ScenarioCall> = {}): ScenarioCall => ({
  initiator: 'fetch',
  method: 'GET',
  headers: [],
  credentials: 'same-origin',
  mode: 'cors',
  path: '/data',
  ...over,
});
const blocked = (corsError: CorsError | null, preflight = false) => ({
  allowed: false,
  corsError,
  preflight,
});
const allowed = (preflight = false) => ({ allowed: true, corsError: null, preflight });

/** A preflighted PUT with `extra` request headers, the preflight answer and the actual answer. */
const put = (
  name: string,
  comment: string,
  preflightHeaders: H[],
  actualHeaders: H[],
  expect: Scenario['expect'],
  over: Partial<ScenarioCall> = {},
  more: Partial<Scenario> = {},
): Scenario => ({
  name,
  comment,
  call: call({ method: 'PUT', headers: [['Content-Type', 'application/json']], body: JSON_BODY, ...over }),
  routes: [options(204, preflightHeaders), route('PUT', '/data', 200, actualHeaders)],
  expect,
  ...more,
});

const longDigits = '1'.repeat(128);

export const scenarios: Scenario[] = [
  // ---- mistake 1: no Access-Control-Allow-Origin ----------------------------------------------------
  {
    name: 'm1-missing-allow-origin-get',
    mistake: 1,
    comment: 'A simple GET answered 200 without any CORS header.',
    call: call(),
    routes: [get(200, [CT()])],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'm1-missing-allow-origin-post-form',
    mistake: 1,
    comment: 'A simple POST (form content type, no preflight) answered without CORS headers.',
    call: call({
      method: 'POST',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body: 'a=1',
    }),
    routes: [route('POST', '/data', 200, [CT()])],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'm1-missing-allow-origin-xhr',
    mistake: 1,
    comment: 'The XMLHttpRequest form of the line (`Access to XMLHttpRequest at`).',
    call: call({ initiator: 'xhr' }),
    routes: [get(200, [CT()])],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'm1-origin-not-allowed',
    mistake: 1,
    comment: 'CORS is configured, for another origin only.',
    call: call(),
    routes: [get(200, [CT(), ACAO('https://app.example.com'), ['Vary', 'Origin']])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm1-missing-allow-origin-head',
    mistake: 1,
    comment: 'HEAD is safelisted: no preflight; the missing header still blocks.',
    call: call({ method: 'HEAD' }),
    routes: [route('HEAD', '/data', 200, [CT()])],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'm1-wildcard-simple-ok',
    comment: 'The public-API answer: `*` without credentials passes.',
    call: call(),
    routes: [get(200, [CT(), ACAO('*')])],
    expect: allowed(),
  },
  {
    name: 'm1-exact-origin-ok',
    comment: 'The exact origin echoed, with Vary: Origin.',
    call: call(),
    routes: [get(200, [CT(), ACAO(PAGE), ['Vary', 'Origin']])],
    expect: allowed(),
  },

  // ---- mistake 2: wildcard with credentials, Allow-Credentials ----------------------------------------
  {
    name: 'm2-wildcard-with-credentials',
    mistake: 2,
    comment: "credentials: 'include' and Access-Control-Allow-Origin: *.",
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO('*'), ACAC('true')])],
    expect: blocked('WildcardOriginNotAllowed'),
  },
  {
    name: 'm2-wildcard-with-credentials-xhr',
    mistake: 2,
    comment: 'XHR withCredentials: the line gains the withCredentials sentence.',
    call: call({ initiator: 'xhr', credentials: 'include' }),
    routes: [get(200, [CT(), ACAO('*')])],
    expect: blocked('WildcardOriginNotAllowed'),
  },
  {
    name: 'm2-credentials-missing-allow-credentials',
    mistake: 2,
    comment: 'Origin echoed but no Access-Control-Allow-Credentials: the hint is empty.',
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE)])],
    expect: blocked('InvalidAllowCredentials'),
  },
  {
    name: 'm2-allow-credentials-capital-true',
    mistake: 2,
    comment: 'Access-Control-Allow-Credentials: True — the comparison is case-sensitive.',
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('True')])],
    expect: blocked('InvalidAllowCredentials'),
  },
  {
    name: 'm2-allow-credentials-false-xhr',
    mistake: 2,
    comment: 'XHR withCredentials with Allow-Credentials: false.',
    call: call({ initiator: 'xhr', credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('false')])],
    expect: blocked('InvalidAllowCredentials'),
  },
  {
    name: 'm2-allow-credentials-two-lines',
    mistake: 5,
    comment: 'Two `Access-Control-Allow-Credentials: true` lines are joined to `true, true`: not `true`.',
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('true'), ACAC('true')])],
    expect: blocked('InvalidAllowCredentials'),
  },
  {
    name: 'm2-credentials-ok',
    comment: 'Origin echoed plus Allow-Credentials: true.',
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('true'), ['Vary', 'Origin']])],
    expect: allowed(),
  },
  {
    name: 'm2-omit-credentials-wildcard-ok',
    comment: "credentials: 'omit' with `*`.",
    call: call({ credentials: 'omit' }),
    routes: [get(200, [CT(), ACAO('*')])],
    expect: allowed(),
  },
  put(
    'm2-preflight-wildcard-with-credentials',
    'The preflight answers `*` to a credentialed PUT (judged with the actual request credentials).',
    [ACAO('*'), ACAC('true'), ACAM('PUT'), ACAH('content-type')],
    [ACAO('*')],
    blocked('PreflightWildcardOriginNotAllowed', true),
    { credentials: 'include' },
    { mistake: 2 },
  ),
  put(
    'm2-preflight-missing-allow-credentials',
    'The preflight echoes the origin but omits Allow-Credentials for a credentialed PUT.',
    [ACAO(PAGE), ACAM('PUT'), ACAH('content-type')],
    [ACAO(PAGE), ACAC('true')],
    blocked('PreflightInvalidAllowCredentials', true),
    { credentials: 'include' },
    { mistake: 2 },
  ),
  put(
    'm2-allow-methods-star-with-credentials',
    'Access-Control-Allow-Methods: * is a literal method name when credentials are included.',
    [ACAO(PAGE), ACAC('true'), ACAM('*'), ACAH('content-type')],
    [ACAO(PAGE), ACAC('true')],
    blocked('MethodDisallowedByPreflightResponse', true),
    { credentials: 'include' },
    { mistake: 2 },
  ),
  put(
    'm2-allow-methods-star-without-credentials',
    'Access-Control-Allow-Methods: * allows any method without credentials.',
    [ACAO('*'), ACAM('*'), ACAH('content-type')],
    [ACAO('*')],
    allowed(true),
    { credentials: 'omit' },
  ),
  put(
    'm2-allow-headers-star-with-credentials',
    'Access-Control-Allow-Headers: * is a literal name with credentials: content-type is not covered.',
    [ACAO(PAGE), ACAC('true'), ACAM('PUT'), ACAH('*')],
    [ACAO(PAGE), ACAC('true')],
    blocked('HeaderDisallowedByPreflightResponse', true),
    { credentials: 'include' },
    { mistake: 2 },
  ),
  put(
    'm2-allow-headers-star-without-credentials',
    'Access-Control-Allow-Headers: * covers every header without credentials.',
    [ACAO('*'), ACAM('PUT'), ACAH('*')],
    [ACAO('*')],
    allowed(true),
    {
      headers: [
        ['Content-Type', 'application/json'],
        ['X-Request-Id', 'r1'],
      ],
    },
  ),
  put(
    'm2-authorization-covered-by-star-in-chromium',
    'Authorization with Access-Control-Allow-Headers: * (no credentials).',
    [ACAO('*'), ACAM('PUT'), ACAH('*')],
    [ACAO('*')],
    allowed(true),
    {
      headers: [
        ['Authorization', 'Bearer t'],
        ['Content-Type', 'application/json'],
      ],
    },
    {
      mistake: 2,
      chromium:
        'The Fetch Standard (CORS non-wildcard request-header name) and browser-truth.md say `*` never covers Authorization; the running Chromium allows it (NonWildcardRequestHeadersSupport is off).',
    },
  ),
  put(
    'm2-authorization-star-plus-listed',
    '`*, Authorization` covers Authorization (listed) and the rest (wildcard).',
    [ACAO('*'), ACAM('PUT'), ACAH('*, Authorization')],
    [ACAO('*')],
    allowed(true),
    {
      headers: [
        ['Authorization', 'Bearer t'],
        ['Content-Type', 'application/json'],
        ['X-Trace', '1'],
      ],
    },
  ),
  {
    name: 'm2-authorization-get-listed-ok',
    comment: 'A GET with Authorization needs a preflight; listing it explicitly passes.',
    call: call({ headers: [['Authorization', 'Bearer t']] }),
    routes: [options(204, [ACAO(PAGE), ACAH('Authorization')]), get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(true),
  },
  {
    name: 'm2-expose-star-with-credentials',
    mistake: 9,
    comment: 'Access-Control-Expose-Headers: * exposes nothing extra with credentials.',
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('true'), ACEH('*'), ['X-Request-Id', 'abc']])],
    expect: allowed(),
  },
  {
    name: 'm2-expose-star-without-credentials',
    comment: 'Access-Control-Expose-Headers: * exposes every header (but Set-Cookie) without credentials.',
    call: call(),
    routes: [
      get(200, [CT(), ACAO('*'), ACEH('*'), ['X-Request-Id', 'abc'], ['Set-Cookie', 'a=b'], ['ETag', '"1"']]),
    ],
    expect: allowed(),
  },

  // ---- mistake 3: preflight not handled ---------------------------------------------------------------
  {
    name: 'm3-preflight-404-no-headers',
    mistake: 3,
    comment: 'No OPTIONS route: 404 without CORS headers. Chromium checks Allow-Origin before the status.',
    call: call({ method: 'PUT', headers: [['Content-Type', 'application/json']], body: JSON_BODY }),
    routes: [options(404, [['Content-Type', 'text/plain']]), route('PUT', '/data', 200, [ACAO(PAGE)])],
    expect: blocked('PreflightMissingAllowOriginHeader', true),
  },
  {
    name: 'm3-preflight-405-with-allow-origin',
    mistake: 3,
    comment: 'CORS headers on every response, but the framework answers OPTIONS 405.',
    call: call({ method: 'DELETE' }),
    routes: [
      options(405, [ACAO(PAGE), ['Allow', 'GET, DELETE']]),
      route('DELETE', '/data', 200, [ACAO(PAGE)]),
    ],
    expect: blocked('PreflightInvalidStatus', true),
  },
  {
    name: 'm3-preflight-500-with-allow-origin',
    mistake: 3,
    comment: 'The preflight crashes but still carries Allow-Origin: status decides.',
    call: call({ method: 'PATCH' }),
    routes: [options(500, [ACAO(PAGE), ACAM('PATCH')]), route('PATCH', '/data', 200, [ACAO(PAGE)])],
    expect: blocked('PreflightInvalidStatus', true),
  },
  {
    name: 'm3-preflight-500-no-headers',
    mistake: 3,
    comment: 'A 500 preflight without headers reports the missing header, not the status (Chromium order).',
    call: call({ method: 'PATCH' }),
    routes: [options(500, [['Content-Type', 'text/plain']])],
    expect: blocked('PreflightMissingAllowOriginHeader', true),
  },
  {
    name: 'm3-preflight-200-without-cors-headers',
    mistake: 3,
    comment: 'A catch-all route answers OPTIONS 200 without CORS headers.',
    call: call({ method: 'PUT', headers: [['Content-Type', 'application/json']], body: JSON_BODY }),
    routes: [options(200, [CT('text/html')])],
    expect: blocked('PreflightMissingAllowOriginHeader', true),
  },
  {
    name: 'm3-preflight-redirect-301',
    mistake: 3,
    comment: 'The preflight is redirected (e.g. trailing-slash or HTTPS redirect).',
    call: call({ method: 'PUT', headers: [['Content-Type', 'application/json']], body: JSON_BODY }),
    routes: [options(301, [LOC('{run}/data/'), ACAO(PAGE)])],
    expect: blocked('PreflightDisallowedRedirect', true),
  },
  {
    name: 'm3-preflight-redirect-307-no-headers',
    mistake: 3,
    comment: 'A redirect is refused before any header is looked at.',
    call: call({ method: 'DELETE' }),
    routes: [options(307, [LOC('{third}{run}/data')])],
    expect: blocked('PreflightDisallowedRedirect', true),
  },
  {
    name: 'm3-preflight-300-without-location',
    comment: 'A 3xx without Location is not a redirect: CORS check passes, then the status fails.',
    call: call({ method: 'DELETE' }),
    routes: [options(300, [ACAO(PAGE), ACAM('DELETE')])],
    expect: blocked('PreflightInvalidStatus', true),
  },
  {
    name: 'm3-preflight-206-ok',
    comment: 'Any 2xx is an ok status, 206 included.',
    call: call({ method: 'DELETE' }),
    routes: [options(206, [ACAO(PAGE), ACAM('DELETE')]), route('DELETE', '/data', 200, [ACAO(PAGE)])],
    expect: allowed(true),
  },
  {
    name: 'm3-method-not-allowed',
    mistake: 3,
    comment: 'DELETE is not in Access-Control-Allow-Methods.',
    call: call({ method: 'DELETE' }),
    routes: [options(204, [ACAO(PAGE), ACAM('GET, POST, PUT')])],
    expect: blocked('MethodDisallowedByPreflightResponse', true),
  },
  {
    name: 'm3-allow-methods-missing',
    mistake: 3,
    comment: 'Preflight passes the origin check but lists no methods.',
    call: call({ method: 'PUT', headers: [['Content-Type', 'application/json']], body: JSON_BODY }),
    routes: [options(204, [ACAO(PAGE), ACAH('Content-Type')])],
    expect: blocked('MethodDisallowedByPreflightResponse', true),
  },
  {
    name: 'm3-method-case-patch',
    mistake: 3,
    comment: 'fetch() does not normalise `patch`; Allow-Methods `PATCH` does not match it (case-sensitive).',
    call: call({ method: 'patch' }),
    routes: [options(204, [ACAO(PAGE), ACAM('GET, PATCH')])],
    expect: blocked('MethodDisallowedByPreflightResponse', true),
  },
  {
    name: 'm3-method-lowercase-put-normalised',
    comment: 'fetch() normalises `put` to `PUT`: ACRM is `PUT` and `PUT` in Allow-Methods matches.',
    call: call({ method: 'put' }),
    routes: [options(204, [ACAO(PAGE), ACAM('PUT')]), route('PUT', '/data', 200, [ACAO(PAGE)])],
    expect: allowed(true),
  },
  {
    name: 'm3-allow-methods-lowercase',
    mistake: 3,
    comment: 'Allow-Methods `put` does not match the normalised `PUT`.',
    call: call({ method: 'PUT' }),
    routes: [options(204, [ACAO(PAGE), ACAM('get, put')])],
    expect: blocked('MethodDisallowedByPreflightResponse', true),
  },
  {
    name: 'm3-header-not-allowed',
    mistake: 3,
    comment: 'X-Api-Key is not in Access-Control-Allow-Headers.',
    call: call({ headers: [['X-Api-Key', 'k']] }),
    routes: [options(204, [ACAO(PAGE), ACAH('Content-Type')])],
    expect: blocked('HeaderDisallowedByPreflightResponse', true),
  },
  {
    name: 'm3-allow-headers-case-insensitive',
    comment: 'Header names in Allow-Headers compare case-insensitively.',
    call: call({ headers: [['X-Api-Key', 'k']] }),
    routes: [options(204, [ACAO(PAGE), ACAH('X-API-KEY')]), get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(true),
  },
  {
    name: 'm3-json-content-type-not-allowed',
    mistake: 3,
    comment: 'POST application/json needs a preflight; Allow-Headers lacks Content-Type.',
    call: call({ method: 'POST', headers: [['Content-Type', 'application/json']], body: JSON_BODY }),
    routes: [options(204, [ACAO(PAGE), ACAM('POST')])],
    expect: blocked('HeaderDisallowedByPreflightResponse', true),
  },
  {
    name: 'm3-json-post-ok',
    comment: 'POST application/json fully allowed.',
    call: call({ method: 'POST', headers: [['Content-Type', 'application/json']], body: JSON_BODY }),
    routes: [
      options(204, [ACAO(PAGE), ACAH('Content-Type')]),
      route('POST', '/data', 201, [ACAO(PAGE), CT()]),
    ],
    expect: allowed(true),
  },
  {
    name: 'm3-several-headers-not-allowed',
    mistake: 3,
    comment: 'Three disallowed headers: Chromium names one of them.',
    call: call({
      headers: [
        ['X-Alpha', '1'],
        ['X-Beta', '2'],
        ['X-Gamma', '3'],
      ],
    }),
    routes: [options(204, [ACAO(PAGE), ACAH('X-Other')])],
    expect: blocked('HeaderDisallowedByPreflightResponse', true),
    nondeterministicParameter:
      'Chromium walks the request headers in Blink HTTPHeaderMap hash order (independent of the order the page set them, not sorted); header-order.ts predicts it (137/140 recorded refusals), so every candidate is accepted.',
  },
  {
    name: 'm3-invalid-allow-methods',
    mistake: 3,
    comment: 'Allow-Methods item that is not a token (`PUT DELETE` with a space).',
    call: call({ method: 'PUT' }),
    routes: [options(204, [ACAO(PAGE), ACAM('GET, PUT DELETE')])],
    expect: blocked('InvalidAllowMethodsPreflightResponse', true),
  },
  {
    name: 'm3-invalid-allow-headers',
    mistake: 3,
    comment: 'Allow-Headers item that is not a token.',
    call: call({ method: 'PUT' }),
    routes: [options(204, [ACAO(PAGE), ACAM('PUT'), ACAH('X-A, X:B')])],
    expect: blocked('InvalidAllowHeadersPreflightResponse', true),
  },
  {
    name: 'm3-allow-lists-empty-items',
    comment: 'Empty list items and odd spacing are ignored in Allow-Methods and Allow-Headers.',
    call: call({ method: 'PUT', headers: [['X-A', '1']] }),
    routes: [
      options(204, [ACAO(PAGE), ACAM(',PUT,, ,'), ACAH(' ,x-a ,')]),
      route('PUT', '/data', 200, [ACAO(PAGE)]),
    ],
    expect: allowed(true),
  },
  {
    name: 'm3-allow-headers-two-lines',
    comment: 'Two Allow-Headers lines are combined.',
    call: call({
      method: 'PUT',
      headers: [
        ['X-A', '1'],
        ['X-B', '2'],
      ],
    }),
    routes: [
      options(204, [ACAO(PAGE), ACAM('PUT'), ACAH('X-A'), ACAH('X-B')]),
      route('PUT', '/data', 200, [ACAO(PAGE)]),
    ],
    expect: allowed(true),
  },
  {
    name: 'm3-preflight-ok-actual-missing',
    mistake: 4,
    comment: 'The preflight passes but the actual response has no Allow-Origin (not a preflight error).',
    call: call({ method: 'DELETE' }),
    routes: [options(204, [ACAO(PAGE), ACAM('DELETE')]), route('DELETE', '/data', 200, [CT()])],
    expect: blocked('MissingAllowOriginHeader', true),
  },
  {
    name: 'm3-preflight-allow-origin-mismatch',
    mistake: 7,
    comment: 'The preflight answers another origin.',
    call: call({ method: 'DELETE' }),
    routes: [options(204, [ACAO('https://app.example.com'), ACAM('DELETE')])],
    expect: blocked('PreflightAllowOriginMismatch', true),
  },
  {
    name: 'm3-preflight-invalid-allow-origin',
    comment: 'The preflight sends an empty Allow-Origin.',
    call: call({ method: 'DELETE' }),
    routes: [options(204, [ACAO(''), ACAM('DELETE')])],
    expect: blocked('PreflightInvalidAllowOriginValue', true),
  },

  // ---- mistake 4: CORS headers only on success ----------------------------------------------------------
  {
    name: 'm4-401-without-cors-headers',
    mistake: 4,
    comment: 'Auth runs before CORS: the 401 carries no Allow-Origin.',
    call: call({ headers: [] }),
    routes: [get(401, [CT(), ['WWW-Authenticate', 'Bearer']])],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'm4-500-without-cors-headers',
    mistake: 4,
    comment: 'The error handler drops the CORS headers.',
    call: call(),
    routes: [get(500, [CT('text/html')])],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'm4-401-with-cors-headers',
    comment: 'With CORS headers on the error, the script sees the 401 itself.',
    call: call(),
    routes: [get(401, [CT(), ACAO(PAGE)])],
    expect: allowed(),
  },
  {
    name: 'm4-preflight-401',
    mistake: 4,
    comment: 'Auth middleware answers the preflight 401 without CORS headers.',
    call: call({ headers: [['Authorization', 'Bearer t']] }),
    routes: [options(401, [CT(), ['WWW-Authenticate', 'Bearer']])],
    expect: blocked('PreflightMissingAllowOriginHeader', true),
  },
  {
    name: 'm4-preflight-403-with-allow-origin',
    mistake: 4,
    comment: 'Auth middleware answers the preflight 403 (after CORS ran).',
    call: call({ headers: [['Authorization', 'Bearer t']] }),
    routes: [options(403, [ACAO(PAGE), ACAH('Authorization')])],
    expect: blocked('PreflightInvalidStatus', true),
  },

  // ---- mistake 5: duplicate headers ----------------------------------------------------------------------
  {
    name: 'm5-two-allow-origin-lines-same',
    mistake: 5,
    comment: 'Proxy and app both add the same Allow-Origin: joined to `a, a`.',
    call: call(),
    routes: [get(200, [CT(), ACAO(PAGE), ACAO(PAGE)])],
    expect: blocked('MultipleAllowOriginValues'),
  },
  {
    name: 'm5-two-allow-origin-lines-star-and-origin',
    mistake: 5,
    comment: 'nginx adds `*`, the app echoes the origin.',
    call: call(),
    routes: [get(200, [CT(), ACAO('*'), ACAO(PAGE)])],
    expect: blocked('MultipleAllowOriginValues'),
  },
  {
    name: 'm5-comma-joined-origins',
    mistake: 5,
    comment: 'One line listing two origins (what people write for "several origins").',
    call: call(),
    routes: [get(200, [CT(), ACAO(`${PAGE}, https://app.example.com`)])],
    expect: blocked('MultipleAllowOriginValues'),
  },
  {
    name: 'm5-space-separated-origins',
    mistake: 5,
    comment: 'Space-separated list in one line.',
    call: call(),
    routes: [get(200, [CT(), ACAO(`https://app.example.com ${PAGE}`)])],
    expect: blocked('MultipleAllowOriginValues'),
  },
  {
    name: 'm5-star-comma-origin',
    mistake: 5,
    comment: '`*, origin` in one line.',
    call: call(),
    routes: [get(200, [CT(), ACAO(`*, ${PAGE}`)])],
    expect: blocked('MultipleAllowOriginValues'),
  },
  {
    name: 'm5-two-star-lines',
    mistake: 5,
    comment: 'Two `*` lines join to `*, *`: not `*`.',
    call: call(),
    routes: [get(200, [CT(), ACAO('*'), ACAO('*')])],
    expect: blocked('MultipleAllowOriginValues'),
  },
  {
    name: 'm5-preflight-duplicate-allow-origin',
    mistake: 5,
    comment: 'Duplicate Allow-Origin on the preflight.',
    call: call({ method: 'DELETE' }),
    routes: [options(204, [ACAO(PAGE), ACAM('DELETE'), ACAO(PAGE)])],
    expect: blocked('PreflightMultipleAllowOriginValues', true),
  },
  {
    name: 'm5-header-name-case-duplicates',
    mistake: 5,
    comment: 'Same header under two spellings still joins.',
    call: call(),
    routes: [get(200, [CT(), ['access-control-allow-origin', PAGE], ['ACCESS-CONTROL-ALLOW-ORIGIN', PAGE]])],
    expect: blocked('MultipleAllowOriginValues'),
  },

  // ---- mistake 7: typo / near miss ----------------------------------------------------------------------
  {
    name: 'm7-trailing-slash',
    mistake: 7,
    comment: 'Allow-Origin with a trailing slash.',
    call: call(),
    routes: [get(200, [CT(), ACAO(`${PAGE}/`)])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm7-wrong-scheme',
    mistake: 7,
    comment: 'https instead of http.',
    call: call(),
    routes: [get(200, [CT(), ACAO('https://127.0.0.1:{pageport}')])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm7-explicit-default-port',
    mistake: 7,
    comment: 'An explicit default port (`:80`) never equals the serialised origin.',
    call: call(),
    routes: [get(200, [CT(), ACAO('http://127.0.0.1:80')])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm7-upper-case',
    mistake: 7,
    comment: 'Upper-case scheme: the comparison is byte-exact.',
    call: call(),
    routes: [get(200, [CT(), ACAO('HTTP://127.0.0.1:{pageport}')])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm7-localhost-for-127',
    mistake: 7,
    comment: '`localhost` is not `127.0.0.1`.',
    call: call(),
    routes: [get(200, [CT(), ACAO('http://localhost:{pageport}')])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm7-null-allow-origin',
    mistake: 7,
    comment: 'Allow-Origin: null for a real origin (Chromium: mismatch, not invalid).',
    call: call(),
    routes: [get(200, [CT(), ACAO('null')])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm7-host-without-scheme',
    mistake: 7,
    comment: 'Allow-Origin without a scheme is not a URL.',
    call: call(),
    routes: [get(200, [CT(), ACAO('app.example.com')])],
    expect: blocked('InvalidAllowOriginValue'),
  },
  {
    name: 'm7-empty-allow-origin',
    mistake: 7,
    comment: 'An empty Allow-Origin line.',
    call: call(),
    routes: [get(200, [CT(), ACAO('')])],
    expect: blocked('InvalidAllowOriginValue'),
  },
  {
    name: 'm7-latin1-byte',
    mistake: 7,
    comment: 'A non-ASCII byte in Allow-Origin: the console escapes it as \\u00E9.',
    call: call(),
    routes: [get(200, [CT(), ACAO('http://caf\u00e9.example')])],
    expect: blocked('InvalidAllowOriginValue'),
    chromium:
      'CDP corsErrorStatus.failedParameter is empty for a non-UTF-8 value, while the console line shows the escaped byte.',
  },
  {
    name: 'm7-padded-allow-origin-ok',
    comment: 'Surrounding spaces are stripped by HTTP parsing: padded exact origin passes.',
    call: call(),
    routes: [get(200, [CT(), ACAO(`   ${PAGE}  `)])],
    expect: allowed(),
  },
  {
    name: 'm7-wrong-port',
    mistake: 7,
    comment: 'Allowed origin with another port.',
    call: call(),
    routes: [get(200, [CT(), ACAO('http://127.0.0.1:1')])],
    expect: blocked('AllowOriginMismatch'),
  },

  // ---- mistake 9: headers not exposed ---------------------------------------------------------------------
  {
    name: 'm9-custom-header-not-exposed',
    mistake: 9,
    comment: 'X-Request-Id is sent but not exposed: the script reads only safelisted names.',
    call: call(),
    routes: [get(200, [CT(), ACAO(PAGE), ['X-Request-Id', 'abc'], ['X-Total-Count', '9']])],
    expect: allowed(),
  },
  {
    name: 'm9-header-exposed',
    comment: 'Access-Control-Expose-Headers names it.',
    call: call(),
    routes: [
      get(200, [CT(), ACAO(PAGE), ACEH('X-Request-Id'), ['X-Request-Id', 'abc'], ['X-Total-Count', '9']]),
    ],
    expect: allowed(),
  },
  {
    name: 'm9-expose-case-insensitive-two-lines',
    comment: 'Expose list across two lines, odd case.',
    call: call(),
    routes: [
      get(200, [
        CT(),
        ACAO(PAGE),
        ACEH('x-REQUEST-id'),
        ACEH('X-Total-Count'),
        ['X-Request-Id', 'a'],
        ['X-Total-Count', '9'],
      ]),
    ],
    expect: allowed(),
  },
  {
    name: 'm9-safelisted-response-headers',
    comment: 'The seven CORS-safelisted response headers are readable without exposing.',
    call: call(),
    routes: [
      get(200, [
        CT(),
        ACAO(PAGE),
        ['Cache-Control', 'no-cache'],
        ['Content-Language', 'en'],
        ['Expires', '0'],
        ['Last-Modified', 'Wed, 21 Oct 2015 07:28:00 GMT'],
        ['Pragma', 'no-cache'],
        ['ETag', '"x"'],
        ['Server', 'scenario'],
      ]),
    ],
    expect: allowed(),
  },
  {
    name: 'm9-set-cookie-never-exposed',
    comment: 'Set-Cookie stays unreadable even when listed.',
    call: call({ credentials: 'include' }),
    routes: [
      get(200, [
        CT(),
        ACAO(PAGE),
        ACAC('true'),
        ACEH('Set-Cookie, X-A'),
        ['Set-Cookie', 'a=b'],
        ['X-A', '1'],
      ]),
    ],
    expect: allowed(),
  },
  {
    name: 'm9-expose-invalid-token',
    comment: 'An Expose-Headers item that is not a token.',
    call: call(),
    routes: [get(200, [CT(), ACAO(PAGE), ACEH('X-A, X B'), ['X-A', '1'], ['X-B', '2']])],
    expect: allowed(),
  },

  // ---- request-header edges (Fetch §2.2.2 and Chromium's safelist) -----------------------------------------
  ...(
    [
      ['e-content-type-form-urlencoded', 'application/x-www-form-urlencoded', false],
      ['e-content-type-multipart', 'multipart/form-data; boundary=x', false],
      ['e-content-type-text-plain-charset', 'text/plain;charset=UTF-8', false],
      ['e-content-type-upper-case', 'TEXT/PLAIN', false],
      ['e-content-type-json', 'application/json', true],
      ['e-content-type-unsafe-byte', 'text/plain; a="b"', true],
      ['e-content-type-comma-list', 'text/plain, text/html', true],
      ['e-content-type-no-subtype', 'text', true],
    ] as const
  ).map(
    ([name, value, preflight]): Scenario => ({
      name,
      comment: `POST with Content-Type \`${value}\`: ${preflight ? 'not safelisted, preflight' : 'safelisted, no preflight'}.`,
      call: call({ method: 'POST', headers: [['Content-Type', value]], body: 'x' }),
      routes: [options(204, [ACAO(PAGE), ACAH('Content-Type')]), route('POST', '/data', 200, [ACAO(PAGE)])],
      expect: allowed(preflight),
    }),
  ),
  {
    name: 'e-value-over-128-bytes',
    comment: 'A 129-byte Accept is not safelisted: preflight with ACRH `accept`.',
    call: call({ headers: [['Accept', `text/${'x'.repeat(124)}`]] }),
    routes: [options(204, [ACAO(PAGE), ACAH('Accept')]), get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(true),
  },
  {
    name: 'e-value-128-bytes',
    comment: 'Exactly 128 bytes is still safelisted.',
    call: call({ headers: [['Accept', `text/${'x'.repeat(123)}`]] }),
    routes: [get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(false),
  },
  {
    name: 'e-safelisted-total-over-1024',
    comment:
      'Nine safelisted headers summing over 1024 bytes all become unsafe (Chromium extras make it reachable).',
    call: call({
      headers: [
        ['Accept', 'a'.repeat(128)],
        ['Accept-Language', 'b'.repeat(128)],
        ['Content-Language', 'c'.repeat(128)],
        ['DPR', longDigits],
        ['Width', longDigits],
        ['Viewport-Width', longDigits],
        ['RTT', longDigits],
        ['Device-Memory', longDigits],
        ['Downlink', longDigits],
      ],
    }),
    routes: [options(204, [ACAO(PAGE), ACAH('*')]), get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(true),
    chromium:
      'The spec has no way past 1024 bytes with five short names; Chromium’s client-hint names make it possible.',
  },
  ...(
    [
      ['e-range-simple', 'bytes=0-99', false, ''],
      ['e-range-open-ended', 'bytes=10-', false, ''],
      ['e-range-suffix', 'bytes=-500', true, ''],
      ['e-range-two-ranges', 'bytes=0-1,3-4', true, ''],
      ['e-range-reversed', 'bytes=5-2', true, ''],
      ['e-range-whitespace', 'bytes= 0-1', true, ''],
      [
        'e-range-upper-case-unit',
        'Bytes=0-1',
        true,
        'browser-truth.md reads cors.cc as case-insensitive here; the running Chromium preflights `Bytes=0-1`, as the spec says.',
      ],
    ] as const
  ).map(
    ([name, value, preflight, note]): Scenario => ({
      name,
      comment: `Range \`${value}\`: ${preflight ? 'not a simple range, preflight' : 'simple range, no preflight'}.`,
      call: call({ headers: [['Range', value]] }),
      routes: [
        options(204, [ACAO(PAGE), ACAH('Range')]),
        get(206, [CT(), ACAO(PAGE), ['Content-Range', 'bytes 0-1/2']]),
      ],
      expect: allowed(preflight),
      ...(note ? { chromium: note } : {}),
    }),
  ),
  ...(
    [
      ['e-accept-language-ok', 'Accept-Language', 'en-US,en;q=0.9', false, ''],
      ['e-accept-language-underscore', 'Accept-Language', 'en_US', true, ''],
      ['e-content-language-ok', 'Content-Language', 'de-DE', false, ''],
      ['e-accept-unsafe-byte', 'Accept', 'application/json{', true, ''],
      [
        'e-chromium-dpr',
        'DPR',
        '2',
        false,
        'Chromium safelists DPR (a legacy client hint); the spec requires a preflight.',
      ],
      [
        'e-chromium-save-data-on',
        'Save-Data',
        'on',
        false,
        'Chromium safelists `Save-Data: on`; the spec requires a preflight.',
      ],
      ['e-chromium-save-data-off', 'Save-Data', 'off', true, ''],
      [
        'e-chromium-ect',
        'ECT',
        '4g',
        false,
        'Chromium safelists ECT with an ECT name; the spec requires a preflight.',
      ],
      ['e-chromium-width-decimal', 'Width', '1.5', true, ''],
      [
        'e-chromium-device-memory',
        'Device-Memory',
        '0.5',
        false,
        'Chromium safelists Device-Memory; the spec requires a preflight.',
      ],
      [
        'e-chromium-intervention',
        'Intervention',
        'anything <at> all',
        false,
        'Chromium safelists Intervention with any value.',
      ],
    ] as const
  ).map(
    ([name, header, value, preflight, note]): Scenario => ({
      name,
      comment: `${header}: \`${value}\` → ${preflight ? 'preflight' : 'no preflight'}.`,
      call: call({ headers: [[header, value]] }),
      routes: [options(204, [ACAO(PAGE), ACAH(header)]), get(200, [CT(), ACAO(PAGE)])],
      expect: allowed(preflight),
      ...(note ? { chromium: note } : {}),
    }),
  ),
  {
    name: 'e-forbidden-headers-dropped',
    mistake: 12,
    comment:
      'The page cannot set Cookie, Origin, Host or User-Agent: fetch drops them silently, no preflight.',
    call: call({
      headers: [
        ['Cookie', 'a=b'],
        ['Origin', 'https://evil.example'],
        ['User-Agent', 'x'],
        ['Sec-Fake', '1'],
      ],
    }),
    routes: [get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(false),
    chromium:
      'User-Agent is no longer forbidden in the Fetch Standard; Chromium still drops it (crbug.com/571722).',
  },
  {
    name: 'e-cors-response-headers-in-request',
    mistake: 12,
    comment:
      'The front end sets Access-Control-Allow-Origin on its request: an unsafe header that forces a preflight.',
    call: call({ headers: [['Access-Control-Allow-Origin', '*']] }),
    routes: [options(204, [ACAO(PAGE)])],
    expect: blocked('HeaderDisallowedByPreflightResponse', true),
  },
  {
    name: 'e-xhr-refused-unsafe-header',
    comment: 'XHR logs `Refused to set unsafe header` for each forbidden name and sends without them.',
    call: call({
      initiator: 'xhr',
      headers: [
        ['Cookie', 'a=b'],
        ['Referer', 'x'],
      ],
    }),
    routes: [get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(false),
  },
  {
    name: 'e-method-override-connect-forbidden',
    comment: 'X-HTTP-Method-Override naming a forbidden method is itself forbidden: dropped.',
    call: call({ headers: [['X-HTTP-Method-Override', 'CONNECT']] }),
    routes: [get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(false),
  },
  {
    name: 'e-acrh-sorted-lowercased',
    comment: 'ACRH lists unsafe names lower-cased, sorted, comma-joined without spaces.',
    call: call({
      method: 'POST',
      headers: [
        ['X-Zeta', '1'],
        ['Content-Type', 'application/json'],
        ['X-Alpha', '2'],
      ],
      body: JSON_BODY,
    }),
    routes: [
      options(204, [ACAO(PAGE), ACAH('x-alpha,content-type,x-zeta')]),
      route('POST', '/data', 200, [ACAO(PAGE)]),
    ],
    expect: allowed(true),
  },
  {
    name: 'e-xhr-header-not-allowed',
    mistake: 3,
    comment: 'The XHR form of the header line.',
    call: call({
      initiator: 'xhr',
      method: 'POST',
      headers: [['Content-Type', 'application/json']],
      body: JSON_BODY,
    }),
    routes: [options(204, [ACAO(PAGE)])],
    expect: blocked('HeaderDisallowedByPreflightResponse', true),
  },
  {
    name: 'e-xhr-method-not-allowed',
    mistake: 3,
    comment: 'The XHR form of the method line.',
    call: call({ initiator: 'xhr', method: 'DELETE' }),
    routes: [options(204, [ACAO(PAGE), ACAM('GET')])],
    expect: blocked('MethodDisallowedByPreflightResponse', true),
  },
  {
    name: 'e-xhr-multiple-values',
    mistake: 5,
    comment: 'The XHR form drops the fetch-only suffix.',
    call: call({ initiator: 'xhr' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAO(PAGE)])],
    expect: blocked('MultipleAllowOriginValues'),
  },

  // ---- redirects ------------------------------------------------------------------------------------------
  {
    name: 'r-same-origin-hop-ok',
    comment: 'API → API redirect: both responses need Allow-Origin; no tainting.',
    call: call({ path: '/a' }),
    routes: [get(302, [ACAO(PAGE), LOC('{run}/b')], '/a'), get(200, [CT(), ACAO(PAGE)], '/b')],
    expect: allowed(),
  },
  {
    name: 'r-redirect-without-allow-origin',
    mistake: 1,
    comment: 'The 3xx itself lacks Allow-Origin: blocked at the redirect, reported at the first URL.',
    call: call({ path: '/a' }),
    routes: [get(302, [LOC('{third}{run}/b')], '/a'), route('GET', '/b', 200, [ACAO('*')], 'third')],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'r-third-origin-taints-origin',
    comment: 'API → third origin: Origin becomes `null`, so echoing the page origin fails.',
    call: call({ path: '/a' }),
    routes: [
      get(302, [ACAO(PAGE), LOC('{third}{run}/b')], '/a'),
      route('GET', '/b', 200, [ACAO(PAGE)], 'third'),
    ],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'r-third-origin-null-ok',
    comment: 'After tainting, Allow-Origin: null matches.',
    call: call({ path: '/a' }),
    routes: [
      get(307, [ACAO(PAGE), LOC('{third}{run}/b')], '/a'),
      route('GET', '/b', 200, [ACAO('null')], 'third'),
    ],
    expect: allowed(),
  },
  {
    name: 'r-third-origin-star-ok',
    comment: 'After tainting, `*` still passes without credentials.',
    call: call({ path: '/a' }),
    routes: [
      get(301, [ACAO('*'), LOC('{third}{run}/b')], '/a'),
      route('GET', '/b', 200, [ACAO('*'), ACEH('X-A'), ['X-A', '1']], 'third'),
    ],
    expect: allowed(),
  },
  {
    name: 'r-third-origin-star-credentials',
    mistake: 2,
    comment: 'Credentialed redirect to a third origin answering `*`.',
    call: call({ path: '/a', credentials: 'include' }),
    routes: [
      get(302, [ACAO(PAGE), ACAC('true'), LOC('{third}{run}/b')], '/a'),
      route('GET', '/b', 200, [ACAO('*'), ACAC('true')], 'third'),
    ],
    expect: blocked('WildcardOriginNotAllowed'),
  },
  {
    name: 'r-credentials-in-location',
    comment: 'A Location with user:password is refused (the console prints an empty location).',
    call: call({ path: '/a' }),
    routes: [get(302, [ACAO('*'), LOC('http://user:pass@127.0.0.1:9/b')], '/a')],
    expect: blocked('RedirectContainsCredentials'),
    chromium: "The hint is empty: `Redirect location ''` (browser-truth.md marked this as unconfirmed).",
  },
  {
    name: 'r-post-303-becomes-get',
    comment: '303 turns POST into GET; the final GET needs Allow-Origin.',
    call: call({ method: 'POST', path: '/a', headers: [['Content-Type', 'text/plain']], body: 'x' }),
    routes: [route('POST', '/a', 303, [ACAO(PAGE), LOC('{run}/b')]), get(200, [CT(), ACAO(PAGE)], '/b')],
    expect: allowed(),
  },
  {
    name: 'r-put-307-preflights-again',
    comment:
      'A preflighted PUT redirected (307) to a third origin: a second preflight goes there with Origin null.',
    call: call({
      method: 'PUT',
      path: '/a',
      headers: [['Content-Type', 'application/json']],
      body: JSON_BODY,
    }),
    routes: [
      options(204, [ACAO(PAGE), ACAM('PUT'), ACAH('Content-Type')], '/a'),
      route('PUT', '/a', 307, [ACAO(PAGE), LOC('{third}{run}/b')]),
      options(204, [ACAO('*'), ACAM('PUT'), ACAH('Content-Type')], '/b', 'third'),
      route('PUT', '/b', 200, [ACAO('*')], 'third'),
    ],
    expect: allowed(true),
  },
  {
    name: 'r-put-307-second-preflight-fails',
    comment: 'The redirect target does not answer its preflight.',
    call: call({
      method: 'PUT',
      path: '/a',
      headers: [['Content-Type', 'application/json']],
      body: JSON_BODY,
    }),
    routes: [
      options(204, [ACAO(PAGE), ACAM('PUT'), ACAH('Content-Type')], '/a'),
      route('PUT', '/a', 307, [ACAO(PAGE), LOC('{third}{run}/b')]),
      options(404, [CT('text/plain')], '/b', 'third'),
    ],
    expect: blocked('PreflightMissingAllowOriginHeader', true),
  },
  {
    name: 'r-authorization-dropped-cross-origin',
    comment:
      'Authorization is removed on a cross-origin hop: the GET to the third origin needs no preflight and carries no Authorization.',
    call: call({ path: '/a', headers: [['Authorization', 'Bearer t']] }),
    routes: [
      options(204, [ACAO(PAGE), ACAH('Authorization')], '/a'),
      get(307, [ACAO(PAGE), LOC('{third}{run}/b')], '/a'),
      route('GET', '/b', 200, [ACAO('*')], 'third'),
    ],
    expect: allowed(true),
  },
  {
    name: 'r-same-origin-start-then-cross',
    comment:
      'Same-origin URL redirecting to the API: CORS starts at the hop, Origin is the page (not tainted).',
    call: call({ to: 'page', path: '/a' }),
    routes: [route('GET', '/a', 302, [LOC('{api}{run}/b')], 'page'), get(200, [CT(), ACAO(PAGE)], '/b')],
    expect: allowed(),
  },
  {
    name: 'r-cross-then-back-to-page-origin',
    comment: 'API → page origin: tainted (A→B→A sends Origin null) and still CORS-checked.',
    call: call({ path: '/a' }),
    routes: [get(302, [ACAO(PAGE), LOC('{page}{run}/b')], '/a'), route('GET', '/b', 200, [CT()], 'page')],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'r-twenty-redirects-ok',
    comment: 'Twenty redirects are allowed.',
    call: call({ path: '/h0' }),
    routes: [
      ...Array.from({ length: 20 }, (_, i) => get(302, [ACAO(PAGE), LOC(`{run}/h${i + 1}`)], `/h${i}`)),
      get(200, [CT(), ACAO(PAGE)], '/h20'),
    ],
    expect: allowed(),
  },
  {
    name: 'r-too-many-redirects',
    comment: 'The 21st redirect fails with net::ERR_TOO_MANY_REDIRECTS: no CORS line.',
    call: call({ path: '/h0' }),
    routes: Array.from({ length: 22 }, (_, i) => get(302, [ACAO(PAGE), LOC(`{run}/h${i + 1}`)], `/h${i}`)),
    expect: blocked(null),
  },
  {
    name: 'r-manual-redirect',
    comment: "redirect: 'manual' gives an opaque-redirect response (after the CORS check of the 3xx).",
    call: call({ path: '/a', redirect: 'manual' }),
    routes: [get(302, [ACAO(PAGE), LOC('{third}{run}/b')], '/a')],
    expect: allowed(),
  },
  {
    name: 'r-error-redirect',
    comment: "redirect: 'error' fails at the first redirect: no CORS line.",
    call: call({ path: '/a', redirect: 'error' }),
    routes: [get(302, [ACAO(PAGE), LOC('{run}/b')], '/a')],
    expect: blocked(null),
  },

  // ---- more variants: XHR preflight lines, credentials, near misses, methods --------------------------
  put(
    'm2-xhr-preflight-wildcard-with-credentials',
    'XHR withCredentials PUT, the preflight answers `*`: preflight prefix plus the withCredentials sentence.',
    [ACAO('*'), ACAM('PUT'), ACAH('content-type')],
    [ACAO(PAGE), ACAC('true')],
    blocked('PreflightWildcardOriginNotAllowed', true),
    { initiator: 'xhr', credentials: 'include' },
    { mistake: 2 },
  ),
  put(
    'm2-xhr-preflight-allow-credentials-missing',
    'XHR withCredentials PUT, the preflight omits Allow-Credentials.',
    [ACAO(PAGE), ACAM('PUT'), ACAH('content-type')],
    [ACAO(PAGE), ACAC('true')],
    blocked('PreflightInvalidAllowCredentials', true),
    { initiator: 'xhr', credentials: 'include' },
    { mistake: 2 },
  ),
  put(
    'm5-xhr-preflight-multiple-values',
    'XHR preflight with two Allow-Origin lines: no fetch-only suffix.',
    [ACAO(PAGE), ACAO('*'), ACAM('PUT'), ACAH('content-type')],
    [ACAO(PAGE)],
    blocked('PreflightMultipleAllowOriginValues', true),
    { initiator: 'xhr' },
    { mistake: 5 },
  ),
  {
    name: 'm2-authorization-star-with-credentials',
    mistake: 2,
    comment: 'With credentials, `*` in Allow-Headers is a literal name: Authorization is not allowed.',
    call: call({ credentials: 'include', headers: [['Authorization', 'Bearer t']] }),
    routes: [options(204, [ACAO(PAGE), ACAC('true'), ACAH('*')])],
    expect: blocked('HeaderDisallowedByPreflightResponse', true),
  },
  put(
    'm2-actual-wildcard-after-good-preflight',
    'The preflight is right, the actual response answers `*` to a credentialed request.',
    [ACAO(PAGE), ACAC('true'), ACAM('PUT'), ACAH('content-type')],
    [ACAO('*'), ACAC('true')],
    blocked('WildcardOriginNotAllowed', true),
    { credentials: 'include' },
    { mistake: 2 },
  ),
  {
    name: 'm2-allow-credentials-ignored-without-credentials',
    comment: 'Allow-Credentials: false does not matter when credentials are not included.',
    call: call(),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('false')])],
    expect: allowed(),
  },
  {
    name: 'm2-allow-credentials-padded-true',
    comment: 'Spaces around `true` are stripped by HTTP parsing.',
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('  true ')])],
    expect: allowed(),
  },
  {
    name: 'm7-tab-before-star',
    comment: 'A tab before `*` is HTTP whitespace: `*` passes.',
    call: call(),
    routes: [get(200, [CT(), ACAO('\t*')])],
    expect: allowed(),
  },
  {
    name: 'm7-subdomain-pattern',
    mistake: 7,
    comment: 'A wildcard pattern in Allow-Origin is not a thing: it is compared byte for byte.',
    call: call(),
    routes: [get(200, [CT(), ACAO('https://*.example.com')])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm7-origin-with-path',
    mistake: 7,
    comment: 'The page URL instead of its origin.',
    call: call(),
    routes: [get(200, [CT(), ACAO(`${PAGE}/app/index.html`)])],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'm3-preflight-mismatch-and-404',
    mistake: 3,
    comment: 'Preflight 404 carrying another origin: the origin check reports first.',
    call: call({ method: 'DELETE' }),
    routes: [options(404, [ACAO('https://app.example.com')])],
    expect: blocked('PreflightAllowOriginMismatch', true),
  },
  {
    name: 'm3-options-method-from-page',
    comment: 'The page itself sends OPTIONS: not safelisted, so a preflight (ACRM OPTIONS) precedes it.',
    call: call({ method: 'options' }),
    routes: [options(204, [ACAO(PAGE), ACAM('OPTIONS')])],
    expect: allowed(true),
  },
  {
    name: 'm3-custom-method-case',
    mistake: 3,
    comment: 'A custom method keeps its case (`Purge`): Allow-Methods `PURGE` does not match.',
    call: call({ method: 'Purge' }),
    routes: [options(204, [ACAO(PAGE), ACAM('PURGE')])],
    expect: blocked('MethodDisallowedByPreflightResponse', true),
  },
  {
    name: 'm3-method-patch-lowercase-allowed',
    comment:
      'Allow-Methods `patch` matches the page’s `patch` exactly: the actual request goes out as `patch`.',
    call: call({ method: 'patch' }),
    routes: [
      options(204, [ACAO(PAGE), ACAM('OPTIONS, patch')]),
      route('patch', '/data', 200, [ACAO(PAGE), CT()]),
    ],
    expect: allowed(true),
  },
  {
    name: 'm3-custom-method-allowed',
    comment: 'A custom method listed with its exact case.',
    call: call({ method: 'Purge' }),
    routes: [options(204, [ACAO('*'), ACAM('Purge')]), route('Purge', '/data', 200, [ACAO('*')])],
    expect: allowed(true),
  },
  {
    name: 'm3-get-with-header-no-allow-methods',
    comment: 'A preflighted GET needs no Allow-Methods: GET is safelisted.',
    call: call({ headers: [['X-Api-Key', 'k']] }),
    routes: [options(204, [ACAO(PAGE), ACAH('X-Api-Key')]), get(200, [CT(), ACAO(PAGE)])],
    expect: allowed(true),
  },
  {
    name: 'm4-preflight-ok-actual-403',
    mistake: 4,
    comment: 'The preflight passes; the 403 of the actual request has no CORS headers.',
    call: call({ method: 'DELETE' }),
    routes: [options(204, [ACAO(PAGE), ACAM('DELETE')]), route('DELETE', '/data', 403, [CT()])],
    expect: blocked('MissingAllowOriginHeader', true),
  },
  {
    name: 'e-method-override-put-unsafe',
    comment: 'X-HTTP-Method-Override: PUT is an ordinary unsafe header: preflight.',
    call: call({ method: 'POST', headers: [['X-HTTP-Method-Override', 'PUT']], body: 'x' }),
    routes: [
      options(204, [ACAO(PAGE), ACAH('X-HTTP-Method-Override')]),
      route('POST', '/data', 200, [ACAO(PAGE)]),
    ],
    expect: allowed(true),
  },
  {
    name: 'e-post-without-body',
    comment: 'POST without body or headers: no Content-Type at all, no preflight.',
    call: call({ method: 'POST' }),
    routes: [route('POST', '/data', 200, [ACAO(PAGE)])],
    expect: allowed(false),
  },
  {
    name: 'm9-expose-explicit-with-credentials',
    comment: 'Explicitly exposed names work with credentials.',
    call: call({ credentials: 'include' }),
    routes: [get(200, [CT(), ACAO(PAGE), ACAC('true'), ACEH('X-A'), ['X-A', '1'], ['X-B', '2']])],
    expect: allowed(),
  },
  {
    name: 'm9-expose-empty',
    comment: 'An empty Expose-Headers exposes nothing.',
    call: call(),
    routes: [get(200, [CT(), ACAO(PAGE), ACEH(''), ['X-A', '1']])],
    expect: allowed(),
  },

  // ---- network errors (no response: not CORS, no CORS line) ------------------------------------------------
  {
    name: 'n-preflight-connection-dropped',
    comment: 'The server drops the preflight connection: a network error, no CorsError, no CORS line.',
    call: call({ method: 'DELETE' }),
    routes: [
      {
        origin: 'api',
        method: 'OPTIONS',
        path: '/data',
        response: { status: 200, headers: [], hangUp: true },
      },
    ],
    expect: blocked(null, true),
  },
  {
    name: 'n-actual-connection-dropped',
    comment: 'The server drops the connection of a simple GET.',
    call: call(),
    routes: [
      { origin: 'api', method: 'GET', path: '/data', response: { status: 200, headers: [], hangUp: true } },
    ],
    expect: blocked(null),
  },

  // ---- more redirects ------------------------------------------------------------------------------------
  {
    name: 'r-308-post-keeps-method',
    comment: '308 keeps POST and its body; the third origin sees Origin null.',
    call: call({ method: 'POST', path: '/a', headers: [['Content-Type', 'text/plain']], body: 'x' }),
    routes: [
      route('POST', '/a', 308, [ACAO(PAGE), LOC('{third}{run}/b')]),
      route('POST', '/b', 200, [ACAO('*')], 'third'),
    ],
    expect: allowed(),
  },
  {
    name: 'r-redirect-to-ftp',
    comment: 'A redirect to ftp: is followed, then refused by the CORS scheme check at the new URL.',
    call: call({ path: '/a' }),
    routes: [get(302, [ACAO(PAGE), LOC('ftp://127.0.0.1/x')], '/a')],
    expect: blocked('CorsDisabledScheme'),
    chromium:
      'browser-truth.md expected a plain network error for a non-HTTP(S) Location; Chromium reports CorsDisabledScheme (the scheme list now includes chrome-experimental-site-token-provider).',
  },
  {
    name: 'r-redirect-to-data-url',
    comment: 'A redirect to data: is refused by the network stack (net::ERR_UNSAFE_REDIRECT): no CORS line.',
    call: call({ path: '/a' }),
    routes: [get(302, [ACAO(PAGE), LOC('data:,hello')], '/a')],
    expect: blocked(null),
  },
  {
    name: 'r-two-hops-fail-at-last',
    mistake: 1,
    comment:
      'Two same-origin hops, the last response lacks Allow-Origin: the line shows the last URL and the first.',
    call: call({ path: '/a' }),
    routes: [
      get(302, [ACAO(PAGE), LOC('{run}/b')], '/a'),
      get(302, [ACAO(PAGE), LOC('c')], '/b'),
      get(200, [CT()], '/c'),
    ],
    expect: blocked('MissingAllowOriginHeader'),
  },
  {
    name: 'r-xhr-redirect-taints-origin',
    comment: 'The XHR form of the redirected-from line.',
    call: call({ initiator: 'xhr', path: '/a' }),
    routes: [
      get(302, [ACAO(PAGE), LOC('{third}{run}/b')], '/a'),
      route('GET', '/b', 200, [ACAO(PAGE)], 'third'),
    ],
    expect: blocked('AllowOriginMismatch'),
  },
  {
    name: 'nc-range-dropped',
    comment: 'no-cors: Range is a privileged no-CORS header, the page cannot set it.',
    call: call({
      mode: 'no-cors',
      headers: [
        ['Range', 'bytes=0-1'],
        ['Accept-Language', 'en'],
      ],
    }),
    routes: [get(200, [CT()])],
    expect: allowed(),
  },
  {
    name: 'mode-same-origin-same-origin',
    comment: "mode: 'same-origin' to the page's own origin is fine.",
    call: call({ to: 'page', mode: 'same-origin' }),
    routes: [route('GET', '/data', 200, [CT(), ['X-A', '1']], 'page')],
    expect: allowed(),
  },
  {
    name: 'xhr-same-origin',
    comment: 'XHR to the same origin: no CORS, all headers readable.',
    call: call({ to: 'page', initiator: 'xhr', headers: [['X-Custom', '1']] }),
    routes: [route('GET', '/data', 200, [CT(), ['X-A', '1']], 'page')],
    expect: allowed(),
  },

  {
    name: 'mode-unsupported-scheme',
    comment: 'fetch() of an ftp: URL is refused in the renderer before any request.',
    call: call({ path: '/', absoluteUrl: 'ftp://127.0.0.1:9/file.txt' }),
    routes: [],
    expect: blocked('CorsDisabledScheme'),
  },
  // ---- modes ---------------------------------------------------------------------------------------------
  {
    name: 'nc-opaque-response',
    comment: 'no-cors: no CORS check, an opaque response (status 0, no headers) even without Allow-Origin.',
    call: call({ mode: 'no-cors' }),
    routes: [get(200, [CT()])],
    expect: allowed(),
  },
  {
    name: 'nc-custom-header-dropped',
    comment: 'no-cors drops non-safelisted headers instead of preflighting.',
    call: call({
      mode: 'no-cors',
      method: 'POST',
      headers: [
        ['X-Custom', '1'],
        ['Content-Type', 'application/json'],
      ],
      body: 'x',
    }),
    routes: [route('POST', '/data', 200, [CT()])],
    expect: allowed(),
  },
  {
    name: 'nc-redirect-to-third',
    comment: 'no-cors across a redirect: still opaque.',
    call: call({ mode: 'no-cors', path: '/a' }),
    routes: [get(302, [LOC('{third}{run}/b')], '/a'), route('GET', '/b', 200, [CT()], 'third')],
    expect: allowed(),
  },
  {
    name: 'nc-put-refused',
    comment: 'no-cors only allows GET, HEAD and POST: fetch() throws before any request.',
    call: call({ mode: 'no-cors', method: 'PUT' }),
    routes: [],
    expect: blocked(null),
  },
  {
    name: 'nc-redirect-mode-manual-refused',
    comment: "no-cors with redirect: 'manual' is refused in the renderer before any request.",
    call: call({ mode: 'no-cors', redirect: 'manual' }),
    routes: [get(200, [CT()])],
    expect: blocked('NoCorsRedirectModeNotFollow'),
  },
  {
    name: 'e-forbidden-method-trace',
    comment: 'TRACE is a forbidden method: fetch() throws, nothing is sent.',
    call: call({ method: 'TRACE' }),
    routes: [],
    expect: blocked(null),
  },
  {
    name: 'e-header-value-with-newline',
    comment: 'A header value with a line break: fetch() throws, nothing is sent.',
    call: call({ headers: [['X-A', 'a\nb']] }),
    routes: [],
    expect: blocked(null),
  },
  {
    name: 'e-header-value-not-latin1',
    comment: 'A header value outside ISO-8859-1: fetch() throws, nothing is sent.',
    call: call({ headers: [['X-A', '\u20ac']] }),
    routes: [],
    expect: blocked(null),
  },
  {
    name: 'mode-same-origin-cross',
    comment: "mode: 'same-origin' to another origin: refused in the renderer.",
    call: call({ mode: 'same-origin' }),
    routes: [get(200, [CT(), ACAO('*')])],
    expect: blocked('DisallowedByMode'),
  },
  {
    name: 'same-origin-request',
    comment: 'A same-origin request: no CORS, every header but Set-Cookie readable.',
    call: call({ to: 'page', method: 'PUT', headers: [['X-Custom', '1']] }),
    routes: [route('PUT', '/data', 200, [CT(), ['X-Custom-Response', '1'], ['Set-Cookie', 'a=b']], 'page')],
    expect: allowed(false),
  },
];
