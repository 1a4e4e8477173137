/**
 * More Koa 3 cases from real reports: hand-written CORS that `ctx.throw` wipes, @koa/router answering
 * OPTIONS itself when cors is on the router, @koa/cors mounted after the router, and the right order.
 */
import { type KoaMoreVariant, startKoaMore } from '../harness/apps/koa-more.ts';
import { type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const koa = (v: KoaMoreVariant) => () => startKoaMore(v);

const cases: CorpusCase[] = [
  {
    name: 'koa-more: hand-written CORS, ctx.throw(401) downstream drops the headers (not logged in)',
    start: koa('handwritten-throw'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: 'ZijianHe/koa-router#387',
  },
  {
    name: 'koa-more: hand-written CORS, cookie GET works but thrown 404s lose the headers',
    start: koa('handwritten-throw'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    source: 'https://github.com/koajs/cors#corsoptions',
  },
  {
    name: 'koa-more: hand-written CORS set after await next(), a throw skips it',
    start: koa('handwritten-after-next'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'error' },
    allowed: false,
    source: 'evert0n/koa-cors#30',
  },
  {
    name: 'koa-more: router.use(cors()), OPTIONS answered by allowedMethods() (200 Allow, no CORS)',
    start: koa('cors-on-router'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'ZijianHe/koa-router#482',
  },
  {
    name: 'koa-more: router.use(cors()), cookie GET works, unmatched paths 404 without headers',
    start: koa('cors-on-router'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    source: 'koajs/router#130',
  },
  {
    name: 'koa-more: @koa/cors after router.routes(), matched GET has no Allow-Origin',
    start: koa('cors-after-router'),
    ...WITH_COOKIE,
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'firefox-devtools/profiler-server#40',
  },
  {
    name: 'koa-more: @koa/cors first, router with allowedMethods({ throw: true }), JSON PUT',
    start: koa('correct-router'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: 'firefox-devtools/profiler-server#40',
  },
  {
    name: 'koa-more: @koa/cors first, a thrown 401 keeps the headers (keepHeadersOnError)',
    start: koa('correct-router'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: 'https://github.com/koajs/cors#corsoptions',
  },
];

export const corpus: StackCorpus = {
  stack: 'koa',
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
