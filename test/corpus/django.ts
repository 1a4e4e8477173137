/**
 * Django 3.2 + django-cors-headers 3.14 (Debian's python3-django, python3-django-cors-headers) on
 * runserver's WSGI server: the ways people really configure CORS there, and correct configurations
 * (app sources in ../harness/stacks/python/django_app.py). Labels are what a CORS expert names, per
 * DESIGN.md.
 *
 * Not a case: an origin with a trailing slash or a path in CORS_ALLOWED_ORIGINS. This version refuses
 * it at start-up (system check corsheaders.E014), so the server never answers the browser.
 */
import type { PageRequest } from '../../src/browser/types.ts';
import { django, pythonMissing } from '../harness/stacks/python.ts';
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

const README = 'https://github.com/adamchainz/django-cors-headers/blob/3.14.0/README.rst';
const ORDER = 'Flagsmith/flagsmith#54 (also WordPress/openverse-api#189)';

const cases: CorpusCase[] = [
  // ── correct configurations ──────────────────────────────────────────────────
  {
    name: 'django: correct CorsMiddleware first, CORS_ALLOWED_ORIGINS, cookie GET',
    start: django('correct'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: README,
  },
  {
    name: 'django: correct, JSON PUT with Authorization (CORS_ALLOW_HEADERS in Title-Case)',
    start: django('correct'),
    request: AUTH_PUT,
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: 'adamchainz/django-cors-headers#78',
  },
  {
    name: 'django: correct, X-Request-Id in CORS_EXPOSE_HEADERS',
    start: django('correct'),
    request: BEARER,
    expose: ['X-Request-Id'],
    expect: [],
    correct: true,
    source: README,
  },
  {
    name: 'django: correct, DELETE with a bearer token',
    start: django('correct'),
    request: { ...BEARER, method: 'DELETE' },
    expect: [],
    correct: true,
    source: README,
  },
  {
    name: 'django: correct, @vary_on_headers(Accept-Encoding) + CorsMiddleware → Vary: Accept-Encoding, Origin',
    start: django('correct'),
    ...WITH_COOKIE,
    expose: ['X-Request-Id'],
    expect: [],
    correct: true,
    source:
      'https://docs.djangoproject.com/en/3.2/topics/http/decorators/#django.views.decorators.vary.vary_on_headers',
  },
  {
    name: 'django: correct, the view’s 401 JSON keeps the headers',
    start: django('correct'),
    path: '/api/private',
    ...ANON,
    expect: [],
    correct: true,
    source: README,
  },
  {
    name: 'django: correct, DEBUG=False 404 page with CORS headers',
    start: django('correct'),
    path: '/api/nope',
    ...ANON,
    expect: [],
    correct: true,
    source: README,
  },
  {
    name: 'django: correct, DEBUG=False 500 page with CORS headers',
    start: django('correct'),
    path: '/api/boom',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: README,
  },
  {
    name: 'django: correct CORS, CSRF 403 on a cookie POST (readable, not a CORS failure)',
    start: django('csrf'),
    request: { method: 'POST', headers: [['Content-Type', 'application/json']], credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: 'adamchainz/django-cors-headers#749',
  },
  {
    name: 'django: CorsMiddleware above CommonMiddleware: APPEND_SLASH 301 keeps the headers',
    start: django('slash-correct'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'adamchainz/django-cors-headers#267',
  },
  {
    name: 'django: CORS_ALLOW_ALL_ORIGINS on a public API, anonymous GET',
    start: django('allow-all'),
    ...ANON,
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
    source: README,
  },
  // ── mistakes ────────────────────────────────────────────────────────────────
  {
    name: 'django: CORS_ALLOW_ALL_ORIGINS with CORS_ALLOW_CREDENTIALS echoes any Origin',
    start: django('allow-all-credentials'),
    ...WITH_COOKIE,
    expect: ['origin-reflected'],
    severity: { 'origin-reflected': 'security' },
    source: 'adamchainz/django-cors-headers#296',
  },
  {
    name: 'django: token middleware above CorsMiddleware answers the preflight 401',
    start: django('auth-above-cors'),
    path: '/api/private',
    request: BEARER,
    expect: ['preflight-failed-status'],
    allowed: false,
    source: ORDER,
  },
  {
    name: 'django: token middleware above CorsMiddleware, its 401 has no headers (cookie GET)',
    start: django('auth-above-cors'),
    path: '/api/private',
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    source: ORDER,
  },
  {
    name: 'django: token middleware above CorsMiddleware, page without credentials gets a bare 401',
    start: django('auth-above-cors'),
    path: '/api/private',
    ...ANON,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: ORDER,
  },
  {
    name: 'django: CorsMiddleware below CommonMiddleware: APPEND_SLASH 301 without headers',
    start: django('below-common'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: 'UAlbertaALTLab/morphodict#650 (also the README: CorsMiddleware before CommonMiddleware)',
  },
  {
    name: "django: CORS_URLS_REGEX = r'^api/.*$' never matches path_info, cookie GET",
    start: django('urls-regex'),
    ...WITH_COOKIE,
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'adamchainz/django-cors-headers#384',
  },
  {
    name: "django: CORS_URLS_REGEX = r'^api/.*$', JSON PUT (the view answers OPTIONS 405)",
    start: django('urls-regex'),
    request: JSON_PUT,
    // The catalog's mistake 3: CORS not applied to this route, so OPTIONS falls through to the
    // framework's 405 (as the Fastify 404 case in node-first).
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'adamchainz/django-cors-headers#384',
  },
  {
    name: 'django: CORS_ALLOW_HEADERS replaced without authorization',
    start: django('headers-short'),
    request: BEARER,
    expect: ['header-not-allowed'],
    allowed: false,
    source: 'adamchainz/django-cors-headers#78',
  },
  {
    name: 'django: CORS_ALLOW_METHODS without PUT',
    start: django('methods-short'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['method-not-allowed'],
    allowed: false,
    source: README,
  },
  {
    name: 'django: CORS_EXPOSE_HEADERS missing, page reads X-Request-Id',
    start: django('expose-missing'),
    ...WITH_COOKIE,
    expose: ['X-Request-Id'],
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'error' },
    source: README,
  },
  {
    name: 'django: explicit :443 in CORS_ALLOWED_ORIGINS',
    start: django('explicit-port'),
    ...WITH_COOKIE,
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'adamchainz/django-cors-headers#637',
  },
  {
    name: 'django: CORS_ALLOWED_ORIGINS in another case (compared exactly, unlike flask-cors)',
    known:
      'the spelling in the list (App.MyShop) has a capital inside a name, which no case variant can guess; the server answers no spelling a probe sends',
    start: django('wrong-case'),
    ...WITH_COOKIE,
    expect: ['origin-mismatch'],
    allowed: false,
    source:
      'https://github.com/adamchainz/django-cors-headers/blob/3.14.0/src/corsheaders/middleware.py#L196',
  },
  {
    name: 'django: www. in CORS_ALLOWED_ORIGINS',
    start: django('www'),
    ...WITH_COOKIE,
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'adamchainz/django-cors-headers#637',
  },
  {
    name: 'django: http://localhost:3000 left in CORS_ALLOWED_ORIGINS',
    start: django('localhost'),
    ...WITH_COOKIE,
    expect: ['localhost-allowed'],
    severity: { 'localhost-allowed': 'security' },
    source: 'adamchainz/django-cors-headers#749',
  },
  {
    name: "django: 'null' in CORS_ALLOWED_ORIGINS with credentials",
    start: django('null'),
    ...WITH_COOKIE,
    expect: ['null-origin-allowed'],
    severity: { 'null-origin-allowed': 'security' },
    source: README,
  },
  {
    name: 'django: CORS_ALLOWED_ORIGIN_REGEXES without the closing $',
    start: django('regex-unanchored'),
    ...WITH_COOKIE,
    expect: ['origin-pattern-bypass', 'subdomain-trusted'],
    severity: { 'origin-pattern-bypass': 'security' },
    source: 'corydolphin/flask-cors#400 (the re.match prefix trap; corsheaders uses re.match too)',
  },
  {
    name: 'django: CORS_ALLOWED_ORIGIN_REGEXES trusting every subdomain with credentials',
    start: django('regex-subdomains'),
    ...WITH_COOKIE,
    expect: ['subdomain-trusted'],
    // The catalog's severity for every subdomain trusted with credentials (issue 12: one severity).
    severity: { 'subdomain-trusted': 'security' },
    source: 'adamchainz/django-cors-headers#571',
  },
  {
    name: 'django: hand-written CORS middleware echoes the allow-list without Vary (cacheable)',
    start: django('hand-written'),
    ...WITH_COOKIE,
    expect: ['missing-vary-origin'],
    source: 'adamchainz/django-cors-headers#102',
  },
];

export const corpus: StackCorpus = {
  stack: 'django',
  missing: () => pythonMissing('django'),
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
