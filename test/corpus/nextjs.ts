/**
 * Next.js 15 (app router, `next build` + `next start`) corpus: route handlers setting CORS themselves
 * without an OPTIONS export, next.config.js headers() (which also reach the 404 page and Next's own
 * OPTIONS answer), and the docs' middleware example as written and done right. One build and one
 * server for the whole run.
 */
import { after } from 'node:test';
import { nextMissing, startNext, stopNext } from '../harness/stacks/nextjs.ts';
import { type CorpusCase, JSON_PUT, type StackCorpus, WITH_COOKIE } from './case.ts';

// Every case shares the one server; the run ends it.
const shared = async () => ({ ...(await startNext()), close: async () => {} });
after(stopNext);

const ROUTE_DOCS = 'https://nextjs.org/docs/app/building-your-application/routing/route-handlers#cors';
const CONFIG_DOCS = 'https://nextjs.org/docs/app/api-reference/config/next-config-js/headers#cors';
const MW_DOCS = 'https://nextjs.org/docs/app/building-your-application/routing/middleware#cors';

const cases: CorpusCase[] = [
  {
    name: 'nextjs: route handler sets CORS, no OPTIONS export, JSON PUT (Next answers 204 Allow)',
    start: shared,
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: ['preflight-failed-status'],
    allowed: false,
    source: 'vercel/next.js#50171',
  },
  {
    name: 'nextjs: route handler sets CORS, cookie GET works, the 404 page has none',
    start: shared,
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
    source: ROUTE_DOCS,
  },
  {
    name: 'nextjs: next.config.js headers(), JSON PUT (applied to Next’s own OPTIONS answer)',
    start: shared,
    path: '/cfg/api/data',
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: 'vercel/next.js#57999',
  },
  {
    name: 'nextjs: next.config.js headers(), the 401 from the handler keeps them',
    start: shared,
    path: '/cfg/api/private',
    request: { credentials: 'include' },
    expect: [],
    correct: true,
    source: CONFIG_DOCS,
  },
  {
    name: 'nextjs: next.config.js headers(), the 404 page keeps them',
    start: shared,
    path: '/cfg/api/nothing-here',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: CONFIG_DOCS,
  },
  {
    name: "nextjs: the docs' middleware example, page sends its cookie (no Allow-Credentials)",
    start: shared,
    path: '/mw/api/data',
    ...WITH_COOKIE,
    // It also echoes the Origin without Vary: Origin, which the catalog (mistake 6) asks for always,
    // cacheable or not.
    expect: ['credentials-not-allowed', 'missing-vary-origin'],
    allowed: false,
    source: 'vercel/next.js#62439',
  },
  {
    name: "nextjs: the docs' middleware example on a public, max-age response (no Vary: Origin)",
    start: shared,
    path: '/mw/api/cached',
    request: { credentials: 'omit' },
    expect: ['header-not-exposed', 'missing-vary-origin'],
    severity: { 'header-not-exposed': 'info', 'missing-vary-origin': 'warning' },
    allowed: true,
    source: MW_DOCS,
  },
  {
    name: 'nextjs: middleware done right (Vary: Origin, Accept-Encoding; credentials), JSON PUT',
    start: shared,
    path: '/mwok/api/data',
    request: { ...JSON_PUT, credentials: 'include' },
    cookie: 'session=ok',
    expect: [],
    correct: true,
    source: MW_DOCS,
  },
  {
    name: 'nextjs: middleware done right, the 404 page keeps the headers',
    start: shared,
    path: '/mwok/api/nothing-here',
    ...WITH_COOKIE,
    expect: [],
    correct: true,
    source: MW_DOCS,
  },
];

export const corpus: StackCorpus = {
  stack: 'nextjs',
  missing: nextMissing,
  cases: cases.map((c) => ({ ...c, round: 1 as const })),
};
