/**
 * HAProxy 2.6 (Debian) in front of the node:http app. Labels follow DESIGN.md's diagnosis notes.
 *
 * What the real server does (measured here): `http-response` rules run only on responses that came
 * from the backend; replies HAProxy makes itself (`http-request return`, `deny`, its error pages)
 * skip them, so a preflight answered with `http-request return status 204` or a `deny` 401 goes out
 * without the CORS headers. `http-after-response` (2.2+) runs on every response.
 */
import { ADMIN, APP } from '../harness/apps/common.ts';
import { haproxyMissing, startHaproxy } from '../harness/stacks/haproxy.ts';
import { behind, hostPort, startUpstream } from '../harness/stacks/proxy-upstream.ts';
import { BEARER, type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const DOC = 'https://docs.haproxy.org/2.6/configuration.html#4.2-http-after-response';
const AFTER = 'https://github.com/jcmoraisjr/haproxy-ingress/issues/1391';

const esc = (o: string) => o.replaceAll('.', '\\.');
/** The allow-list: the Origin kept in a variable when it matches exactly. */
const ALLOW = (re = `^(${esc(APP)}|${esc(ADMIN)})$`) => `  acl cors_ok req.hdr(origin) -m reg ${re}
  http-request set-var(txn.origin) req.hdr(origin) if cors_ok`;
/** HAProxy answers preflights itself and refuses /api/private without a session. */
const EDGE = `  acl is_preflight method OPTIONS
  acl authed req.hdr(authorization) -m beg "Bearer "
  acl authed req.hdr(cookie) -m sub session=ok
  http-request return status 204 if is_preflight
  http-request deny deny_status 401 if { path /api/private } !authed`;
function cors(kw: 'http-response' | 'http-after-response', o: { methods?: string; expose?: boolean } = {}) {
  const when = 'if { var(txn.origin) -m found }';
  return [
    `  ${kw} set-header Access-Control-Allow-Origin %[var(txn.origin)] ${when}`,
    `  ${kw} set-header Access-Control-Allow-Credentials true ${when}`,
    o.expose === false ? '' : `  ${kw} set-header Access-Control-Expose-Headers X-Request-Id ${when}`,
    `  ${kw} set-header Access-Control-Allow-Methods "${o.methods ?? 'GET, PUT, DELETE'}" ${when}`,
    `  ${kw} set-header Access-Control-Allow-Headers "Content-Type, Authorization" ${when}`,
    `  ${kw} set-header Access-Control-Max-Age 600 ${when}`,
    `  ${kw} add-header Vary Origin`,
  ].join('\n');
}

const front = (frontend: string, app: 'none' | 'allow-list' = 'none') =>
  behind(
    () => startUpstream({ cors: app }),
    (u) => startHaproxy(frontend, `  server app ${hostPort(u)}`),
  );

const cases: CorpusCase[] = [
  // ── correct ────────────────────────────────────────────────────────────────
  {
    name: 'haproxy: http-after-response set-header + return 204 for OPTIONS (JSON PUT with cookie)',
    start: front(`${ALLOW()}\n${EDGE}\n${cors('http-after-response')}`),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: DOC,
  },
  {
    name: 'haproxy: http-after-response, the deny 401 keeps the headers: the page reads it',
    start: front(`${ALLOW()}\n${EDGE}\n${cors('http-after-response')}`),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: 'https://github.com/jcmoraisjr/haproxy-ingress/pull/1402',
  },
  {
    name: 'haproxy: http-after-response, a 404 with CORS headers (Bearer GET)',
    start: front(`${ALLOW()}\n${EDGE}\n${cors('http-after-response')}`),
    path: '/api/nope',
    request: BEARER,
    expect: [],
    correct: true,
    source: DOC,
  },
  {
    name: 'haproxy: public API, * without credentials, lower-case Allow-Headers',
    start: front(`  acl is_preflight method OPTIONS
  http-request return status 204 if is_preflight
  http-after-response set-header Access-Control-Allow-Origin "*"
  http-after-response set-header Access-Control-Allow-Methods "GET, PUT, DELETE"
  http-after-response set-header Access-Control-Allow-Headers "content-type"
  http-after-response set-header Access-Control-Expose-Headers "X-Request-Id"`),
    request: { ...JSON_PUT, credentials: 'omit' },
    expect: [],
    correct: true,
    source: DOC,
  },
  // ── mistake 3 ─────────────────────────────────────────────────────────────
  {
    name: 'haproxy: http-response set-header + http-request return 204: the preflight has no headers',
    start: front(`${ALLOW()}\n${EDGE}\n${cors('http-response')}`),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'https://github.com/haproxytech/haproxy-lua-cors/issues/16',
  },
  {
    name: 'haproxy: Allow-Methods without DELETE',
    start: front(`${ALLOW()}\n${EDGE}\n${cors('http-after-response', { methods: 'GET, POST, PUT' })}`),
    request: { method: 'DELETE', credentials: 'include' },
    cookie: 'session=ok',
    expect: ['method-not-allowed'],
    allowed: false,
    source: 'https://github.com/haproxy/haproxy/issues/2090',
  },
  // ── mistake 4 ─────────────────────────────────────────────────────────────
  {
    name: 'haproxy: http-response set-header, the deny 401 has no headers (cookie GET works)',
    start: front(`${ALLOW()}\n${EDGE.replace(/.*return status 204.*\n/, '')}\n${cors('http-response')}`),
    path: '/api/private',
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    allowed: true,
    source: AFTER,
  },
  {
    name: "haproxy: http-response set-header, the page's own 401 (no session) is unreadable",
    start: front(`${ALLOW()}\n${EDGE.replace(/.*return status 204.*\n/, '')}\n${cors('http-response')}`),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: AFTER,
  },
  // ── mistake 5 ─────────────────────────────────────────────────────────────
  {
    name: "haproxy: http-response add-header Access-Control-Allow-Origin * next to the app's own",
    start: front('  http-response add-header Access-Control-Allow-Origin "*"', 'allow-list'),
    ...WITH_COOKIE,
    expect: ['duplicate-cors-headers'],
    allowed: false,
    source: 'https://github.com/haproxytech/haproxy-lua-cors/issues/2',
  },
  // ── origins ───────────────────────────────────────────────────────────────
  {
    name: 'haproxy: set-header Access-Control-Allow-Origin %[req.hdr(origin)] with credentials (any origin)',
    start: front(
      `  http-request set-var(txn.origin) req.hdr(origin)\n${EDGE}\n${cors('http-after-response')}`,
    ),
    ...WITH_COOKIE,
    expect: ['origin-reflected'],
    severity: { 'origin-reflected': 'security' },
    allowed: true,
    source: 'https://github.com/haproxytech/haproxy-lua-cors/issues/16',
  },
  {
    name: 'haproxy: acl -m reg without anchors',
    start: front(`${ALLOW(`(${esc(APP)}|${esc(ADMIN)})`)}\n${EDGE}\n${cors('http-after-response')}`),
    ...WITH_COOKIE,
    expect: ['origin-pattern-bypass'],
    severity: { 'origin-pattern-bypass': 'security' },
    source: 'https://docs.haproxy.org/2.6/configuration.html#7.1.3',
  },
  {
    name: 'haproxy: acl -m str with the http:// origin (typo)',
    start: front(
      `  acl cors_ok req.hdr(origin) -m str ${APP.replace('https:', 'http:')}
  http-request set-var(txn.origin) req.hdr(origin) if cors_ok\n${EDGE}\n${cors('http-after-response')}`,
    ),
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'https://docs.haproxy.org/2.6/configuration.html#7.1.3',
  },
];

export const corpus: StackCorpus = {
  stack: 'haproxy',
  missing: haproxyMissing,
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
