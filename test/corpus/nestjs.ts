/**
 * NestJS 11 (@nestjs/platform-express) corpus: enableCors()'s defaults, `origin: true`, the factory's
 * `cors` option, auth middleware before enableCors(), a controller `@Header()` overriding it,
 * enableCors() after init, and the allow-list mistakes, each from a real report or the docs.
 */
import { type NestVariant, startNest } from '../harness/stacks/nestjs.ts';
import { BEARER, type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

const nest = (v: NestVariant) => () => startNest(v);
const DOCS = 'https://docs.nestjs.com/security/cors';

const cases: CorpusCase[] = [
  {
    name: 'nestjs: enableCors() defaults on a public API (anonymous GET)',
    start: nest('enable-cors-default'),
    request: { credentials: 'omit' },
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
    source: DOCS,
  },
  {
    name: 'nestjs: enableCors() defaults, public API answers 404 with CORS headers',
    start: nest('enable-cors-default'),
    path: '/api/nothing-here',
    request: { credentials: 'omit' },
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'nestjs: enableCors() defaults, page sends its cookie (Allow-Origin *)',
    start: nest('enable-cors-default'),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
    source: 'nestjs/nest#4981',
  },
  {
    name: 'nestjs: enableCors({ origin: true, credentials: true }) reflects every origin',
    start: nest('origin-true-credentials'),
    ...WITH_COOKIE,
    expect: ['origin-reflected'],
    severity: { 'origin-reflected': 'security' },
    source: 'nestjs/nest#12770',
  },
  {
    name: 'nestjs: NestFactory.create(…, { cors }) allow-list, cookie GET',
    start: nest('factory-cors'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: DOCS,
  },
  {
    name: 'nestjs: NestFactory.create(…, { cors }) allow-list, JSON PUT with Authorization',
    start: nest('factory-cors'),
    request: {
      ...JSON_PUT,
      headers: [...(JSON_PUT.headers ?? []), ['Authorization', 'Bearer t0k3n']],
      credentials: 'include',
    },
    expect: [],
    correct: true,
    source: 'nestjs/nest#10735',
  },
  {
    name: 'nestjs: guard throws UnauthorizedException, the 401 keeps the CORS headers',
    start: nest('factory-cors'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: 'https://docs.nestjs.com/guards',
  },
  {
    name: 'nestjs: app.use(auth) before enableCors(), Bearer GET (preflight 401)',
    start: nest('use-auth-before-cors'),
    request: BEARER,
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'https://corsapi.com/en/blog/nestjs-helmet-cors-middleware-order-security-headers',
  },
  {
    name: 'nestjs: app.use(auth) before enableCors(), cookie GET (401s without headers)',
    start: nest('use-auth-before-cors'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    source: 'https://corsapi.com/en/blog/nestjs-helmet-cors-middleware-order-security-headers',
  },
  {
    name: "nestjs: @Header('Access-Control-Allow-Origin', '*') on the controller overrides enableCors",
    start: nest('header-decorator-wildcard'),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
    source: 'nestjs/nest#12770',
  },
  {
    name: 'nestjs: enableCors() after app.init() (router mounted first, no CORS on routes)',
    start: nest('cors-after-init'),
    expect: ['missing-allow-origin'],
    allowed: false,
    source: 'nestjs/nest#3458',
  },
  {
    name: 'nestjs: Angular dev origin http://localhost:4200 left in the production list',
    start: nest('localhost-left-in'),
    ...WITH_COOKIE,
    expect: ['localhost-allowed'],
    severity: { 'localhost-allowed': 'security' },
    source: 'https://nest.koalarx.com/en/docs/host/http-middleware',
  },
  {
    name: 'nestjs: CORS_ORIGINS with a trailing slash',
    start: nest('trailing-slash'),
    expect: ['origin-mismatch'],
    allowed: false,
    source: 'https://nest.koalarx.com/en/docs/host/http-middleware',
  },
  {
    name: "nestjs: methods: 'GET,POST' and the page sends PUT",
    start: nest('methods-short'),
    request: { ...JSON_PUT, credentials: 'include' },
    expect: ['method-not-allowed'],
    allowed: false,
    source: 'nestjs/nest#3458',
  },
  {
    name: "nestjs: allowedHeaders: 'Content-Type' and the page sends Authorization",
    start: nest('headers-short'),
    request: BEARER,
    expect: ['header-not-allowed'],
    allowed: false,
    source: 'nestjs/nest#12770',
  },
  {
    name: 'nestjs: X-Request-Id needed but exposedHeaders not set',
    start: nest('not-exposed'),
    ...WITH_COOKIE,
    expose: ['X-Request-Id'],
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'error' },
    source: 'nestjs/nest#457',
  },
  {
    name: 'nestjs: only the admin front end is on the list',
    start: nest('other-origin-only'),
    expect: ['origin-not-allowed'],
    allowed: false,
    source: DOCS,
  },
];

export const corpus: StackCorpus = {
  stack: 'nestjs',
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
