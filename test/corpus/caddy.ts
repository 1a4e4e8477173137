/**
 * Caddy 2 (Debian caddy 2.6) in front of the node:http app: `header` directives, `defer`, `respond`
 * for OPTIONS, `error`, `handle_errors`. Labels follow DESIGN.md's diagnosis notes.
 *
 * What the real server does (measured here): a plain `header` sets the field before the proxy copies
 * the upstream's, so an app that sends Access-Control-Allow-Origin too yields two lines; with `defer`
 * the directive runs after the proxy and replaces the app's value; a deferred `header` is NOT applied
 * to responses Caddy makes from an `error` (no handle_errors), an immediate one is.
 */
import { ADMIN, APP } from '../harness/apps/common.ts';
import { caddyMissing, startCaddy } from '../harness/stacks/caddy.ts';
import { behind, startUpstream } from '../harness/stacks/proxy-upstream.ts';
import { BEARER, type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const HEADER_DOC = 'https://caddyserver.com/docs/caddyfile/directives/header';

const esc = (o: string) => o.replaceAll('.', '\\.');
const ORIGINS_RE = `(${esc(APP)}|${esc(ADMIN)})`;
const ALLOWED = `@allowed header_regexp Origin ^${ORIGINS_RE}$`;
function cors(o: { defer?: boolean; methods?: string; expose?: boolean; matcher?: string } = {}): string {
  return `header ${o.matcher ?? '@allowed'} {
    Access-Control-Allow-Origin {http.request.header.Origin}
    Access-Control-Allow-Credentials true
    ${o.expose === false ? '' : 'Access-Control-Expose-Headers X-Request-Id'}
    Access-Control-Allow-Methods "${o.methods ?? 'GET, PUT, DELETE'}"
    Access-Control-Allow-Headers "Content-Type, Authorization"
    Access-Control-Max-Age 600
    +Vary Origin
    ${o.defer ? 'defer' : ''}
  }`;
}
const OPTIONS_204 = '@options method OPTIONS\nrespond @options 204';
/** Caddy checks the session itself (as forward_auth or basicauth would) and answers 401 with `error`. */
const AUTH = `@noauth {
    path /api/private
    not header Cookie *session=ok*
    not header Authorization "Bearer *"
  }
  error @noauth "login required" 401`;

const site = (body: (upstream: string) => string, app: 'none' | 'allow-list' | 'star' = 'none') =>
  behind(
    () => startUpstream({ cors: app }),
    (u) => startCaddy(body(u)),
  );

const cases: CorpusCase[] = [
  // ── correct ────────────────────────────────────────────────────────────────
  {
    name: 'caddy: header @allowed (anchored regexp) + respond @options 204 + error 401 (JSON PUT with cookie)',
    start: site((u) => `${ALLOWED}\n${cors()}\n${OPTIONS_204}\n${AUTH}\nreverse_proxy ${u}`),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: HEADER_DOC,
  },
  {
    name: 'caddy: same, the `error` 401 keeps the (immediate) headers: readable by the page',
    start: site((u) => `${ALLOWED}\n${cors()}\n${OPTIONS_204}\n${AUTH}\nreverse_proxy ${u}`),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: 'https://caddyserver.com/docs/caddyfile/directives/handle_errors',
  },
  {
    name: 'caddy: same, a 404 from the app with CORS headers is fine (Bearer GET)',
    start: site((u) => `${ALLOWED}\n${cors()}\n${OPTIONS_204}\n${AUTH}\nreverse_proxy ${u}`),
    path: '/api/nope',
    request: BEARER,
    expect: [],
    correct: true,
    source: HEADER_DOC,
  },
  {
    name: "caddy: header … defer replaces the app's own CORS headers (one value each)",
    start: site((u) => `${ALLOWED}\n${cors({ defer: true })}\nreverse_proxy ${u}`, 'allow-list'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: HEADER_DOC,
  },
  {
    name: 'caddy: public API, header Access-Control-Allow-Origin * without credentials',
    start: site(
      (u) => `header {
    Access-Control-Allow-Origin *
    Access-Control-Allow-Methods "GET, PUT, DELETE"
    Access-Control-Allow-Headers content-type
    Access-Control-Expose-Headers X-Request-Id
  }
  ${OPTIONS_204}
  reverse_proxy ${u}`,
    ),
    request: { ...JSON_PUT, credentials: 'omit' },
    expect: [],
    correct: true,
    source: 'https://github.com/captncraig/cors/issues/5',
  },
  // ── mistake 3 ─────────────────────────────────────────────────────────────
  {
    name: 'caddy: handle @options { respond 204 } apart from the handle that sets the headers',
    start: site(
      (u) => `${ALLOWED}
  @options method OPTIONS
  handle @options {
    respond 204
  }
  handle {
    ${cors()}
    reverse_proxy ${u}
  }`,
    ),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'https://github.com/greenpau/caddy-security/issues/312',
  },
  {
    name: 'caddy: Allow-Methods without PUT',
    start: site((u) => `${ALLOWED}\n${cors({ methods: 'GET, POST' })}\n${OPTIONS_204}\nreverse_proxy ${u}`),
    request: JSON_PUT,
    expect: ['method-not-allowed'],
    allowed: false,
    source: HEADER_DOC,
  },
  // ── mistake 4 ─────────────────────────────────────────────────────────────
  {
    name: 'caddy: header … defer, the `error` 401 goes out without the headers (cookie GET works)',
    start: site((u) => `${ALLOWED}\n${cors({ defer: true })}\n${OPTIONS_204}\n${AUTH}\nreverse_proxy ${u}`),
    path: '/api/private',
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    allowed: true,
    source: 'https://github.com/caddyserver/caddy/issues/4480',
  },
  {
    name: "caddy: header … defer, the page's own 401 (no session) is unreadable",
    start: site((u) => `${ALLOWED}\n${cors({ defer: true })}\n${OPTIONS_204}\n${AUTH}\nreverse_proxy ${u}`),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: 'https://github.com/caddyserver/caddy/issues/4480',
  },
  // ── mistake 5 and 2: two layers ──────────────────────────────────────────
  {
    name: 'caddy: header Access-Control-Allow-Origin * in front of an app with its own CORS',
    start: site((u) => `header Access-Control-Allow-Origin *\nreverse_proxy ${u}`, 'allow-list'),
    ...WITH_COOKIE,
    expect: ['duplicate-cors-headers'],
    allowed: false,
    source: 'https://github.com/captncraig/cors/issues/5',
  },
  {
    name: "caddy: the duplicate 'fixed' with defer: * replaces the app's origin, credentials still true",
    start: site(
      (u) => `header {\n    Access-Control-Allow-Origin *\n    defer\n  }\n  reverse_proxy ${u}`,
      'allow-list',
    ),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
    source: HEADER_DOC,
  },
  // ── origins ───────────────────────────────────────────────────────────────
  {
    name: 'caddy: header_regexp Origin without ^ and $',
    start: site(
      (u) => `@allowed header_regexp Origin ${ORIGINS_RE}\n${cors()}\n${OPTIONS_204}\nreverse_proxy ${u}`,
    ),
    ...WITH_COOKIE,
    expect: ['origin-pattern-bypass'],
    severity: { 'origin-pattern-bypass': 'security' },
    allowed: true,
    source: 'https://caddyserver.com/docs/caddyfile/matchers#header-regexp',
  },
  {
    name: 'caddy: header matcher on the www. origin (typo), the page is https://app…',
    start: site(
      (u) =>
        `@allowed header Origin ${APP.replace('://', '://www.')}\n${cors()}\n${OPTIONS_204}\nreverse_proxy ${u}`,
    ),
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'https://caddyserver.com/docs/caddyfile/matchers#header',
  },
  {
    name: 'caddy: X-Request-Id needed but not exposed',
    start: site((u) => `${ALLOWED}\n${cors({ expose: false })}\n${OPTIONS_204}\nreverse_proxy ${u}`),
    ...WITH_COOKIE,
    expose: ['X-Request-Id'],
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'error' },
    source: HEADER_DOC,
  },
];

export const corpus: StackCorpus = {
  stack: 'caddy',
  missing: caddyMissing,
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
