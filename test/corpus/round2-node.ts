/**
 * Round 2 of issue 10 (written after the diagnosis changed, labelled before running it): Express 5 +
 * cors, Fastify 5 + @fastify/cors, Koa 3 + @koa/cors, Hono 4 + hono/cors, from real reports. Labels are
 * what a CORS expert names per DESIGN.md's ids and diagnosis notes.
 */
import { ADMIN } from '../harness/apps/common.ts';
import { type ExpressR2Variant, startExpressR2, VITE_DEV } from '../harness/apps/express-r2.ts';
import { type FastifyR2Variant, startFastifyR2 } from '../harness/apps/fastify-r2.ts';
import { type HonoR2Variant, startHonoR2 } from '../harness/apps/hono-r2.ts';
import { type KoaR2Variant, startKoaR2 } from '../harness/apps/koa-r2.ts';
import { ANON, AUTH_PUT, BEARER_ANON, BEARER_COOKIE, COOKIE_PUT, WITH_COOKIE } from './_round2.ts';
import type { StackCorpus } from './case.ts';

const express = (v: ExpressR2Variant) => () => startExpressR2(v);
const fastify = (v: FastifyR2Variant) => () => startFastifyR2(v);
const koa = (v: KoaR2Variant) => () => startKoaR2(v);
const hono = (v: HonoR2Variant) => () => startHonoR2(v);

const expressCorpus: StackCorpus = {
  stack: 'express',
  cases: [
    {
      name: 'express r2: cors({ credentials: true }) without origin, cookie GET (* with credentials)',
      start: express('credentials-no-origin'),
      ...WITH_COOKIE,
      expect: ['wildcard-with-credentials'],
      allowed: false,
      round: 2,
      source: 'expressjs/cors#119',
    },
    {
      name: 'express r2: origin from an env var holding a JSON array, sent as one Allow-Origin value',
      start: express('origin-json-text'),
      ...WITH_COOKIE,
      // Chrome: "contains multiple values … but only one is allowed", the catalog's mistake 5 symptom.
      expect: ['duplicate-cors-headers'],
      allowed: false,
      round: 2,
      source: 'expressjs/cors#249',
    },
    {
      name: "express r2: 'exposeHeaders' (the option is exposedHeaders), the page reads X-Request-Id",
      start: express('expose-option-typo'),
      ...WITH_COOKIE,
      expose: ['X-Request-Id'],
      expect: ['header-not-exposed'],
      round: 2,
      source: 'expressjs/cors#224',
    },
    {
      name: 'express r2: origin: true on a public API without credentials (reflection is harmless here)',
      start: express('reflect-public'),
      ...ANON,
      expose: ['X-Request-Id'],
      // Reviewed after the blind run: the echo of any origin is worth an info line (it is `*` in
      // effect, and one `credentials: true` away from a hole); not an alarm.
      expect: ['origin-reflected'],
      severity: { 'origin-reflected': 'info' },
      correct: true,
      round: 2,
      source: 'https://github.com/expressjs/cors#configuration-options',
    },
    {
      name: 'express r2: development server, the Vite origin http://localhost:5173 on the list and calling',
      start: express('dev-localhost'),
      request: { credentials: 'include', origin: VITE_DEV },
      cookie: 'session=ok',
      expect: [],
      correct: true,
      round: 2,
      source: 'expressjs/cors#323',
    },
    {
      name: "express r2: the README's app.options('*', cors()) before cors(allow-list), cookie JSON PUT",
      start: express('options-default-first'),
      ...COOKIE_PUT,
      // The preflight is answered by the default cors(): Allow-Origin *, and the request has credentials.
      expect: ['wildcard-with-credentials'],
      allowed: false,
      round: 2,
      source: 'https://github.com/expressjs/cors#enabling-cors-pre-flight',
    },
  ],
};

