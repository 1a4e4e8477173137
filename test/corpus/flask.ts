/**
 * Flask 2.2 + flask-cors 3.0 (Debian's python3-flask, python3-flask-cors) on Werkzeug's dev server:
 * the ways people really configure CORS there, and correct configurations (app sources in
 * ../harness/stacks/python/flask_app.py). Labels are what a CORS expert names, per DESIGN.md.
 */
import type { PageRequest } from '../../src/browser/types.ts';
import { flask, pythonMissing } from '../harness/stacks/python.ts';
import type { CorpusCase, StackCorpus } from './case.ts';

const JSON_PUT: Partial<PageRequest> = { method: 'PUT', headers: [['Content-Type', 'application/json']] };
const WITH_COOKIE = { request: { credentials: 'include' as const }, cookie: 'session=ok' };
const BEARER: Partial<PageRequest> = {
  method: 'GET',
  headers: [['Authorization', 'Bearer t0k3n']],
  credentials: 'include',
};
const AUTH_PUT: Partial<PageRequest> = {
  method: 'PUT',
  headers: [
    ['Content-Type', 'application/json'],
    ['Authorization', 'Bearer t0k3n'],
  ],
  credentials: 'include',
};
const ANON = { request: { credentials: 'omit' as const } };

const DOCS = 'https://flask-cors.readthedocs.io/en/latest/api.html';
// The after_request snippet people paste (also Stack Overflow question 26980713).
const SO_AFTER_REQUEST = 'miguelgrinberg/REST-tutorial#4';

