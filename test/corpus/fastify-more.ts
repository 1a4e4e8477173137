/**
 * More Fastify 5 + @fastify/cors cases from real reports: the plugin inside a prefixed plugin, an auth
 * hook ahead of it, v11's safelisted default methods, `*` with credentials, an unanchored pattern,
 * and a correct setup whose 401/500 keep their headers.
 */
import { type FastifyMoreVariant, startFastifyMore } from '../harness/apps/fastify-more.ts';
import { BEARER, type CorpusCase, type StackCorpus, WITH_COOKIE } from './case.ts';

const fy = (v: FastifyMoreVariant) => () => startFastifyMore(v);
// Fastify answers 400 to a JSON content type with an empty body, so the page's PUT carries one.
const JSON_PUT = {
  method: 'PUT',
  headers: [['Content-Type', 'application/json']] as [string, string][],
  body: '{"qty":2}',
};

const cases: CorpusCase[] = [
  {
    name: "fastify-more: cors registered inside register(…, { prefix: '/api' }), JSON PUT (404s lose it)",
    start: fy('prefixed-plugin'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    allowed: true,
    source: 'fastify/fastify-cors#281',
  },
  {
    name: 'fastify-more: cors inside the prefixed plugin, PUT to the prefix index route /api',
    start: fy('prefixed-plugin'),
    path: '/api',
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    allowed: true,
    source: 'fastify/fastify-cors#281',
  },
  {
    name: 'fastify-more: onRequest auth hook before @fastify/cors, Bearer GET (preflight 401)',
    start: fy('auth-hook-before-cors'),
    request: BEARER,
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'fastify/fastify-cors#103',
  },
  {
    name: "fastify-more: register(cors, { origin: '*' }) on v11, PUT refused (methods GET,HEAD,POST)",
    start: fy('default-methods'),
    request: JSON_PUT,
    expect: ['method-not-allowed'],
    allowed: false,
    source: 'fastify/fastify-cors#370',
  },
  {
    name: "fastify-more: register(cors, { origin: '*' }) on v11, anonymous GET is fine",
    start: fy('default-methods'),
    request: { credentials: 'omit' },
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
    source: 'fastify/fastify-cors#359',
  },
  {
    name: 'fastify-more: allow-list with credentials, JSON PUT',
    start: fy('correct-errors'),
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: 'https://github.com/fastify/fastify-cors#options',
  },
  {
    name: 'fastify-more: allow-list, the 401 from the handler keeps the CORS headers',
    start: fy('correct-errors'),
    path: '/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: 'https://github.com/fastify/fastify-cors#options',
  },
  {
    name: 'fastify-more: allow-list, a thrown error becomes a 500 that keeps the headers',
    start: fy('correct-errors'),
    path: '/api/boom',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: 'https://fastify.dev/docs/latest/Reference/Errors/',
  },
  {
    name: "fastify-more: origin: '*' with credentials: true (sent as is)",
    start: fy('wildcard-credentials'),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
    source: 'https://github.com/fastify/fastify-cors#options',
  },
  {
    name: 'fastify-more: origin: /myshop\\.test/ (unanchored) with credentials',
    start: fy('regex-unanchored'),
    ...WITH_COOKIE,
    expect: ['insecure-origin-allowed', 'origin-pattern-bypass', 'subdomain-trusted'],
    severity: { 'origin-pattern-bypass': 'security', 'insecure-origin-allowed': 'security' },
    source: 'https://github.com/fastify/fastify-cors#options',
  },
];

export const corpus: StackCorpus = {
  stack: 'fastify',
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
