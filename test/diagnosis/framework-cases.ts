/**
 * The real-framework cases: each a server configured with one of the catalog's mistakes (or correctly),
 * the page's request, and the exact finding ids `check` must report. Shared by the end-to-end suite
 * (frameworks.test.ts) and the real-Chromium agreement test (frameworks-chromium.test.ts).
 */
import type { PageRequest } from '../../src/browser/types.ts';
import type { FindingId, Severity } from '../../src/catalog/ids.ts';
import type { CheckInput } from '../../src/diagnosis/types.ts';
import { type RunCheckOptions, runCheck } from '../../src/probe/check.ts';
import { BEARER, JSON_PUT, WITH_COOKIE } from '../corpus/case.ts';
import { APP, listen, type RunningApp } from '../harness/apps/common.ts';
import { type ExpressVariant, startExpress } from '../harness/apps/express.ts';
import { type FastifyVariant, startFastify } from '../harness/apps/fastify.ts';
import { startHono } from '../harness/apps/hono.ts';
import { startKoa } from '../harness/apps/koa.ts';
import { startNode, startPage } from '../harness/apps/node.ts';
import { nginxMissing, startNginx } from '../harness/nginx.ts';

export interface Case {
  name: string;
  start: () => Promise<RunningApp>;
  path?: string;
  request?: Partial<PageRequest>;
  expose?: string[];
  cookie?: string;
  /** A page server whose CSP `check --page` evaluates. */
  page?: { header?: string; meta?: string };
  expect: FindingId[];
  /** Severity checks for some of the ids. */
  severity?: Partial<Record<FindingId, Severity>>;
  /** A correct configuration: allowed, and no error/security/warning finding. */
  correct?: boolean;
  /** Expected browser verdict. */
  allowed?: boolean;
  /** The finding's detail must match (id → pattern). */
  details?: Partial<Record<FindingId, RegExp>>;
}

export function pageRequest(c: Case, base: string): PageRequest {
  return {
    url: `${base}${c.path ?? '/api/data'}`,
    origin: APP,
    method: 'GET',
    headers: [],
    credentials: 'same-origin',
    mode: 'cors',
    ...c.request,
  };
}

export async function check(c: Case, extra: RunCheckOptions = {}) {
  const app = await c.start();
  const page = c.page ? await startPage(c.page) : undefined;
  try {
    const input: CheckInput = { request: pageRequest(c, app.base), expose: c.expose ?? [] };
    return await runCheck(input, {
      timeoutMs: 8000,
      ...(c.cookie ? { cookie: c.cookie } : {}),
      // runCheck sends a body only when told (opts.body); a case's request.body is the page's body.
      ...(c.request?.body != null ? { body: c.request.body } : {}),
      ...(page ? { pageUrl: `${page.base}/` } : {}),
      ...extra,
    });
  } finally {
    await page?.close();
    await app.close();
  }
}

const express = (v: ExpressVariant) => () => startExpress(v);
const fastify = (v: FastifyVariant) => () => startFastify(v);