const cases: CorpusCase[] = [
  // ── correct configurations ──────────────────────────────────────────────────
  {
    name: 'flask: correct CORS(resources=/api/*, origins=[app, admin]), cookie GET',
    start: flask('correct'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'flask: correct, JSON PUT with Authorization and credentials (preflighted)',
    start: flask('correct'),
    request: AUTH_PUT,
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'flask: correct, X-Request-Id in expose_headers',
    start: flask('correct'),
    request: BEARER,
    expose: ['X-Request-Id'],
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'flask: correct, DELETE with a bearer token',
    start: flask('correct'),
    request: { ...BEARER, method: 'DELETE' },
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'flask: correct, abort(401) keeps the headers (intercept_exceptions)',
    start: flask('correct'),
    path: '/api/private',
    ...ANON,
    expect: [],
    correct: true,
    source: 'corydolphin/flask-cors#192',
  },
  {
    name: 'flask: correct, a 404 under /api/ with CORS headers',
    start: flask('correct'),
    path: '/api/nope',
    ...ANON,
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'flask: correct, an unhandled exception (500) keeps the headers',
    start: flask('correct'),
    path: '/api/boom',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'corydolphin/flask-cors#68',
  },
  {
    name: 'flask: origins list in another case (flask-cors matches case-insensitively)',
    start: flask('wrong-case'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'https://github.com/corydolphin/flask-cors/blob/3.0.10/flask_cors/core.py#L128',
  },
  {
    name: 'flask: view sets Vary: Accept-Encoding, flask-cors adds a second Vary: Origin line',
    start: flask('vary-two-lines'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'https://github.com/corydolphin/flask-cors/blob/3.0.10/flask_cors/core.py#L209',
  },
  {
    name: "flask: public API, origins='*' with send_wildcard, anonymous GET",
    start: flask('public'),
    ...ANON,
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
    source: DOCS,
  },
  {
    name: "flask: hand-written after_request '*' on a public API, anonymous JSON PUT",
    start: flask('after-request-star'),
    request: { ...JSON_PUT, credentials: 'omit' },
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
    source: SO_AFTER_REQUEST,
  },
  // ── mistakes ────────────────────────────────────────────────────────────────
  {
    name: 'flask: CORS(app) defaults echo any Origin (no credentials)',
    start: flask('default'),
    ...ANON,
    expect: ['header-not-exposed', 'origin-reflected'],
    severity: { 'origin-reflected': 'info', 'header-not-exposed': 'info' },
    source: 'corydolphin/flask-cors#132',
  },
  {
    name: "flask: supports_credentials=True with the default origins='*' echoes any Origin",
    start: flask('star-credentials'),
    ...WITH_COOKIE,
    expect: ['header-not-exposed', 'origin-reflected'],
    severity: { 'origin-reflected': 'security', 'header-not-exposed': 'info' },
    source: 'corydolphin/flask-cors#202',
  },
  {
    name: "flask: resources={'/api/v1/*'} does not match /api/data, cookie GET",
    start: flask('resources-mismatch'),
    ...WITH_COOKIE,
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'corydolphin/flask-cors#126',
  },
  {
    name: "flask: resources={'/api/v1/*'} does not match, JSON PUT (Flask answers OPTIONS 200 + Allow)",
    start: flask('resources-mismatch'),
    request: JSON_PUT,
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'corydolphin/flask-cors#126',
  },
  {
    name: 'flask: CORS headers set in the view, JSON PUT (Flask answers OPTIONS itself)',
    start: flask('view-headers'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'corydolphin/flask-cors#146',
  },
  {
    name: 'flask: CORS headers set in the view, abort(401) page has none (page request blocked)',
    known:
      'the CORS headers show only on the views of other URLs; every probe of /api/private gets the bare 401',
    start: flask('view-headers'),
    path: '/api/private',
    ...ANON,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: 'flask-restful/flask-restful#229',
  },
  {
    name: 'flask: @cross_origin on the GET view only, PUT view has no headers',
    start: flask('cross-origin-get-only'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'corydolphin/flask-cors#126',
  },
  {
    name: 'flask: trailing slash in origins',
    start: flask('trailing-slash'),
    ...WITH_COOKIE,
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'amirgamil/sweetseranade#39',
  },
  {
    name: 'flask: http:// instead of https:// in origins',
    start: flask('http-scheme'),
    ...WITH_COOKIE,
    expect: ['origin-mismatch'],
    allowed: false,
    source:
      'https://github.com/corydolphin/flask-cors/blob/3.0.10/flask_cors/core.py#L274 (exact string compare; catalog mistake 7 lists http vs https)',
  },
  {
    name: 'flask: regex string in origins, re.match unanchored at the end',
    start: flask('regex-unanchored'),
    ...WITH_COOKIE,
    expect: ['origin-pattern-bypass', 'subdomain-trusted'],
    severity: { 'origin-pattern-bypass': 'security' },
    source: 'corydolphin/flask-cors#209 (also GoogleChrome/chromium-dashboard#6590)',
  },
  {
    name: "flask: methods=['GET', 'POST'], page sends PUT",
    start: flask('methods-short'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['method-not-allowed'],
    allowed: false,
    source: DOCS,
  },
  {
    name: 'flask: localhost:3000 left in origins',
    start: flask('localhost'),
    ...WITH_COOKIE,
    expect: ['localhost-allowed'],
    severity: { 'localhost-allowed': 'security' },
    source: 'corydolphin/flask-cors#212',
  },
  {
    name: "flask: 'null' in origins with supports_credentials",
    start: flask('null'),
    ...WITH_COOKIE,
    expect: ['null-origin-allowed'],
    severity: { 'null-origin-allowed': 'security' },
    source: 'https://portswigger.net/web-security/cors#whitelisted-null-origin-value',
  },
  {
    name: "flask: after_request adds '*', page sends cookies",
    start: flask('after-request-star'),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
    source: SO_AFTER_REQUEST,
  },
  {
    name: "flask: CORS(app) and an after_request '*' both add Access-Control-Allow-Origin",
    start: flask('double'),
    ...ANON,
    expect: ['duplicate-cors-headers'],
    allowed: false,
    source: 'corydolphin/flask-cors#143',
  },
  {
    name: "flask: CORS(app) before an after_request '*': flask-cors sees the '*' and adds nothing, page sends cookies",
    start: flask('double-skipped'),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
    source: 'https://github.com/corydolphin/flask-cors/blob/3.0.10/flask_cors/extension.py#L176',
  },
  {
    name: 'flask: after_request echoes the allow-list without Vary on a cacheable response',
    start: flask('echo-no-vary'),
    ...WITH_COOKIE,
    expect: ['missing-vary-origin'],
    source: 'corydolphin/flask-cors#229',
  },
  {
    name: 'flask: before_request login check answers the preflight 401',
    start: flask('before-request-auth'),
    request: BEARER,
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'corydolphin/flask-cors#170',
  },
  {
    name: 'flask: CORS(blueprint): 404s outside the blueprint routes lose the headers',
    start: flask('blueprint'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    source: 'corydolphin/flask-cors#192',
  },
  {
    name: "flask: route '/api/data/' with a trailing slash: Werkzeug answers the preflight 308",
    start: flask('slash-routes'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['preflight-redirect'],
    allowed: false,
    source: 'corydolphin/flask-cors#128',
  },
  {
    name: "flask: route '/api/data/', cookie GET follows the 308 (headers on both)",
    start: flask('slash-routes'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'corydolphin/flask-cors#128',
  },
];

export const corpus: StackCorpus = {
  stack: 'flask',
  missing: () => pythonMissing('flask'),
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