const fastifyCorpus: StackCorpus = {
  stack: 'fastify',
  cases: [
    {
      name: 'fastify r2: origin: true with credentials: true (every origin echoed)',
      start: fastify('reflect-credentials'),
      ...WITH_COOKIE,
      expect: ['origin-reflected'],
      severity: { 'origin-reflected': 'security' },
      round: 2,
      source: 'AndyMik90/Aperant#332',
    },
    {
      name: 'fastify r2: allow-list entry with the trailing slash, cookie GET',
      start: fastify('trailing-slash'),
      ...WITH_COOKIE,
      expect: ['origin-mismatch'],
      allowed: false,
      round: 2,
      source: 'fastify/fastify-cors#73',
    },
    {
      name: "fastify r2: allowedHeaders: ['Content-Type'], the page sends Authorization",
      start: fastify('allowed-headers-short'),
      request: BEARER_COOKIE,
      cookie: 'session=ok',
      expect: ['header-not-allowed'],
      allowed: false,
      round: 2,
      source: 'fastify/help#583',
    },
    {
      name: 'fastify r2: allowedHeaders unset (request headers echoed), JSON PUT with Authorization and cookie',
      start: fastify('correct-reflect-headers'),
      // A real page's JSON PUT has a body (Fastify answers an empty JSON body 400).
      request: { ...AUTH_PUT.request, body: '{"items":[1]}' },
      cookie: AUTH_PUT.cookie,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'https://github.com/fastify/fastify-cors#options',
    },
  ],
};

const koaCorpus: StackCorpus = {
  stack: 'koa',
  cases: [
    {
      name: 'koa r2: @koa/cors 5 with credentials: true and no origin echoes every Origin',
      start: koa('credentials-default'),
      ...WITH_COOKIE,
      expect: ['origin-reflected'],
      severity: { 'origin-reflected': 'security' },
      round: 2,
      source: 'koajs/cors#93',
    },
    {
      name: 'koa r2: origin fixed to the shop front end, the admin front end calls (cookie GET)',
      start: koa('fixed-origin'),
      request: { credentials: 'include', origin: ADMIN },
      cookie: 'session=ok',
      expect: ['origin-not-allowed'],
      allowed: false,
      round: 2,
      source: 'koajs/cors#12',
    },
    {
      name: 'koa r2: origin function over an allow-list, credentials, JSON PUT with cookie',
      start: koa('origin-fn-list'),
      ...COOKIE_PUT,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'zadzbw/koa2-cors#4',
    },
    {
      name: 'koa r2: cors() defaults (*) on a public API, anonymous GET reading X-Request-Id',
      start: koa('public-default'),
      ...ANON,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'koajs/cors#93',
    },
  ],
};

const honoCorpus: StackCorpus = {
  stack: 'hono',
  cases: [
    {
      name: 'hono r2: cors({ credentials: true }) keeps origin *, cookie GET',
      start: hono('credentials-default'),
      ...WITH_COOKIE,
      expect: ['wildcard-with-credentials'],
      allowed: false,
      round: 2,
      source: 'honojs/hono#4811',
    },
    {
      name: "hono r2: origin: 'https://app…/' (trailing slash), cookie GET",
      start: hono('trailing-slash'),
      ...WITH_COOKIE,
      expect: ['origin-mismatch'],
      allowed: false,
      round: 2,
      source: 'https://hono.dev/docs/middleware/builtin/cors',
    },
    {
      name: "hono r2: allowHeaders: ['*'] and a bearer token (the spec's * never covers Authorization)",
      start: hono('star-headers'),
      request: BEARER_ANON,
      // Chromium still lets * cover Authorization (with a deprecation warning); the Fetch Standard and
      // Firefox's pending change do not: works now, breaks later.
      expect: ['header-not-allowed'],
      severity: { 'header-not-allowed': 'warning' },
      allowed: true,
      round: 2,
      source: 'whatwg/fetch#1919',
    },
    {
      name: 'hono r2: cors() defaults on a bearer-token API without cookies (* is right here)',
      start: hono('public-bearer'),
      request: BEARER_ANON,
      expose: ['X-Request-Id'],
      expect: [],
      correct: true,
      round: 2,
      source: 'https://hono.dev/docs/middleware/builtin/cors',
    },
  ],
};

export const corpora: StackCorpus[] = [expressCorpus, fastifyCorpus, koaCorpus, honoCorpus];