export const CASES: Case[] = [
  // ── Express + cors ──────────────────────────────────────────────────────────
  {
    name: 'express: correct allow-list, cookie GET',
    start: express('correct'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
  },
  {
    name: 'express: correct allow-list, JSON PUT with Authorization',
    start: express('correct'),
    request: {
      ...JSON_PUT,
      headers: [...JSON_PUT.headers!, ['Authorization', 'Bearer t0k3n']],
      credentials: 'include',
    },
    expect: [],
    correct: true,
  },
  {
    name: 'express: cors() defaults on a public API (anonymous GET)',
    start: express('public-api'),
    request: { credentials: 'omit' },
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
    correct: true,
  },
  {
    name: 'express: no CORS at all',
    start: express('no-cors'),
    expect: ['missing-allow-origin'],
    allowed: false,
  },
  {
    name: 'express: no CORS, JSON PUT (Express answers OPTIONS itself)',
    start: express('no-cors'),
    request: JSON_PUT,
    expect: ['missing-allow-origin'],
    allowed: false,
  },
  {
    name: 'express: trailing slash in the allow-list',
    start: express('trailing-slash'),
    expect: ['origin-mismatch'],
    allowed: false,
  },
  {
    name: 'express: only another origin allowed',
    start: express('other-origin-only'),
    expect: ['origin-not-allowed'],
    allowed: false,
  },
  {
    name: "express: origin '*' with credentials: true",
    start: express('wildcard-credentials'),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
  },
  {
    name: 'express: origin: true with credentials reflects anything',
    start: express('reflect-credentials'),
    ...WITH_COOKIE,
    expect: ['origin-reflected'],
    severity: { 'origin-reflected': 'security' },
  },
  {
    name: 'express: authentication before cors() (preflight gets 401)',
    start: express('auth-before-cors'),
    request: BEARER,
    expect: ['preflight-failed-status'],
    allowed: false,
  },
  {
    name: 'express: authentication before cors() (cookie GET, error without headers)',
    start: express('auth-before-cors'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
    severity: { 'headers-missing-on-errors': 'warning' },
  },
  {
    name: 'express: localhost left in the production allow-list',
    start: express('localhost-left-in'),
    ...WITH_COOKIE,
    expect: ['localhost-allowed'],
    severity: { 'localhost-allowed': 'security' },
  },
  {
    name: 'express: cors() per route, OPTIONS answered by Express',
    start: express('per-route-cors'),
    request: JSON_PUT,
    expect: ['preflight-failed-status'],
    allowed: false,
  },
  {
    name: 'express: cors() per route, 404s without headers',
    start: express('per-route-cors'),
    expect: ['headers-missing-on-errors'],
  },
  {
    name: 'express: PUT not in methods',
    start: express('methods-short'),
    request: JSON_PUT,
    expect: ['method-not-allowed'],
    allowed: false,
  },
  {
    name: 'express: Authorization not in allowedHeaders',
    start: express('headers-short'),
    request: BEARER,
    expect: ['header-not-allowed'],
    allowed: false,
  },
  {
    name: 'express: X-Request-Id needed but not exposed',
    start: express('not-exposed'),
    expose: ['X-Request-Id'],
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'error' },
  },
  {
    name: 'express: unanchored regex /myshop\\.test$/',
    start: express('regex-unanchored'),
    ...WITH_COOKIE,
    expect: ['insecure-origin-allowed', 'origin-pattern-bypass', 'subdomain-trusted'],
    severity: { 'origin-pattern-bypass': 'security', 'insecure-origin-allowed': 'security' },
  },
  {
    name: "express: 'null' in the allow-list",
    start: express('null-allowed'),
    ...WITH_COOKIE,
    expect: ['null-origin-allowed'],
    severity: { 'null-origin-allowed': 'security' },
  },
  {
    name: 'express: Access-Control-Allow-Origin set by the front end',
    start: express('correct'),
    request: { headers: [['Access-Control-Allow-Origin', '*']] },
    expect: ['cors-headers-in-request'],
    severity: { 'cors-headers-in-request': 'warning' },
    allowed: true,
  },
  // ── Fastify + @fastify/cors ─────────────────────────────────────────────────
  {
    name: 'fastify: correct allow-list',
    start: fastify('correct'),
    request: { ...JSON_PUT, credentials: 'include' },
    expect: [],
    correct: true,
  },
  {
    name: 'fastify: www. in the allow-list',
    start: fastify('www-typo'),
    expect: ['origin-mismatch'],
    allowed: false,
  },
  {
    name: 'fastify: http:// in the allow-list',
    start: fastify('http-typo'),
    expect: ['origin-mismatch'],
    allowed: false,
  },
  {
    name: 'fastify: no CORS, JSON PUT (OPTIONS 404)',
    start: fastify('no-cors'),
    request: JSON_PUT,
    expect: ['preflight-failed-status'],
    allowed: false,
  },
  {
    name: 'fastify: origin: true without credentials',
    start: fastify('reflect'),
    expect: ['origin-reflected'],
    severity: { 'origin-reflected': 'info' },
  },
  {
    name: 'fastify: auth hook before the cors hook',
    start: fastify('auth-hook-first'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
  },
  {
    name: "fastify: @fastify/cors with hook: 'preHandler' (404s still get the headers)",
    start: fastify('prehandler-hook'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
  },
  // ── Koa + @koa/cors ─────────────────────────────────────────────────────────
  {
    name: 'koa: correct allow-list function',
    start: () => startKoa('correct'),
    ...WITH_COOKIE,
    expect: [],
    correct: true,
  },
  {
    name: 'koa: credentials: true without origin echoes every origin',
    start: () => startKoa('credentials-default-origin'),
    ...WITH_COOKIE,
    expect: ['origin-reflected'],
    severity: { 'origin-reflected': 'security' },
  },
  {
    name: 'koa: auth before cors',
    start: () => startKoa('auth-before-cors'),
    ...WITH_COOKIE,
    expect: ['headers-missing-on-errors'],
  },
  {
    name: 'koa: exposeHeaders missing (no --expose: info only)',
    start: () => startKoa('expose-missing'),
    expect: ['header-not-exposed'],
    severity: { 'header-not-exposed': 'info' },
  },
  {
    name: 'koa: keepHeadersOnError: false, thrown 404 loses the headers',
    start: () => startKoa('headers-dropped-on-error'),
    expect: ['headers-missing-on-errors'],
  },
  // ── Hono + hono/cors ────────────────────────────────────────────────────────
  {
    name: 'hono: correct allow-list',
    start: () => startHono('correct'),
    request: BEARER,
    expect: [],
    correct: true,
  },
  {
    name: 'hono: origin callback returns the origin',
    start: () => startHono('reflect-credentials'),
    ...WITH_COOKIE,
    expect: ['origin-reflected'],
    severity: { 'origin-reflected': 'security' },
  },
  {
    name: 'hono: Authorization not in allowHeaders',
    start: () => startHono('headers-short'),
    request: BEARER,
    expect: ['header-not-allowed'],
    allowed: false,
  },
  {
    name: "hono: origin '*' with credentials",
    start: () => startHono('wildcard-credentials'),
    ...WITH_COOKIE,
    expect: ['wildcard-with-credentials'],
    allowed: false,
  },
  {
    name: "hono: cors() on '/api/data' only (siblings 404 without headers)",
    start: () => startHono('one-route-only'),
    request: BEARER,
    expect: ['headers-missing-on-errors'],
  },
  // ── plain node:http ─────────────────────────────────────────────────────────
  {
    name: 'node: correct hand-written CORS',
    start: () => startNode('correct'),
    request: { ...JSON_PUT, credentials: 'include' },
    expect: [],
    correct: true,
  },
  {
    name: 'node: explicit :443 in a fixed Allow-Origin',
    start: () => startNode('explicit-port'),
    expect: ['origin-mismatch'],
    allowed: false,
  },
  {
    name: 'node: the allow-list in one header',
    start: () => startNode('list-in-one-header'),
    expect: ['duplicate-cors-headers'],
    allowed: false,
  },
  {
    name: 'node: allow-list without Vary, cacheable',
    start: () => startNode('no-vary'),
    expect: ['missing-vary-origin'],
  },
  {
    name: "node: Access-Control-Allow-Credentials: 'True'",
    start: () => startNode('credentials-capitalised'),
    ...WITH_COOKIE,
    expect: ['credentials-not-allowed'],
    allowed: false,
  },
  {
    name: 'node: OPTIONS redirected',
    start: () => startNode('preflight-redirect'),
    request: JSON_PUT,
    expect: ['preflight-redirect'],
    allowed: false,
  },
  {
    name: "node: fetch method 'patch' (lower case)",
    start: () => startNode('method-case'),
    request: { method: 'patch' },
    expect: ['method-not-allowed'],
    allowed: false,
  },
  {
    name: 'node: Access-Control-Allow-Headers set by the front end, server lists none',
    start: () => startNode('get-only'),
    request: { headers: [['Access-Control-Allow-Headers', 'Content-Type']] },
    expect: ['cors-headers-in-request'],
    severity: { 'cors-headers-in-request': 'error' },
    allowed: false,
  },
  {
    name: 'node: Access-Control-Request-Method set by the front end (dropped by the browser)',
    start: () => startNode('get-only'),
    request: { headers: [['Access-Control-Request-Method', 'GET']] },
    expect: ['cors-headers-in-request'],
    severity: { 'cors-headers-in-request': 'info' },
    allowed: true,
  },
  {
    name: 'node: page CSP without the API in connect-src',
    start: () => startNode('correct'),
    page: { header: "default-src 'self'; connect-src 'self' https://api.myshop.test" },
    expect: ['csp-blocks-request'],
  },
  {
    name: 'node: page CSP that allows the API (meta)',
    start: () => startNode('correct'),
    page: { meta: "default-src 'self'; connect-src 'self' http://127.0.0.1:*" },
    expect: [],
    correct: true,
  },
  {
    name: "node: mode: 'no-cors'",
    start: () => startNode('correct'),
    request: { mode: 'no-cors' },
    expect: ['opaque-response'],
  },
  {
    name: 'node: nothing listens (connection refused)',
    start: async () => {
      const gone = await listen((await import('node:http')).createServer());
      await gone.close();
      return { base: gone.base, close: async () => {} };
    },
    expect: ['network-error'],
    allowed: false,
  },
];

export const NGINX_CASES: Case[] = [];
export const nginxSkip = nginxMissing();
{
  // nginx in front of a Node app: the proxy adds CORS headers too (mistake 5), or only on 2xx (mistake 4).
  const behind =
    (app: () => Promise<RunningApp>, serverBody: (upstream: string) => string, httpExtra = '') =>
    async () => {
      const upstream = await app();
      try {
        const nginx = await startNginx(serverBody(upstream.base), httpExtra);
        return {
          base: nginx.base,
          close: async () => {
            await nginx.stop();
            await upstream.close();
          },
        };
      } catch (e) {
        await upstream.close();
        throw e;
      }
    };
  const originMap = `map $http_origin $cors_origin { default ""; "${APP}" $http_origin; }`;
  const corsBlock = (always: string) => `
    add_header Access-Control-Allow-Origin $cors_origin ${always};
    add_header Access-Control-Allow-Credentials true ${always};
    add_header Access-Control-Allow-Methods "GET, PUT, POST, DELETE" ${always};
    add_header Access-Control-Allow-Headers "Content-Type, Authorization" ${always};
    add_header Access-Control-Expose-Headers X-Request-Id ${always};
    add_header Vary Origin ${always};`;
  NGINX_CASES.push(
    {
      name: 'nginx + express/cors: both add Access-Control-Allow-Origin',
      start: behind(
        express('correct'),
        (u) => `location / { add_header Access-Control-Allow-Origin ${APP} always; proxy_pass ${u}; }`,
      ),
      ...WITH_COOKIE,
      expect: ['duplicate-cors-headers'],
      details: { 'duplicate-cors-headers': /nginx\/1\.\d+.*Express/ },
      allowed: false,
    },
    {
      name: 'nginx + hono/cors: the proxy adds *, the app adds the origin',
      start: behind(
        () => startHono('correct'),
        (u) => `location / { add_header Access-Control-Allow-Origin * always; proxy_pass ${u}; }`,
      ),
      expect: ['duplicate-cors-headers'],
      details: { 'duplicate-cors-headers': /different case.*nginx/ },
      allowed: false,
    },
    {
      name: 'nginx add_header without always in front of an app that returns 401/404',
      start: behind(
        express('auth-only'),
        (u) =>
          `location / { ${corsBlock('')} if ($request_method = OPTIONS) { return 204; } proxy_pass ${u}; }`,
        originMap,
      ),
      ...WITH_COOKIE,
      expect: ['headers-missing-on-errors'],
    },
    {
      name: 'nginx add_header … always (correct), JSON PUT with cookie',
      start: behind(
        express('auth-only'),
        (u) =>
          `location / { ${corsBlock('always')} if ($request_method = OPTIONS) { return 204; } proxy_pass ${u}; }`,
        originMap,
      ),
      request: { ...JSON_PUT, credentials: 'include' },
      cookie: 'session=ok',
      expect: [],
      correct: true,
    },
  );
}
