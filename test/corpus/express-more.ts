/**
 * More Express 5 + `cors` cases from real reports: Express 5's path syntax, body parsing, auth and
 * static files in front of cors(), cors() after the routes, origin typos and patterns, hand-written
 * middleware from Stack Overflow's most copied answer, and correct setups a naive check would flag.
 */
import { type ExpressMoreVariant, startExpressMore } from '../harness/apps/express-more.ts';
import { type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const ex = (v: ExpressMoreVariant) => () => startExpressMore(v);
const BEARER = { method: 'GET', headers: [['Authorization', 'Bearer t0k3n']] as [string, string][] };
const CORS_README = 'https://github.com/expressjs/cors#configuration-options';

const cases: CorpusCase[] = [
  {
    name: "express-more: app.options('/*splat', cors()) (Express 5's '*'), JSON PUT",
    start: ex('options-splat'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    allowed: true,
    source: 'expressjs/express#6428',
  },
  {
    name: 'express-more: express.json() before cors(), malformed JSON body gets 400 without headers',
    start: ex('json-before-cors'),
    request: { ...JSON_PUT, body: '{"qty": 2,}', credentials: 'include' },
    cookie: 'session=ok',
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: 'directus/directus#15308',
  },
  {
    name: 'express-more: express.json() before cors(), valid JSON PUT works',
    start: ex('json-before-cors'),
    request: { ...JSON_PUT, body: '{"qty": 2}', credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: 'directus/directus#15308',
  },
  {
    name: 'express-more: requireAuth before cors() on the route, error handler 401 (page not logged in)',
    start: ex('error-handler-before-cors'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: 'https://fixdevs.com/blog/express-cors-not-working/',
  },
  {
    name: 'express-more: requireAuth before cors() on the route, logged-in cookie GET',
    start: ex('error-handler-before-cors'),
    path: '/api/private',
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    source: 'https://fixdevs.com/blog/express-cors-not-working/',
  },
  {
    name: 'express-more: cors() first, error handler answers 401 with the headers kept',
    start: ex('error-handler-after-cors'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: 'https://fixdevs.com/blog/express-cors-not-working/',
  },
  {
    name: 'express-more: cors() first, a thrown error becomes a 500 that keeps the headers',
    start: ex('error-handler-after-cors'),
    path: '/api/boom',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'https://fixdevs.com/blog/express-cors-not-working/',
  },
  {
    name: 'express-more: express.static before cors(), a JSON file fetched cross-origin',
    start: ex('static-before-cors'),
    path: '/assets/catalog.json',
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'expressjs/cors#116',
  },
  {
    name: 'express-more: cors() before express.static, the file',
    start: ex('static-after-cors'),
    path: '/assets/catalog.json',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'expressjs/cors#116',
  },
  {
    name: 'express-more: cors() before express.static, a missing file is a 404 with CORS headers',
    start: ex('static-after-cors'),
    path: '/assets/missing.json',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'expressjs/cors#116',
  },
  {
    name: "express-more: origin: 'https://App.MyShop.test' (fixed string, wrong case)",
    start: ex('origin-case-string'),
    ...WITH_COOKIE,
    expect: ['origin-mismatch'],
    allowed: false,
    source: CORS_README,
  },
  {
    name: "express-more: origin: ['https://App.MyShop.test'] (list, wrong case)",
    known:
      'the spelling in the list (App.MyShop) has a capital inside a name, which no case variant can guess; the server answers no spelling a probe sends',
    start: ex('origin-case-array'),
    ...WITH_COOKIE,
    expect: ['origin-mismatch'],
    allowed: false,
    source: CORS_README,
  },
  {
    name: 'express-more: origin: [/myshop\\.test$/] (unanchored start, any scheme)',
    start: ex('regex-array-unanchored'),
    ...WITH_COOKIE,
    expect: ['insecure-origin-allowed', 'origin-pattern-bypass', 'subdomain-trusted'],
    severity: { 'origin-pattern-bypass': 'security', 'insecure-origin-allowed': 'security' },
    source: 'https://portswigger.net/web-security/cors',
  },
  {
    name: 'express-more: origin: [/^https:\\/\\/(app|admin)\\.myshop\\.test$/] (anchored)',
    start: ex('regex-anchored'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: CORS_README,
  },
  {
    name: 'express-more: Vary: Accept-Encoding, Origin (compression before cors())',
    start: ex('vary-accept-encoding'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'https://github.com/jshttp/vary#varyres-field',
  },
  {
    name: "express-more: hand-written '*' and Allow-Headers without Authorization, Bearer GET",
    start: ex('handwritten-star'),
    request: BEARER,
    expect: ['header-not-allowed'],
    allowed: false,
    source: 'https://stackoverflow.com/questions/7067966',
  },
  {
    name: 'express-more: hand-written allow-list echo without Vary on a public, max-age response',
    start: ex('handwritten-echo-no-vary'),
    ...WITH_COOKIE,
    expect: ['missing-vary-origin'],
    allowed: true,
    source: 'https://www.dev-toolbox.tech/tools/cors-header-builder/examples/multiple-origins',
  },
  {
    name: 'express-more: app.use(cors()) after the routes, Bearer GET (preflight passes, response has no ACAO)',
    start: ex('cors-after-routes'),
    request: { ...BEARER, credentials: 'include' },
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'https://debugai.io/blog/fix-express-cors-error',
  },
  {
    name: "express-more: origin callback with callback(new Error('Not allowed by CORS')) (README)",
    start: ex('origin-callback-error'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'https://github.com/expressjs/cors#configuring-cors-w-dynamic-origin',
  },
];

export const corpus: StackCorpus = {
  stack: 'express',
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
