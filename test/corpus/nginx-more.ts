/**
 * More nginx (Debian nginx-light 1.22) in front of the node:http app: add_header inheritance
 * (an inner level's add_header drops every outer one, `if` blocks included), proxy_hide_header,
 * error_page locations, `map $http_origin` regexes, and correct setups. Joins the first nginx cases
 * (node-first.ts) under the same stack name. Labels follow DESIGN.md's diagnosis notes.
 */
import { ADMIN, APP, type RunningApp } from '../harness/apps/common.ts';
import { nginxMissing, startNginx } from '../harness/nginx.ts';
import { behind, startUpstream } from '../harness/stacks/proxy-upstream.ts';
import { BEARER, type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const ADD_HEADER = 'https://nginx.org/en/docs/http/ngx_http_headers_module.html#add_header';
const INHERIT = 'https://github.com/openedx-unsupported/configuration/pull/4730';

const esc = (o: string) => o.replaceAll('.', '\\.');
const map = (entries: string) => `map $http_origin $cors_origin { default ""; ${entries} }`;
const EXACT = map(`"${APP}" $http_origin; "${ADMIN}" $http_origin;`);

function cors(o: { always?: boolean; credentials?: boolean; vary?: string; allowHeaders?: string } = {}) {
  const a = o.always === false ? '' : ' always';
  return [
    `add_header Access-Control-Allow-Origin $cors_origin${a};`,
    o.credentials === false ? '' : `add_header Access-Control-Allow-Credentials true${a};`,
    `add_header Access-Control-Allow-Methods "GET, PUT, DELETE"${a};`,
    `add_header Access-Control-Allow-Headers "${o.allowHeaders ?? 'Content-Type, Authorization'}"${a};`,
    `add_header Access-Control-Expose-Headers X-Request-Id${a};`,
    `add_header Vary "${o.vary ?? 'Origin'}"${a};`,
  ].join('\n    ');
}
/** The full-copy OPTIONS block: every header repeated, because add_header in `if` drops the outer ones. */
const PREFLIGHT_FULL = (c = cors()) => `if ($request_method = OPTIONS) {
      ${c}
      add_header Access-Control-Max-Age 600;
      return 204;
    }`;

const proxied = (server: (u: string) => string, http = EXACT, app: 'none' | 'allow-list' = 'none') =>
  behind(
    () => startUpstream({ cors: app }),
    async (u): Promise<RunningApp> => {
      const n = await startNginx(server(u), http);
      return { base: n.base, close: n.stop };
    },
  );

const cases: CorpusCase[] = [
  // ── correct ────────────────────────────────────────────────────────────────
  {
    name: 'nginx: map allow-list, add_header … always, OPTIONS block repeating every header (Bearer GET)',
    start: proxied(
      (u) => `location /api/ {
    ${cors({ vary: 'Accept-Encoding, Origin', allowHeaders: 'AUTHORIZATION, content-type' })}
    ${PREFLIGHT_FULL(cors({ vary: 'Accept-Encoding, Origin', allowHeaders: 'AUTHORIZATION, content-type' }))}
    proxy_pass ${u};
  }`,
    ),
    request: BEARER,
    expect: [],
    correct: true,
    source: 'https://serverdevworker.com/26925bfa4',
  },
  {
    name: 'nginx: same, JSON PUT with cookie',
    start: proxied(
      (u) => `location /api/ {\n    ${cors()}\n    ${PREFLIGHT_FULL()}\n    proxy_pass ${u};\n  }`,
    ),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: ADD_HEADER,
  },
  {
    name: "nginx: same, the app's 404 keeps the headers (always)",
    start: proxied(
      (u) => `location /api/ {\n    ${cors()}\n    ${PREFLIGHT_FULL()}\n    proxy_pass ${u};\n  }`,
    ),
    path: '/api/nope',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: INHERIT,
  },
  {
    name: 'nginx: proxy_hide_header for every app CORS header, nginx adds its own (one layer on the wire)',
    start: proxied(
      (u) => `location /api/ {
    proxy_hide_header Access-Control-Allow-Origin;
    proxy_hide_header Access-Control-Allow-Credentials;
    proxy_hide_header Access-Control-Allow-Methods;
    proxy_hide_header Access-Control-Allow-Headers;
    proxy_hide_header Access-Control-Expose-Headers;
    proxy_hide_header Access-Control-Max-Age;
    proxy_hide_header Vary;
    ${cors()}
    proxy_pass ${u};
  }`,
      EXACT,
      'allow-list',
    ),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header',
  },
  {
    name: 'nginx: public API, add_header … * always, no credentials (X-Request-Id not exposed: info)',
    start: proxied(
      (u) => `location /api/ {
    add_header Access-Control-Allow-Origin * always;
    if ($request_method = OPTIONS) {
      add_header Access-Control-Allow-Origin *;
      add_header Access-Control-Allow-Methods "GET, PUT, DELETE";
      add_header Access-Control-Allow-Headers content-type;
      return 204;
    }
    proxy_pass ${u};
  }`,
    ),
    request: { credentials: 'omit' },
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
    source: 'https://enable-cors.org/server_nginx.html',
  },
  // ── mistake 3 / 2: add_header inside `if` replaces the location's ─────────
  {
    name: "nginx: if ($request_method = OPTIONS) with only Methods/Headers/Max-Age: the location's Allow-Origin is dropped",
    start: proxied(
      (u) => `location /api/ {
    ${cors()}
    if ($request_method = OPTIONS) {
      add_header Access-Control-Allow-Methods "GET, PUT, DELETE";
      add_header Access-Control-Allow-Headers "Content-Type, Authorization";
      add_header Access-Control-Max-Age 600;
      return 204;
    }
    proxy_pass ${u};
  }`,
    ),
    request: JSON_PUT,
    expect: ['preflight-failed-status'],
    allowed: false,
    source:
      'http://www.bqtyf.cn/nginx/nginx-request-options-cors-preflight-failures-in-production-1765779715.html',
  },
  {
    name: 'nginx: the OPTIONS block repeats Origin/Methods/Headers but not Allow-Credentials (cookie PUT)',
    start: proxied(
      (u) =>
        `location /api/ {\n    ${cors()}\n    ${PREFLIGHT_FULL(cors({ credentials: false }))}\n    proxy_pass ${u};\n  }`,
    ),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['credentials-not-allowed'],
    allowed: false,
    source: ADD_HEADER,
  },
  // ── mistake 1: server-level add_header lost in the location ──────────────
  {
    name: 'nginx: CORS add_header at server level, location /api/ has its own add_header Cache-Control',
    start: proxied(
      (u) => `${cors()}
  location /api/ {
    add_header Cache-Control "no-store";
    proxy_pass ${u};
  }`,
    ),
    ...WITH_COOKIE,
    expect: ['missing-allow-origin'],
    allowed: false,
    source: INHERIT,
  },
  // ── mistake 5: proxy_hide_header incomplete ──────────────────────────────
  {
    name: 'nginx: proxy_hide_header Access-Control-Allow-Origin only: Allow-Credentials comes twice',
    start: proxied(
      (u) =>
        `location /api/ {\n    proxy_hide_header Access-Control-Allow-Origin;\n    ${cors()}\n    proxy_pass ${u};\n  }`,
      EXACT,
      'allow-list',
    ),
    ...WITH_COOKIE,
    expect: ['duplicate-cors-headers'],
    allowed: false,
    source: 'https://nginx.org/en/docs/http/ngx_http_proxy_module.html#proxy_hide_header',
  },
  // ── mistake 4: error_page locations don't inherit the location's headers ─
  {
    name: 'nginx: proxy_intercept_errors + error_page 401 @unauthorized: the 401 has no headers (cookie GET works)',
    start: proxied(
      (u) => `location /api/ {
    ${cors()}
    ${PREFLIGHT_FULL()}
    proxy_intercept_errors on;
    error_page 401 @unauthorized;
    proxy_pass ${u};
  }
  location @unauthorized {
    default_type application/json;
    return 401 '{"error":"login required"}';
  }`,
    ),
    path: '/api/private',
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    allowed: true,
    source: INHERIT,
  },
  {
    name: "nginx: add_header without always, the page's own 401 (no session) is unreadable",
    start: proxied(
      (u) =>
        `location /api/ {\n    ${cors({ always: false })}\n    ${PREFLIGHT_FULL()}\n    proxy_pass ${u};\n  }`,
    ),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: ADD_HEADER,
  },
  // ── origins ───────────────────────────────────────────────────────────────
  {
    name: 'nginx: map $http_origin with an unanchored regex',
    start: proxied(
      (u) => `location /api/ {\n    ${cors()}\n    ${PREFLIGHT_FULL()}\n    proxy_pass ${u};\n  }`,
      map(`"~(${esc(APP)}|${esc(ADMIN)})" $http_origin;`),
    ),
    ...WITH_COOKIE,
    expect: ['origin-pattern-bypass'],
    severity: { 'origin-pattern-bypass': 'security' },
    source: 'https://serverdevworker.com/26925bfa4',
  },
  {
    name: 'nginx: http://localhost:3000 left in the map, with credentials',
    start: proxied(
      (u) => `location /api/ {\n    ${cors()}\n    ${PREFLIGHT_FULL()}\n    proxy_pass ${u};\n  }`,
      map(`"${APP}" $http_origin; "http://localhost:3000" $http_origin;`),
    ),
    ...WITH_COOKIE,
    expect: ['localhost-allowed'],
    severity: { 'localhost-allowed': 'security' },
    source:
      'https://www.cross-origin.com/server-side-cors-configuration-header-management/dynamic-origin-validation-patterns/configuring-cors-in-nginx-for-multiple-origins/',
  },
  {
    name: 'nginx: map holds the http:// origin (typo in the scheme)',
    start: proxied(
      (u) => `location /api/ {\n    ${cors()}\n    ${PREFLIGHT_FULL()}\n    proxy_pass ${u};\n  }`,
      map(`"${APP.replace('https:', 'http:')}" $http_origin;`),
    ),
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'https://corsapi.com/en/blog/nginx-cors-headers-configuration',
  },
];

export const corpus: StackCorpus = {
  stack: 'nginx',
  missing: nginxMissing,
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
