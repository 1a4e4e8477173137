/**
 * Apache httpd (Debian apache2, mod_headers/mod_setenvif/mod_rewrite/mod_proxy) as the API's front:
 * the ways people really set CORS up in a vhost or .htaccess, and correct ones. Labels follow
 * DESIGN.md's diagnosis notes, not what `check` prints.
 *
 * What the real server does (measured here): `Header set` (the onsuccess table) reaches proxied
 * responses of every status but not responses Apache generates itself (a RewriteRule [R=204],
 * its own 401/404/405); `Header always set` reaches all of them, but next to a proxied app's own
 * header it ADDS a second line (two tables), while `Header set` replaces it.
 */
import { ADMIN, APP } from '../harness/apps/common.ts';
import { apacheMissing, startApache } from '../harness/stacks/apache.ts';
import { behind, startUpstream } from '../harness/stacks/proxy-upstream.ts';
import { BEARER, type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const DOC = 'https://httpd.apache.org/docs/2.4/mod/mod_headers.html#header';
const esc = (o: string) => o.replaceAll('.', '\\.');
/** The anchored allow-list every correct config uses. */
const ALLOW_LIST = `SetEnvIf Origin "^(${esc(APP)}|${esc(ADMIN)})$" CORS_ORIGIN=$0`;

interface HeaderOpts {
  /** '' (onsuccess) or 'always'. */
  cond?: '' | 'always';
  /** Header action for Allow-Origin: set, add, merge. */
  action?: 'set' | 'add';
  credentials?: boolean;
  expose?: boolean;
  methods?: string;
  headers?: string;
}
function corsHeaders(o: HeaderOpts = {}): string {
  const c = o.cond ?? 'always';
  const env = 'env=CORS_ORIGIN';
  return [
    `Header ${c} ${o.action ?? 'set'} Access-Control-Allow-Origin "%{CORS_ORIGIN}e" ${env}`,
    o.credentials === false ? '' : `Header ${c} set Access-Control-Allow-Credentials "true" ${env}`,
    o.expose === false ? '' : `Header ${c} set Access-Control-Expose-Headers "X-Request-Id" ${env}`,
    `Header ${c} set Access-Control-Allow-Methods "${o.methods ?? 'GET, PUT, DELETE'}" ${env}`,
    `Header ${c} set Access-Control-Allow-Headers "${o.headers ?? 'Content-Type, Authorization'}" ${env}`,
    `Header ${c} set Access-Control-Max-Age "600" ${env}`,
    `Header ${c} merge Vary Origin`,
  ].join('\n');
}
/** OPTIONS answered by Apache itself, before the proxy: the usual vhost recipe. */
const OPTIONS_204 = 'RewriteEngine On\nRewriteCond %{REQUEST_METHOD} OPTIONS\nRewriteRule ^ - [R=204,L]';
/** The Stack Overflow recipe that returns 200 for OPTIONS (with Apache's error-document body). */
const OPTIONS_200 =
  'RewriteEngine On\nRewriteCond %{REQUEST_METHOD} OPTIONS\nRewriteRule ^(.*)$ $1 [R=200,L]';
/** mod_deflate on JSON: Apache adds `Vary: Accept-Encoding` next to our `Vary: Origin`. */
const DEFLATE = 'AddOutputFilterByType DEFLATE application/json';
/** Apache itself guards /api/private (a locally generated 401, like an auth module's). */
const LOCAL_AUTH = `<Location /api/private>
  RewriteEngine On
  RewriteCond %{HTTP:Authorization} !^Bearer
  RewriteCond %{HTTP_COOKIE} !(^|;\\s*)session=ok
  RewriteRule ^ - [R=401,L]
</Location>`;
/** Apache serving the API as static JSON files (no app behind it). */
const STATIC_FILES = { 'api/data': '{"items":[1,2,3]}', 'api/private': '{"items":[1,2,3]}' };
const STATIC = `<Location /api/>\n  ForceType application/json\n  Header always set X-Request-Id "req-7f3a"\n</Location>`;

/** Apache in front of the node:http app; `app` says whether the app does CORS too. */
const proxied = (conf: string, app: 'none' | 'allow-list' = 'none') =>
  behind(
    () => startUpstream({ cors: app }),
    (u) => startApache(`${conf}\nProxyPass /api/ ${u}/api/\nProxyPassReverse /api/ ${u}/api/`),
  );
const statik =
  (conf: string, files: Record<string, string> = STATIC_FILES) =>
  () =>
    startApache(`${STATIC}\n${conf}`, files);

const cases: CorpusCase[] = [
  // ── correct ────────────────────────────────────────────────────────────────
  {
    name: 'apache: Header always set + anchored SetEnvIf list + OPTIONS 204 (JSON PUT with cookie)',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders()}\n${OPTIONS_204}\n${DEFLATE}`),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: DOC,
  },
  {
    name: 'apache: Header always set, the 401 of /api/private keeps the headers (Bearer GET)',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders()}\n${OPTIONS_204}`),
    path: '/api/private',
    request: BEARER,
    expect: [],
    correct: true,
    source:
      'https://stackoverflow.com/questions/56153947/how-does-this-apache-environment-variable-syntax-work',
  },
  {
    name: 'apache: Header always set, a 404 with CORS headers is fine',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders()}\n${OPTIONS_204}`),
    path: '/api/nope',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: DOC,
  },
  {
    name: 'apache: static files, Header always set, Apache-made 401 keeps the headers',
    start: statik(`${ALLOW_LIST}\n${corsHeaders()}\n${OPTIONS_204}\n${LOCAL_AUTH}`),
    path: '/api/private',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: DOC,
  },
  {
    name: "apache: Header set (onsuccess) over the app's own CORS replaces it (one value each)",
    start: proxied(`${ALLOW_LIST}\n${corsHeaders({ cond: '' })}`, 'allow-list'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: DOC,
  },
  {
    name: 'apache: public API, Header always set * without credentials, lower-case Allow-Headers',
    start: proxied(
      [
        'Header always set Access-Control-Allow-Origin "*"',
        'Header always set Access-Control-Allow-Methods "GET, PUT, DELETE"',
        'Header always set Access-Control-Allow-Headers "content-type"',
        'Header always set Access-Control-Expose-Headers "X-Request-Id"',
        OPTIONS_204,
      ].join('\n'),
    ),
    request: { ...JSON_PUT, credentials: 'omit' },
    expect: [],
    correct: true,
    source: 'https://enable-cors.org/server_apache.html',
  },
  // ── mistake 3: OPTIONS answered by Apache without the headers ─────────────
  {
    name: 'apache: Header set (no always) + RewriteRule OPTIONS [R=204]: the 204 has no CORS headers',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders({ cond: '' })}\n${OPTIONS_204}`),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'https://github.com/200ok-ch/organice/pull/316',
  },
  {
    name: 'apache: the RewriteRule ^(.*)$ $1 [R=200,L] recipe for OPTIONS, Header set',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders({ cond: '' })}\n${OPTIONS_200}`),
    request: JSON_PUT,
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'https://serverdevworker.com/535353a22',
  },
  {
    name: 'apache: Allow-Methods without DELETE',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders({ methods: 'GET, POST, PUT' })}\n${OPTIONS_204}`),
    request: { method: 'DELETE', credentials: 'include' },
    cookie: 'session=ok',
    expect: ['method-not-allowed'],
    allowed: false,
    source: DOC,
  },
  {
    name: 'apache: Allow-Headers without Authorization (Bearer GET)',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders({ headers: 'Content-Type' })}\n${OPTIONS_204}`),
    request: BEARER,
    expect: ['header-not-allowed'],
    allowed: false,
    source: 'https://github.com/haproxytech/haproxy-lua-cors/issues/16',
  },
  // ── mistake 4: Header set misses Apache's own error responses ─────────────
  {
    name: "apache: static files, Header set (no always): Apache's 404 has no CORS headers",
    start: statik(`${ALLOW_LIST}\n${corsHeaders({ cond: '' })}\n${LOCAL_AUTH}`),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    allowed: true,
    source: DOC,
  },
  {
    name: "apache: static files, Header set (no always): the page's own 401 is unreadable",
    known:
      'the CORS headers show only on other URLs (/api/data); every probe of /api/private gets the bare 401',
    start: statik(`${ALLOW_LIST}\n${corsHeaders({ cond: '' })}\n${LOCAL_AUTH}`),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: DOC,
  },
  // ── mistake 5: two layers ─────────────────────────────────────────────────
  {
    name: "apache: Header always set next to the app's own CORS: two Allow-Origin lines",
    start: proxied(`${ALLOW_LIST}\n${corsHeaders()}`, 'allow-list'),
    ...WITH_COOKIE,
    expect: ['duplicate-cors-headers'],
    allowed: false,
    source: DOC,
  },
  {
    name: 'apache: Header merge Access-Control-Allow-Origin "*" over the app: "origin, *"',
    start: proxied('Header merge Access-Control-Allow-Origin "*"', 'allow-list'),
    ...WITH_COOKIE,
    expect: ['duplicate-cors-headers'],
    allowed: false,
    source: 'https://serverdevworker.com/26925bfa4',
  },
  {
    name: 'apache: vhost Header always set + .htaccess Header set * (two tables, two values)',
    start: statik(`Header always set Access-Control-Allow-Origin "${APP}"\n${OPTIONS_204}`, {
      ...STATIC_FILES,
      'api/.htaccess': 'Header set Access-Control-Allow-Origin "*"\n',
    }),
    expect: ['duplicate-cors-headers'],
    allowed: false,
    source: DOC,
  },
  // ── origins ───────────────────────────────────────────────────────────────
  {
    name: 'apache: the classic SetEnvIf regex (http(s)?, unescaped dots, no ^) + Header add, with credentials',
    start: proxied(
      [
        `SetEnvIf Origin "http(s)?://(www\\.)?(app.myshop.test|admin.myshop.test)$" AccessControlAllowOrigin=$0`,
        'Header add Access-Control-Allow-Origin %{AccessControlAllowOrigin}e env=AccessControlAllowOrigin',
        'Header set Access-Control-Allow-Credentials "true" env=AccessControlAllowOrigin',
        'Header set Access-Control-Expose-Headers "X-Request-Id" env=AccessControlAllowOrigin',
        'Header merge Vary Origin',
      ].join('\n'),
    ),
    ...WITH_COOKIE,
    expect: ['insecure-origin-allowed', 'origin-pattern-bypass'],
    severity: { 'insecure-origin-allowed': 'security', 'origin-pattern-bypass': 'security' },
    allowed: true,
    source: 'https://stackoverflow.com/questions/1653308/access-control-allow-origin-multiple-origin-domains',
  },
  {
    name: 'apache: localhost:3000 left in the SetEnvIf list, with credentials',
    start: proxied(
      `SetEnvIf Origin "^(${esc(APP)}|http://localhost:3000)$" CORS_ORIGIN=$0\n${corsHeaders()}\n${OPTIONS_204}`,
    ),
    ...WITH_COOKIE,
    expect: ['localhost-allowed'],
    severity: { 'localhost-allowed': 'security' },
    source: 'https://www.fromdev.com/2025/04/how-to-allow-multiple-cors-origins-in-htaccess.html',
  },
  {
    name: 'apache: Header always set Access-Control-Allow-Origin with the trailing slash copied from the address bar',
    start: proxied(
      `Header always set Access-Control-Allow-Origin "${APP}/"\nHeader always set Access-Control-Expose-Headers "X-Request-Id"`,
    ),
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'https://go-mk-websites.co.uk/post/handle-multiple-domains-with-access-control-allow-origin',
  },
  {
    name: 'apache: X-Request-Id needed but no Expose-Headers',
    start: proxied(`${ALLOW_LIST}\n${corsHeaders({ expose: false })}\n${OPTIONS_204}`),
    ...WITH_COOKIE,
    expose: ['X-Request-Id'],
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'error' },
    source: 'http://cloudfront.tomlankhorst.nl/apache-cross-origin-resource-sharing-cors',
  },
];

export const corpus: StackCorpus = {
  stack: 'apache',
  missing: apacheMissing,
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
