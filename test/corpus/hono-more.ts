/**
 * More Hono + hono/cors cases from real reports: cors() on '/api/*' and a route outside it, cors()
 * registered after the routes, `onError` returning a fresh Response (Hono keeps the headers), origin
 * callbacks, the public default.
 */
import { type HonoMoreVariant, startHonoMore } from '../harness/apps/hono-more.ts';
import { BEARER, type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const hono = (v: HonoMoreVariant) => () => startHonoMore(v);
const DOCS = 'https://hono.dev/docs/middleware/builtin/cors';

const cases: CorpusCase[] = [
  {
    name: "hono-more: cors() on '/api/*', the page calls /v2/data outside it",
    start: hono('api-path-only'),
    path: '/v2/data',
    ...WITH_COOKIE,
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'honojs/middleware#531',
  },
  {
    name: "hono-more: cors() on '/api/*', JSON PUT to /api/data",
    start: hono('api-path-only'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'hono-more: cors() registered after the routes, Bearer GET (preflight ok, response bare)',
    start: hono('cors-after-routes'),
    request: BEARER,
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'honojs/hono#3493',
  },
  {
    name: 'hono-more: onError returns a fresh Response, the 401 still carries the headers',
    start: hono('onerror-fresh-response'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: 'https://hono.dev/docs/api/hono#error-handling',
  },
  {
    name: 'hono-more: onError returns a fresh Response, a thrown 500 still carries the headers',
    start: hono('onerror-fresh-response'),
    path: '/api/boom',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'https://hono.dev/docs/api/hono#error-handling',
  },
  {
    name: 'hono-more: origin callback returns the origin from a list, undefined otherwise',
    start: hono('origin-callback-list'),
    request: BEARER,
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: "hono-more: origin callback o.endsWith('.myshop.test') (http and any subdomain)",
    start: hono('origin-callback-suffix'),
    ...WITH_COOKIE,
    expect: ['insecure-origin-allowed', 'subdomain-trusted'],
    severity: { 'insecure-origin-allowed': 'security' },
    source: 'https://portswigger.net/web-security/cors',
  },
  {
    name: 'hono-more: cors() defaults on a public API, anonymous GET',
    start: hono('public-default'),
    request: { credentials: 'omit' },
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
    source: DOCS,
  },
  {
    name: 'hono-more: cors() defaults, a missing path is a 404 with Allow-Origin *',
    start: hono('public-default'),
    path: '/api/nothing-here',
    request: { credentials: 'omit' },
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'hono-more: X-Request-Id needed, exposeHeaders empty',
    start: hono('not-exposed'),
    request: BEARER,
    expose: ['X-Request-Id'],
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'error' },
    source: DOCS,
  },
];

export const corpus: StackCorpus = {
  stack: 'hono',
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
